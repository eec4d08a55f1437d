// The derivation tree a description loads into (issue 17): explicit `cdt` sections, `- child_of`,
// several caps to one object and badged caps start with the three layers in agreement and every
// invariant holding (`validateStartingState`: each layer's invariants, R1, R2); what seL4 cannot
// build is refused at the cap concerned; and the real corpus loads (or is refused with its place)
// and runs a short campaign without a violation.

import CapDL
import KernelABI
import Refinement
import TestSupport
import Testing

@Suite struct CapDLDerivationTests {
  /// A thread whose CSpace `c` (8 bits) holds the thread, itself, and `slots`.
  static func system(arch: String = "aarch64", objects: String, slots: String, extra: String = "") -> String {
    """
    arch \(arch)
    objects {
      main = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
      c = cnode (8 bits)
    \(objects)
    }
    caps {
      main { cspace: c (guard: 0, guard_size: \(arch == "arm11" || arch == "ia32" ? 24 : 56)) }
      c {
        1: main
        2: c (guard: 0, guard_size: \(arch == "arm11" || arch == "ia32" ? 24 : 56))
    \(slots)
      }
    }
    \(extra)
    """
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var testDescription: String { name }
  }

  static let accepted: [Case] = [
    Case(
      name: "cdt section: an untyped over an endpoint, a badged mint beside",
      text: system(
        objects: "u = ut (16 bits) { e = ep }", slots: "3: u  4: e  5: e (badge: 5)", extra: "cdt { (c, 3) { (c, 4) } }"
      )),
    Case(
      name: "child_of on an untyped cap inside another",
      text: system(
        objects: "u = ut (16 bits) { v = ut (12 bits) { e = ep } }", slots: "3: u  4: v - child_of (c, 3)  5: e")),
    Case(
      name: "child_of on an object cap under its untyped, and a copy",
      text: system(objects: "u = ut (16 bits) { k = cnode (2 bits) }", slots: "3: u  4: k - child_of (c, 3)  5: k")),
    Case(
      name: "child_of chain: retype, then a copy of the retyped cap",
      text: system(
        objects: "u = ut (16 bits) { k = cnode (2 bits) }",
        slots: "3: u  4: k - child_of (c, 3)  5: k (guard_size: 3) - child_of (c, 4)")),
    Case(
      name: "child_of: badged mints from an unbadged cap and a copy of a mint",
      text: system(
        objects: "e = ep",
        slots:
          "3: e  4: e (badge: 3) - child_of (c, 3)  5: e (badge: 3) - child_of (c, 4)  6: e (badge: 9) - child_of (c, 3)"
      )
    ),
    Case(
      name: "child_of names a later root: it becomes the original",
      text: system(objects: "e = ep", slots: "3: e  4: e  5: e - child_of (c, 4)")),
    Case(
      name: "several caps to one object, no cdt, no untyped",
      text: system(
        objects: "e = ep  n = notification  t = tcb", slots: "3: e  4: e  5: e  6: n  7: n (badge: 3)  8: n  9: t")),
    Case(
      name: "several caps to objects inside an untyped, no cdt",
      text: system(objects: "u = ut (16 bits) { e = ep  t = tcb }", slots: "3: e  4: e  5: u  6: t  7: t")),
    Case(
      name: "only badged caps of several badges, no untyped (the initialiser keeps the original)",
      text: system(objects: "e = ep", slots: "3: e (badge: 1)  4: e (badge: 2)  5: e (badge: 1)")),
    Case(
      name: "only badged caps of several badges inside an untyped",
      text: system(
        objects: "u = ut (16 bits) { e = ep }", slots: "3: u  4: e (badge: 1)  5: e (badge: 2)  6: e (badge: 1)  7: e")),
    Case(
      name: "two caps to one untyped, with objects inside",
      text: system(objects: "u = ut (16 bits) { e = ep  t = tcb }", slots: "3: u  4: e  5: u  6: t")),
    Case(
      name: "a copy of an untyped the cdt makes, and one it leaves",
      text: system(
        objects: "u = ut (16 bits) { e = ep }", slots: "3: u  4: u - child_of (c, 3)  5: e  6: u")),
    Case(
      name: "an object that fills its untyped exactly",
      text: system(objects: "u = ut (9 bits) { k = cnode (4 bits) }", slots: "3: u  4: k  5: k")),
    Case(
      name: "control caps twice",
      text: system(objects: "", slots: "3: sched_control (core: 0)  4: sched_control (core: 0)  5: domain  6: domain")),
    Case(
      name: "a 32-bit description with badged caps and a cdt",
      text: system(
        arch: "arm11", objects: "u = ut (16 bits) { e = ep  n = notification }",
        slots: "3: u  4: e  5: e (badge: 0xfffffff) - child_of (c, 4)  6: n (badge: 1)  7: n (badge: 2)",
        extra: "cdt { (c, 3) { (c, 4) } }")),
  ]

