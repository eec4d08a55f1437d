// `refine-check explore [TRACE.json | --system FILE.cdl | --scenario FILE]`: walk a trace on the
// three layers, one command a line (docs/explorer.md). Works the same over a pipe: a prompt and
// line editing only when stdin and stdout are a terminal, colours only when stdout is one and
// NO_COLOR is unset.

import ArgumentParser
import Explorer
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Explore a trace interactively: step through it, inspect the three layers, see why a check fails, try other events.",
    discussion: """
      Reads one command a line from standard input (type help for the list; docs/explorer.md). With \
      no argument, opens the built-in sample system at its initial state. Exit codes: 0 at quit or \
      end of input, 64 usage error, 65 a trace, system or scenario file that cannot be loaded.
      """)

  @Argument(help: "A trace file written by `refine-check check` or `explore`'s save (docs/traces.md).")
  var trace: String?

  @Option(help: "Start at the initial state of this capDL system instead.")
  var system: String?

  @Option(help: "Explore the steps of this scenario script instead (docs/scenarios.md).")
  var scenario: String?

  func validate() throws {
    let given = [trace, system, scenario].compactMap { $0 }.count
    guard given <= 1 else { throw ValidationError("give one of TRACE.json, --system FILE or --scenario FILE") }
  }

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let style = Style.forOutput(isTerminal: isatty(STDOUT_FILENO) == 1, environment: environment)
    // The same refusal as `check` and `replay` for a state that cannot be started from.
    if let trace { _ = try loadTrace(trace) } else if let system { _ = try loadSystem(system) }
    var session: Session
    do {
      if let trace {
        session = try Session.open(trace: trace, style: style)
      } else if let scenario {
        session = try Session.open(scenario: scenario, style: style)
      } else {
        session = try Session.open(system: system, style: style)
      }
    } catch {
      standardError("refine-check: error: \(error)")
      throw ExitCode(65)
    }
    print(session.banner)
    let interactive = isatty(STDIN_FILENO) == 1
    let editing = interactive && isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb"
    let terminal = editing ? RawTerminal() : nil
    var editor = LineEditor()
    while true {
      let line: String?
      if let terminal {
        line = terminal.readLine(prompt: session.prompt, editor: &editor) { session.completions(before: $0, word: $1) }
      } else {
        if interactive {
          print(session.prompt, terminator: "")
          fflush(nil)
        }
        line = readLine()
      }
      guard let line else { break }
      let reply = session.run(line)
      if !reply.text.isEmpty { print(reply.text) }
      if reply.quit { break }
    }
  }
}

/// The terminal in raw mode while a line is read (restored before anything else is printed).
/// Switching waits for output but keeps typed-ahead input (TCSADRAIN, not TCSAFLUSH).
final class RawTerminal {
  private var original = termios()

  init?() {
    guard tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
  }

  private func raw() {
    var raw = original
    raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
    raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
    _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &raw)
  }

  private func restore() { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &original) }

  private func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  private func byte() -> UInt8? {
    var b: UInt8 = 0
    return read(STDIN_FILENO, &b, 1) == 1 ? b : nil
  }

  /// The next key, nil at the end of input.
  private func key() -> Key? {
    while true {
      guard let b = byte() else { return nil }
      switch b {
      case 13, 10: return .enter
      case 127, 8: return .backspace
      case 9: return .tab
      case 3: return .interrupt
      case 4: return .endOfInput
      case 1: return .home
      case 5: return .end
      case 21: return .killBefore
      case 11: return .killAfter
      case 2: return .left
      case 6: return .right
      case 16: return .up
      case 14: return .down
      case 27:
        guard let next = byte() else { return nil }
        guard next == 91 || next == 79 else { continue }  // ESC [ or ESC O
        guard let code = byte() else { return nil }
        switch code {
        case 65: return .up
        case 66: return .down
        case 67: return .right
        case 68: return .left
        case 72: return .home
        case 70: return .end
        case 48...57:
          var digits = [code]
          while let d = byte(), d != 126 { digits.append(d) }  // up to '~'
          switch String(decoding: digits, as: UTF8.self) {
          case "3": return .delete
          case "1", "7": return .home
          case "4", "8": return .end
          default: continue
          }
        default: continue
        }
      case 32...126:
        return .character(Character(Unicode.Scalar(b)))
      case 0xC0...0xF7:
        // A UTF-8 sequence: the lead byte says how many continuation bytes follow.
        let count = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1
        var bytes = [b]
        for _ in 0..<count {
          guard let c = byte() else { return nil }
          bytes.append(c)
        }
        if let c = String(decoding: bytes, as: UTF8.self).first { return .character(c) }
      default:
        continue
      }
    }
  }

  /// Read one line with editing; nil at the end of input.
  func readLine(prompt: String, editor: inout LineEditor, complete: (String, String) -> [String]) -> String? {
    fflush(nil)
    raw()
    defer { restore() }
    func draw() {
      let back = editor.buffer.count - editor.cursor
      write("\r" + prompt + editor.line + "\u{1B}[K" + (back > 0 ? "\u{1B}[\(back)D" : ""))
    }
    draw()
    while let key = key() {
      switch editor.feed(key, complete: complete) {
      case .redraw: draw()
      case .bell: write("\u{7}")
      case .list(let candidates):
        write("\r\n" + candidates.joined(separator: "  ") + "\r\n")
        draw()
      case .endOfInput:
        write("\r\n")
        return nil
      case .submit(let line):
        write("\r\n")
        if !line.trimmingCharacters(in: .whitespaces).isEmpty, editor.history.last != line {
          editor.history.append(line)
        }
        return line
      }
    }
    write("\r\n")
    return nil
  }
}
