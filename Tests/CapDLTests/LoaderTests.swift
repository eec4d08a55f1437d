// Loading models into system plans: placement, kinds, caps, TCB slots and side tables.

import CapDL
import KernelABI
import TestSupport
import Testing

@Suite struct LoaderTests {
  /// Files whose every construct a plan can express, and those it cannot (with the reason).
  /// `example-ia32` declares untypeds too small for their contents (the tool never checks), so
  /// it loads with `growUndersizedUntypeds`. `camkes-adder-arm` is laid out for 32-bit ARM object
  /// sizes (1 KiB TCBs, 16-byte CTEs) up to the byte before its `paddr:` placeholders: it loads
  /// because placement uses the description's architecture (`ArchSizes.swift`).
  static let loadable = ["cap-dist-elf-simpleserver": false, "example-ia32": true, "camkes-adder-arm": false]
  /// Without `ignoreLinksBetweenObjects`, the two examples are refused at their one link seL4
  /// cannot hold: `cap_test { (rm_cn, 0x12e) }` makes the endpoint cap `control (badge: 10)` a
  /// child of a CNode cap (the child cap's line). Their slot 512 of the 8-bit `test[1]` is no
  /// refusal: the cap goes where seL4 puts it (`wrappedSlots`).
  static let notLoadable = [
    "example-arm":
      "example-arm.cdl:84:1: the cdt makes (rm_cn, 302) a child of (test[1], 512): a cap derives only from a cap to the same object",
    "example-aarch64":
      "example-aarch64.cdl:86:1: the cdt makes (rm_cn, 302) a child of (test[1], 512): a cap derives only from a cap to the same object",
  ]

  @Test(Corpus.enabled, arguments: loadable.keys.sorted().flatMap { ["\($0).cdl", "\($0).right"] })
  func sharedFileLoadsIntoValidPlan(_ name: String) throws {
    let model = try SharedFiles.model(name)
    let grow = Self.loadable[String(name.prefix { $0 != "." })] ?? false
    let result = try loadSystemPlan(from: model, growUndersizedUntypeds: grow)
    #expect(LoadedPlanFacts.problems(model, result) == [])
    #expect(!result.plan.caps.isEmpty)
    if !grow { #expect(try systemPlan(from: model) == result.plan) }
  }

  @Test(Corpus.enabled, arguments: notLoadable.keys.sorted())
  func sharedFileThatAPlanCannotExpress(_ stem: String) throws {
    let model = try SharedFiles.model("\(stem).cdl")
    do {
      _ = try loadSystemPlan(from: model, growUndersizedUntypeds: true)
      Issue.record("\(stem) loaded")
    } catch {
      #expect(error.message.contains(Self.notLoadable[stem] ?? "?"), "\(error)")
    }
  }

  /// As the command line loads them, the two examples load: the caps beyond `test[1..4]`'s 8-bit
  /// radix are in slot 0 (512 mod 256), and the one link between caps to two objects is left out
  /// and listed.
  @Test(Corpus.enabled, arguments: notLoadable.keys.sorted())
  func sharedFileLoadsAsTheCommandLineLoadsIt(_ stem: String) throws {
    let model = try SharedFiles.model("\(stem).cdl")
    let result = try loadSystemPlan(from: model, growUndersizedUntypeds: true, ignoreLinksBetweenObjects: true)
    #expect(LoadedPlanFacts.problems(model, result) == [])
    let tests = (1...4).map { CapDLSlotRef(CapDLObjectID("test", UInt64($0)), 512) }
    #expect(result.wrappedSlots == Dictionary(uniqueKeysWithValues: tests.map { ($0, 0) }))
    #expect(
      result.ignoredCDT == [CapDLSlotRef(CapDLObjectID("rm_cn"), 302): CapDLSlotRef(CapDLObjectID("test", 1), 512)])
    let rmCN = try #require(result.addresses[CapDLObjectID("rm_cn")])
    for ref in tests {
      let container = try #require(result.addresses[ref.object])
      guard case .cnode(let target, _, _, _)? = result.plan.caps[SlotRef(container, 0)] else {
        Issue.record("\(ref): slot 0 holds \(String(describing: result.plan.caps[SlotRef(container, 0)]))")
        continue
      }
      #expect(target == rmCN)
    }
  }

