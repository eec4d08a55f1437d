// A small built-in system: a root thread with a two-level CSpace, two more threads sharing it (one
// at the root thread's priority, one below), one object of every modelled kind, and three untyped
// regions (one of them device memory). Tests start here; the default campaign starts from it with a
// client/server pair added (`SystemPlan.sampleWithServer`, whose capDL twin is `Systems/sample.cdl`).

extension SystemPlan {
  /// Addresses and slots of the sample system, by name.
  public enum Sample {
    public static let rootCNode: ObjectRef = 0x10_0000  // radix 8: 256 slots, 8 KiB
    public static let auxCNode: ObjectRef = 0x10_2000  // radix 4: 16 slots, 512 B
    public static let mainTCB: ObjectRef = 0x10_2800
    public static let endpoint: ObjectRef = 0x10_3000
    public static let notification: ObjectRef = 0x10_3040
    public static let reply: ObjectRef = 0x10_3080
    public static let schedContext: ObjectRef = 0x10_3100  // 2^8 bytes
    public static let deviceUntyped: UInt64 = 0x11_0000  // 2^16, device memory
    public static let smallUntyped: UInt64 = 0x18_0000  // 2^19
    public static let bigUntyped: UInt64 = 0x20_0000  // 2^20
    /// A second thread at the main thread's priority (100), ready at step 0.
    public static let secondTCB: ObjectRef = 0x10_4000
    /// A thread at priority 50, ready at step 0.
    public static let lowTCB: ObjectRef = 0x10_4800
    public static let secondSC: ObjectRef = 0x10_5000  // 2^8 bytes
    public static let lowSC: ObjectRef = 0x10_5100  // 2^8 bytes
    /// Root slots of the caps to the other threads (240, 241) and their SCs (242, 243): far
    /// above the slots scripts and tests use as scratch.
    public static let secondSlot: UInt64 = 240
    public static let lowSlot: UInt64 = 241
    public static let secondSCSlot: UInt64 = 242
    public static let lowSCSlot: UInt64 = 243

    /// The root CNode cap: guard 48 bits of 0, radix 8, so a cptr names root slot i as `i << 8`,
    /// and the low 8 bits address a second level when slot i holds a CNode cap.
    public static let rootCap = Capability.cnode(rootCNode, radix: 8, guardSize: 48, guard: 0)
    /// The aux CNode cap in root slot 13: 4 guard bits of 0 then 4 index bits.
    public static let auxCap = Capability.cnode(auxCNode, radix: 4, guardSize: 4, guard: 0)

    /// The cptr (for a full 64-bit lookup from the root) of root slot `i`.
    public static func cptr(root i: UInt64) -> UInt64 { i << 8 }
    /// The cptr of aux slot `j` (through root slot 13).
    public static func cptr(aux j: UInt64) -> UInt64 { 13 << 8 | j }
    /// The cptr that invokes the root CNode (aux slot 2 holds a copy of the root cap). With it,
    /// CNode operations address root slot i as (index i, depth 56) and aux slot j as
    /// (index `cptr(aux: j)`, depth 64).
    public static let rootCNodeCptr: UInt64 = 0xD02
    /// The cptr that invokes the aux CNode (aux slot 3); aux slot j is (index j, depth 8).
    public static let auxCNodeCptr: UInt64 = 0xD03

    public static func root(_ i: UInt64) -> SlotRef { SlotRef(rootCNode, i) }
    public static func aux(_ j: UInt64) -> SlotRef { SlotRef(auxCNode, j) }
  }

