// The executable specification's state: the seL4 Haskell model's `KernelState`, cut down to the
// capability core.
//
// Objects live in `ksPSpace`, keyed by their physical address. CNodes and TCBs hold capability
// table entries (`CTE`): a capability and its node in the mapping database (MDB). The MDB is the
// capability derivation tree stored as seL4 stores it: a doubly linked list threaded through the
// slots in prefix (depth-first) order, where a node's descendants are the run of nodes after it for
// which `isMDBParentOf` holds. A slot is named by `SlotRef(container, index)`; a TCB's slots are
// indexed by `TCBSlot`. Everything is a value: copying the state copies the kernel.

public import Bitwise
public import KernelABI

// MARK: - Objects

/// A thread's run state (the slice needs only these three).
public enum ThreadState: Hashable, Sendable {
  /// Runnable, and running when current.
  case running
  /// Will re-run its system call when next scheduled.
  case restart
  /// Stopped: never scheduled.
  case inactive
  /// Waiting in the queue of the notification at this address (`BlockedOnNotification
  /// { waitingOnNotification }`).
  case blockedOnNotification(waitingOnNotification: ObjectRef)
  /// Waiting in the send queue of the endpoint at `blockingObject`, with what it sends
  /// (`BlockedOnSend { blockingObject, blockingIPCBadge, blockingIPCCanGrant,
  /// blockingIPCCanGrantReply, blockingIPCIsCall }`).
  case blockedOnSend(blockingObject: ObjectRef, IPCSendFields)
  /// Waiting in the receive queue of the endpoint at `blockingObject` with the reply object
  /// `replyObject` (nil: none) (`BlockedOnReceive { blockingObject, replyObject }`, MCS).
  case blockedOnReceive(blockingObject: ObjectRef, replyObject: ObjectRef?)
  /// A caller waiting for its reply through the reply object `replyObject` (`BlockedOnReply
  /// { replyObject }`, MCS).
  case blockedOnReply(replyObject: ObjectRef)
  /// The idle thread's state (`IdleThreadState`): only the idle thread is in it.
  case idleThreadState
}

/// A node of the mapping database (`MDBNode` in the Haskell model).
public struct MDBNode: Hashable, Sendable {
  /// `mdbPrev`: the slot before this one in the list; nil is the null pointer.
  public var prev: SlotRef?
  /// `mdbNext`: the slot after this one.
  public var next: SlotRef?
  /// `mdbRevocable`: the cap may have MDB children (the abstract spec's `is_original_cap`).
  public var revocable: Bool
  /// `mdbFirstBadged`: the first cap of a badge's subtree; it is no child of an equal badge before it.
  public var firstBadged: Bool

  public init(prev: SlotRef?, next: SlotRef?, revocable: Bool, firstBadged: Bool) {
    self.prev = prev
    self.next = next
    self.revocable = revocable
    self.firstBadged = firstBadged
  }

  /// `nullMDBNode`: unlinked, not revocable, not first-badged.
  public static let null = MDBNode(prev: nil, next: nil, revocable: false, firstBadged: false)
}

/// A capability table entry: the cap in a slot and the slot's MDB node.
public struct CTE: Hashable, Sendable {
  public var cap: Capability
  public var mdb: MDBNode

  public init(cap: Capability, mdb: MDBNode) {
    self.cap = cap
    self.mdb = mdb
  }

  /// An empty slot.
  public static let null = CTE(cap: .null, mdb: .null)
}

/// The slots of a CNode, stored sparsely: `count` slots in chunks of 64, the chunks in groups of
/// 64 (4,096 slots; a table of fewer slots is one group of as many chunks as it needs), of which
/// only the groups holding a non-empty entry are kept, and in a group only its chunks holding
/// one. So a CNode costs what it holds, not what it can hold; a write copies one chunk, one
/// group's references (64 at most) and the group table when another state shares them; and
/// comparing two versions of a table skips what they share a group or a chunk at a time, so that
/// a step's diff does not grow with the caps around the slots it wrote. An empty slot reads as
/// `CTE.null`; a chunk left all empty is dropped, a group left without chunks too, so two tables
/// with the same slots are equal.
public struct SlotTable: Hashable, Sendable, RandomAccessCollection, MutableCollection {
  /// How many slots the table has.
  public let count: Int
  /// Group 0 (slots below 4,096: every slot of a smaller table) when it holds a non-empty entry,
  /// kept apart from the others so that reading or writing it hashes nothing: its chunks
  /// (`chunksPerGroup`) by index / 64, nil for a chunk whose 64 entries are all empty.
  private(set) var firstGroup: [[CTE]?]?
  /// The other groups holding a non-empty entry, by index / 4096, their chunks as `firstGroup`'s.
  private(set) var otherGroups: [UInt64: [[CTE]?]]

  /// Every group holding a non-empty entry, by index / 4096 (a copy of the references).
  var groups: [UInt64: [[CTE]?]] {
    var all = otherGroups
    if let firstGroup { all[0] = firstGroup }
    return all
  }

  /// The group with key `key`, if it holds a non-empty entry.
  @inline(__always)
  func group(_ key: UInt64) -> [[CTE]?]? { key == 0 ? firstGroup : otherGroups[key] }

  static let chunkBits: UInt64 = 6
  static let chunkSize = 64
  static let groupBits: UInt64 = 12

  /// `count` empty slots.
  public init(count: Int) {
    self.count = count
    self.firstGroup = nil
    self.otherGroups = [:]
  }

