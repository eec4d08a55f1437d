// The kernel's state: simulated physical memory holding every object, plus the ghost facts the
// C kernel keeps implicitly (which addresses hold which objects, like l4v's heap type description
// or the keys of the Haskell model's `ksPSpace`). The kernel's globals (the current thread, ...)
// are words of memory too, in its globals frame (`Globals.swift`).
//
// Object layout in memory:
// - a CTE (capability table entry) is 4 words = 2^SlotBits bytes: cap word 0, cap word 1, MDB word 0
//   (`mdbPrev`, a CTE address), MDB word 1 (`mdbNext` address bits 47..2, `mdbRevocable` bit 1,
//   `mdbFirstBadged` bit 0); 0 is the null link;
// - a CNode of radix r is 2^r CTEs at its address;
// - a TCB (2^11 bytes) starts with its 5 CTEs (`TCBSlot` order), followed by one word each for the
//   thread state, the priority and the maximum controlled priority, the domain, the scheduling
//   context, the ready-queue links, the notification-queue links, the blocking object and the bound
//   notification, then its user context: the message-info register, the badge register, the
//   120 message registers, and the 31 AArch64 registers that are none of those (X6 up to
//   TPIDRRO_EL0; X0 is the badge register, X1 the message-info register, X2...X5 MR0...MR3, as on
//   seL4: `ObjectLayout.registerOffset`, `KernelABI/Register.swift`) (`UserContext`);
// - a notification (2^6 bytes) holds its queue's head and tail, its state, its badge word and its
//   bound thread (`ObjectLayout.ntfnQueueHead` ...);
// - endpoints, notifications, replies and scheduling contexts occupy their size, zeroed when made.

public import Bitwise
public import KernelABI

/// What kind of object lives at an address (the ghost heap type description).
public enum KernelObjectKind: Hashable, Sendable, CustomStringConvertible {
  case tcb
  case endpoint
  case notification
  /// A CNode of `2^radix` slots.
  case cnode(radix: UInt64)
  case schedContext(sizeBits: UInt64)
  case reply
  /// An object the kernel does not model: memory only.
  case opaque(kind: String, sizeBits: UInt64)

  /// log2 of the object's size in bytes.
  public var sizeBits: UInt64 {
    switch self {
    case .tcb: ObjectType.tcbBits
    case .endpoint: ObjectType.endpointBits
    case .notification: ObjectType.notificationBits
    case .cnode(let radix): radix &+ KernelConstants.slotBits
    case .schedContext(let sizeBits): sizeBits
    case .reply: ObjectType.replyBits
    case .opaque(_, let sizeBits): sizeBits
    }
  }

  /// How many CTEs the object holds: `2^radix` for a CNode (0 when that does not fit a word), the
  /// five of `TCBSlot` for a TCB, none for any other object.
  public var slotCount: UInt64 {
    switch self {
    case .cnode(let radix): radix < 64 ? 1 << radix : 0
    case .tcb: TCBSlot.count
    case .endpoint, .notification, .schedContext, .reply, .opaque: 0
    }
  }

  /// True iff the object holds CTEs (a CNode or a TCB), at its own address.
  public var hasCapSlots: Bool {
    switch self {
    case .cnode, .tcb: true
    case .endpoint, .notification, .schedContext, .reply, .opaque: false
    }
  }

  public var description: String {
    switch self {
    case .tcb: "tcb"
    case .endpoint: "endpoint"
    case .notification: "notification"
    case .cnode(let radix): "cnode(radix: \(radix))"
    case .schedContext(let sizeBits): "schedContext(sizeBits: \(sizeBits))"
    case .reply: "reply"
    case .opaque(let kind, let sizeBits): "\(kind)(sizeBits: \(sizeBits))"
    }
  }
}

/// A thread's run state as this slice models it (seL4 `ThreadState_*` numbering).
public enum KernelThreadState: UInt64, CaseIterable, Hashable, Sendable {
  case inactive = 0
  case running = 1
  case restart = 2
  /// Waiting in an endpoint's receive queue; the endpoint is the `tcbBlockingObject` word, the
  /// reply object it received with the `tcbBlockingReplyObject` word (0: none).
  case blockedOnReceive = 3
  /// Waiting in an endpoint's send queue; the endpoint is the `tcbBlockingObject` word, what it
  /// sends the `tcbBlockingIPC...` words.
  case blockedOnSend = 4
  /// A caller waiting for its reply; the reply object is the `tcbBlockingReplyObject` word.
  case blockedOnReply = 5
  /// Waiting in a notification's queue; the notification is the `tcbBlockingObject` word.
  case blockedOnNotification = 6
  /// The idle thread's state (`ThreadState_IdleThreadState`): only the idle thread is in it.
  case idleThreadState = 7
}

/// An endpoint's state (seL4 `EPState_*` numbering), the low bits of its second word.
public enum KernelEPState: UInt64, CaseIterable, Hashable, Sendable {
  case idle = 0
  case send = 1
  case recv = 2
}

/// A notification's state word (seL4 `NtfnState_*` numbering).
public enum KernelNtfnState: UInt64, CaseIterable, Hashable, Sendable {
  case idle = 0
  case waiting = 1
  case active = 2
}

// MARK: - Word layouts of CTEs and TCBs

/// Where things are inside a CTE and a TCB, and the MDB and thread-state word layouts.
public enum ObjectLayout {
  /// Byte offsets inside a CTE.
  public static let cteCapWord0: UInt64 = 0
  public static let cteCapWord1: UInt64 = 8
  public static let cteMDBWord0: UInt64 = 16
  public static let cteMDBWord1: UInt64 = 24

  /// MDB word 0: the previous CTE's address.
  public static let mdbPrev = BitField("mdbPrev", offset: 0, width: 64)
  /// MDB word 1: the next CTE's address bits 47..2, and the two flags.
  public static let mdbNext = BitField("mdbNext", offset: 2, width: 46)
  public static let mdbRevocable = BitField("mdbRevocable", offset: 1, width: 1)
  public static let mdbFirstBadged = BitField("mdbFirstBadged", offset: 0, width: 1)
  public static let mdbNode = (
    BitLayout("mdb_node[0]", [mdbPrev]), BitLayout("mdb_node[1]", [mdbNext, mdbRevocable, mdbFirstBadged])
  )