  /// The sample system.
  public static var sample: SystemPlan {
    typealias S = Sample
    let objects: [Object] = [
      Object(name: "root_cnode", address: S.rootCNode, kind: .cnode(radix: 8)),
      Object(name: "aux_cnode", address: S.auxCNode, kind: .cnode(radix: 4)),
      Object(name: "main", address: S.mainTCB, kind: .tcb),
      Object(name: "ep", address: S.endpoint, kind: .endpoint),
      Object(name: "ntfn", address: S.notification, kind: .notification),
      Object(name: "reply", address: S.reply, kind: .reply),
      Object(name: "sc", address: S.schedContext, kind: .schedContext(sizeBits: 8)),
      Object(name: "second", address: S.secondTCB, kind: .tcb),
      Object(name: "low", address: S.lowTCB, kind: .tcb),
      Object(name: "second_sc", address: S.secondSC, kind: .schedContext(sizeBits: 8)),
      Object(name: "low_sc", address: S.lowSC, kind: .schedContext(sizeBits: 8)),
    ]
    var caps: [SlotRef: Capability] = [
      S.root(1): .thread(S.mainTCB),
      S.root(2): S.rootCap,
      S.root(3): .endpoint(S.endpoint, badge: 0, rights: .all),
      S.root(4): .notification(S.notification, badge: 0, rights: [.read, .write]),
      S.root(5): .reply(S.reply, canGrant: true),
      S.root(6): .schedContext(S.schedContext, sizeBits: 8),
      S.root(7): .schedControl(core: 0),
      S.root(8): .irqControl,
      S.root(9): .domain,
      S.root(10): .untyped(base: S.smallUntyped, sizeBits: 19, isDevice: false, freeIndex: 0),
      S.root(11): .untyped(base: S.bigUntyped, sizeBits: 20, isDevice: false, freeIndex: 0),
      S.root(12): .untyped(base: S.deviceUntyped, sizeBits: 16, isDevice: true, freeIndex: 0),
      S.root(13): S.auxCap,
      S.aux(0): .endpoint(S.endpoint, badge: 5, rights: [.read, .write, .grant]),
      S.aux(1): .notification(S.notification, badge: 0, rights: [.write]),
      // CNode caps at the full 64-bit depth, so that the thread can invoke its CNodes:
      // cptr 0xD02 names the root CNode, 0xD03 the aux CNode.
      S.aux(2): S.rootCap,
      S.aux(3): S.auxCap,
      SlotRef(S.mainTCB, TCBSlot.cspace.rawValue): S.rootCap,
      S.root(S.secondSlot): .thread(S.secondTCB),
      S.root(S.lowSlot): .thread(S.lowTCB),
      S.root(S.secondSCSlot): .schedContext(S.secondSC, sizeBits: 8),
      S.root(S.lowSCSlot): .schedContext(S.lowSC, sizeBits: 8),
      SlotRef(S.secondTCB, TCBSlot.cspace.rawValue): S.rootCap,
      SlotRef(S.lowTCB, TCBSlot.cspace.rawValue): S.rootCap,
    ]
    caps[S.root(14)] = .endpoint(S.endpoint, badge: 5, rights: [.write])
    caps[S.root(15)] = .notification(S.notification, badge: 6, rights: [.read, .write])
    let cdt: [SlotRef: SlotRef] = [
      SlotRef(S.mainTCB, TCBSlot.cspace.rawValue): S.root(2),
      SlotRef(S.secondTCB, TCBSlot.cspace.rawValue): S.root(2),
      SlotRef(S.lowTCB, TCBSlot.cspace.rawValue): S.root(2),
      S.aux(0): S.root(3),  // minted with badge 5: original, child of the unbadged cap
      S.aux(1): S.root(4),  // a copy with fewer rights
      S.root(14): S.aux(0),  // a copy of the badged cap
      S.root(15): S.root(4),  // minted with badge 6: original, child of the unbadged cap
      S.aux(2): S.root(2),
      S.aux(3): S.root(13),
    ]
    var originals = Set(caps.keys)
    // Every cap with a parent is a copy, except the badged mints in aux slot 0 and root slot 15.
    originals.subtract(cdt.keys.filter { $0 != S.aux(0) && $0 != S.root(15) })
    let configured = SchedContextConfiguration(budget: 1_000, period: 1_000)
    return SystemPlan(
      memoryBase: 0x10_0000, memorySizeBits: 21, objects: objects, caps: caps, cdtParent: cdt,
      originals: originals,
      threads: [
        Thread(tcb: S.mainTCB, schedContext: S.schedContext),
        Thread(tcb: S.secondTCB, priority: 100, schedContext: S.secondSC),
        Thread(tcb: S.lowTCB, priority: 50, schedContext: S.lowSC),
      ], currentThread: S.mainTCB,
      schedContexts: [S.schedContext: configured, S.secondSC: configured, S.lowSC: configured])
  }
}