  /// The slots of `ctes`, in order.
  public init(_ ctes: [CTE]) {
    self.init(count: ctes.count)
    for (index, entry) in ctes.enumerated() where entry != .null { self[index] = entry }
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  /// The chunks of a group: 64, or as many as the table needs when it has fewer than 4,096 slots
  /// (so that a small CNode's write copies a few references, not 64).
  var chunksPerGroup: Int { count >= 4096 ? 64 : Swift.max(1, (count + 63) / 64) }

  /// The group, chunk within the group, and entry within the chunk of slot `i`.
  static func place(_ i: UInt64) -> (group: UInt64, chunk: Int, offset: Int) {
    (i >> groupBits, Int(truncatingIfNeeded: (i >> chunkBits) & 63), Int(truncatingIfNeeded: i & 63))
  }

  public subscript(index: Int) -> CTE {
    get {
      guard index >= 0, index < count else { return .null }
      let (group, chunk, offset) = SlotTable.place(UInt64(truncatingIfNeeded: index))
      // (Through the stored properties, not `group(_:)`, which would copy the group out.)
      if group == 0 { return firstGroup?[chunk]?[offset] ?? .null }
      return otherGroups[group]?[chunk]?[offset] ?? .null
    }
    set {
      guard index >= 0, index < count else { return }
      let (key, c, offset) = SlotTable.place(UInt64(truncatingIfNeeded: index))
      let isNull = newValue == .null
      // Written in place through the dictionary's and the arrays' `_modify` (one hash of the
      // group's key, where taking the group out and putting it back hashed it twice), so that an
      // unshared group and chunk are written without a copy. A null written where nothing is
      // stored changes nothing; a group left without chunks is dropped.
      if isNull, (key == 0 ? firstGroup?[c] : otherGroups[key]?[c]) == nil { return }
      let perGroup = chunksPerGroup
      if key == 0 {
        if firstGroup == nil { firstGroup = Array(repeating: nil, count: perGroup) }
        if SlotTable.write(&firstGroup!, chunk: c, offset: offset, newValue, isNull: isNull) { firstGroup = nil }
        return
      }
      let groupIsEmpty = SlotTable.write(
        &otherGroups[key, default: Array(repeating: nil, count: perGroup)], chunk: c, offset: offset, newValue,
        isNull: isNull)
      if groupIsEmpty { otherGroups[key] = nil }
    }
  }

  /// Write `entry` at `offset` of chunk `c` of `group`, dropping the chunk when it is left all
  /// empty; returns whether the group is left without chunks.
  private static func write(_ group: inout [[CTE]?], chunk c: Int, offset: Int, _ entry: CTE, isNull: Bool) -> Bool {
    writeChunk(&group[c], offset: offset, entry, isNull: isNull)
    return isNull && group[c] == nil && !group.contains(where: { $0 != nil })
  }

  private static func writeChunk(_ chunk: inout [CTE]?, offset: Int, _ entry: CTE, isNull: Bool) {
    if chunk == nil { chunk = Array(repeating: .null, count: SlotTable.chunkSize) }
    chunk![offset] = entry
    if isNull && !chunk!.contains(where: { $0 != .null }) { chunk = nil }
  }

  /// The non-empty entries, by ascending index.
  public var occupied: [(index: UInt64, entry: CTE)] {
    var result: [(index: UInt64, entry: CTE)] = []
    for key in (firstGroup == nil ? [] : [0]) + otherGroups.keys.sorted() {
      guard let group = group(key) else { continue }
      for (c, chunk) in group.enumerated() {
        guard let chunk else { continue }
        let base = (key << SlotTable.groupBits) | (UInt64(c) << SlotTable.chunkBits)
        for (offset, entry) in chunk.enumerated() where entry != .null { result.append((base | UInt64(offset), entry)) }
      }
    }
    return result
  }

  /// The indices whose entries differ between this table and `other` (in no order).
  /// - Complexity: O(1) when both share storage, else the number of groups of both, plus 64 per
  ///   group that is not shared, plus 64 per chunk that is not shared.
  public func changedIndices(from other: SlotTable) -> Set<UInt64> {
    if firstGroup == other.firstGroup && otherGroups == other.otherGroups { return [] }
    var changed: Set<UInt64> = []
    func chunk(_ group: [[CTE]?]?, _ c: Int) -> [CTE]? {
      guard let group, c < group.count else { return nil }
      return group[c]
    }
    func compare(_ key: UInt64, _ a: [[CTE]?]?, _ b: [[CTE]?]?) {
      // Equal arrays that share storage compare in O(1): an unchanged group or chunk is skipped.
      if a == b { return }
      for c in 0..<Swift.max(a?.count ?? 0, b?.count ?? 0) {
        let (x, y) = (chunk(a, c), chunk(b, c))
        let base = (key << SlotTable.groupBits) | (UInt64(c) << SlotTable.chunkBits)
        // Two chunks (both 64 entries): the same storage is the same entries; otherwise compared
        // entry by entry through their buffers, once (not by `==` first, which compares up to the
        // first difference), without an optional and `CTE.null` at each entry.
        if let x, let y, x.count == SlotTable.chunkSize, y.count == SlotTable.chunkSize {
          x.withUnsafeBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
              guard let xb = xs.baseAddress, let yb = ys.baseAddress, xb != yb else { return }
              for offset in 0..<SlotTable.chunkSize
              where !SlotTable.sameBytes(xb + offset, yb + offset) && xs[offset] != ys[offset] {
                changed.insert(base | UInt64(offset))
              }
            }
          }
          continue
        }
        if x == y { continue }
        for offset in 0..<SlotTable.chunkSize {
          let (now, then): (CTE, CTE) = (x?[offset] ?? .null, y?[offset] ?? .null)
          if now != then { changed.insert(base | UInt64(offset)) }
        }
      }
    }
    compare(0, firstGroup, other.firstGroup)
    for (key, group) in otherGroups { compare(key, group, other.otherGroups[key]) }
    for (key, group) in other.otherGroups where otherGroups[key] == nil { compare(key, nil, group) }
    return changed
  }
}