  /// Byte offsets of the TCB's fields, after its CTEs.
  public static let tcbState: UInt64 = TCBSlot.count << KernelConstants.slotBits
  public static let tcbPriority: UInt64 = tcbState &+ 8
  public static let tcbMCP: UInt64 = tcbState &+ 16
  /// `tcbDomain`.
  public static let tcbDomain: UInt64 = tcbState &+ 24
  /// `tcbSchedContext`: the bound scheduling context's address; 0 for none.
  public static let tcbSchedContext: UInt64 = tcbState &+ 32
  /// `tcbSchedNext`, `tcbSchedPrev`: the thread's neighbours in its ready queue (toward the tail
  /// and toward the head); 0 at the ends and when not queued.
  public static let tcbSchedNext: UInt64 = tcbState &+ 40
  public static let tcbSchedPrev: UInt64 = tcbState &+ 48
  /// `tcbEPNext`, `tcbEPPrev`: the thread's neighbours in the notification queue it waits in
  /// (toward the tail and toward the head); 0 at the ends and when not waiting. (seL4's newest
  /// MCS kernel threads these queues through `tcbSchedNext`/`tcbSchedPrev`, which a blocked
  /// thread does not use; this kernel keeps them apart, as seL4 did before, so that a ready
  /// queue's lift never reads a notification's links.)
  public static let tcbEPNext: UInt64 = tcbState &+ 56
  public static let tcbEPPrev: UInt64 = tcbState &+ 64
  /// The object a blocked thread waits on (seL4's `blockingObject` of `thread_state_t`): for
  /// BlockedOnNotification, the notification's address. Left as it was when the thread wakes,
  /// as in seL4; read only while the state says blocked.
  public static let tcbBlockingObject: UInt64 = tcbState &+ 72
  /// `tcbBoundNotification`: the bound notification's address; 0 for none.
  public static let tcbBoundNotification: UInt64 = tcbState &+ 80
  /// The thread-state word: the state, `tcbQueued` and, next to it, `tcbInReleaseQueue` (MCS;
  /// seL4 keeps both flags in the second word of `thread_state_t`; this slice has one word).
  public static let tsType = BitField("tsType", offset: 0, width: 4)
  public static let tcbQueued = BitField("tcbQueued", offset: 4, width: 1)
  public static let tcbInReleaseQueue = BitField("tcbInReleaseQueue", offset: 5, width: 1)
  public static let threadState = BitLayout("thread_state", [tsType, tcbQueued, tcbInReleaseQueue])

  /// Byte offsets of a scheduling context's fields, in the order of seL4's C `sched_context_t`
  /// (`seL4:include/object/structures.h`, 64-bit, twelve words): `scPeriod` 0, `scConsumed` 8,
  /// `scCore` 16, `scTcb` 24, `scReply` 32, `scNotification` 40, `scBadge` 48, `scYieldFrom` 56,
  /// `scRefillMax` 64, `scRefillHead` 72, `scRefillTail` 80, `scSporadic` 88 (a `bool_t`, one
  /// word), then the refills from byte 96, 16 bytes each (`rTime`, `rAmount`). The Haskell record
  /// puts `scSporadic` earlier; the C order is the one memory has. Every word but `scCore` (one
  /// core) is used; `scReply` is the head of the call stack of scheduling-context donation (a reply
  /// object's address, 0 for none), `scNotification` and `scYieldFrom` are set by the
  /// SchedContext invocations (`SchedContext.swift`). The layout obligations prove the whole header
  /// and the refills apart (`kernel.layout.schedContext.*`).
  public static let scPeriod: UInt64 = 0
  public static let scConsumed: UInt64 = 8
  public static let scCore: UInt64 = 16
  public static let scTcb: UInt64 = 24
  public static let scReply: UInt64 = 32
  public static let scNotification: UInt64 = 40
  public static let scBadge: UInt64 = 48
  public static let scYieldFrom: UInt64 = 56
  public static let scRefillMax: UInt64 = 64
  public static let scRefillHead: UInt64 = 72
  public static let scRefillTail: UInt64 = 80
  public static let scSporadic: UInt64 = 88
  /// The first refill (`refill_index(sc, 0)`: just after the 96-byte `sched_context_t`); refill i
  /// is the two words (`rTime`, `rAmount`) at `scRefills + 16i`.
  public static let scRefills: UInt64 = 96

  /// The address of refill `index` of the scheduling context at `sc` (`refill_index`): its
  /// `rTime` word; `rAmount` is the next. Callers check `index` against the object's
  /// `refill_absolute_max` first.
  @inlinable public static func refillAddress(_ sc: UInt64, _ index: UInt64) -> UInt64 {
    sc &+ scRefills &+ index &* 16
  }

  /// Byte offsets of a notification's words (this kernel's choice; seL4's 64-bit `notification_t`
  /// packs the same fields, with its bound scheduling context, into four words): the queue's
  /// head and tail thread (0: none), the state (`KernelNtfnState`), the badge word
  /// (`ntfnMsgIdentifier`, meaningful when Active), the bound thread and the bound scheduling
  /// context (0: none).
  public static let ntfnQueueHead: UInt64 = 0
  public static let ntfnQueueTail: UInt64 = 8
  public static let ntfnState: UInt64 = 16
  public static let ntfnMsgIdentifier: UInt64 = 24
  public static let ntfnBoundTCB: UInt64 = 32
  /// `ntfnSchedContext` (MCS): the scheduling context bound to the notification (0: none), the
  /// word after the bound thread.
  public static let ntfnSchedContext: UInt64 = 40

  /// An endpoint's two words (2^4 bytes, as seL4's 64-bit `endpoint_t`): the queue's head thread
  /// (0: none), then the tail thread's address bits 47..2 with the state (`KernelEPState`) in
  /// bits 1..0 (a TCB is 2^11-aligned, so its low bits are free). seL4 does not pack them the
  /// same (`structures_64.bf`, `block endpoint`): its `words[0]` holds the tail as a 62-bit
  /// `field_ptr(2) epQueue_tail` (bits 63..2) with the state in bits 1..0, and `words[1]` the
  /// head; here the head is at offset 0, the tail and state at offset 8, and the tail field is
  /// 46 bits wide (user addresses are below 2^48).
  public static let epQueueHead: UInt64 = 0
  public static let epWord1: UInt64 = 8
  public static let epQueueTail = BitField("epQueue_tail", offset: 2, width: 46)
  public static let epState = BitField("state", offset: 0, width: 2)
  public static let endpointWord1 = BitLayout("endpoint[1]", [epQueueTail, epState])