  @Test(arguments: accepted)
  func startsWithEveryInvariantHolding(_ c: Case) throws {
    let loaded = try loadSystemPlan(from: try CapDLModel.parse(c.text, file: "case.cdl"))
    let problems = validateStartingState(loaded.plan)
    #expect(problems.isEmpty, "\(problems)")
    // ut_revocable, as the loader promises it: every untyped cap is original.
    for (slot, cap) in loaded.plan.caps {
      if case .untyped = cap { #expect(loaded.plan.originals.contains(slot), "untyped cap \(slot) not original") }
    }
  }

  /// The loader honours the description's links: the parents it was given are the plan's.
  @Test func describedLinksAreKept() throws {
    let text = Self.system(
      objects: "u = ut (16 bits) { v = ut (12 bits) { e = ep } }",
      slots: "3: u  4: v - child_of (c, 3)  5: e - child_of (c, 4)  6: e (badge: 2) - child_of (c, 5)")
    let loaded = try loadSystemPlan(from: try CapDLModel.parse(text))
    let c = try #require(loaded.addresses[CapDLObjectID("c")])
    #expect(loaded.plan.cdtParent[SlotRef(c, 4)] == SlotRef(c, 3))
    #expect(loaded.plan.cdtParent[SlotRef(c, 5)] == SlotRef(c, 4))
    #expect(loaded.plan.cdtParent[SlotRef(c, 6)] == SlotRef(c, 5))
    #expect(loaded.plan.originals.isSuperset(of: [SlotRef(c, 3), SlotRef(c, 4), SlotRef(c, 5), SlotRef(c, 6)]))
  }

  /// Two caps to one untyped: the second is a child of the first, both original, the first full
  /// (`setUntypedCapAsFull`), and what lies inside descends from the second.
  @Test func untypedCopiesChainAndTheFirstIsFull() throws {
    // `e` with all rights: retype's cap, moved there (a cap with fewer would be a copy of the cap
    // the initialiser keeps).
    let text = Self.system(objects: "u = ut (16 bits) { e = ep }", slots: "3: u  4: e (RWGP)  5: u")
    let loaded = try loadSystemPlan(from: try CapDLModel.parse(text))
    let c = try #require(loaded.addresses[CapDLObjectID("c")])
    #expect(loaded.plan.cdtParent[SlotRef(c, 5)] == SlotRef(c, 3))
    #expect(loaded.plan.cdtParent[SlotRef(c, 4)] == SlotRef(c, 5))
    guard case .untyped(_, let bits, _, let free)? = loaded.plan.caps[SlotRef(c, 3)] else {
      Issue.record("no untyped cap in (c, 3)")
      return
    }
    #expect(free == 1 << bits)
  }

  // MARK: - Refusals with their place

  static let refused: [(name: String, text: String, message: String)] = [
    (
      "a cap to an object of the wrong type in a TCB slot",
      """
      arch aarch64
      objects { t = tcb  e = ep  n = notification }
      caps { t { cspace: e } }
      """,
      "case.cdl:3:12: cspace of tcb 't' holds a cap to 'e' (ep), a cap to an object of the wrong type"
    ),
    (
      "a notification as a fault endpoint",
      """
      arch aarch64
      objects { t = tcb  n = notification  c = cnode (2 bits) }
      caps {
        t { cspace: c  fault_ep_slot: n }
      }
      """,
      "case.cdl:4:18: fault_ep_slot of tcb 't' holds a cap to 'n' (notification), a cap to an object of the wrong type"
    ),
    (
      "two original caps to one object",
      system(objects: "u = ut (16 bits) { e = ep }", slots: "3: u  4: e - child_of (c, 3)  5: e - child_of (c, 3)"),
      "case.cdl:12:31: two original caps to one object, (c, 4) and (c, 5)"
    ),
    (
      "two caps to one object, each with copies of its own",
      system(objects: "e = ep", slots: "3: e  4: e - child_of (c, 3)  5: e  6: e - child_of (c, 5)"),
      "case.cdl:12:31: two original caps to one object, (c, 3) and (c, 5)"
    ),
    (
      "a badge out of range on a 32-bit architecture",
      system(arch: "arm11", objects: "e = ep", slots: "3: e (badge: 0x10000000)"),
      "case.cdl:12:1: badge 0x10000000 of the cap to 'e' is out of range: arm11 badges have 28 bits"
    ),
    (
      "a cdt link between caps to different objects",
      system(objects: "e = ep  f = ep", slots: "3: e  4: f - child_of (c, 3)"),
      "case.cdl:12:7: the cdt makes (c, 4) a child of (c, 3): a cap derives only from a cap to the same object"
    ),
    (
      "a badged cap derived from one of another badge",
      system(objects: "e = ep", slots: "3: e (badge: 1)  4: e (badge: 2) - child_of (c, 3)"),
      "case.cdl:12:18: the cdt makes (c, 4) a child of (c, 3): a cap with badge 2 cannot derive from one with badge 1"
    ),
    (
      "a child of a copy",
      system(objects: "e = ep", slots: "3: e  4: e - child_of (c, 3)  5: e - child_of (c, 4)"),
      "case.cdl:12:31: the cdt makes (c, 5) a child of (c, 4), itself a copy"
    ),
    (
      "an unbadged copy under a badged cap",
      system(objects: "e = ep", slots: "3: e (badge: 1)  4: e - child_of (c, 3)"),
      "case.cdl:12:18: the cdt makes (c, 4) a child of (c, 3): a cap with badge 0 cannot derive from one with badge 1"
    ),
  ]

  @Test(arguments: 0..<refused.count)
  func unrealisableDescriptionIsRefusedWithItsPlace(_ i: Int) throws {
    let (name, text, message) = Self.refused[i]
    let model = try CapDLModel.parse(text, file: "case.cdl")
    do {
      _ = try loadSystemPlan(from: model)
      Issue.record("\(name): loaded")
    } catch {
      #expect(error.message.contains(message), "\(name): \(error.message)")
    }
  }

  // MARK: - The real corpus

  /// What each real file does, as `refine-check check --system FILE` loads it (untypeds declared
  /// smaller than their contents grow, a cdt link between caps to two objects is left out): loads,
  /// or is refused with the message's place and words.
  static let corpus: [(stem: String, refusal: String?)] = [
    ("camkes-adder-arm", nil),
    ("cap-dist-elf-simpleserver", nil),
    ("example-aarch64", nil),
    ("example-arm", nil),
    ("example-ia32", nil),
  ]

  @Test(Corpus.enabled) func theCorpusTableListsEveryCorpusFile() {
    #expect(Self.corpus.map(\.stem) == Corpus.stems)
  }

  @Test(Corpus.enabled, arguments: 0..<corpus.count)
  func corpusFileLoadsAndAShortCampaignHolds(_ i: Int) throws {
    let (stem, refusal) = Self.corpus[i]
    let model = try CapDLModel.parse(try Corpus.text("\(stem).cdl"), file: "\(stem).cdl")
    let loaded: CapDLLoadResult
    do {
      loaded = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    } catch {
      #expect(refusal.map { error.message.contains($0) } ?? false, "\(stem): \(error.message)")
      return
    }
    #expect(refusal == nil, "\(stem) loaded; expected: \(refusal ?? "")")
    let problems = validateStartingState(loaded.plan)
    #expect(problems.isEmpty, "\(stem): \(problems)")
    let report = runCampaign(
      plan: loaded.plan, options: CampaignOptions(seed: 17, traces: 4, stepsPerTrace: 40, jobs: 1))
    #expect(report.violations.isEmpty, "\(stem): \(report.violations.first.map { "\($0)" } ?? "")")
    // A description written for a classic kernel binds no thread to a scheduling context: under
    // MCS none of its threads can run, so there is no current thread and nothing to step.
    if loaded.plan.currentThread == nil {
      #expect(report.steps == 0 && !loaded.plan.threads.contains { loaded.plan.isSchedulable($0.tcb) })
    } else {
      #expect(report.steps > 0, "\(stem): nothing ran")
    }
  }
}