extension SlotTable {
  /// Whether two entries hold the same bytes, compared a word at a time: then they are equal (a
  /// `CTE` is plain data, and `==` compares its fields). Entries whose bytes differ may still be
  /// equal (an unused payload byte), which `==` then decides. A chunk copied to be written shares
  /// the bytes of every entry the write left alone, so most of a changed chunk is compared here.
  @inline(__always)
  static func sameBytes(_ a: UnsafePointer<CTE>, _ b: UnsafePointer<CTE>) -> Bool {
    guard _isPOD(CTE.self) else { return false }
    let (x, y) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    let size = MemoryLayout<CTE>.size
    var offset = 0
    while offset &+ 8 <= size {
      if x.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        != y.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      {
        return false
      }
      offset &+= 8
    }
    while offset < size {
      if x.load(fromByteOffset: offset, as: UInt8.self) != y.load(fromByteOffset: offset, as: UInt8.self) {
        return false
      }
      offset &+= 1
    }
    return true
  }
}

/// A CNode: `2^radix` slots, stored sparsely.
public struct CNode: Hashable, Sendable {
  public var radix: UInt64
  /// Exactly `2^radix` slots.
  public var ctes: SlotTable

  public init(radix: UInt64, ctes: SlotTable) {
    self.radix = radix
    self.ctes = ctes
  }

  public init(radix: UInt64, ctes: [CTE]) {
    self.init(radix: radix, ctes: SlotTable(ctes))
  }

  /// A CNode with every slot empty.
  public init(radix: UInt64) {
    let count = radix < 63 ? Int(truncatingIfNeeded: UInt64(1) << radix) : 0
    self.init(radix: radix, ctes: SlotTable(count: count))
  }
}

/// The registers of a thread the kernel writes (`tcbContext` in the Haskell model; seL4
/// `tcbArch.tcbContext` and the IPC buffer): the message-info register, the badge register and
/// the message registers. seL4 keeps the first message registers in machine registers and the
/// rest, up to `seL4_MsgMaxLength` (120), in the thread's IPC buffer (`setMR`); this slice has no
/// IPC buffers, so all of them are here. The machine registers are AArch64's (`KernelABI.Register`),
/// and the named ones alias some of them as on seL4: the badge register is X0, the message-info
/// register X1, MR0...MR3 are X2...X5, so they are stored once, in the fields below, and
/// `getRegister`/`setRegister` of X0...X5 read and write those; the 31 others (X6 up to
/// TPIDRRO_EL0) are `registers`. Only the message registers and the other registers up to the
/// last non-zero one are stored, and every one after it reads 0 (as in a fresh TCB), so that
/// equal contexts are equal values. Twins: `AbstractSpec.UserContext`, the kernel's TCB words (`Kernel/State.swift`).
public struct UserContext: Hashable, Sendable {
  /// The message-info register (`msgInfoRegister`): a packed `MessageInfo` word.
  public var msgInfoRegister: UInt64
  /// The badge register (`badgeRegister`).
  public var badgeRegister: UInt64
  /// MR0, MR1, ... up to the last non-zero one (`msgRegisters`, then the IPC buffer).
  public private(set) var msgRegisters: [UInt64]

  /// X6 up to TPIDRRO_EL0 (`Register.otherRegisterIndex`), up to the last non-zero one: the
  /// registers that are neither the badge, the message-info nor a fast message register.
  public private(set) var registers: [UInt64]

  /// The IPC buffer's `caps_or_badges` words (`seL4_MsgMaxExtraCaps` of them, always three): the
  /// cptrs of the extra caps a sender names (`getExtraCPtr`), and the badges of the endpoint caps
  /// a receiver is handed unwrapped (`setExtraBadge`, `seL4:src/object/tcb.c`).
  public var capsOrBadges: [UInt64] = Array(repeating: 0, count: KernelConstants.msgMaxExtraCaps)
  /// The IPC buffer's receive slot (`receiveCNode`, `receiveIndex`, `receiveDepth`;
  /// `loadCapTransfer`, `seL4:src/object/cnode.c`): where a receiver accepts a transferred cap.
  /// All zero (a fresh buffer) names none: depth 0 resolves no slot.
  public var receiveSlot = ReceiveSlot(cnode: 0, index: 0, depth: 0)

  public init(
    msgInfoRegister: UInt64 = 0, badgeRegister: UInt64 = 0, msgRegisters: [UInt64] = [], registers: [UInt64] = []
  ) {
    self.msgInfoRegister = msgInfoRegister
    self.badgeRegister = badgeRegister
    self.msgRegisters = msgRegisters
    self.registers = Array(registers.prefix(Register.otherRegisterCount))
    trim()
  }

  /// `getRegister`: the badge register is X0, the message-info register X1, MR0...MR3 are X2...X5.
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

  /// `setRegister`: write one register (the badge, message-info or a message register when it is
  /// X0...X5).
  public mutating func setRegister(_ register: Register, _ value: UInt64) {
    switch register {
    case Register.badgeRegister: badgeRegister = value
    case Register.msgInfoRegister: msgInfoRegister = value
    default:
      if let index = register.messageRegisterIndex { return setMR(index, value) }
      let index = register.otherRegisterIndex ?? 0
      if index >= registers.count { registers += repeatElement(0, count: index + 1 - registers.count) }
      registers[index] = value
      trim()
    }
  }