  /// The tail-and-state word the kernel writes (`setEPQueue`) for the tail thread `tail` and the
  /// state tag `state`; written once, for the kernel and for the layout obligations.
  @inlinable
  public static func packEndpointWord1<W: MachineWord>(tail: W, state: W) -> W {
    epState.set(epQueueTail.set(0, to: tail >> 2), to: state)
  }

  /// The tail thread's address the kernel reads back from the tail-and-state word (`epQueue`).
  @inlinable
  public static func endpointTail<W: MachineWord>(_ word: W) -> W { epQueueTail.get(word) << 2 }

  /// Byte offsets of the TCB's user context, after its fields: the message-info register, the
  /// badge register, and `seL4_MsgMaxLength` message registers from MR0 up. seL4 keeps the
  /// message-info and badge registers and the first message registers (`n_msgRegisters`: 4 on
  /// AArch64) in the TCB's register context (`tcbArch.tcbContext.registers`), and the rest in the
  /// thread's IPC buffer, a user frame (`setMR`, `setMRs_syscall_error`, `src/object/tcb.c`). This
  /// slice has no frames, so all 120 are words of the TCB, where the IPC buffer's would be: 16 +
  /// 960 bytes after the 248 of the CTEs and fields, 1,224 of the TCB's 2,048. Only the registers
  /// a reply writes are written (`replyFromKernel`); the others keep their words, zero in a fresh
  /// TCB.
  public static let tcbMsgInfoRegister: UInt64 = tcbState &+ 88
  public static let tcbBadgeRegister: UInt64 = tcbState &+ 96
  public static let tcbMsgRegisters: UInt64 = tcbState &+ 104
  /// The byte just past the last message register.
  public static let tcbContextEnd: UInt64 = tcbMsgRegisters &+ UInt64(KernelConstants.msgMaxLength) &* 8
  /// The registers of the AArch64 context that are not X0...X5 (those are the badge, message-info
  /// and first four message registers above): X6 up to TPIDRRO_EL0 in seL4's register order, one
  /// word each (`Register.otherRegisterIndex`), 248 bytes after the message registers, up to
  /// byte 1,472 of the TCB's 2,048.
  public static let tcbRegisters: UInt64 = tcbContextEnd
  /// The byte just past the last register.
  public static let tcbRegistersEnd: UInt64 = tcbRegisters &+ UInt64(Register.otherRegisterCount) &* 8
  /// `tcbFlags` (`seL4_TCBFlag`), the word after the registers (byte 1,472 of 2,048).
  public static let tcbFlags: UInt64 = tcbRegistersEnd
  /// What a BlockedOnSend thread sends (seL4 keeps them in `thread_state_t`; one word each here,
  /// 0 or 1 for the flags): `blockingIPCBadge`, `blockingIPCCanGrant`,
  /// `blockingIPCCanGrantReply`, `blockingIPCIsCall`, after `tcbFlags` (bytes 1,480 to 1,512).
  /// Left as they were when the thread wakes, as in seL4; read only while the state says
  /// BlockedOnSend.
  public static let tcbBlockingIPCBadge: UInt64 = tcbFlags &+ 8
  public static let tcbBlockingIPCCanGrant: UInt64 = tcbFlags &+ 16
  public static let tcbBlockingIPCCanGrantReply: UInt64 = tcbFlags &+ 24
  public static let tcbBlockingIPCIsCall: UInt64 = tcbFlags &+ 32
  /// The IPC buffer's words past the message that a capability transfer reads and writes
  /// (`seL4_IPCBuffer`, `libsel4/include/sel4/shared_types.h`): `caps_or_badges` (three words:
  /// the cptrs of a sender's extra caps, `getExtraCPtr`; the badges a receiver is handed
  /// unwrapped, `setExtraBadge`), then `receiveCNode`, `receiveIndex` and `receiveDepth`
  /// (`loadCapTransfer`). As the message registers stand in for the buffer's `msg`, these six
  /// words of the TCB stand in for the rest: its last 48 bytes (2,000 to 2,048), clear of the
  /// fields after `tcbFlags`.
  public static let tcbCapsOrBadges: UInt64 = (UInt64(1) << ObjectType.tcbBits) &- 48
  public static let tcbReceiveCNode: UInt64 = tcbCapsOrBadges &+ UInt64(KernelConstants.msgMaxExtraCaps) &* 8
  public static let tcbReceiveIndex: UInt64 = tcbReceiveCNode &+ 8
  public static let tcbReceiveDepth: UInt64 = tcbReceiveIndex &+ 8

  /// The reply object of a BlockedOnReceive or BlockedOnReply thread (seL4's `replyObject` of
  /// `thread_state_t`, MCS; 0: none), after the four above (byte 1,512). Read only while the
  /// state says one of those two.
  public static let tcbBlockingReplyObject: UInt64 = tcbFlags &+ 40
  /// `tcbYieldTo` (MCS, seL4's `tcb_t`): the scheduling context the thread yielded to by
  /// SchedContext_YieldTo (0: none), the word after the blocking reply object (byte 1,520).
  public static let tcbYieldTo: UInt64 = tcbFlags &+ 48

  /// Byte offsets of a reply object's words (seL4 MCS `reply_t`, `include/object/structures.h`,
  /// 2^5 bytes): `replyTCB`, the thread tied to it (0: none), then `replyPrev` and `replyNext`,
  /// each a `call_stack_t` (`structures_64.bf`, `block call_stack`: a 48-bit `callStackPtr`, a
  /// reply's or a scheduling context's address, in bits 47..0, and `isHead` in bit 48), then a
  /// padding word. The call stack of scheduling-context donation: `replyPrev` names the reply
  /// pushed before this one, `replyNext` the one pushed after it or, with `isHead`, the
  /// scheduling context whose `scReply` this reply is.
  public static let replyTCB: UInt64 = 0
  public static let replyPrev: UInt64 = 8
  public static let replyNext: UInt64 = 16
  public static let callStackPtr = BitField("callStackPtr", offset: 0, width: 48)
  public static let callStackIsHead = BitField("isHead", offset: 48, width: 1)
  public static let callStack = BitLayout("call_stack", [callStackIsHead, callStackPtr])

  /// The `call_stack_t` word the kernel writes for the pointer `ptr` and the flag `isHead`
  /// (`call_stack_new`); written once, for the kernel and for the layout obligations.
  @inlinable
  public static func packCallStack<W: MachineWord>(ptr: W, isHead: W) -> W {
    callStackIsHead.set(callStackPtr.set(0, to: ptr), to: isHead)
  }

