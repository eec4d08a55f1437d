// The sample system with a CAmkES-style client/server pair beside its threads: the system of the
// default run (its capDL twin is `Systems/sample.cdl`), so that the default campaign makes Calls
// that meet a waiting server, donates scheduling contexts, replies with them and takes the
// Kernel's fastpath.
//
// The server is passive: a TCB with no scheduling context of its own, blocked at step 0 in Recv on
// its endpoint with its reply object (`SystemPlan.Thread.receive`), as a CAmkES passive component
// is after its start-up (it runs its initialisation on a scheduling context, waits, and the
// scheduling context is taken back). Each holds only the caps its role needs, in a CNode of its own
// (radix 4 behind a 60-bit guard of 0, so slot i is cptr i): the client an endpoint cap with Write
// and GrantReply (a Call's reply cap, as CAmkES gives an RPC client), minted with badge 1; the
// server an endpoint cap with Read and its reply cap. The main thread holds caps to both threads
// and the client's scheduling context, as it does to `second` and `low`. Both run at the main thread's priority, so
// that the fastpath's priority checks hold.

extension SystemPlan {
  /// Addresses and slots of the client/server pair, by name (free space of the sample below its
  /// untyped regions).
  public enum SampleServer {
    public static let clientTCB: ObjectRef = 0x10_6000
    public static let serverTCB: ObjectRef = 0x10_6800
    public static let clientCNode: ObjectRef = 0x10_7000  // radix 4: 16 slots, 512 B
    public static let serverCNode: ObjectRef = 0x10_7200  // radix 4
    public static let clientSC: ObjectRef = 0x10_7400  // 2^8 bytes
    public static let endpoint: ObjectRef = 0x10_7500
    public static let reply: ObjectRef = 0x10_7540
    /// The badge of the client's endpoint cap.
    public static let badge: UInt64 = 1
    /// The endpoint cap's slot (and cptr) in either CNode, and the server's reply cap's.
    public static let endpointSlot: UInt64 = 1
    public static let replySlot: UInt64 = 2
    /// Root slots of the main thread's caps to the client, the server and the client's scheduling
    /// context (as it holds caps to `second` and `low`: the control thread's authority, which also
    /// keeps the live objects named, `if_live_then_nonz_cap`).
    public static let clientSlot: UInt64 = 244
    public static let serverSlot: UInt64 = 245
    public static let clientSCSlot: UInt64 = 246

    /// A CNode cap of radix 4 behind a 60-bit guard of 0: cptr i names slot i.
    public static func cnodeCap(_ cnode: ObjectRef) -> Capability {
      .cnode(cnode, radix: 4, guardSize: 60, guard: 0)
    }
  }

  /// The sample with a client and a passive server on an endpoint of their own.
  public static var sampleWithServer: SystemPlan {
    typealias P = SampleServer
    var plan = SystemPlan.sample
    plan.objects += [
      Object(name: "client", address: P.clientTCB, kind: .tcb),
      Object(name: "client_cnode", address: P.clientCNode, kind: .cnode(radix: 4)),
      Object(name: "client_sc", address: P.clientSC, kind: .schedContext(sizeBits: 8)),
      Object(name: "server", address: P.serverTCB, kind: .tcb),
      Object(name: "server_cnode", address: P.serverCNode, kind: .cnode(radix: 4)),
      Object(name: "rpc_ep", address: P.endpoint, kind: .endpoint),
      Object(name: "rpc_reply", address: P.reply, kind: .reply),
    ]
    let added: [SlotRef: Capability] = [
      SlotRef(P.clientCNode, P.endpointSlot): .endpoint(P.endpoint, badge: P.badge, rights: [.write, .grantReply]),
      SlotRef(P.serverCNode, P.endpointSlot): .endpoint(P.endpoint, badge: 0, rights: [.read]),
      SlotRef(P.serverCNode, P.replySlot): .reply(P.reply, canGrant: true),
      SlotRef(P.clientTCB, TCBSlot.cspace.rawValue): P.cnodeCap(P.clientCNode),
      SlotRef(P.serverTCB, TCBSlot.cspace.rawValue): P.cnodeCap(P.serverCNode),
      Sample.root(P.clientSlot): .thread(P.clientTCB),
      Sample.root(P.serverSlot): .thread(P.serverTCB),
      Sample.root(P.clientSCSlot): .schedContext(P.clientSC, sizeBits: 8),
    ]
    for (slot, cap) in added {
      plan.caps[slot] = cap
      plan.originals.insert(slot)
    }
    // The client's badged cap is minted from the server's: an original, child of the unbadged
    // cap (as the sample's aux slot 0 is of root slot 3).
    plan.cdtParent[SlotRef(P.clientCNode, P.endpointSlot)] = SlotRef(P.serverCNode, P.endpointSlot)
    plan.threads += [
      Thread(tcb: P.clientTCB, priority: 100, maxControlledPriority: 100, schedContext: P.clientSC),
      Thread(
        tcb: P.serverTCB, priority: 100, maxControlledPriority: 100,
        receive: Thread.Receive(endpoint: P.endpoint, reply: P.reply)),
    ]
    plan.schedContexts[P.clientSC] = SchedContextConfiguration(budget: 1_000, period: 1_000)
    return plan
  }
}