  /// Message register `index` (0 when never written or beyond `seL4_MsgMaxLength`).
  public func msgRegister(_ index: Int) -> UInt64 {
    index >= 0 && index < msgRegisters.count ? msgRegisters[index] : 0
  }

  /// `setMR`: write message register `index`; an index beyond `seL4_MsgMaxLength` is ignored.
  public mutating func setMR(_ index: Int, _ value: UInt64) {
    guard index >= 0 && index < KernelConstants.msgMaxLength else { return }
    if index >= msgRegisters.count { msgRegisters += repeatElement(0, count: index + 1 - msgRegisters.count) }
    msgRegisters[index] = value
    trim()
  }

  private mutating func trim() {
    while msgRegisters.last == 0 { msgRegisters.removeLast() }
    while registers.last == 0 { registers.removeLast() }
  }
}

/// A thread control block with its five capability slots and its user context.
public struct TCB: Hashable, Sendable {
  public var state: ThreadState
  public var priority: UInt64
  public var maxControlledPriority: UInt64
  /// `tcbDomain`.
  public var domain: UInt64
  /// `tcbSchedContext`: the scheduling context bound to the thread, if any.
  public var schedContext: ObjectRef?
  /// `tcbQueued`: the thread is in its ready queue (seL4 keeps the flag in the thread-state word).
  public var tcbQueued: Bool
  /// `tcbInReleaseQueue` (MCS): the thread is in the release queue (`ksReleaseQueue`), waiting
  /// for its scheduling context's head refill to become ready.
  public var tcbInReleaseQueue: Bool
  /// `tcbBoundNotification`: the notification bound to the thread, if any.
  public var tcbBoundNotification: ObjectRef?
  /// Exactly `TCBSlot.count` entries, indexed by `TCBSlot.rawValue`.
  public var ctes: [CTE]
  /// The registers the kernel writes (`tcbContext`).
  public var context: UserContext
  /// `tcbFlags` (`seL4_TCBFlag`), 0 in a new thread.
  public var tcbFlags: UInt64
  /// `tcbFault`: the fault the thread is waiting to have handled (seL4 `tcbFault` with its
  /// `tcbLookupFailure`); nil for NullFault (`Fault.swift`).
  public var tcbFault: ThreadFault?
  /// `tcbYieldTo` (MCS): the scheduling context the thread yielded to (SchedContext_YieldTo), if
  /// any (`SchedContext.swift`).
  public var tcbYieldTo: ObjectRef?

  public init(
    state: ThreadState, priority: UInt64, maxControlledPriority: UInt64, domain: UInt64 = 0,
    schedContext: ObjectRef? = nil, tcbQueued: Bool = false, tcbInReleaseQueue: Bool = false,
    tcbBoundNotification: ObjectRef? = nil, ctes: [CTE],
    context: UserContext = UserContext(), tcbFlags: UInt64 = 0, tcbFault: ThreadFault? = nil,
    tcbYieldTo: ObjectRef? = nil
  ) {
    self.tcbYieldTo = tcbYieldTo
    self.tcbFault = tcbFault
    self.tcbFlags = tcbFlags
    self.tcbBoundNotification = tcbBoundNotification
    self.state = state
    self.priority = priority
    self.maxControlledPriority = maxControlledPriority
    self.domain = domain
    self.schedContext = schedContext
    self.tcbQueued = tcbQueued
    self.tcbInReleaseQueue = tcbInReleaseQueue
    self.ctes = ctes
    self.context = context
  }

  /// A TCB as Retype makes it: Inactive, priority 0, MCP 0, domain 0, no scheduling context, not
  /// queued, every slot empty, every register 0.
  public static let fresh = TCB(
    state: .inactive, priority: 0, maxControlledPriority: 0,
    ctes: Array(repeating: .null, count: Int(TCBSlot.count)))
}

/// A scheduling context (`SchedContext` in the Haskell model, `SEL4/Object/Structures.lhs`): its
/// size, the thread bound to it (`scTCB`), its refill buffer (`scRefills`, a circular buffer of
/// `refill_absolute_max` slots indexed by `scRefillHead`/`scRefillTail`, `scRefillMax` of them
/// usable; slots outside the live window keep whatever was last written there) and the words
/// SchedControl and the SchedContext invocations set. No time passes yet (docs/time.md).
/// Twin: `AbstractSpec.SchedContext`.
public struct SchedContext: Hashable, Sendable {
  public var sizeBits: UInt64
  /// `scPeriod`: ticks between replenishments; 0 for round robin.
  public var scPeriod: UInt64
  /// `scConsumed`: ticks charged since the last SchedContext_Consumed.
  public var scConsumed: UInt64
  /// `scTCB`.
  public var tcb: ObjectRef?
  /// `scRefills`: the buffer's slots, index i the refill `scRefillHead`/`scRefillTail` name by i.
  /// The object has `refill_absolute_max(sizeBits)` of them; the slots after the last one ever
  /// written are zero, as a retyped object's memory is, and are left out of the array (a
  /// 2^47-byte context would otherwise hold 2^43 of them): `refill(at:)` reads them as zero, and
  /// every write keeps the array without trailing zero slots, so two buffers with the same slots
  /// are equal arrays.
  public private(set) var scRefills: [Refill<UInt64>]
  /// `scRefillMax`.
  public var refillMax: UInt64
  /// `scBadge`: the badge its timeout faults carry.
  public var scBadge: UInt64
  /// `scYieldFrom`: the thread that yielded to it, if any.
  public var scYieldFrom: ObjectRef?
  /// `scReply`: the head of the call stack of scheduling-context donation (the newest reply
  /// object a Call that donated this scheduling context blocks on), if any.
  public var scReply: ObjectRef?
  /// `scRefillHead`: the index of the first live refill.
  public var scRefillHead: UInt64
  /// `scRefillTail`: the index of the last live refill.
  public var scRefillTail: UInt64
  /// `scSporadic`: a sporadic server (true) or constant bandwidth (false).
  public var scSporadic: Bool
  /// `scNtfn`: the notification bound to it (SchedContext_Bind), if any.
  public var scNtfn: ObjectRef?