  /// `call_stack_get_callStackPtr`.
  @inlinable
  public static func callStackPointer<W: MachineWord>(_ word: W) -> W { callStackPtr.get(word) }

  /// `call_stack_get_isHead`.
  @inlinable
  public static func callStackHead<W: MachineWord>(_ word: W) -> W { callStackIsHead.get(word) }

  /// The byte offset in a TCB of `register`'s word: X0 is the badge register's word, X1 the
  /// message-info register's, X2...X5 MR0...MR3's, the others their own in `tcbRegisters`.
  @inline(__always)
  public static func registerOffset(_ register: Register) -> UInt64 {
    switch register {
    case Register.badgeRegister: return tcbBadgeRegister
    case Register.msgInfoRegister: return tcbMsgInfoRegister
    default:
      if let index = register.messageRegisterIndex { return tcbMsgRegisters &+ UInt64(truncatingIfNeeded: index) &* 8 }
      return tcbRegisters &+ UInt64(truncatingIfNeeded: register.otherRegisterIndex ?? 0) &* 8
    }
  }
}

/// The user context of a kernel TCB, read from its words (`KernelState.userContext(of:)`), with the
/// fields and the reading of its twins `AbstractSpec.UserContext` and `ExecutableSpec.UserContext`:
/// the message registers up to the last non-zero one.
public struct UserContext: Hashable, Sendable {
  /// The message-info register (`msgInfoRegister`): a packed `MessageInfo` word.
  public var msgInfoRegister: UInt64
  /// The badge register (`badgeRegister`).
  public var badgeRegister: UInt64
  /// MR0, MR1, ... up to the last non-zero one.
  public var msgRegisters: [UInt64]
  /// X6 up to TPIDRRO_EL0, up to the last non-zero one (`ObjectLayout.tcbRegisters`).
  public var registers: [UInt64] = []
  /// The IPC buffer's three `caps_or_badges` words (`ObjectLayout.tcbCapsOrBadges`).
  public var capsOrBadges: [UInt64] = Array(repeating: 0, count: KernelConstants.msgMaxExtraCaps)
  /// The IPC buffer's receive slot (`ObjectLayout.tcbReceiveCNode`, `...Index`, `...Depth`).
  public var receiveSlot = ReceiveSlot(cnode: 0, index: 0, depth: 0)

  /// Message register `index` (0 when beyond `msgRegisters`).
  public func msgRegister(_ index: Int) -> UInt64 {
    index >= 0 && index < msgRegisters.count ? msgRegisters[index] : 0
  }

  /// The word of `register`, read as `KernelState.getRegister` reads it: X0 the badge register,
  /// X1 the message-info register, X2...X5 MR0...MR3.
  public func getRegister(_ register: Register) -> UInt64 {
    switch register {
    case Register.badgeRegister: return badgeRegister
    case Register.msgInfoRegister: return msgInfoRegister
    default:
      if let index = register.messageRegisterIndex { return msgRegister(index) }
      let index = register.otherRegisterIndex ?? 0
      return index < registers.count ? registers[index] : 0
    }
  }
}

// MARK: - The state

/// The concrete kernel's state.
public struct KernelState: KernelModel, Sendable {
  /// Every object's words, and the globals frame (`Globals.swift`: `ksCurThread`).
  var memory: Memory
  /// Every live object by address (the ghost heap type description).
  public internal(set) var objects: LoggedDictionary<ObjectRef, KernelObjectKind>
  /// The steps of the code a test of the checker may replace (`PlantedBugs.swift`); seL4's code in
  /// every real use. Not part of the state.
  @NotCompared var seams = Seams()
  /// A bug planted in every layer alike (KernelABI `SpecBug`; tests of the availability property
  /// only, nil in every real use). Not part of the state.
  @NotCompared public var specBug: SpecBug? = nil
  /// Whether Call and ReplyRecv take the fastpath when its checks hold (`Fastpath.swift`); off
  /// only to measure or test the slowpath. Not part of the state.
  @NotCompared public var fastpathEnabled = true

  public var memoryBase: UInt64 { memory.base }
  public var memorySizeBits: UInt64 { memory.sizeBits }

  /// The word at `address`; nil when misaligned or outside both memory and the globals frame.
  public func load(_ address: UInt64) -> UInt64? { memory.load(address) }

  /// The non-zero words of `[address, address + 2^bits)` in address order, as (address, value).
  /// Reads only the pages ever written, so its cost follows what is backed, not the range's size.
  public func nonZeroWords(_ address: UInt64, bits: UInt64) -> [(address: UInt64, value: UInt64)] {
    let (limit, unbounded) = bits < 64 ? address.addingReportingOverflow(1 << bits) : (0, true)
    var result: [(address: UInt64, value: UInt64)] = []
    for page in memory.backedPages(address, bits: bits) {
      let (pageEnd, pageOverflow) = page.addingReportingOverflow(1 << Memory.pageBits)
      var at = Swift.max(page, (address &+ 7) & ~7)
      while at >= page, pageOverflow || at < pageEnd, unbounded || at < limit {
        if let value = memory.load(at), value != 0 { result.append((at, value)) }
        let (next, overflow) = at.addingReportingOverflow(8)
        if overflow { break }
        at = next
      }
    }
    return result
  }

  /// Overwrite the word at `address`, in an object or in the globals frame (for tests that corrupt
  /// memory on purpose); nothing happens when misaligned or outside memory. The write is logged
  /// like the kernel's own.
  public mutating func store(_ address: UInt64, _ value: UInt64) {
    memory.store(address, value)
  }

  /// Every memory write since `clearWriteLog()` (or since the state was made): the incremental
  /// lockstep check looks only at what these touched.
  public var writeLog: WriteLog { memory.log }

  /// Forget the writes logged so far (the checker does this after each check).
  public mutating func clearWriteLog() {
    memory.log = WriteLog()
    objects.clearLog()
  }
}

// MARK: - Reading the state (the face the refinement relation uses)

extension KernelState {
  /// The address of the CTE `index` of the TCB at `tcb` (seL4 `TCB_PTR_CTE_PTR`): a TCB starts
  /// with its CTEs, in `TCBSlot` order.
  static func tcbCTE(_ tcb: ObjectRef, _ index: TCBSlot) -> UInt64 {
    tcb &+ (index.rawValue << KernelConstants.slotBits)
  }

