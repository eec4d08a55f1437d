// The small system exhaustive exploration starts from by default: two threads at one priority
// sharing a single-level CSpace of sixteen slots (eight of them full), one endpoint, one
// notification, each thread's scheduling context and a 4 KiB untyped region. Every live object
// has a cap (`if_live_then_nonz_cap`): a thread bound to a scheduling context makes both live, so
// the CSpace holds a cap to each scheduling context, as capDL's loader (and seL4's boot) would
// leave one. Small enough
// that every event sequence of depth 2 is explored in seconds, rich enough that every modelled
// operation and each planted bug is reachable within two events (a thread suspended then resumed;
// a thread that yields to the other; Signal then Wait).

public import KernelABI

extension SystemPlan {
  /// Addresses and slots of the small system.
  public enum Small {
    public static let cnode: ObjectRef = 0x1_0400  // radix 4: 16 slots, 512 B
    public static let endpoint: ObjectRef = 0x1_0100
    /// A notification (2^6 bytes); slot 5 holds a badged cap to it with Read and Write.
    public static let notification: ObjectRef = 0x1_0140
    /// The thread's scheduling context (2^7 bytes); slot 7 holds a cap to it.
    public static let schedContext: ObjectRef = 0x1_0180
    /// The other thread's scheduling context (2^7 bytes); slot 8 holds a cap to it.
    public static let otherSC: ObjectRef = 0x1_0200
    public static let mainTCB: ObjectRef = 0x1_0800  // 2 KiB
    public static let untyped: UInt64 = 0x1_1000  // 2^12
    /// A second thread at the main thread's priority, ready at step 0.
    public static let otherTCB: ObjectRef = 0x1_2000  // 2 KiB
    /// The CSpace root: 60 guard bits of 0 and radix 4, so cptr i names slot i at depth 64.
    public static let rootCap = Capability.cnode(cnode, radix: 4, guardSize: 60, guard: 0)
    public static func slot(_ i: UInt64) -> SlotRef { SlotRef(cnode, i) }
  }

  /// The small system: slot 1 the CNode itself (so the threads can invoke it as cptr 1), slot 2
  /// the main thread, slot 3 the endpoint, slot 4 the untyped, slot 5 a notification (badge 3, Read
  /// and Write: Signal then Wait takes the badge within two events), slot 6 the other thread, slots
  /// 7 and 8 the threads' scheduling contexts; slots 0 and 9 to 15 empty.
  public static var small: SystemPlan {
    typealias S = Small
    let objects: [Object] = [
      Object(name: "cnode", address: S.cnode, kind: .cnode(radix: 4)),
      Object(name: "ep", address: S.endpoint, kind: .endpoint),
      Object(name: "ntfn", address: S.notification, kind: .notification),
      Object(name: "main", address: S.mainTCB, kind: .tcb),
      Object(name: "main_sc", address: S.schedContext, kind: .schedContext(sizeBits: 7)),
      Object(name: "other", address: S.otherTCB, kind: .tcb),
      Object(name: "other_sc", address: S.otherSC, kind: .schedContext(sizeBits: 7)),
    ]
    let cspace = SlotRef(S.mainTCB, TCBSlot.cspace.rawValue)
    let otherCSpace = SlotRef(S.otherTCB, TCBSlot.cspace.rawValue)
    let caps: [SlotRef: Capability] = [
      S.slot(1): S.rootCap,
      S.slot(2): .thread(S.mainTCB),
      S.slot(3): .endpoint(S.endpoint, badge: 0, rights: .all),
      S.slot(4): .untyped(base: S.untyped, sizeBits: 12, isDevice: false, freeIndex: 0),
      S.slot(5): .notification(S.notification, badge: 3, rights: [.read, .write]),
      S.slot(6): .thread(S.otherTCB),
      S.slot(7): .schedContext(S.schedContext, sizeBits: 7),
      S.slot(8): .schedContext(S.otherSC, sizeBits: 7),
      cspace: S.rootCap,
      otherCSpace: S.rootCap,
    ]
    let configured = SchedContextConfiguration(budget: 1_000, period: 1_000)
    return SystemPlan(
      memoryBase: 0x1_0000, memorySizeBits: 16, objects: objects, caps: caps,
      cdtParent: [cspace: S.slot(1), otherCSpace: S.slot(1)],
      originals: [S.slot(1), S.slot(2), S.slot(3), S.slot(4), S.slot(5), S.slot(6), S.slot(7), S.slot(8)],
      threads: [
        Thread(tcb: S.mainTCB, schedContext: S.schedContext), Thread(tcb: S.otherTCB, schedContext: S.otherSC),
      ], currentThread: S.mainTCB,
      schedContexts: [S.schedContext: configured, S.otherSC: configured])
  }

  /// Where the client/server system puts what `small` lacks: the server's reply object (2^5
  /// bytes), in the free space between the scheduling contexts and the CNode.
  public enum SmallIPC {
    public static let reply: ObjectRef = 0x1_0300
    /// The server: the thread running at step 0 (`Small.mainTCB`).
    public static let server: ObjectRef = Small.mainTCB
    /// The client: the thread ready at step 0 (`Small.otherTCB`).
    public static let client: ObjectRef = Small.otherTCB
  }

  /// The small system with a client and a server, the system exhaustive runs start from by
  /// default (`refine-check check --exhaustive`, the default run): `small` and, in slot 9, a cap
  /// (with Grant) to a reply object, the server's. The running thread (`main`) is the server and
  /// the ready one (`other`) the client; they share the CSpace, so either can take either part,
  /// and a Call rendezvous (the caller BlockedOnReply on the reply object, the receiver running)
  /// is two events away: a Recv on the endpoint with the reply cap, which blocks the server and
  /// lets the client run, then the client's Call (or a Call that queues the caller, then a Recv
  /// with the reply cap). The server is not passive: a plan cannot start a thread blocked in a
  /// Recv, and a thread without a scheduling context never runs to make one, so donation is not
  /// reached from here (the random campaign on `Systems/sample.cdl` exercises it). `small` itself
  /// stays as it was, for the tests whose hand counts rest on it.
  public static var smallIPC: SystemPlan {
    var plan = small
    plan.objects.append(Object(name: "server_reply", address: SmallIPC.reply, kind: .reply))
    plan.caps[Small.slot(9)] = .reply(SmallIPC.reply, canGrant: true)
    plan.originals.insert(Small.slot(9))
    return plan
  }
}