  public init(
    sizeBits: UInt64, scPeriod: UInt64 = 0, scConsumed: UInt64 = 0, tcb: ObjectRef? = nil,
    scRefills: [Refill<UInt64>] = [], refillMax: UInt64 = 0, scBadge: UInt64 = 0, scYieldFrom: ObjectRef? = nil,
    scReply: ObjectRef? = nil, scRefillHead: UInt64 = 0, scRefillTail: UInt64 = 0, scSporadic: Bool = false,
    scNtfn: ObjectRef? = nil
  ) {
    self.scNtfn = scNtfn
    self.sizeBits = sizeBits
    self.scPeriod = scPeriod
    self.scConsumed = scConsumed
    self.tcb = tcb
    self.scRefills = SchedContext.withoutZeroTail(scRefills)
    self.refillMax = refillMax
    self.scBadge = scBadge
    self.scYieldFrom = scYieldFrom
    self.scReply = scReply
    self.scRefillHead = scRefillHead
    self.scRefillTail = scRefillTail
    self.scSporadic = scSporadic
  }

  /// `refill_absolute_max`: how many refill slots the object has (0 for a size too small to
  /// hold the header, which no scheduling context has).
  public var refillAbsoluteMax: UInt64 {
    sizeBits >= KernelConstants.minSchedContextBits && sizeBits < 64
      ? RefillBuffer<UInt64>.refillAbsoluteMax(sizeBits: sizeBits) : 0
  }

  /// Slot `index` of `scRefills` (zero past the slots written).
  public func refill(at index: UInt64) -> Refill<UInt64> {
    index < UInt64(scRefills.count) ? scRefills[Int(index)] : Refill(rTime: 0, rAmount: 0)
  }

  /// `refill_head`: the head refill, as `refillBuffer.headRefill` reads it, from the header and
  /// the head slot alone when the indices lie inside the window (where the two agree); a corrupt
  /// header falls back to the buffer, so the answer is the same in every state.
  public var headRefill: Refill<UInt64> {
    guard scRefillHead < refillMax, scRefillTail < refillMax, scRefillHead < refillAbsoluteMax else {
      return refillBuffer.headRefill
    }
    return refill(at: scRefillHead)
  }

  /// The buffer as the shared refill code (`KernelABI/Refills.swift`) takes it: the header words
  /// and the slots up to the last one written or the last one the window can use
  /// (`RefillBuffer.slotsTheWindowUses`), whichever is later: never the whole of a huge buffer.
  public var refillBuffer: RefillBuffer<UInt64> {
    refillBuffer(
      atLeast: RefillBuffer<UInt64>.slotsTheWindowUses(refillMax: refillMax, head: scRefillHead, tail: scRefillTail))
  }

  /// The buffer with at least `usable` slots (at most the object's `refill_absolute_max`): what
  /// the refill code needs before it sets `scRefillMax` to `usable`.
  public func refillBuffer(atLeast usable: UInt64) -> RefillBuffer<UInt64> {
    let count = max(UInt64(scRefills.count), min(usable, refillAbsoluteMax))
    return RefillBuffer(
      refillMax: refillMax, head: scRefillHead, tail: scRefillTail, slots: (0..<count).map { refill(at: $0) })
  }

  /// Write `buffer` back (`scRefillMax`, `scRefillHead`, `scRefillTail`, `scRefills`); slots
  /// past the object's `refill_absolute_max` are not kept.
  public mutating func setRefillBuffer(_ buffer: RefillBuffer<UInt64>) {
    refillMax = buffer.refillMax
    scRefillHead = buffer.head
    scRefillTail = buffer.tail
    scRefills = SchedContext.withoutZeroTail(Array(buffer.slots.prefix(Int(min(refillAbsoluteMax, UInt64(Int.max))))))
  }

  /// Write back what `refill_new` or `refill_update` changed (`ExecState.refillBufferToConfigure`):
  /// the header words and the buffer's first slots (0 and 1); every other slot keeps its words.
  public mutating func setConfiguredRefills(_ buffer: RefillBuffer<UInt64>) {
    refillMax = buffer.refillMax
    scRefillHead = buffer.head
    scRefillTail = buffer.tail
    let count = Int(min(refillAbsoluteMax, UInt64(buffer.slots.count)))
    if scRefills.count < count {
      scRefills += Array(repeating: Refill(rTime: 0, rAmount: 0), count: count - scRefills.count)
    }
    for index in 0..<count { scRefills[index] = buffer.slots[index] }
    scRefills = Self.withoutZeroTail(scRefills)
  }

  /// `slots` without its trailing zero refills.
  static func withoutZeroTail(_ slots: [Refill<UInt64>]) -> [Refill<UInt64>] {
    var slots = slots
    while slots.last == Refill(rTime: 0, rAmount: 0) { slots.removeLast() }
    return slots
  }
}