  /// The address of the CTE of `slot`; nil unless `slot` is a slot of a live CNode or TCB.
  public func cteAddress(of slot: SlotRef) -> UInt64? {
    guard let kind = objects[slot.container], slot.index < kind.slotCount else { return nil }
    return slot.container &+ (slot.index << KernelConstants.slotBits)
  }

  /// `slotRef(ofCTE:)` for many addresses against one unchanged state: it tries only the widths
  /// that some live CNode or TCB has, in the same ascending order, so it gives the same answers
  /// with a handful of lookups instead of one per bit width.
  public struct CTELocator: Sendable {
    let objects: LoggedDictionary<ObjectRef, KernelObjectKind>
    /// The distinct widths (`radix + slotBits` of a CNode, `tcbBits` of a TCB) below 64, ascending.
    public let widths: [UInt64]

    init(_ objects: LoggedDictionary<ObjectRef, KernelObjectKind>) {
      self.init(objects, widths: CTELocator.widths(of: objects.values))
    }

    /// A locator trying `widths` (at least those of the CNodes and TCBs among `objects`; more
    /// only costs a lookup each).
    public init(_ objects: LoggedDictionary<ObjectRef, KernelObjectKind>, widths: [UInt64]) {
      self.objects = objects
      self.widths = widths
    }

    /// The widths `kinds` need, ascending.
    public static func widths(of kinds: some Sequence<KernelObjectKind>) -> [UInt64] {
      var widths: Set<UInt64> = []
      for kind in kinds where kind.hasCapSlots { widths.insert(kind.sizeBits) }
      return widths.filter { $0 >= KernelConstants.slotBits && $0 < 64 }.sorted()
    }

    public func slotRef(ofCTE address: UInt64) -> SlotRef? {
      KernelState.slotRef(ofCTE: address, in: objects, trying: widths)
    }
  }

  /// A `CTELocator` for this state; valid until `objects` changes.
  public var cteLocator: CTELocator { CTELocator(objects) }

  /// The slot whose CTE is at `address`; nil unless it is a CTE of a live CNode or TCB.
  public func slotRef(ofCTE address: UInt64) -> SlotRef? {
    KernelState.slotRef(ofCTE: address, in: objects, trying: KernelConstants.slotBits..<64)
  }

  /// The slot whose CTE is at `address`, trying containers of `2^bits` bytes for each of `widths`
  /// in ascending order: the one search behind `slotRef(ofCTE:)` and `CTELocator`.
  static func slotRef(
    ofCTE address: UInt64, in objects: LoggedDictionary<ObjectRef, KernelObjectKind>,
    trying widths: some Sequence<UInt64>
  ) -> SlotRef? {
    guard address != 0, UInt64.isAligned(address, bits: KernelConstants.slotBits) else { return nil }
    for bits in widths {
      let container = address & ~UInt64.mask(bits: bits)
      let index = (address &- container) >> KernelConstants.slotBits
      switch objects[container] {
      case .cnode(let radix) where radix &+ KernelConstants.slotBits == bits:
        return SlotRef(container, index)
      case .tcb where bits == ObjectType.tcbBits:
        return index < TCBSlot.count ? SlotRef(container, index) : nil
      default:
        continue
      }
    }
    return nil
  }

  /// The CTE addresses of the slots of the CNode or TCB at `container` that lie in backed memory,
  /// ascending: every other slot of it reads as zero words (the null cap, unlinked). Every slot of
  /// a TCB is listed.
  public func backedCTEs(of container: ObjectRef) -> [UInt64] {
    switch objects[container] {
    case .cnode(let radix):
      guard radix < 64 else { return [] }
      // The IRQ node lies in the globals frame, whose words are all backed (`Interrupt.swift`).
      if KernelState.isIRQNode(container, .cnode(radix: radix)) {
        return (0..<IRQConstants.numIRQs).map { container &+ ($0 << KernelConstants.slotBits) }
      }
      let bits = radix &+ KernelConstants.slotBits
      let end: UInt64 = bits >= 64 ? .max : container &+ ((1 << bits) &- 1)
      var result: [UInt64] = []
      for page in memory.backedPages(container, bits: bits) {
        var cte = Swift.max(page, container)
        let pageEnd = page &+ ((1 << Memory.pageBits) &- 1)
        while cte <= pageEnd && cte <= end && cte >= container {
          result.append(cte)
          let (next, overflow) = cte.addingReportingOverflow(1 << KernelConstants.slotBits)
          if overflow { break }
          cte = next
        }
      }
      return result
    case .tcb:
      return (0..<TCBSlot.count).map { container &+ ($0 << KernelConstants.slotBits) }
    case .endpoint, .notification, .schedContext, .reply, .opaque, nil:
      return []
    }
  }

  /// The capability in `slot`, decoded from memory; nil if `slot` is not live or its words
  /// encode no capability.
  public func capability(at slot: SlotRef) -> Capability? {
    guard let cte = cteAddress(of: slot) else { return nil }
    return KernelState.decodeCap(memory.word(cte), memory.word(cte &+ 8))
  }

  /// The MDB node of `slot`, links as slots (nil for the null link or a link to no live CTE).
  public func mdbNode(at slot: SlotRef) -> (prev: SlotRef?, next: SlotRef?, revocable: Bool, firstBadged: Bool)? {
    guard let cte = cteAddress(of: slot) else { return nil }
    let node = readMDB(cte)
    return (slotRef(ofCTE: node.prev), slotRef(ofCTE: node.next), node.revocable, node.firstBadged)
  }

  /// `mdbNode(at:)` with the links resolved by `locator` (made from this state).
  public func mdbNode(
    at slot: SlotRef, locator: CTELocator
  ) -> (prev: SlotRef?, next: SlotRef?, revocable: Bool, firstBadged: Bool)? {
    guard let cte = cteAddress(of: slot) else { return nil }
    let node = readMDB(cte)
    return (locator.slotRef(ofCTE: node.prev), locator.slotRef(ofCTE: node.next), node.revocable, node.firstBadged)
  }

  /// The run state of the thread whose TCB is at `tcb`.
  public func threadState(of tcb: ObjectRef) -> KernelThreadState? {
    guard objects[tcb] == .tcb else { return nil }
    return KernelThreadState(rawValue: ObjectLayout.tsType.get(memory.word(tcb &+ ObjectLayout.tcbState)))
  }

