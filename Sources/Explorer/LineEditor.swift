// Line editing for a terminal: the cursor keys move in the line and through the history, Tab
// completes commands and names. This is the pure part (keys in, a line and what to redraw out),
// so it is tested without a terminal; the CLI reads the keys in raw mode and draws the line.

import KernelABI
import Refinement
import Scenario

/// A key as the editor understands it.
public enum Key: Equatable, Sendable {
  case character(Character)
  case enter, backspace, delete, left, right, up, down, home, end, tab
  /// Ctrl-C: drop the line. Ctrl-D: end of input on an empty line, else delete.
  case interrupt, endOfInput
  /// Ctrl-U: clear the line before the cursor. Ctrl-K: clear after it.
  case killBefore, killAfter
}

/// One terminal line being edited.
public struct LineEditor: Sendable {
  public private(set) var buffer: [Character] = []
  /// The cursor, 0...buffer.count.
  public private(set) var cursor = 0
  public var history: [String] = []
  /// Which history entry the line shows while going up and down (nil: the new line).
  private var historyIndex: Int?
  private var draft: [Character] = []

  /// What the caller should do after a key.
  public enum Action: Equatable, Sendable {
    /// Redraw the line.
    case redraw
    /// The line is done.
    case submit(String)
    /// End of input.
    case endOfInput
    /// Nothing changed (ring the bell).
    case bell
    /// Show these candidates below the line, then redraw it.
    case list([String])
  }

  public init(history: [String] = []) { self.history = history }

  public var line: String { String(buffer) }

  /// Apply `key`; `complete` gives the candidates for the word before the cursor, given the line
  /// up to the start of that word.
  public mutating func feed(_ key: Key, complete: (_ before: String, _ word: String) -> [String]) -> Action {
    switch key {
    case .character(let c):
      buffer.insert(c, at: cursor)
      cursor += 1
    case .enter:
      let text = line
      buffer = []
      cursor = 0
      historyIndex = nil
      return .submit(text)
    case .backspace:
      guard cursor > 0 else { return .bell }
      buffer.remove(at: cursor - 1)
      cursor -= 1
    case .delete:
      guard cursor < buffer.count else { return .bell }
      buffer.remove(at: cursor)
    case .endOfInput:
      if buffer.isEmpty { return .endOfInput }
      guard cursor < buffer.count else { return .bell }
      buffer.remove(at: cursor)
    case .left:
      guard cursor > 0 else { return .bell }
      cursor -= 1
    case .right:
      guard cursor < buffer.count else { return .bell }
      cursor += 1
    case .home: cursor = 0
    case .end: cursor = buffer.count
    case .interrupt:
      buffer = []
      cursor = 0
      historyIndex = nil
    case .killBefore:
      buffer.removeSubrange(0..<cursor)
      cursor = 0
    case .killAfter:
      buffer.removeSubrange(cursor...)
    case .up:
      guard !history.isEmpty else { return .bell }
      let index: Int
      if let current = historyIndex {
        guard current > 0 else { return .bell }
        index = current - 1
      } else {
        draft = buffer
        index = history.count - 1
      }
      historyIndex = index
      buffer = Array(history[index])
      cursor = buffer.count
    case .down:
      guard let current = historyIndex else { return .bell }
      if current + 1 < history.count {
        historyIndex = current + 1
        buffer = Array(history[current + 1])
      } else {
        historyIndex = nil
        buffer = draft
      }
      cursor = buffer.count
    case .tab:
      return completeWord(complete)
    }
    return .redraw
  }

  private mutating func completeWord(_ complete: (String, String) -> [String]) -> Action {
    var start = cursor
    while start > 0, buffer[start - 1] != " " { start -= 1 }
    let word = String(buffer[start..<cursor])
    let candidates = complete(String(buffer[0..<start]), word).filter { $0.hasPrefix(word) }
    guard let first = candidates.first else { return .bell }
    var common = first
    for c in candidates.dropFirst() {
      while !c.hasPrefix(common) { common.removeLast() }
    }
    // A lone candidate is finished with a space, unless it opens an argument list.
    let finished = candidates.count == 1 && !common.hasSuffix("(")
    let addition = Array(common.dropFirst(word.count)) + (finished ? [" "] : [])
    if addition.isEmpty { return candidates.count > 1 ? .list(candidates.sorted()) : .bell }
    buffer.insert(contentsOf: addition, at: cursor)
    cursor += addition.count
    return .redraw
  }
}

extension Session {
  /// Candidates for the word after `before` (the line up to that word): command names first,
  /// then what the command takes (a `show` kind, a layer's command, object and untyped names).
  public func completions(before: String, word: String) -> [String] {
    var words = before.split(separator: " ").map(String.init)
    // A layer prefix runs the rest as a command.
    if let first = words.first, Layer(rawValue: first) != nil { words.removeFirst() }
    let commands = Commands.all.map(\.name)
    if words.isEmpty { return commands.filter { $0.hasPrefix(word) }.sorted() }
    let names = naming.names.keys.sorted()
    switch words[0] {
    case "do" where words.count == 1:
      return names.map { $0 + ":" } + ["idle:", "time", "irq", "name"]
    case "do" where words.count == 2 && words[1].hasSuffix(":"):
      // The invocations of the operations table (every label, by number), then raw system calls.
      return (Operations.invocationLabels.map(\.libsel4Name) + syscallNames.keys.sorted() + ["Syscall"]).map {
        $0 + "("
      }
    case "show" where words.count == 1:
      return ["thread", "object", "cap", "slot", "cspace", "queue", "refills"]
    case "help": return commands.sorted()
    case "why": return InvariantCatalogue.allNames
    case "save", "goto", "step", "back": return []
    // Object names include the idle thread's and its scheduling context's.
    default: return Array(Set(names + naming.objectNameList)).sorted()
    }
  }
}