/// A notification's state (`NTFN` in the Haskell model: `IdleNtfn`, `WaitingNtfn`, `ActiveNtfn`).
public enum NtfnState: Hashable, Sendable {
  case idleNtfn
  /// The waiting threads, head first (never empty), in priority order (MCS).
  case waitingNtfn([ObjectRef])
  /// The badges signalled, OR-ed.
  case activeNtfn(UInt64)
}

/// An endpoint's state (`Endpoint` in the Haskell model: `IdleEP`, `SendEP`, `RecvEP`), its queue
/// head first (never empty), in priority order (MCS). Twin: `AbstractSpec.EndpointState`.
public enum Endpoint: Hashable, Sendable {
  case idleEP
  case sendEP([ObjectRef])
  case recvEP([ObjectRef])
}

/// A reply object (`Reply` in the Haskell model, MCS): the thread it is tied to, `replyTCB`, and
/// its place in a call stack of scheduling-context donation: `replyPrev`, the reply pushed before
/// it, and `replyNext`, the reply pushed after it or, for the head, the scheduling context
/// (seL4's `call_stack_t` words with `isHead`). Twin: `AbstractSpec.Reply`.
public struct Reply: Hashable, Sendable {
  /// `replyTCB`.
  public var replyTCB: ObjectRef?
  /// `replyPrev`.
  public var replyPrev: ObjectRef?
  /// `replyNext`.
  public var replyNext: ReplyNext?

  public init(replyTCB: ObjectRef? = nil, replyPrev: ObjectRef? = nil, replyNext: ReplyNext? = nil) {
    self.replyTCB = replyTCB
    self.replyPrev = replyPrev
    self.replyNext = replyNext
  }
}

/// What a reply's `replyNext` names (`ReplyNext` in the Haskell model): the reply pushed after
/// it (`Next`), or, at the head of the call stack, the scheduling context (`Head`).
public enum ReplyNext: Hashable, Sendable {
  case next(ObjectRef)
  case head(ObjectRef)
}

/// A notification object (`Notification` in the Haskell model). Twin: `AbstractSpec.Notification`.
public struct Notification: Hashable, Sendable {
  /// `ntfnObj`.
  public var ntfnObj: NtfnState
  /// `ntfnBoundTCB`.
  public var ntfnBoundTCB: ObjectRef?
  /// `ntfnSc` (MCS): the scheduling context bound to it (SchedContext_Bind), if any.
  public var ntfnSc: ObjectRef?

  public init(ntfnObj: NtfnState = .idleNtfn, ntfnBoundTCB: ObjectRef? = nil, ntfnSc: ObjectRef? = nil) {
    self.ntfnObj = ntfnObj
    self.ntfnBoundTCB = ntfnBoundTCB
    self.ntfnSc = ntfnSc
  }
}

/// A kernel object in `ksPSpace` (`KernelObject` in the Haskell model).
public indirect enum KernelObject: Hashable, Sendable {
  case cnode(CNode)
  case tcb(TCB)
  case endpoint(Endpoint)
  case notification(Notification)
  case reply(Reply)
  case schedContext(SchedContext)
  /// An object the slice does not model (frames, page tables, ...): it occupies memory only.
  case opaque(kind: String, sizeBits: UInt64)

  /// log2 of the object's size in bytes (`objBits`).
  public var sizeBits: UInt64 {
    switch self {
    case .cnode(let node): node.radix &+ KernelConstants.slotBits
    case .tcb: ObjectType.tcb.objectSizeBits(userSizeBits: 0)
    case .endpoint: ObjectType.endpoint.objectSizeBits(userSizeBits: 0)
    case .notification: ObjectType.notification.objectSizeBits(userSizeBits: 0)
    case .reply: ObjectType.reply.objectSizeBits(userSizeBits: 0)
    case .schedContext(let sc): sc.sizeBits
    case .opaque(_, let sizeBits): sizeBits
    }
  }

  /// How many slots the object has (its CTE count); 0 for an object without slots (anything but a
  /// CNode or TCB).
  public var slotCount: Int {
    switch self {
    case .cnode(let node): node.ctes.count
    case .tcb(let tcb): tcb.ctes.count
    case .endpoint, .notification, .reply, .schedContext, .opaque: 0
    }
  }

  /// The entry in slot `index`; nil for a slot the object does not have.
  public func cte(at index: UInt64) -> CTE? {
    switch self {
    case .cnode(let node): index < UInt64(node.ctes.count) ? node.ctes[Int(index)] : nil
    case .tcb(let tcb): index < UInt64(tcb.ctes.count) ? tcb.ctes[Int(index)] : nil
    case .endpoint, .notification, .reply, .schedContext, .opaque: nil
    }
  }

  /// Replace the entry in slot `index`; a slot the object does not have is left alone. The slots
  /// are unshared before the write, so a uniquely held object is changed in place, not copied.
  mutating func setCTE(at index: UInt64, _ cte: CTE) {
    switch self {
    case .cnode(var node):
      self = .reply(Reply())
      if index < UInt64(node.ctes.count) { node.ctes[Int(index)] = cte }
      self = .cnode(node)
    case .tcb(var tcb):
      self = .reply(Reply())
      if index < UInt64(tcb.ctes.count) { tcb.ctes[Int(index)] = cte }
      self = .tcb(tcb)
    case .endpoint, .notification, .reply, .schedContext, .opaque:
      return
    }
  }
}

// MARK: - The state