  public func priority(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbPriority)
  }

  public func maxControlledPriority(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbMCP)
  }

  /// `tcbFlags` of the thread whose TCB is at `tcb`.
  public func tcbFlags(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbFlags)
  }

  /// The domain of the thread whose TCB is at `tcb`.
  public func domain(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbDomain)
  }

  /// The scheduling context bound to the thread at `tcb` (0 for none); nil when no TCB is there.
  public func schedContextWord(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbSchedContext)
  }

  /// The `tcbQueued` flag of the thread at `tcb`.
  public func isQueued(_ tcb: ObjectRef) -> Bool {
    guard objects[tcb] == .tcb else { return false }
    return ObjectLayout.tcbQueued.get(memory.word(tcb &+ ObjectLayout.tcbState)) != 0
  }

  /// The `tcbInReleaseQueue` flag of the thread at `tcb`.
  public func isInReleaseQueue(_ tcb: ObjectRef) -> Bool {
    guard objects[tcb] == .tcb else { return false }
    return ObjectLayout.tcbInReleaseQueue.get(memory.word(tcb &+ ObjectLayout.tcbState)) != 0
  }

  /// `tcbSchedNext` and `tcbSchedPrev` of the thread at `tcb` (0: none).
  public func schedLinks(of tcb: ObjectRef) -> (next: ObjectRef, prev: ObjectRef) {
    (memory.word(tcb &+ ObjectLayout.tcbSchedNext), memory.word(tcb &+ ObjectLayout.tcbSchedPrev))
  }

  /// `tcbEPNext` and `tcbEPPrev` of the thread at `tcb` (0: none).
  public func epLinks(of tcb: ObjectRef) -> (next: ObjectRef, prev: ObjectRef) {
    (memory.word(tcb &+ ObjectLayout.tcbEPNext), memory.word(tcb &+ ObjectLayout.tcbEPPrev))
  }

  /// The `tcbBlockingObject` word of the thread at `tcb`; nil when no TCB is there.
  public func blockingObject(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbBlockingObject)
  }

  /// The `tcbBlockingReplyObject` word of the thread at `tcb` (0: none); nil when no TCB is there.
  public func blockingReplyObject(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbBlockingReplyObject)
  }

  /// The `replyTCB` word of the reply object at `reply` (0: none); nil when no reply is there.
  public func replyTCB(of reply: ObjectRef) -> UInt64? {
    guard objects[reply] == .reply else { return nil }
    return memory.word(reply &+ ObjectLayout.replyTCB)
  }

  /// The `replyPrev` and `replyNext` words of the reply object at `reply`, each read as its
  /// pointer and head flag; nil when no reply is there.
  public func replyCallStack(of reply: ObjectRef) -> (
    prev: (ptr: UInt64, isHead: Bool), next: (ptr: UInt64, isHead: Bool)
  )? {
    guard objects[reply] == .reply else { return nil }
    let prev = memory.word(reply &+ ObjectLayout.replyPrev)
    let next = memory.word(reply &+ ObjectLayout.replyNext)
    return (
      (ObjectLayout.callStackPointer(prev), ObjectLayout.callStackHead(prev) != 0),
      (ObjectLayout.callStackPointer(next), ObjectLayout.callStackHead(next) != 0)
    )
  }

  /// The notification bound to the thread at `tcb` (0 for none); nil when no TCB is there.
  public func boundNotificationWord(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbBoundNotification)
  }

  /// The state of the endpoint at `ep`; nil when no endpoint is there.
  public func epState(of ep: ObjectRef) -> KernelEPState? {
    guard objects[ep] == .endpoint else { return nil }
    return KernelEPState(rawValue: ObjectLayout.epState.get(memory.word(ep &+ ObjectLayout.epWord1)))
  }

  /// The head and tail of the queue of the endpoint at `ep` (0: none).
  public func epQueue(of ep: ObjectRef) -> (head: ObjectRef, tail: ObjectRef) {
    (
      memory.word(ep &+ ObjectLayout.epQueueHead),
      ObjectLayout.endpointTail(memory.word(ep &+ ObjectLayout.epWord1))
    )
  }

  /// What the BlockedOnSend thread at `tcb` sends, from its `tcbBlockingIPC...` words; nil when
  /// no TCB is there.
  public func blockingIPCFields(of tcb: ObjectRef) -> IPCSendFields? {
    guard objects[tcb] == .tcb else { return nil }
    return IPCSendFields(
      badge: memory.word(tcb &+ ObjectLayout.tcbBlockingIPCBadge),
      canGrant: memory.word(tcb &+ ObjectLayout.tcbBlockingIPCCanGrant) != 0,
      canGrantReply: memory.word(tcb &+ ObjectLayout.tcbBlockingIPCCanGrantReply) != 0,
      isCall: memory.word(tcb &+ ObjectLayout.tcbBlockingIPCIsCall) != 0)
  }

  /// The state of the notification at `ntfn`; nil when no notification is there or its state word
  /// encodes no state.
  public func ntfnState(of ntfn: ObjectRef) -> KernelNtfnState? {
    guard objects[ntfn] == .notification else { return nil }
    return KernelNtfnState(rawValue: memory.word(ntfn &+ ObjectLayout.ntfnState))
  }

  /// The head and tail words of the queue of the notification at `ntfn` (0: none).
  public func ntfnQueue(of ntfn: ObjectRef) -> (head: ObjectRef, tail: ObjectRef) {
    (memory.word(ntfn &+ ObjectLayout.ntfnQueueHead), memory.word(ntfn &+ ObjectLayout.ntfnQueueTail))
  }

  /// The badge word (`ntfnMsgIdentifier`) of the notification at `ntfn`.
  public func ntfnMsgIdentifier(of ntfn: ObjectRef) -> UInt64 {
    memory.word(ntfn &+ ObjectLayout.ntfnMsgIdentifier)
  }

  /// The thread bound to the notification at `ntfn` (0: none).
  public func ntfnBoundTCB(of ntfn: ObjectRef) -> ObjectRef {
    memory.word(ntfn &+ ObjectLayout.ntfnBoundTCB)
  }

  /// The scheduling context bound to the notification at `ntfn` (`ntfnSchedContext`, 0: none).
  public func ntfnSchedContext(of ntfn: ObjectRef) -> ObjectRef {
    memory.word(ntfn &+ ObjectLayout.ntfnSchedContext)
  }

  /// `tcbYieldTo` of the thread at `tcb` (0: none); nil when no TCB is there.
  public func tcbYieldTo(of tcb: ObjectRef) -> UInt64? {
    guard objects[tcb] == .tcb else { return nil }
    return memory.word(tcb &+ ObjectLayout.tcbYieldTo)
  }

  /// `scTcb` of the scheduling context at `sc` (0 for none); nil when no scheduling context is there.
  public func scTcb(of sc: ObjectRef) -> UInt64? {
    guard case .schedContext? = objects[sc] else { return nil }
    return memory.word(sc &+ ObjectLayout.scTcb)
  }

  /// `scReply` of the scheduling context at `sc` (0 for none); nil when no scheduling context is
  /// there.
  public func scReply(of sc: ObjectRef) -> UInt64? {
    guard case .schedContext? = objects[sc] else { return nil }
    return memory.word(sc &+ ObjectLayout.scReply)
  }

  /// `scRefillMax` of the scheduling context at `sc`; nil when no scheduling context is there.
  public func scRefillMax(of sc: ObjectRef) -> UInt64? {
    guard case .schedContext? = objects[sc] else { return nil }
    return memory.word(sc &+ ObjectLayout.scRefillMax)
  }

  /// The word at byte `offset` of the scheduling context at `sc`; nil when no scheduling context
  /// is there.
  func scWord(of sc: ObjectRef, _ offset: UInt64) -> UInt64? {
    guard case .schedContext? = objects[sc] else { return nil }
    return memory.word(sc &+ offset)
  }

  /// `scPeriod` of the scheduling context at `sc`; nil when no scheduling context is there.
  public func scPeriod(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scPeriod) }
  /// `scConsumed` of the scheduling context at `sc`.
  public func scConsumed(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scConsumed) }
  /// `scBadge` of the scheduling context at `sc`.
  public func scBadge(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scBadge) }
  /// `scNotification` of the scheduling context at `sc` (0 for none).
  public func scNotification(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scNotification) }
  /// `scYieldFrom` of the scheduling context at `sc` (0 for none).
  public func scYieldFrom(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scYieldFrom) }
  /// `scRefillHead` of the scheduling context at `sc`.
  public func scRefillHead(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scRefillHead) }
  /// `scRefillTail` of the scheduling context at `sc`.
  public func scRefillTail(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scRefillTail) }
  /// `scSporadic` of the scheduling context at `sc` (a `bool_t` word: 0 or 1).
  public func scSporadic(of sc: ObjectRef) -> UInt64? { scWord(of: sc, ObjectLayout.scSporadic) }

  /// `refill_absolute_max` of the scheduling context at `sc`: how many refills fit after its
  /// header; nil when no scheduling context is there.
  public func refillAbsoluteMax(of sc: ObjectRef) -> UInt64? {
    guard case .schedContext(let sizeBits)? = objects[sc] else { return nil }
    return KernelState.refillAbsoluteMax(sizeBits: sizeBits)
  }

  /// `refill_absolute_max` for an object of 2^`sizeBits` bytes (0 when too small for the header,
  /// which no scheduling context is).
  static func refillAbsoluteMax(sizeBits: UInt64) -> UInt64 {
    sizeBits >= KernelConstants.minSchedContextBits && sizeBits < 64
      ? RefillBuffer<UInt64>.refillAbsoluteMax(sizeBits: sizeBits) : 0
  }

  /// Refill `index` of the scheduling context at `sc` (`refill_index(sc, index)`: the two words at
  /// `ObjectLayout.refillAddress`); nil when no scheduling context is there or the index lies
  /// past its `refill_absolute_max`, so no index reads outside the object.
  public func refill(of sc: ObjectRef, at index: UInt64) -> Refill<UInt64>? {
    guard let max = refillAbsoluteMax(of: sc), index < max else { return nil }
    let at = ObjectLayout.refillAddress(sc, index)
    return Refill(rTime: memory.word(at), rAmount: memory.word(at &+ 8))
  }

  /// The refill buffer of the scheduling context at `sc` as the shared refill code takes it
  /// (`KernelABI/Refills.swift`): `scRefillMax`, `scRefillHead`, `scRefillTail` and every slot up
  /// to the last one the window can use (`RefillBuffer.slotsTheWindowUses`, at most the object's
  /// `refill_absolute_max`) or the last one that is not zero, whichever is later: never the whole
  /// of a huge buffer. Nil when no scheduling context is there.
  public func refillBuffer(of sc: ObjectRef) -> RefillBuffer<UInt64>? {
    let window = RefillBuffer<UInt64>.slotsTheWindowUses(
      refillMax: scWord(of: sc, ObjectLayout.scRefillMax) ?? 0, head: scWord(of: sc, ObjectLayout.scRefillHead) ?? 0,
      tail: scWord(of: sc, ObjectLayout.scRefillTail) ?? 0)
    return refillBuffer(of: sc, atLeast: window)
  }

  /// The buffer with at least `usable` slots (at most the object's `refill_absolute_max`): what
  /// the refill code needs before it sets `scRefillMax` to `usable`.
  func refillBuffer(of sc: ObjectRef, atLeast usable: UInt64) -> RefillBuffer<UInt64>? {
    guard let max = refillAbsoluteMax(of: sc), let refillMax = scWord(of: sc, ObjectLayout.scRefillMax) else {
      return nil
    }
    var slots = writtenRefills(of: sc)
    let usable = Swift.min(usable, max)
    while UInt64(slots.count) < usable { slots.append(Refill(rTime: 0, rAmount: 0)) }
    return RefillBuffer(
      refillMax: refillMax, head: scWord(of: sc, ObjectLayout.scRefillHead) ?? 0,
      tail: scWord(of: sc, ObjectLayout.scRefillTail) ?? 0, slots: slots)
  }

  /// Store `buffer` into the scheduling context at `sc`: its three header words and its slots,
  /// each word written only when it changes; slots past the object's `refill_absolute_max` are
  /// not written (nothing outside the object is). Nothing happens when no scheduling context is
  /// there.
  mutating func storeRefillBuffer(_ buffer: RefillBuffer<UInt64>, of sc: ObjectRef) {
    guard let max = refillAbsoluteMax(of: sc) else { return }
    storeIfChanged(sc &+ ObjectLayout.scRefillMax, buffer.refillMax)
    storeIfChanged(sc &+ ObjectLayout.scRefillHead, buffer.head)
    storeIfChanged(sc &+ ObjectLayout.scRefillTail, buffer.tail)
    for (index, refill) in zip(UInt64(0)..<max, buffer.slots) {
      let at = ObjectLayout.refillAddress(sc, index)
      storeIfChanged(at, refill.rTime)
      storeIfChanged(at &+ 8, refill.rAmount)
    }
  }

  /// Write `value` at `address` unless it is already there (so the write log holds only changes).
  mutating func storeIfChanged(_ address: UInt64, _ value: UInt64) {
    if memory.word(address) != value { memory.store(address, value) }
  }

  /// The slots of the scheduling context at `sc` up to its last refill that is not zero (the
  /// slots after it read as zero): what R1 compares with the executable spec's `scRefills`,
  /// garbage outside the live window included. Only the backed pages of a large object are read
  /// (a word never written is zero), so a 2^47-byte context costs what it has used.
  public func writtenRefills(of sc: ObjectRef) -> [Refill<UInt64>] {
    guard case .schedContext(let sizeBits)? = objects[sc], let max = refillAbsoluteMax(of: sc), max > 0 else {
      return []
    }
    var indices: [UInt64] = []
    let pageBytes = UInt64(Memory.pageWords) &* 8
    if sizeBits <= 12 || GlobalsLayout.contains(sc) {
      indices = Array(0..<max)
    } else {
      for page in memory.backedPages(sc, bits: sizeBits) {
        let first = page > sc &+ ObjectLayout.scRefills ? (page &- sc &- ObjectLayout.scRefills) / 16 : 0
        let end = Swift.min(max, (page &+ pageBytes &- sc &- ObjectLayout.scRefills &+ 15) / 16)
        if first < end { indices += Array(first..<end) }
      }
    }
    var slots: [Refill<UInt64>] = []
    for index in indices {
      let at = ObjectLayout.refillAddress(sc, index)
      let refill = Refill(rTime: memory.word(at), rAmount: memory.word(at &+ 8))
      guard refill.rTime != 0 || refill.rAmount != 0 else { continue }
      while UInt64(slots.count) < index { slots.append(Refill(rTime: 0, rAmount: 0)) }
      slots.append(refill)
    }
    return slots
  }

  /// The user context of the thread whose TCB is at `tcb`, read from its words.
  public func userContext(of tcb: ObjectRef) -> UserContext? {
    guard objects[tcb] == .tcb else { return nil }
    var registers = memory.words(tcb &+ ObjectLayout.tcbMsgRegisters, count: KernelConstants.msgMaxLength)
    while registers.last == 0 { registers.removeLast() }
    var others = memory.words(tcb &+ ObjectLayout.tcbRegisters, count: Register.otherRegisterCount)
    while others.last == 0 { others.removeLast() }
    var context = UserContext(
      msgInfoRegister: memory.word(tcb &+ ObjectLayout.tcbMsgInfoRegister),
      badgeRegister: memory.word(tcb &+ ObjectLayout.tcbBadgeRegister), msgRegisters: registers, registers: others)
    context.capsOrBadges = memory.words(tcb &+ ObjectLayout.tcbCapsOrBadges, count: KernelConstants.msgMaxExtraCaps)
    context.receiveSlot = ReceiveSlot(
      cnode: memory.word(tcb &+ ObjectLayout.tcbReceiveCNode), index: memory.word(tcb &+ ObjectLayout.tcbReceiveIndex),
      depth: memory.word(tcb &+ ObjectLayout.tcbReceiveDepth))
    return context
  }
}

