// The capDL systems written for this package (Tests/TestSupport/CapDL): each parses to the model
// its text describes, prints and re-parses to an equal model, and loads into the plan it should.
// They run without the real corpus; together they use every construct the corpus uses.

import CapDL
import Foundation
import KernelABI
import TestSupport
import Testing

enum FixtureSystems {
  static func model(_ stem: String) throws -> CapDLModel {
    try CapDLModel.parse(try Fixtures.capDL(stem), file: "\(stem).cdl")
  }

  /// Every object type, reserved cap target and section the real corpus uses (checked against the
  /// corpus itself by `FixtureTests.fixturesCoverWhatTheCorpusUses` when it is there).
  static let corpusObjectTypes: Set<CapDLObjectType> = [
    .ut, .tcb, .cnode, .ep, .notification, .irq, .frame, .pt, .pd, .pgd, .asidPool, .armSGISignal, .ioDevice,
    .ioPT, .ioPorts,
  ]
}

/// What a model uses: object types, reserved cap targets, cap features and sections.
struct Usage: Equatable {
  var types: Set<CapDLObjectType> = []
  var targets: Set<String> = []
  var features: Set<String> = []

  init(_ models: [CapDLModel]) {
    for m in models {
      types.formUnion(m.objects.values.map(\.type))
      if !m.irqs.isEmpty { features.insert("irq maps") }
      if !m.cdt.isEmpty { features.insert("cdt") }
      if m.domains != nil { features.insert("domains") }
      if m.untypedCovers.keys.contains(where: { u in m.untypedCovers.values.contains { $0.contains(u) } }) {
        features.insert("nested untypeds")
      }
      if m.objects.contains(where: { $0.key.index != nil }) { features.insert("object arrays") }
      for slots in m.caps.values {
        for cap in slots.values {
          switch cap.target {
          case .object(let id):
            if m.objects[id]?.type == .cnode { features.insert(cap.guardSize > 0 ? "guarded cnode cap" : "cnode cap") }
          case .irqControl: targets.insert("irq_control")
          case .asidControl: targets.insert("asid_control")
          case .ioSpaceMaster: targets.insert("io_space_master")
          case .domain: targets.insert("domain")
          case .schedControl: targets.insert("sched_control")
          }
          if cap.badge != 0 { features.insert("badge") }
          if cap.guardValue != 0 { features.insert("guard") }
          if cap.asid != nil { features.insert("asid") }
          if let kind = cap.replyKind { features.insert(kind.rawValue) }
          if !cap.cached { features.insert("uncached") }
        }
      }
    }
  }
}