/// The executable specification's kernel state.
public struct ExecState: KernelModel, Hashable, Sendable {
  /// The simulated physical memory is `[memoryBase, memoryBase + 2^memorySizeBits)`.
  public var memoryBase: UInt64
  public var memorySizeBits: UInt64
  /// Live objects by address (writes logged for the incremental check: `Logged.swift`).
  public var ksPSpace: LoggedDictionary<ObjectRef, KernelObject>
  /// The running thread; `ksIdleThread` when the idle thread runs (its TCB is in `ksPSpace`:
  /// `Invariants+Idle.swift`). What user space sees names the idle thread by nil (`Observe.swift`).
  public var ksCurThread: ObjectRef
  /// `ksReadyQueues`: by (domain, priority), the threads ready to run, head first; an empty
  /// queue is absent.
  public var ksReadyQueues: [ReadyQueueIndex: [ObjectRef]] = [:]
  /// `ksReleaseQueue` (MCS): the threads waiting for their scheduling context's head refill to
  /// become ready, sorted by that refill's `rTime` (`tcbReadyTime`), first in first out among
  /// equal times. Empty at boot; nothing fills it until time passes.
  public var ksReleaseQueue: [ObjectRef] = []
  /// `ksReadyQueuesL1Bitmap` and `ksReadyQueuesL2Bitmap`, one bitmap per domain: the priorities
  /// whose queue is not empty. The code that reads and writes them is the proved one
  /// (`KernelABI/PriorityBitmap.swift`).
  public var ksReadyQueuesBitmap: [PriorityBitmap<UInt64>] = Array(
    repeating: PriorityBitmap(), count: Int(KernelConstants.numDomains))
  /// `ksSchedulerAction`.
  public var ksSchedulerAction: SchedulerAction = .resumeCurrentThread
  /// `ksCurDomain`.
  public var ksCurDomain: UInt64 = 0
  /// `ksDomSchedule`: the domain schedule (`Domain.swift`), `DomainConfig.domScheduleLength`
  /// entries, the last an end marker; seL4's boot schedule unless the plan gives one.
  public var ksDomSchedule: [DomainScheduleEntry] = DomainConfig.bootSchedule
  /// `ksDomScheduleStart`: where the schedule goes after an end marker.
  public var ksDomScheduleStart: UInt64 = 0
  /// `ksDomScheduleIdx`: the entry the current domain came from.
  public var ksDomScheduleIdx: UInt64 = 0
  /// `ksDomainTime`: the ticks the current domain has left.
  public var ksDomainTime: UInt64 = DomainConfig.maxDuration
  /// `ksCurTime`: the kernel's clock, in ticks, as the last kernel entry read it (0 at boot; no
  /// time passes yet).
  public var ksCurTime: UInt64 = 0
  /// `ksConsumed`: the ticks the current scheduling context has used since they were last charged.
  public var ksConsumed: UInt64 = 0
  /// `ksCurSC`: the scheduling context the current thread runs on.
  public var ksCurSC: ObjectRef = KernelConstants.idleSCPtr
  /// `ksReprogram`: the timer's deadline must be recomputed at the end of this kernel entry
  /// (`schedule` runs `setNextInterrupt` and clears it). False between events.
  public var ksReprogram: Bool = false
  /// The machine's clock, in ticks: it runs while a thread runs (`.timerTick`); `ksCurTime` is
  /// what the last kernel entry read of it (`getCurrentTime`).
  public var clock: UInt64 = 0
  /// The machine's timer deadline, in ticks (`setDeadline`, written by `setNextInterrupt`;
  /// `UInt64.max` until the first is programmed).
  public var deadline: UInt64 = .max
  /// `intStateIRQTable`: each interrupt line's state, by line (`Interrupt.swift`).
  public var intStateIRQTable: [IRQState] = Array(repeating: .irqInactive, count: Int(IRQConstants.numIRQs))
  /// The machine's interrupt masks, by line: true when the line is masked (`maskInterrupt`).
  public var irqMasks: [Bool] = Array(repeating: true, count: Int(IRQConstants.numIRQs))
  /// The steps of the code a test of the checker may replace (`PlantedBugs.swift`); the spec's code
  /// in every real use. Not part of the state.
  @NotCompared var seams = Seams()
  /// A bug planted in every layer alike (KernelABI `SpecBug`; tests of the availability property
  /// only, nil in every real use). Not part of the state.
  @NotCompared public var specBug: SpecBug? = nil
  /// The choices the last step made where the abstract spec leaves the kernel free (`Choice.swift`),
  /// in order; cleared when a step starts. Not part of the state.
  @NotCompared public var choiceLog: [Choice] = []

  public init(memoryBase: UInt64, memorySizeBits: UInt64, ksPSpace: [ObjectRef: KernelObject], ksCurThread: ObjectRef) {
    self.memoryBase = memoryBase
    self.memorySizeBits = memorySizeBits
    self.ksPSpace = LoggedDictionary(ksPSpace)
    self.ksCurThread = ksCurThread
  }

  /// Forget which objects were written (the lockstep checker has looked at them).
  public mutating func clearLogs() { ksPSpace.clearLog() }
}

// MARK: - Slot access (`getCTE`, `setCTE`, `getSlotCap`, `updateCap`, `updateMDB`)

extension ExecState {
  /// The entry in `slot`, or nil when no live CNode or TCB has that slot.
  public func cte(at slot: SlotRef) -> CTE? {
    ksPSpace[slot.container]?.cte(at: slot.index)
  }