// MARK: - Words the kernel reads and writes

extension KernelState {
  /// The cap in the CTE at `cte` (C reads `cte->cap`; the Haskell model's `getSlotCap`); words
  /// that encode no cap read as the null cap.
  @inline(__always)
  func getCap(_ cte: UInt64) -> Capability {
    KernelState.decodeCap(memory.word(cte), memory.word(cte &+ ObjectLayout.cteCapWord1)) ?? .null
  }

  /// Write `cap` into the CTE at `cte`, keeping its MDB node (C writes `cte->cap`; the Haskell
  /// model's `updateCap`).
  @inline(__always)
  mutating func setCap(_ cte: UInt64, _ cap: Capability) {
    let (w0, w1) = KernelState.encodeCap(cap)
    memory.store(cte, w0)
    memory.store(cte &+ ObjectLayout.cteCapWord1, w1)
  }

  /// `setRegister(thread, msgInfoRegister, word)`: write the message-info register of the thread
  /// whose TCB is at `tcb`.
  @inline(__always)
  mutating func setMsgInfoRegister(_ tcb: ObjectRef, _ word: UInt64) {
    memory.store(tcb &+ ObjectLayout.tcbMsgInfoRegister, word)
  }

  /// `setRegister(thread, badgeRegister, word)`: write the badge register.
  @inline(__always)
  mutating func setBadgeRegister(_ tcb: ObjectRef, _ word: UInt64) {
    memory.store(tcb &+ ObjectLayout.tcbBadgeRegister, word)
  }