@Suite struct FixtureTests {
  @Test func everyFixtureIsListed() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
      .filter { $0.hasSuffix(".cdl") }
    #expect(Set(names) == Set(Fixtures.capDLStems.map { "\($0).cdl" }))
  }

  @Test(arguments: Fixtures.capDLStems)
  func roundTrip(_ stem: String) throws {
    let model = try FixtureSystems.model(stem)
    #expect(model.objects.count >= 14)
    let printed = model.description
    let again = try CapDLModel.parse(printed, file: stem + ".printed")
    #expect(again == model, "\(stem) printed:\n\(printed)")
    // Printing is a fixed point after one round.
    #expect(again.description == printed)
  }

  /// Each fixture loads (none needs undersized untypeds grown), with every non-untyped object
  /// placed, and the CNodes and TCBs no cap names are exactly those expected.
  static let unnamedContainers = [
    "arm-untyped-tree": ["cells[3]"], "camkes-echo": [], "mcs-server": [], "x86-io": ["apic", "msi"],
  ]

  @Test(arguments: Fixtures.capDLStems)
  func loadsIntoPlan(_ stem: String) throws {
    let model = try FixtureSystems.model(stem)
    let result = try loadSystemPlan(from: model)
    #expect(try systemPlan(from: model) == result.plan)
    #expect(LoadedPlanFacts.problems(model, result) == [])
    let names = Dictionary(uniqueKeysWithValues: result.plan.objects.map { ($0.address, $0.name) })
    #expect(result.unnamedContainers.compactMap { names[$0] } == Self.unnamedContainers[stem])
  }

  @Test func fixturesUseEverythingTheCorpusUses() throws {
    let usage = Usage(try Fixtures.capDLStems.map(FixtureSystems.model))
    #expect(
      usage.types.isSuperset(of: FixtureSystems.corpusObjectTypes),
      "\(FixtureSystems.corpusObjectTypes.subtracting(usage.types))")
    // And what the corpus lacks but the kernel models: MCS objects and the other reserved targets.
    #expect(usage.types.isSuperset(of: [.sc, .rtreply, .pud, .ioapicIRQ, .msiIRQ, .armIRQ]))
    #expect(usage.targets == ["irq_control", "asid_control", "io_space_master", "domain", "sched_control"])
    #expect(
      usage.features.isSuperset(of: [
        "irq maps", "cdt", "domains", "nested untypeds", "object arrays", "guarded cnode cap", "badge", "guard",
        "asid", "reply", "master_reply", "uncached",
      ]), "\(usage.features)")
  }

  @Test(Corpus.enabled) func fixturesCoverWhatTheCorpusUses() throws {
    let corpus = Usage(try Corpus.stems.map { try CapDLModel.parse(try Corpus.text("\($0).cdl"), file: $0) })
    let fixtures = Usage(try Fixtures.capDLStems.map(FixtureSystems.model))
    #expect(corpus.types == FixtureSystems.corpusObjectTypes)
    #expect(fixtures.types.isSuperset(of: corpus.types), "\(corpus.types.subtracting(fixtures.types))")
    #expect(fixtures.targets.isSuperset(of: corpus.targets), "\(corpus.targets.subtracting(fixtures.targets))")
    #expect(fixtures.features.isSuperset(of: corpus.features), "\(corpus.features.subtracting(fixtures.features))")
  }

  // MARK: What each system says

  @Test func mcsServer() throws {
    let m = try FixtureSystems.model("mcs-server")
    #expect(m.arch == .aarch64)
    #expect(
      m.untypedCovers[CapDLObjectID("pool")]?.map(\.description) == [
        "server", "client", "inner", "call_ep", "irq_ntfn",
      ])
    #expect(
      m.untypedCovers[CapDLObjectID("inner")]?.map(\.description) == ["server_cnode", "client_cnode", "leaf_cnode"])
    #expect(
      m.objects[CapDLObjectID("client_sc")]?.params == [
        "period": .number(10000), "budget": .number(2500), "bits": .number(9),
      ])
    #expect(m.objects[CapDLObjectID("server_reply")]?.type == .rtreply)
    #expect(m.objects[CapDLObjectID("server")]?.params["init"] == .list([7, 9]))
    #expect(m.objects[CapDLObjectID("server")]?.number("dom") == 1)
    let server = CapDLObjectID("server_cnode")
    let leaf = CapDLObjectID("leaf_cnode")
    let leafCap = try #require(m.caps[server]?[3])
    #expect(leafCap.object == leaf && leafCap.guardValue == 5 && leafCap.guardSize == 3)
    #expect(m.caps[server]?[10]?.target == .schedControl(core: 0))
    #expect(m.caps[server]?[9]?.target == .irqControl && m.caps[server]?[11]?.target == .domain)
    let badged = try #require(m.caps[leaf]?[0])
    #expect(badged.badge == 0x51 && badged.rights == [.read])
    #expect(m.caps[CapDLObjectID("server")]?[8]?.object == CapDLObjectID("irq_ntfn"))  // bound_notification
    #expect(m.caps[CapDLObjectID("client")]?[5]?.badge == 0xfa)  // fault_ep_slot
    #expect(m.caps[CapDLObjectID("table")]?[0x11]?.cached == false)
    // `- child_of` and the cdt section give the same kind of link.
    #expect(m.cdt[CapDLSlotRef(leaf, 0)] == CapDLSlotRef(server, 4))
    #expect(m.cdt[CapDLSlotRef(CapDLObjectID("client"), 5)] == CapDLSlotRef(server, 4))
    #expect(m.cdt[CapDLSlotRef(leaf, 1)] == CapDLSlotRef(server, 5))
    #expect(m.cdt.count == 5)
    #expect(
      m.irqs == [33: CapDLObjectID("uart_irq"), 40: CapDLObjectID("spare_irq", 0), 41: CapDLObjectID("spare_irq", 1)])
    #expect(m.domains?.schedule?.map(\.time) == [15, 25] && m.domains?.start == 1 && m.domains?.indexShift == 2)
  }

  @Test func mcsServerLoads() throws {
    let r = try loadSystemPlan(from: try FixtureSystems.model("mcs-server"))
    func at(_ n: String, _ i: UInt64? = nil) throws -> ObjectRef { try #require(r.addresses[CapDLObjectID(n, i)]) }
    let server = try at("server_cnode")
    let leaf = try at("leaf_cnode")
    let ep = try at("call_ep")
    #expect(r.plan.caps[SlotRef(server, 3)] == .cnode(leaf, radix: 2, guardSize: 3, guard: 5))
    #expect(r.plan.caps[SlotRef(leaf, 0)] == .endpoint(ep, badge: 0x51, rights: [.read]))
    #expect(r.plan.caps[SlotRef(server, 6)] == .reply(try at("server_reply"), canGrant: true))
    #expect(r.plan.caps[SlotRef(server, 7)] == .schedContext(try at("server_sc"), sizeBits: 8))
    #expect(r.plan.caps[SlotRef(server, 8)] == .irqHandler(irq: 33))
    #expect(r.plan.caps[SlotRef(leaf, 2)] == .irqHandler(irq: 40))
    #expect(r.plan.caps[SlotRef(server, 10)] == .schedControl(core: 0))
    #expect(r.plan.cdtParent[SlotRef(leaf, 0)] == SlotRef(server, 4))
    // Minted from an unbadged cap with a badge of its own: revocable (original), as seL4 makes it.
    #expect(r.plan.originals.contains(SlotRef(server, 4)) && r.plan.originals.contains(SlotRef(leaf, 0)))
    // An IRQ handler cap is a child of the IRQ control cap that issued it.
    #expect(r.plan.cdtParent[SlotRef(server, 8)] == SlotRef(server, 9))
    #expect(r.plan.cdtParent[SlotRef(leaf, 2)] == SlotRef(server, 9))
    #expect(r.opaqueCaps[SlotRef(server, 0x3f)] == "large (RW)")
    #expect(r.capsInOpaqueObjects.count == 5)
    // The bound notification is bound (BindNotification), not kept as a cap.
    #expect(r.tcbSideCaps[SlotRef(try at("server"), 8)] == nil)
    let serverTCB = try at("server")
    #expect(r.plan.threads.first { $0.tcb == serverTCB }?.boundNotification == (try at("irq_ntfn")))
    let pool = try #require(r.untypeds[CapDLObjectID("pool")])
    let inner = try #require(r.untypeds[CapDLObjectID("inner")])
    #expect(pool.sizeBits == 17 && inner.sizeBits == 14)
    #expect(inner.base >= pool.base && inner.base + (1 << 14) <= pool.base + (1 << 17))
    #expect(server >= inner.base && server < inner.base + inner.watermark)
    #expect(r.plan.threads.map(\.priority) == [120, 100])
  }

  @Test func armUntypedTree() throws {
    let m = try FixtureSystems.model("arm-untyped-tree")
    func id(_ s: String, _ i: UInt64? = nil) -> CapDLObjectID { CapDLObjectID(s, i) }
    // Qualified names make the untypeds along the path; a later declaration adds a size.
    #expect(m.untypedCovers[id("parts")] == [id("sub"), id("sibling")])
    #expect(m.untypedCovers[id("sub")] == [id("inner")])
    #expect(m.objects[id("parts")]?.number("bits") == 13 && m.objects[id("sub")]?.params["bits"] == nil)
    #expect(m.untypedCovers[id("mid")] == [id("deep"), id("worker", 0), id("worker", 1)])
    #expect(m.untypedCovers[id("deep")] == [id("spool")])
    #expect(m.untypedCovers[id("loose")] == [id("slabs", 1), id("slabs", 2), id("tail")])
    #expect(m.objects[id("heap")]?.number("paddr") == 0x4000_0000)
    #expect(m.objects[id("boss")]?.params["resume"] == .flag(false))
    let top = try #require(m.caps[id("top_cn")])
    #expect((3...5).map { top[$0]?.object } == [id("cells", 0), id("cells", 1), id("cells", 2)])
    #expect((6...8).map { top[$0]?.object } == [id("slabs", 0), id("slabs", 1), id("slabs", 2)])
    #expect(top[20]?.rights == [.read] && top[21] == top[20])  // `020` is decimal; a copy of a named cap
    #expect(top[22]?.object == id("page", 0) && top[22]?.rights == [.read])  // masked RWX
    #expect(
      top[23]?.object == id("page", 2) && top[24]?.object == id("page", 3)
        && top[24]?.rights == [.read, .write, .grant])
    #expect(top[25]?.object == id("tail") && top[25]?.rights == [])  // W masked by R
    #expect(top[11]?.asid == [2, 5])
    #expect(m.caps[id("cells", 0)]?[0]?.replyKind == .reply && m.caps[id("cells", 0)]?[1]?.replyKind == .masterReply)
    #expect((1...3).map { m.caps[id("cells", $0)]?[5]?.rights } == Array(repeating: [.grant, .grantReply], count: 3))
    #expect((1...3).allSatisfy { m.caps[id("cells", $0)]?[5]?.badge == 100 })  // minted from (top_cn, 9), then copied
    #expect(m.caps[id("cells", 0)]?[6]?.object == id("inner") && m.caps[id("cells", 1)]?[6] == nil)
    // cdt: a cap name as parent, nested subtrees, and `- child_of` by name and by slot.
    let slot = { (o: String, i: UInt64?, s: UInt64) in CapDLSlotRef(id(o, i), s) }
    #expect(m.cdt[slot("top_cn", nil, 25)] == slot("top_cn", nil, 10))
    #expect(m.cdt[slot("top_cn", nil, 26)] == slot("top_cn", nil, 10))
    #expect(m.cdt[slot("top_cn", nil, 27)] == slot("top_cn", nil, 9))
    #expect(m.cdt[slot("cells", 2, 5)] == slot("cells", 1, 5))
    #expect(m.cdt[slot("cells", 3, 5)] == slot("top_cn", nil, 9))
    #expect(m.irqs == [0: id("lines", 0), 1: id("lines", 1), 17: id("tick")])
    #expect(m.domains?.start == nil && m.domains?.schedule?.count == 3)
    #expect(m.objects[id("ping")]?.params == ["irq": .number(3), "target": .number(1)])
    #expect(m.objects[id("tick")]?.params["trigger"] == .word("edge"))
    #expect(m.objects[id("huge")]?.number("size") == 1 << 20)
  }

  @Test func x86IO() throws {
    let m = try FixtureSystems.model("x86-io")
    func id(_ s: String, _ i: UInt64? = nil) -> CapDLObjectID { CapDLObjectID(s, i) }
    #expect(m.arch == .ia32)
    #expect(m.objects[id("dma_dev")]?.params == ["domainID": .number(3), "pci": .pci(bus: 0, device: 2, function: 1)])
    #expect(m.objects[id("nic")]?.params["pci"] == .pci(bus: 0x1f, device: 0, function: 7))
    #expect(m.objects[id("ports")]?.params["ports"] == .range(0x3f8, 0x3ff))
    #expect(m.objects[id("dma_leaf")]?.number("level") == 2)
    #expect(m.objects[id("driver")]?.params["fpu_disabled"] == .flag(false))
    let cn = try #require(m.caps[id("dev_cn")])
    #expect(cn[5]?.target == .ioSpaceMaster && cn[6]?.target == .asidControl)
    #expect(m.caps[id("ptab")]?.keys.sorted() == [0x20, 0x21, 0x22])
    #expect(m.caps[id("apic")]?[0]?.badge == 1 && m.caps[id("msi")]?[0]?.badge == 2)
    #expect(m.irqs == [10: id("apic"), 11: id("msi")])
    #expect(m.cdt.isEmpty && m.domains == nil)
  }
}

