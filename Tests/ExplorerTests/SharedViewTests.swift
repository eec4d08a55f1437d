// The explorer's `show` commands and the trace report's state dumps (and so the HTML page) read a
// layer through one `StateView` and write it with one `Describer`: every line of a dump says what
// `show slot` and `show object` say about the same thing.

import KernelABI
import Refinement
import Testing

@testable import Explorer

@Suite struct SharedViewTests {
  @Test(arguments: Layer.allCases)
  func theReportDumpSaysWhatTheExplorerShows(_ layer: Layer) {
    var session = Session(
      plan: .sample, events: [], source: SessionSource(description: "the sample", systemPath: "builtin"))
    // A derived cap, so that slots have CDT parents and MDB links to show.
    #expect(!session.say("do main: CNode_Mint(root_cnode, 20, 56, root_cnode, 3, 56, R, 7)").contains("FAILS"))
    #expect(session.say(layer.rawValue) == "layer \(layer.rawValue)")
    let dump = Describer(plan: .sample).dump(StateView(session.checker, layer))
    let slots = dump.filter { $0.key.hasPrefix("2 ") }
    // A scheduling context's refills have a line of their own after the object's.
    let refills = dump.filter { $0.key.hasPrefix("1 ") && $0.key.hasSuffix(" refills") }
    let objects = dump.filter { $0.key.hasPrefix("1 ") && !$0.key.hasSuffix(" refills") }
    #expect(!refills.isEmpty)
    for line in refills {
      let sc = String(line.label.dropFirst("refills(".count).dropLast())
      #expect(session.say("show refills \(sc)").hasSuffix(": " + line.text), "\(line.text)")
      #expect(session.say("show object \(sc)").contains(line.text), "\(line.text)")
    }
    #expect(slots.contains { $0.label == "slot(root_cnode, 20)" && $0.text.hasPrefix("endpoint(ep) rights R badge 7") })
    for line in slots {
      let shown = session.say("show slot \(line.label)").split(separator: "\n").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let pieces = line.text.components(separatedBy: "; ")
      #expect(shown.first == "\(line.label) = \(pieces[0])", "\(line.text)")
      // The MDB node and the CTE's words, word for word (the CDT parent is phrased per command).
      for piece in pieces.dropFirst() where !piece.hasPrefix("CDT parent") {
        #expect(shown.contains { $0.hasPrefix(piece) }, "\(piece) not in \(shown)")
      }
    }
    #expect(!objects.isEmpty)
    for line in objects {
      let shown = session.say("show object \(line.label)")
      let summary = line.text.components(separatedBy: " at 0x")[0]
      // A thread's fields follow ", state ", a scheduling context's ", thread " or ", no thread",
      // a notification's its state (", idle", ", waiting: ", ", active, word ").
      var kind = summary
      for separator in [", state ", ", thread ", ", no thread", ", idle", ", waiting", ", active"] {
        kind = kind.components(separatedBy: separator)[0]
      }
      #expect(shown.split(separator: "\n").first?.contains(": \(kind) (") == true, "\(kind) not in \(shown)")
      if summary.hasPrefix("notification") {
        #expect(shown.contains(summary.components(separatedBy: "bytes, ")[1]), "\(shown)")
      }
      if summary.hasPrefix("schedContext") {
        #expect(shown.contains(summary.components(separatedBy: "bytes, ")[1]), "\(shown)")
      }
      if summary.contains(", state ") {
        #expect(shown.contains("state " + summary.components(separatedBy: ", state ")[1]), "\(shown)")
      }
    }
  }

  /// A thread's registers beyond the message registers show by seL4's name, the same in every
  /// layer (the kernel's come from its TCB words through R1's lift), in the dump and in `show object`.
  @Test(arguments: Layer.allCases)
  func aThreadsRegistersShowByName(_ layer: Layer) {
    var session = Session(
      plan: .sample, events: [], source: SessionSource(description: "the sample", systemPath: "builtin"))
    let written = session.say("do main: TCB_WriteRegisters(second, 0, 0, 4, [0x400000, 0x7ff000, 0xffffffff, 0xb])")
    #expect(!written.contains("FAILS"), "\(written)")
    #expect(session.say(layer.rawValue) == "layer \(layer.rawValue)")
    let dump = Describer(plan: .sample).dump(StateView(session.checker, layer))
    let second = dump.first { $0.label == "second" }
    let registers = "registers SP_EL0 0x7ff000, ELR_EL1 0x400000, SPSR_EL1 0xf0000040, FaultIP 0x400000"
    #expect(second?.text.contains(registers) == true, "\(second?.text ?? "no line for second")")
    #expect(second?.text.contains("badge 0xb") == true)
    #expect(session.say("show object second").contains(registers))
  }
}