  /// `getRegister(thread, register)`: the word of the thread whose TCB is at `tcb` that holds
  /// `register` (`ObjectLayout.registerOffset`).
  @inline(__always)
  func getRegister(_ tcb: ObjectRef, _ register: Register) -> UInt64 {
    memory.word(tcb &+ ObjectLayout.registerOffset(register))
  }

  /// `setRegister(thread, register, word)`: write one register of the thread whose TCB is at `tcb`.
  @inline(__always)
  mutating func setRegister(_ tcb: ObjectRef, _ register: Register, _ word: UInt64) {
    memory.store(tcb &+ ObjectLayout.registerOffset(register), word)
  }

  /// `setMR(thread, buffer, index, word)`: write message register `index`; an index beyond
  /// `seL4_MsgMaxLength` is ignored.
  @inline(__always)
  mutating func setMR(_ tcb: ObjectRef, _ index: Int, _ word: UInt64) {
    guard index >= 0 && index < KernelConstants.msgMaxLength else { return }
    memory.store(tcb &+ ObjectLayout.tcbMsgRegisters &+ UInt64(truncatingIfNeeded: index) &* 8, word)
  }

  /// `setThreadState(tcb, state)`: write the run state of the thread whose TCB is at `tcb`, then
  /// let the scheduler know (`scheduleTCB`).
  mutating func setThreadState(_ tcb: ObjectRef, _ state: KernelThreadState) {
    let address = tcb &+ ObjectLayout.tcbState
    memory.store(address, ObjectLayout.tsType.set(memory.word(address), to: state.rawValue))
    scheduleTCB(tcb)
  }
}

extension KernelState: Equatable {
  public static func == (a: KernelState, b: KernelState) -> Bool {
    a.objects == b.objects && a.memory.sameContents(as: b.memory)
  }
}