/// Facts about a loaded plan that `loadSystemPlan` does not itself check with `validate()`: every
/// non-untyped object is placed once, at the address the side table gives, inside the untyped
/// that covers it and below its watermark.
enum LoadedPlanFacts {
  static func problems(_ model: CapDLModel, _ result: CapDLLoadResult) -> [String] {
    var out: [String] = []
    let placed = model.objects.filter { $0.value.type != .ut }
    // The initialiser's CSpace, when the loader adds one, is the one plan object of no capDL object.
    let added = result.initialiserCSpace == nil ? 0 : 1
    if result.plan.objects.count != placed.count + added {
      out.append("\(result.plan.objects.count) plan objects for \(placed.count)")
    }
    let byName = Dictionary(result.plan.objects.map { ($0.name, $0.address) }, uniquingKeysWith: { a, _ in a })
    for id in placed.keys {
      guard let address = result.addresses[id] else {
        out.append("\(id) has no address")
        continue
      }
      if byName[id.description] != address { out.append("\(id) is placed at another address in the plan") }
    }
    for (u, covers) in model.untypedCovers {
      guard let region = result.untypeds[u] else { continue }
      for id in covers {
        guard let address = result.addresses[id] ?? result.untypeds[id]?.base else { continue }
        if address < region.base || address >= region.base &+ region.watermark {
          out.append("\(id) lies outside the used part of untyped \(u)")
        }
      }
    }
    out += result.plan.validate()
    return out
  }
}
