// The explorer's commands: names, usage and help text, and the hints for a mistyped command.

/// One command's documentation.
struct CommandHelp: Sendable {
  var name: String
  var usage: String
  var summary: String
  /// More lines for `help NAME`.
  var details: [String] = []
}

enum Commands {
  /// Every command, in the order `help` lists them.
  static let all: [CommandHelp] = [
    // Navigation
    CommandHelp(
      name: "step", usage: "step [N]", summary: "go N steps forward (default 1)",
      details: ["Prints each event, what it returned, and any failure at the step reached."]),
    CommandHelp(name: "back", usage: "back [N]", summary: "go N steps back (default 1)"),
    CommandHelp(name: "goto", usage: "goto N", summary: "go to step N (0 is the initial state)"),
    CommandHelp(name: "first", usage: "first", summary: "go to step 0, the initial state"),
    CommandHelp(
      name: "last", usage: "last", summary: "go to the last step (where a recorded trace fails)"),
    CommandHelp(
      name: "where", usage: "where",
      summary:
        "the current step, its event and result, the current thread, the layer, the clock, the release queue, the domain, the interrupt lines in use, what fails here"
    ),
    // Layers
    CommandHelp(
      name: "abstract", usage: "abstract [COMMAND]", summary: "look at the abstract spec (or run one command on it)"),
    CommandHelp(
      name: "exec", usage: "exec [COMMAND]", summary: "look at the executable spec (or run one command on it)"),
    CommandHelp(
      name: "kernel", usage: "kernel [COMMAND]",
      summary: "look at the kernel, decoded from its memory (or run one command on it)"),
    // Inspection
    CommandHelp(
      name: "show", usage: "show thread|object|cap|slot|cspace|queue|refills NAME",
      summary: "one thing on the current layer",
      details: [
        "show thread T     a thread's state, priorities and its five slots",
        "show object O     an object: kind, address, size, slots, the caps that name it",
        "show cap O        every cap naming object O; show cap slot(C, I) the cap in one slot",
        "show slot C[I]    a slot: its cap, CDT parent and children, original or derived;",
        "                  on exec and kernel its MDB node, on kernel the CTE's address",
        "show cspace T     the CSpace of thread T (or CNode T) as a tree, like `caps`",
        "show queue O      an endpoint's or notification's queue, head first; a scheduling",
        "                  context's reply stack; a reply object's thread and stack; the SC",
        "                  a thread runs on (own, donated, none)",
        "show refills O    a scheduling context's period, refill limit and live refills",
        "Slots are written slot(C, I), C[I] or C I; objects by name or address (0x...).",
      ]),
    CommandHelp(
      name: "threads", usage: "threads",
      summary: "every thread: state, priority, MCP, the SC it runs on, which is current"),
    CommandHelp(name: "objects", usage: "objects", summary: "every object: name, address, kind, size"),
    CommandHelp(
      name: "caps", usage: "caps THREAD", summary: "the thread's whole CSpace as a tree, with rights and badges"),
    CommandHelp(
      name: "cdt", usage: "cdt",
      summary: "the capability derivation tree (* marks original caps)",
      details: ["On exec and kernel, the tree their MDB list encodes (as R2 reads it)."]),
    CommandHelp(
      name: "memory", usage: "memory ADDR [N]",
      summary: "N words (default 8) of kernel memory from ADDR, each with its decoded field",
      details: [
        "ADDR is an address, an object name, NAME+OFFSET, or a slot (its CTE);",
        "`globals` is the kernel's globals frame, each global by name.",
      ]),
    // Checking
    CommandHelp(
      name: "check", usage: "check",
      summary: "every relation and invariant at this step, one line each: held or FAILED"),
    CommandHelp(
      name: "why", usage: "why NAME",
      summary: "why a relation or invariant fails here: the broken conjunct and its values",
      details: [
        "NAME: R1, R2, observations, or an invariant or conjunct (valid_mdb, valid_dlist, ...).",
        "For a relation: the first field where the two sides differ, with both values.",
      ]),
    CommandHelp(
      name: "diff", usage: "diff",
      summary: "the two sides of a failing relation field by field, or else this step against the previous one"),
    // What-if
    CommandHelp(
      name: "do", usage: "do THREAD: CALL(...)",
      summary: "run an event typed in the scenario language from here, on all three layers, and check it",
      details: [
        "Examples: do main: CNode_Copy(root_cnode, 20, 56, root_cnode, 3, 56, RW)",
        "          do main: Send(ep, label 7, [1, 2])     do time 3     do irq 5",
        "          do name ep2 = slot(root_cnode, 20)",
        "The trace branches here: the later steps of the old trace are dropped.",
        "The syntax is docs/scenarios.md's; the thread must be the current one.",
      ]),
    CommandHelp(
      name: "save", usage: "save FILE",
      summary: "write the trace (as branched) as a trace file, or as a scenario if FILE ends in .scenario",
      details: [
        "A trace file (docs/traces.md) replays with `refine-check replay FILE`; it records the first",
        "failure, so a trace that does not fail can only be saved as a scenario.",
      ]),
    // Session
    CommandHelp(name: "help", usage: "help [COMMAND]", summary: "the commands, or one command in detail"),
    CommandHelp(
      name: "history", usage: "history", summary: "the commands typed so far; !N runs command N again, !! the last",
      details: ["Lines starting with # are comments; an empty line does nothing."]),
    CommandHelp(name: "quit", usage: "quit", summary: "end the session (so does the end of input)"),
  ]