  /// The cap in `slot` (`getSlotCap` in the Haskell model); Null for a slot that does not exist.
  public func getCap(_ slot: SlotRef) -> Capability { cte(at: slot)?.cap ?? .null }

  /// Every slot of every live CNode and TCB, in address order.
  /// - Complexity: the number of slots described (use `slotEntries()` for the non-empty ones).
  public var allSlots: [SlotRef] {
    ksPSpace.keys.sorted().flatMap { address -> [SlotRef] in
      (0..<(ksPSpace[address]?.slotCount ?? 0)).map { SlotRef(address, UInt64($0)) }
    }
  }

  /// Every slot of every live CNode and TCB with its entry, in address order, leaving out the
  /// empty slots of CNodes (`CTE.null`, which every slot-wise invariant holds of).
  func slotEntries() -> [(slot: SlotRef, entry: CTE)] {
    var result: [(slot: SlotRef, entry: CTE)] = []
    for address in ksPSpace.keys.sorted() {
      for (index, entry) in ksPSpace[address]?.execSlots ?? [] { result.append((SlotRef(address, index), entry)) }
    }
    return result
  }

  /// Every slot holding a non-null cap, in address order.
  public var occupiedSlots: [SlotRef] { slotEntries().filter { !$0.entry.cap.isNull }.map(\.slot) }

  /// Replace the entry in `slot`; nothing happens when the slot does not exist. The object is taken
  /// out of the dictionary while it changes, so its slot array is updated in place, not copied.
  mutating func setCTE(_ slot: SlotRef, _ cte: CTE) {
    ksPSpace.modify(slot.container) { $0.setCTE(at: slot.index, cte) }
  }

  /// Put `cap` in `slot`, keeping its MDB node (`updateCap` in the Haskell model).
  mutating func setCap(_ slot: SlotRef, _ cap: Capability) {
    guard var entry = cte(at: slot) else { return }
    entry.cap = cap
    setCTE(slot, entry)
  }

  /// `updateMDB`: change the MDB node of `slot`; the null pointer (nil) is left alone, as in seL4.
  mutating func updateMDB(_ slot: SlotRef?, _ change: (inout MDBNode) -> Void) {
    guard let slot, var entry = cte(at: slot) else { return }
    change(&entry.mdb)
    setCTE(slot, entry)
  }

  /// The TCB at `address`, if there is one.
  public func tcb(at address: ObjectRef) -> TCB? {
    if case .tcb(let tcb) = ksPSpace[address] { return tcb }
    return nil
  }

  /// `setThreadState`: set the run state of the thread at `address` (nothing if there is none),
  /// then let the scheduler know (`scheduleTCB`).
  mutating func setThreadState(_ address: ObjectRef, _ state: ThreadState) {
    updateTCB(address) { $0.state = state }
    scheduleTCB(address)
  }

  /// The endpoint at `address`, if there is one.
  public func endpoint(at address: ObjectRef) -> Endpoint? {
    if case .endpoint(let ep) = ksPSpace[address] { return ep }
    return nil
  }

  /// The reply object at `address`, if there is one.
  public func reply(at address: ObjectRef) -> Reply? {
    if case .reply(let reply) = ksPSpace[address] { return reply }
    return nil
  }

  /// Set the `replyTCB` of the reply object at `address` (nothing if there is none).
  mutating func setReplyTCB(_ address: ObjectRef, _ tcb: ObjectRef?) {
    updateReply(address) { $0.replyTCB = tcb }
  }

  /// Change the reply object at `address` (nothing if there is none).
  mutating func updateReply(_ address: ObjectRef, _ change: (inout Reply) -> Void) {
    guard case .reply(var reply) = ksPSpace[address] else { return }
    change(&reply)
    ksPSpace[address] = .reply(reply)
  }

  /// The notification at `address`, if there is one.
  public func notification(at address: ObjectRef) -> Notification? {
    if case .notification(let ntfn) = ksPSpace[address] { return ntfn }
    return nil
  }

  /// Change the notification at `address` (nothing if there is none).
  mutating func updateNotification(_ address: ObjectRef, _ change: (inout Notification) -> Void) {
    guard var ntfn = notification(at: address) else { return }
    change(&ntfn)
    ksPSpace[address] = .notification(ntfn)
  }

  /// The scheduling context at `address`, if there is one.
  public func schedContext(at address: ObjectRef) -> SchedContext? {
    if case .schedContext(let sc) = ksPSpace[address] { return sc }
    return nil
  }

  /// Change the scheduling context at `address` (nothing if there is none).
  mutating func updateSchedContext(_ address: ObjectRef, _ change: (inout SchedContext) -> Void) {
    guard var sc = schedContext(at: address) else { return }
    change(&sc)
    ksPSpace[address] = .schedContext(sc)
  }

  /// Change the TCB at `address` (nothing if there is none).
  mutating func updateTCB(_ address: ObjectRef, _ change: (inout TCB) -> Void) {
    guard case .tcb = ksPSpace[address] else { return }
    ksPSpace.modify(address) { object in
      guard case .tcb(var tcb) = object else { return }
      // The box let go of before the TCB changes, so that its arrays are written in place.
      object = .endpoint(.idleEP)
      change(&tcb)
      object = .tcb(tcb)
    }
  }
}

extension SlotTable: CustomReflectable {
  /// The non-empty slots as a dictionary from index to entry (not the chunks they are kept in), so
  /// that a structural diff names `ctes[index]`.
  public var customMirror: Mirror {
    Mirror(
      self, children: occupied.map { (label: nil, value: (key: $0.index, value: $0.entry) as Any) },
      displayStyle: .dictionary)
  }
}