  /// A cap beyond its CNode's radix goes where capdl-loader-app's mint (index the slot, depth the
  /// radix) puts it on seL4: the low radix bits. Two caps that land in one slot, and a cap in a
  /// slot other than 0 of an IRQ object, are refused with the cap's place.
  @Test func aSlotBeyondTheRadixIsWhereSeL4PutsIt() throws {
    let wrapped = try loadSystemPlan(
      from: try CapDLModel.parse(
        "arch aarch64 objects {\n  c = cnode (2 bits)\n  e = ep\n} caps { c { 1: c\n 6: e (R) } }"))
    let c = try #require(wrapped.addresses[CapDLObjectID("c")])
    let e = try #require(wrapped.addresses[CapDLObjectID("e")])
    #expect(wrapped.wrappedSlots == [CapDLSlotRef(CapDLObjectID("c"), 6): 2])
    #expect(wrapped.plan.caps[SlotRef(c, 2)] == .endpoint(e, badge: 0, rights: [.read]))
    #expect(wrapped.plan.caps[SlotRef(c, 6)] == nil)
    #expect(wrapped.capPositions[SlotRef(c, 2)]?.line == 5)

    let clash = try CapDLModel.parse(
      "arch aarch64 objects {\n  c = cnode (2 bits)\n  e = ep\n} caps { c { 1: c\n 5: e } }")
    #expect(
      throws: CapDLLoadError(
        "<input>:5:2: slot 5 of 'c' is beyond its 2-bit radix (4 slots): capdl-loader-app mints it with depth 2, "
          + "which seL4 resolves to slot 1, already holding the cap described in slot 1 (the mint would fail with "
          + "seL4_DeleteFirst)")
    ) {
      try loadSystemPlan(from: clash)
    }
  }

  /// A link between caps to two objects is refused by default, and left out and listed under
  /// `ignoreLinksBetweenObjects`; a link seL4 can hold is kept either way.
  @Test func aLinkBetweenCapsToTwoObjectsIsRefusedOrLeftOut() throws {
    let text = """
      arch aarch64
      objects { c = cnode (2 bits)  e = ep  n = notification }
      caps { c { 0: c  1: e  2: n - child_of (c, 1)  3: e (badge: 4) - child_of (c, 1) } }
      """
    let model = try CapDLModel.parse(text, file: "l.cdl")
    #expect(
      throws: CapDLLoadError(
        "l.cdl:3:24: the cdt makes (c, 2) a child of (c, 1): a cap derives only from a cap to the same object or "
          + "from an untyped whose region holds it (seL4's isMDBParentOf needs sameRegionAs, and capdl-loader-app "
          + "ignores the cdt, so neither the kernel nor the initialiser can make this link)")
    ) {
      try loadSystemPlan(from: model)
    }
    let loaded = try loadSystemPlan(from: model, ignoreLinksBetweenObjects: true)
    #expect(loaded.ignoredCDT == [CapDLSlotRef(CapDLObjectID("c"), 2): CapDLSlotRef(CapDLObjectID("c"), 1)])
    let c = try #require(loaded.addresses[CapDLObjectID("c")])
    #expect(loaded.plan.cdtParent[SlotRef(c, 3)] == SlotRef(c, 1))
    #expect(loaded.plan.cdtParent[SlotRef(c, 2)] != SlotRef(c, 1))
  }

  @Test func placementInsideUntypedsIsAlignedAndOrdered() throws {
    let model = try CapDLModel.parse(
      """
      arch aarch64
      objects {
        mem = ut (16 bits) { e = ep  t = tcb  n = notification  c = cnode (4 bits) }
        loose = ep
        big = frame (64k)
      }
      caps { c { 0: mem  1: e (RW, badge: 7)  2: c (guard: 1, guard_size: 3)  3: t } }
      """)
    let r = try loadSystemPlan(from: model)
    let base = try #require(r.untypeds[CapDLObjectID("mem")]).base
    #expect(base % (1 << 16) == 0)
    #expect(r.addresses[CapDLObjectID("e")] == base)
    #expect(r.addresses[CapDLObjectID("t")] == base + 2048)  // ep (16 bytes) then tcb aligned to 2^11
    #expect(r.addresses[CapDLObjectID("n")] == base + 4096)
    #expect(r.addresses[CapDLObjectID("c")] == base + 4096 + 512)  // ntfn 64 bytes, cnode 2^9 aligned
    #expect(r.untypeds[CapDLObjectID("mem")]?.watermark == 4096 + 1024)
    let c = try #require(r.addresses[CapDLObjectID("c")])
    #expect(r.plan.caps[SlotRef(c, 0)] == .untyped(base: base, sizeBits: 16, isDevice: false, freeIndex: 5120))
    #expect(
      r.plan.caps[SlotRef(c, 1)]
        == .endpoint(try #require(r.addresses[CapDLObjectID("e")]), badge: 7, rights: [.read, .write]))
    #expect(r.plan.caps[SlotRef(c, 2)] == .cnode(c, radix: 4, guardSize: 3, guard: 1))
    #expect(r.plan.caps[SlotRef(c, 3)] == .thread(try #require(r.addresses[CapDLObjectID("t")])))
    // Largest first in the boot region: the 64k untyped, then the 64k frame, then the endpoint.
    let big = try #require(r.addresses[CapDLObjectID("big")])
    #expect(big == base + (1 << 16))
    #expect(r.addresses[CapDLObjectID("loose")] == big + (1 << 16))
    // The badged endpoint cap is the object's only cap: the initialiser minted it from retype's
    // cap, which it keeps (original, in its own CSpace); the guarded CNode cap is retype's, moved.
    let kept = try #require(r.initialiserCSpace)
    let e = try #require(r.addresses[CapDLObjectID("e")])
    #expect(r.plan.caps[SlotRef(kept, 16)] == .endpoint(e, badge: 0, rights: .all))
    #expect(r.plan.cdtParent[SlotRef(c, 1)] == SlotRef(kept, 16))
    #expect(r.plan.originals == Set((0...3).map { SlotRef(c, $0) }).union([SlotRef(kept, 2), SlotRef(kept, 16)]))
    #expect(r.plan.validate() == [])
  }

  @Test func paddrIsRespected() throws {
    let model = try CapDLModel.parse(
      "arch arm11 objects { u = ut (12 bits, paddr: 0x20000000) { e = ep }  f = frame (4k, paddr: 0x30000000) }")
    let r = try loadSystemPlan(from: model)
    // A 32-bit description is placed at twice its addresses (`ArchSizes.swift`).
    #expect(r.untypeds[CapDLObjectID("u")]?.base == 0x4000_0000)
    #expect(r.untypeds[CapDLObjectID("u")]?.sizeBits == 13)
    #expect(r.addresses[CapDLObjectID("e")] == 0x4000_0000)
    #expect(r.addresses[CapDLObjectID("f")] == 0x6000_0000)
    #expect(r.plan.memoryBase <= 0x4000_0000)
    let same = try loadSystemPlan(
      from: try CapDLModel.parse(model.description.replacingOccurrences(of: "arm11", with: "aarch64")))
    #expect(same.addresses[CapDLObjectID("e")] == 0x2000_0000)
  }

  @Test func tcbSlotsMapOntoKernelSlots() throws {
    let model = try CapDLModel.parse(
      """
      arch aarch64
      objects { t = tcb  cn = cnode (2 bits)  f = ep  tf = ep  s = sc  n = notification  buf = frame (4k)  pg = pgd }
      caps { t { cspace: cn  vspace: pg  ipc_buffer_slot: buf (RW)  fault_ep_slot: f (WG)  temp_fault_ep_slot: tf (WP)
                 sc_slot: s  bound_notification: n } }
      """)
    let r = try loadSystemPlan(from: model)
    let t = try #require(r.addresses[CapDLObjectID("t")])
    #expect(
      r.plan.caps[SlotRef(t, TCBSlot.cspace.rawValue)]
        == .cnode(try #require(r.addresses[CapDLObjectID("cn")]), radix: 2, guardSize: 0, guard: 0))
    #expect(
      r.plan.caps[SlotRef(t, TCBSlot.faultHandler.rawValue)]
        == .endpoint(try #require(r.addresses[CapDLObjectID("f")]), badge: 0, rights: [.write, .grant]))
    #expect(
      r.plan.caps[SlotRef(t, TCBSlot.timeoutHandler.rawValue)]
        == .endpoint(try #require(r.addresses[CapDLObjectID("tf")]), badge: 0, rights: [.write, .grantReply]))
    #expect(r.opaqueCaps[SlotRef(t, TCBSlot.vspace.rawValue)] == "pg")
    #expect(r.opaqueCaps[SlotRef(t, TCBSlot.ipcBuffer.rawValue)] == "buf (RW)")
    // `sc_slot` binds the scheduling context; it is no cap of the plan.
    #expect(r.tcbSideCaps[SlotRef(t, 6)] == nil)
    #expect(r.plan.threads.first?.schedContext == r.addresses[CapDLObjectID("s")])
    // `bound_notification` binds the notification (BindNotification); it is no cap of the plan.
    #expect(r.tcbSideCaps[SlotRef(t, 8)] == nil)
    #expect(r.plan.threads.first?.boundNotification == r.addresses[CapDLObjectID("n")])
    #expect(r.plan.threads.map(\.tcb) == [t])
    // The SC has no budget (it was never configured), so the thread cannot run: none is current.
    #expect(r.plan.currentThread == nil)
    #expect(r.plan.validate() == [])
  }

  @Test func kindsAndSizes() throws {
    let model = try CapDLModel.parse(
      """
      arch arm11
      objects { s = sc  s9 = sc (9 bits)  r = rtreply  i = irq  p = pt  d = pd  a = asid_pool  f = frame (1M)
                t1 = tcb (addr: 0, affinity: 0, resume: False)  t2 = tcb (addr: 0, ip: 0, sp: 0, prio: 9, max_prio: 10, affinity: 0) }
      caps { i { 0: s } }
      """)
    let r = try loadSystemPlan(from: model)
    func kind(_ n: String) -> PlanObjectKind? { r.plan.objects.first { $0.name == n }?.kind }
    #expect(kind("s") == .schedContext(sizeBits: 8))
    #expect(kind("s9") == .schedContext(sizeBits: 9))
    #expect(kind("r") == .reply)
    #expect(kind("i") == .cnode(radix: 0))
    #expect(kind("p") == .opaque(kind: "pt", sizeBits: 10))
    #expect(kind("d") == .opaque(kind: "pd", sizeBits: 14))
    #expect(kind("a") == .opaque(kind: "asid_pool", sizeBits: 12))
    #expect(kind("f") == .opaque(kind: "frame", sizeBits: 20))
    let t2 = try #require(r.addresses[CapDLObjectID("t2")])
    #expect(r.plan.threads.first { $0.tcb == t2 }?.priority == 9)
    #expect(r.plan.threads.filter { $0.state == .inactive }.count == 1)
    // No thread has a scheduling context, so none can run (MCS): the idle thread is current.
    #expect(r.plan.currentThread == nil)
    #expect(
      r.plan.caps[SlotRef(try #require(r.addresses[CapDLObjectID("i")]), 0)]
        == .schedContext(try #require(r.addresses[CapDLObjectID("s")]), sizeBits: 8))
    #expect(r.plan.validate() == [])
  }

  @Test func irqHandlerAndControlCapsAndCDT() throws {
    let model = try CapDLModel.parse(
      """
      arch arm11
      objects { c = cnode (3 bits)  h[2] = irq  e = ep  pt1 = pt }
      caps { c { irq_control  h[]  sched_control (core: 1)  domain  e (RWGP)  e (R, badge: 3) - child_of (c, 5)  pt1 } }
      irq maps { 30: h[1] }
      """)
    let r = try loadSystemPlan(from: model)
    let c = try #require(r.addresses[CapDLObjectID("c")])
    #expect(r.plan.caps[SlotRef(c, 0)] == .irqControl)
    #expect(r.plan.caps[SlotRef(c, 1)] == nil)
    #expect(r.opaqueCaps[SlotRef(c, 1)] == "h[0]")
    #expect(r.plan.caps[SlotRef(c, 2)] == .irqHandler(irq: 30))
    #expect(r.plan.caps[SlotRef(c, 3)] == .schedControl(core: 1))
    #expect(r.plan.caps[SlotRef(c, 4)] == .domain)
    // The handler cap descends from IRQ control; the badged endpoint cap is minted from the
    // unbadged one, so it is revocable (original) though it has a parent.
    // The SchedControl and domain caps are copies of the root task's, which the initialiser keeps
    // (capdl-loader-app copies them: `init_cnode_slot`).
    let kept = try #require(r.initialiserCSpace)
    let control = try #require(r.plan.caps.first { $0.key.container == kept && $0.value == .schedControl(core: 1) })
    let domain = try #require(r.plan.caps.first { $0.key.container == kept && $0.value == .domain })
    #expect(
      r.plan.cdtParent == [
        SlotRef(c, 6): SlotRef(c, 5), SlotRef(c, 2): SlotRef(c, 0), SlotRef(c, 3): control.key,
        SlotRef(c, 4): domain.key,
      ])
    #expect(r.plan.originals.isSuperset(of: [control.key, domain.key]))
    #expect(!r.plan.originals.contains(SlotRef(c, 3)) && !r.plan.originals.contains(SlotRef(c, 4)))
    #expect(r.plan.originals.isSuperset(of: [SlotRef(c, 5), SlotRef(c, 6), SlotRef(c, 2)]))
    #expect(r.opaqueCaps[SlotRef(c, 7)] == "pt1")
  }

  /// `irq maps` with a notification cap in the IRQ object's slot 0: the line's notification is
  /// the cap capdl-loader-app's `init_irq` gives IRQHandler_SetNotification, a mint of the
  /// object's original with the described badge and all rights (Read and Write for a notification;
  /// the described rights are not read), which the initialiser keeps in its CSpace as a badged
  /// original under the unbadged one. Unbadged, it is the object's original itself.
  @Test func anIRQMapBindsTheNotificationInItsObjectsSlotZero() throws {
    let text = """
      arch aarch64
      objects { c = cnode (2 bits)  h = irq  g = irq  n = notification  m = notification }
      caps { c { 0: h  1: n (R)  2: g  3: m (RW) }  h { 0: n (W, badge: 7) }  g { 0: m } }
      irq maps { 5: h  9: g }
      """
    let r = try loadSystemPlan(from: CapDLModel.parse(text, file: "irq.cdl"))
    let n = try #require(r.addresses[CapDLObjectID("n")])
    let m = try #require(r.addresses[CapDLObjectID("m")])
    let c = try #require(r.addresses[CapDLObjectID("c")])
    let kept = try #require(r.initialiserCSpace)
    let mint = try #require(r.plan.irqNotifications[5])
    #expect(mint.container == kept)
    #expect(r.plan.caps[mint] == .notification(n, badge: 7, rights: [.read, .write]))
    #expect(r.plan.originals.contains(mint))
    let parent = try #require(r.plan.cdtParent[mint])
    #expect(r.plan.caps[parent] == .notification(n, badge: 0, rights: [.read, .write]))
    // Unbadged: the described original with Read and Write.
    #expect(r.plan.irqNotifications[9] == SlotRef(c, 3))
    #expect(r.plan.caps[SlotRef(c, 3)] == .notification(m, badge: 0, rights: [.read, .write]))
    #expect(r.plan.caps.values.contains(.irqHandler(irq: 5)) && r.plan.caps.values.contains(.irqHandler(irq: 9)))
    #expect(r.plan.validate() == [])
    // An IRQ object with no cap is mapped but bound to nothing.
    let unbound = try loadSystemPlan(
      from: CapDLModel.parse(
        "arch aarch64 objects { c = cnode (1 bits) h = irq } caps { c { 0: h } } irq maps { 5: h }"))
    #expect(unbound.plan.irqNotifications.isEmpty)
    #expect(unbound.plan.caps.values.contains(.irqHandler(irq: 5)))
  }

  /// A map the model's initialiser could not realise is refused at its `irq maps` line: a line
  /// past the model's 64, the kernel's timer line bound to a notification (IRQControl_Get refuses
  /// it), and an IRQ object holding anything but a notification cap (SetNotification refuses it).
  @Test func aBadIRQMapIsRefusedAtItsLine() throws {
    func refusal(_ maps: String, holds cap: String = "n") throws -> String {
      let text = """
        arch aarch64
        objects { c = cnode (2 bits)  h = irq  n = notification  e = ep }
        caps { c { 0: h  1: n (RW)  2: e (RW) }  h { 0: \(cap) } }
        irq maps { \(maps) }
        """
      let model = try CapDLModel.parse(text, file: "bad.cdl")
      do {
        _ = try loadSystemPlan(from: model)
        return "loaded"
      } catch {
        return error.message
      }
    }
    #expect(
      try refusal("64: h")
        == "bad.cdl:4:12: IRQ 64 ('h') is out of range: the model's interrupt controller has lines 0...63")
    #expect(
      try refusal("0: h")
        == "bad.cdl:4:12: IRQ 0 ('h') is the kernel's timer line (IRQTimer): IRQControl_Get refuses it (RevokeFirst), "
        + "so no notification can be bound to it")
    #expect(
      try refusal("5: h", holds: "e")
        == "bad.cdl:4:12: IRQ 5's object 'h' holds a cap to 'e' (ep) in slot 0: IRQHandler_SetNotification takes a "
        + "notification cap (seL4 refuses any other with InvalidCapability)")
    #expect(try refusal("5: h") == "loaded")
  }

  /// `domains`: a schedule the initialiser starts at entry 0 (no `index_shift`) is the plan's
  /// (durations in timer ticks), checked as seL4 would take it; one the plan cannot start as
  /// capdl-loader-app would is left out, saying why.
  @Test func aDomainScheduleBecomesThePlans() throws {
    func load(_ domains: String) throws -> CapDLLoadResult {
      try loadSystemPlan(
        from: CapDLModel.parse(
          "arch aarch64\nobjects { t = tcb (dom: 2) }\ndomains { \(domains) }", file: "dom.cdl"))
    }
    let r = try load("schedule: [(0, 100), (2, 50), (0, 0)]")
    #expect(
      r.plan.domainSchedule == [
        DomainScheduleEntry(domain: 0, duration: 100), DomainScheduleEntry(domain: 2, duration: 50), .endMarker,
      ])
    #expect(r.plan.threads.first?.domain == 2)
    #expect(r.domainScheduleNotRealised == nil)
    #expect(throws: CapDLLoadError("dom.cdl:3:11: domain schedule entry 1 is of domain 16 (the kernel has 16)")) {
      try load("schedule: [(0, 100), (16, 50)]")
    }
    #expect(
      throws: CapDLLoadError(
        "dom.cdl:3:11: the domain schedule starts with (domain 1, 5 ticks), not a positive time of domain 0")
    ) {
      try load("schedule: [(1, 5), (0, 7)]")
    }
    let shifted = try load("schedule: [(0, 15), (1, 25)] index_shift: 2")
    #expect(shifted.plan.domainSchedule == nil)
    #expect(
      shifted.domainScheduleNotRealised == "dom.cdl:3:11: index_shift 2: the plan's domain schedule starts at index 0")
    let unstarted = try load("schedule: [(0, 15)] domain_set_start: no_start")
    #expect(unstarted.plan.domainSchedule == nil)
    #expect(
      unstarted.domainScheduleNotRealised?.hasSuffix(
        "domain_set_start: no_start: the plan's domain schedule is started at entry 0") == true)
    #expect(try load("index_shift: 1").plan.domainSchedule == nil)
  }

  /// An IRQ object (a 0-radix CNode here) holds a cap in slot 0 only: the capDL tool's
  /// `validObjCap` refuses any other slot, and there are no low bits to put it in.
  @Test func aSlotBeyondAnIRQObjectIsAnError() throws {
    let model = try CapDLModel.parse("arch arm11 objects { i = irq n = notification } caps { i { 1: n } }")
    #expect(throws: CapDLLoadError.self) { try loadSystemPlan(from: model) }
    do {
      _ = try loadSystemPlan(from: model)
    } catch {
      #expect(error.message.hasSuffix("an IRQ object holds a cap in slot 0 only (the capDL tool's validObjCap)"))
    }
  }

  /// `recv_ep`/`recv_reply` (our extension) start a TCB blocked in Recv: they must name an
  /// endpoint and a reply object of the system, the reply only with the endpoint.
  @Test func aThreadStartedInRecvNamesAnEndpointAndAReplyObject() throws {
    func load(_ params: String) throws -> SystemPlan {
      let text =
        "arch aarch64 objects { t = tcb (\(params)) e = ep r = rtreply n = notification c = cnode (2 bits) }"
        + " caps { c { 0: t 1: e 2: r 3: n } }"
      return try loadSystemPlan(from: CapDLModel.parse(text)).plan
    }
    let plan = try load("recv_ep: e, recv_reply: r")
    let e = try #require(plan.objects.first { $0.name == "e" }?.address)
    let r = try #require(plan.objects.first { $0.name == "r" }?.address)
    #expect(plan.threads.first?.receive == SystemPlan.Thread.Receive(endpoint: e, reply: r))
    #expect(throws: CapDLLoadError("<input>:1:24: tcb 't': recv_ep 'n' is no 'ep' of the system")) {
      try load("recv_ep: n")
    }
    #expect(throws: CapDLLoadError("<input>:1:24: tcb 't' has recv_reply without recv_ep")) {
      try load("recv_reply: r")
    }
  }

  @Test func untypedTooSmallIsAnError() throws {
    let model = try CapDLModel.parse("arch arm11 objects { u = ut (5 bits) { t = tcb } }")
    #expect(
      throws: CapDLLoadError("<input>:1:22: the contents of untyped 'u' do not fit in its 2^5 bytes (full at 't')")
    ) {
      try loadSystemPlan(from: model)
    }
    #expect(try loadSystemPlan(from: model, growUndersizedUntypeds: true).untypeds[CapDLObjectID("u")]?.sizeBits == 11)
  }

  /// A load error about an element of an object array has a line (found by the long fuzz run:
  /// `cells[0]` was looked up as one name and the message had no line); a slot beyond the radix
  /// that lands on a filled slot names the cap's own place.
  @Test func loadErrorsAboutArrayElementsNameTheirLine() throws {
    let model = try CapDLModel.parse(
      "arch arm11 objects {\n  cells[2] = cnode (1 bits)\n  e = ep\n} caps { cells[0] { 0: e  2: e } }")
    #expect(
      throws: CapDLLoadError(
        "<input>:4:27: slot 2 of 'cells[0]' is beyond its 1-bit radix (2 slots): capdl-loader-app mints it with "
          + "depth 1, which seL4 resolves to slot 0, already holding the cap described in slot 0 (the mint would "
          + "fail with seL4_DeleteFirst)")
    ) {
      try loadSystemPlan(from: model)
    }
  }
}