  static let aliases: [String: String] = [
    "exit": "quit", "q": "quit", "s": "step", "b": "back", "?": "help", "n": "step",
  ]

  static func named(_ name: String) -> CommandHelp? { all.first { $0.name == name } }

  /// The help listing.
  static func listing(_ style: Style) -> [String] {
    let width = 22
    var lines = ["Commands (help COMMAND for more):"]
    for c in all {
      if c.usage.count > width {
        lines.append("  " + style.bold(c.usage))
        lines.append("  " + String(repeating: " ", count: width + 2) + c.summary)
      } else {
        lines.append("  " + style.bold(c.usage) + String(repeating: " ", count: width - c.usage.count + 2) + c.summary)
      }
    }
    return lines
  }

  /// `help NAME`.
  static func help(_ name: String, _ style: Style) -> [String] {
    guard let c = named(aliases[name] ?? name) else {
      return [unknown(name)]
    }
    return [style.bold(c.usage), "  " + c.summary] + c.details.map { "  " + $0 }
  }

  /// The hint for a command nobody knows.
  static func unknown(_ name: String) -> String {
    var text = "unknown command '\(name)'"
    if let guess = closest(to: name, in: all.map(\.name)) { text += "; did you mean '\(guess)'?" }
    return text + " (help lists commands)"
  }
}

/// The candidate nearest to `word` by edit distance, if it is near enough to be a likely typo.
///
/// - Complexity: O(c · (m + 7·n)) for c candidates of at most n characters and a word of m: a
///   candidate whose length differs from the word's by more than the allowed distance (at most 3)
///   is skipped without computing anything, and the distance is computed in a band of width 7.
///   A 200,000-character token costs one pass over it, not 200,000 × n cells.
func closest(to word: String, in candidates: [String]) -> String? {
  closestWithWork(to: word, in: candidates).guess
}

/// `closest(to:in:)`, and the number of edit-distance cells it computed (for tests of its bound).
func closestWithWork(to word: String, in candidates: [String]) -> (guess: String?, cells: Int) {
  let lower = Array(word.lowercased())
  let allowed = max(1, min(3, word.count / 3 + 1))
  var cells = 0
  var best: (String, Int)?
  for c in candidates {
    let (d, work) = boundedEditDistance(lower, Array(c.lowercased()), limit: allowed)
    cells += work
    guard let d else { continue }
    if let b = best, d >= b.1 { continue }
    best = (c, d)
  }
  if let (candidate, _) = best { return (candidate, cells) }
  // A prefix of a longer name ("thr" for "threads") is a likely meaning too.
  let prefix = String(lower)
  return (candidates.first { lower.count >= 2 && $0.lowercased().hasPrefix(prefix) }, cells)
}

/// Levenshtein distance with transpositions of neighbours counted as one edit (optimal string
/// alignment), or nil when it is more than `limit`; and the number of cells computed.
///
/// Only cells within `limit` of the diagonal can lead to a distance of at most `limit`, so only
/// those are computed (a band of 2·limit + 1 per row); lengths differing by more than `limit`
/// cost nothing.
func boundedEditDistance(_ x: [Character], _ y: [Character], limit: Int) -> (distance: Int?, cells: Int) {
  guard abs(x.count - y.count) <= limit else { return (nil, 0) }
  if x.isEmpty || y.isEmpty { return (max(x.count, y.count), 0) }
  let beyond = limit + 1
  // Three rows: i - 2, i - 1 and i; cells outside the band hold `beyond`.
  var before = [Int](repeating: beyond, count: y.count + 1)
  var previous = (0...y.count).map { min($0, beyond) }
  var row = [Int](repeating: beyond, count: y.count + 1)
  var cells = 0
  for i in 1...x.count {
    let low = max(1, i - limit)
    let high = min(y.count, i + limit)
    for j in 0...y.count { row[j] = beyond }
    if i <= limit { row[0] = i }
    var rowMinimum = row[0]
    if low <= high {
      for j in low...high {
        cells += 1
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        var d = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { d = min(d, before[j - 2] + 1) }
        row[j] = min(d, beyond)
        rowMinimum = min(rowMinimum, row[j])
      }
    }
    // Every later cell is at least the smallest of this row (or the one before, for a swap).
    if rowMinimum > limit && previous.min() ?? beyond > limit { return (nil, cells) }
    (before, previous, row) = (previous, row, before)
  }
  let d = previous[y.count]
  return (d <= limit ? d : nil, cells)
}
