// Obligations about where the kernel keeps a TCB's, a notification's and an endpoint's words, and
// how their state words encode a state.
//
// The kernel addresses an object's field as `object &+ ObjectLayout.<field>`, word `i` of an
// array of words as `object &+ <offset> &+ i &* 8` (the message registers, `setMR`), and its
// CTE `i` as `object &+ (i << slotBits)` (`cteAddress`). The obligations evaluate exactly those
// sums on a symbolic, size-aligned object address with the offsets read from `ObjectLayout` (an
// `ObjectWordsCode`), so a changed offset changes the SMT text and is proved again: every word is
// aligned, inside the object (`KernelObjectKind.sizeBits`, what retype zeroes), overlaps no other
// word and no CTE. The state words are proved from the `BitField`s and the state enums the
// kernel reads and writes them with (`ThreadStateCode`, `NtfnStateCode`), the endpoint's
// tail-and-state word from the kernel's own `packEndpointWord1` and `endpointTail` (`EPWord1Code`).

public import Bitwise
import Kernel
import KernelABI
import SMT

/// The words of one kind of kernel object, as the kernel addresses them.
public struct ObjectWordsCode: Sendable {
  /// A one-word field at `offset` bytes from the object's address.
  public struct Field: Sendable {
    public var name: String
    public var offset: UInt64
    public init(_ name: String, _ offset: UInt64) {
      self.name = name
      self.offset = offset
    }
  }

  /// `count` consecutive words from `offset`, word `i` at `offset + 8i`.
  public struct WordArray: Sendable {
    public var name: String
    public var offset: UInt64
    public var count: UInt64
    public init(_ name: String, offset: UInt64, count: UInt64) {
      self.name = name
      self.offset = offset
      self.count = count
    }
  }

  /// The name the obligations use: `kernel.layout.<object>.*`.
  public var object: String
  /// Log2 of the object's size in bytes.
  public var sizeBits: UInt64
  /// How many CTEs the object holds at its start.
  public var capSlots: UInt64
  public var fields: [Field]
  public var arrays: [WordArray]

  public init(object: String, sizeBits: UInt64, capSlots: UInt64, fields: [Field], arrays: [WordArray]) {
    self.object = object
    self.sizeBits = sizeBits
    self.capSlots = capSlots
    self.fields = fields
    self.arrays = arrays
  }

  /// The kernel's TCB: its CTEs, then its fields (`tcbFlags` after the registers), then the user
  /// context's registers.
  public static let tcb = ObjectWordsCode(
    object: "tcb", sizeBits: KernelObjectKind.tcb.sizeBits, capSlots: KernelObjectKind.tcb.slotCount,
    fields: [
      Field("tcbState", ObjectLayout.tcbState),
      Field("tcbPriority", ObjectLayout.tcbPriority),
      Field("tcbMCP", ObjectLayout.tcbMCP),
      Field("tcbDomain", ObjectLayout.tcbDomain),
      Field("tcbSchedContext", ObjectLayout.tcbSchedContext),
      Field("tcbSchedNext", ObjectLayout.tcbSchedNext),
      Field("tcbSchedPrev", ObjectLayout.tcbSchedPrev),
      Field("tcbEPNext", ObjectLayout.tcbEPNext),
      Field("tcbEPPrev", ObjectLayout.tcbEPPrev),
      Field("tcbBlockingObject", ObjectLayout.tcbBlockingObject),
      Field("tcbBoundNotification", ObjectLayout.tcbBoundNotification),
      Field("tcbMsgInfoRegister", ObjectLayout.tcbMsgInfoRegister),
      Field("tcbBadgeRegister", ObjectLayout.tcbBadgeRegister),
      Field("tcbFlags", ObjectLayout.tcbFlags),
      Field("tcbBlockingIPCBadge", ObjectLayout.tcbBlockingIPCBadge),
      Field("tcbBlockingIPCCanGrant", ObjectLayout.tcbBlockingIPCCanGrant),
      Field("tcbBlockingIPCCanGrantReply", ObjectLayout.tcbBlockingIPCCanGrantReply),
      Field("tcbBlockingIPCIsCall", ObjectLayout.tcbBlockingIPCIsCall),
      Field("tcbReceiveCNode", ObjectLayout.tcbReceiveCNode),
      Field("tcbReceiveIndex", ObjectLayout.tcbReceiveIndex),
      Field("tcbReceiveDepth", ObjectLayout.tcbReceiveDepth),
      Field("tcbBlockingReplyObject", ObjectLayout.tcbBlockingReplyObject),
      Field("tcbYieldTo", ObjectLayout.tcbYieldTo),
      Field("tcbFault[0]", ObjectLayout.tcbFault),
      Field("tcbFault[1]", ObjectLayout.tcbFault &+ 8),
      Field("tcbLookupFailure[0]", ObjectLayout.tcbLookupFailure),
      Field("tcbLookupFailure[1]", ObjectLayout.tcbLookupFailure &+ 8),
    ],
    arrays: [
      WordArray("tcbMsgRegisters", offset: ObjectLayout.tcbMsgRegisters, count: UInt64(KernelConstants.msgMaxLength)),
      WordArray("tcbRegisters", offset: ObjectLayout.tcbRegisters, count: UInt64(Register.otherRegisterCount)),
      WordArray(
        "tcbCapsOrBadges", offset: ObjectLayout.tcbCapsOrBadges, count: UInt64(KernelConstants.msgMaxExtraCaps)),
    ])

  /// The kernel's notification: six words, no CTEs.
  public static let notification = ObjectWordsCode(
    object: "notification", sizeBits: KernelObjectKind.notification.sizeBits,
    capSlots: KernelObjectKind.notification.slotCount,
    fields: [
      Field("ntfnQueueHead", ObjectLayout.ntfnQueueHead),
      Field("ntfnQueueTail", ObjectLayout.ntfnQueueTail),
      Field("ntfnState", ObjectLayout.ntfnState),
      Field("ntfnMsgIdentifier", ObjectLayout.ntfnMsgIdentifier),
      Field("ntfnBoundTCB", ObjectLayout.ntfnBoundTCB),
      Field("ntfnSchedContext", ObjectLayout.ntfnSchedContext),
    ],
    arrays: [])

  /// The kernel's endpoint: two words (the head, then the tail and state), no CTEs.
  public static let endpoint = ObjectWordsCode(
    object: "endpoint", sizeBits: KernelObjectKind.endpoint.sizeBits, capSlots: KernelObjectKind.endpoint.slotCount,
    fields: [
      Field("epQueueHead", ObjectLayout.epQueueHead),
      Field("epWord1", ObjectLayout.epWord1),
    ],
    arrays: [])

  /// The kernel's reply object (seL4 MCS `reply_t`): `replyTCB`, `replyPrev`, `replyNext`, no CTEs.
  public static let reply = ObjectWordsCode(
    object: "reply", sizeBits: KernelObjectKind.reply.sizeBits, capSlots: KernelObjectKind.reply.slotCount,
    fields: [
      Field("replyTCB", ObjectLayout.replyTCB),
      Field("replyPrev", ObjectLayout.replyPrev),
      Field("replyNext", ObjectLayout.replyNext),
    ],
    arrays: [])

  /// The kernel's scheduling context (seL4 MCS `sched_context_t`): its twelve header words and
  /// the refills after them, no CTEs; proved in the smallest one (2^`minSchedContextBits` bytes,
  /// which every larger one contains), holding `refill_absolute_max` = (2^7 − 96) / 16 = 2
  /// refills of two words each.
  public static let schedContext = ObjectWordsCode(
    object: "schedContext", sizeBits: KernelConstants.minSchedContextBits, capSlots: 0,
    fields: [
      Field("scPeriod", ObjectLayout.scPeriod),
      Field("scConsumed", ObjectLayout.scConsumed),
      Field("scCore", ObjectLayout.scCore),
      Field("scTcb", ObjectLayout.scTcb),
      Field("scReply", ObjectLayout.scReply),
      Field("scNotification", ObjectLayout.scNotification),
      Field("scBadge", ObjectLayout.scBadge),
      Field("scYieldFrom", ObjectLayout.scYieldFrom),
      Field("scRefillMax", ObjectLayout.scRefillMax),
      Field("scRefillHead", ObjectLayout.scRefillHead),
      Field("scRefillTail", ObjectLayout.scRefillTail),
      Field("scSporadic", ObjectLayout.scSporadic),
    ],
    arrays: [
      WordArray(
        "scRefills", offset: ObjectLayout.scRefills,
        count: 2 &* RefillBuffer<UInt64>.refillAbsoluteMax(sizeBits: KernelConstants.minSchedContextBits))
    ])
}

/// How the kernel reads a reply object's call-stack words (`call_stack_t`): the pointer and the
/// head flag, read back from what `ObjectLayout.packCallStack` writes.
public struct CallStackCode: Sendable {
  public var ptr: BitField
  public var isHead: BitField

  public init(ptr: BitField, isHead: BitField) {
    self.ptr = ptr
    self.isHead = isHead
  }

  public static let kernel = CallStackCode(ptr: ObjectLayout.callStackPtr, isHead: ObjectLayout.callStackIsHead)
}

/// How the kernel packs an endpoint's queue tail and state into its second word
/// (`ObjectLayout.packEndpointWord1`, read back with `endpointTail` and `epState`).
public struct EPWord1Code: Sendable {
  public var tail: BitField
  public var state: BitField
  /// Every state the kernel writes, by name, with its tag.
  public var tags: [(name: String, tag: UInt64)]
  /// The tag of Idle, which a zeroed endpoint must read as.
  public var idle: UInt64
  /// Log2 of a TCB's alignment: a queue's tail is a TCB's address.
  public var tcbAlignBits: UInt64

  public init(tail: BitField, state: BitField, tags: [(name: String, tag: UInt64)], idle: UInt64, tcbAlignBits: UInt64)
  {
    self.tail = tail
    self.state = state
    self.tags = tags
    self.idle = idle
    self.tcbAlignBits = tcbAlignBits
  }

  public static let kernel = EPWord1Code(
    tail: ObjectLayout.epQueueTail, state: ObjectLayout.epState,
    tags: KernelEPState.allCases.map { ("\($0)", $0.rawValue) }, idle: KernelEPState.idle.rawValue,
    tcbAlignBits: KernelObjectKind.tcb.sizeBits)
}

/// How the kernel packs a thread's state into the TCB's state word.
public struct ThreadStateCode: Sendable {
  public var tsType: BitField
  public var tcbQueued: BitField
  /// `tcbInReleaseQueue` (MCS), next to `tcbQueued`.
  public var tcbInReleaseQueue: BitField
  /// Every state the kernel writes, by name, with its tag.
  public var tags: [(name: String, tag: UInt64)]
  /// The tag of Inactive, which a zeroed TCB must read as.
  public var inactive: UInt64

  public init(
    tsType: BitField, tcbQueued: BitField, tcbInReleaseQueue: BitField, tags: [(name: String, tag: UInt64)],
    inactive: UInt64
  ) {
    self.tsType = tsType
    self.tcbQueued = tcbQueued
    self.tcbInReleaseQueue = tcbInReleaseQueue
    self.tags = tags
    self.inactive = inactive
  }

  public static let kernel = ThreadStateCode(
    tsType: ObjectLayout.tsType, tcbQueued: ObjectLayout.tcbQueued, tcbInReleaseQueue: ObjectLayout.tcbInReleaseQueue,
    tags: KernelThreadState.allCases.map { ("\($0)", $0.rawValue) }, inactive: KernelThreadState.inactive.rawValue)
}

/// How the kernel writes a notification's state into its state word: the whole word is the tag
/// (`setNtfnState`), read back with `KernelNtfnState(rawValue:)`.
public struct NtfnStateCode: Sendable {
  public var tags: [(name: String, tag: UInt64)]
  /// The tag of Idle, which a zeroed notification must read as.
  public var idle: UInt64

  public init(tags: [(name: String, tag: UInt64)], idle: UInt64) {
    self.tags = tags
    self.idle = idle
  }

  public static let kernel = NtfnStateCode(
    tags: KernelNtfnState.allCases.map { ("\($0)", $0.rawValue) }, idle: KernelNtfnState.idle.rawValue)
}

extension Obligation {
  /// The placement obligations for the words of `code`'s object.
  public static func objectWords(_ code: ObjectWordsCode) -> [Obligation] {
    let size: UInt64 = 1 << code.sizeBits
    let slotSize: UInt64 = 1 << KernelConstants.slotBits
    /// A symbolic object address as the kernel has them: below 2^48, aligned to the object's size.
    @Sendable func objectAddress(_ s: ProofScope) -> SymbolicWord {
      let object = s.word(code.object, atMost: (1 << 48) - 1)
      s.assume(SymbolicWord.isAligned(object, bits: .known(code.sizeBits)))
      return object
    }
    /// Every word of the object: each field's, and word `i` of each array for a symbolic `i`
    /// below its count (called `<array>Index<suffix>`, returned as `index`).
    @Sendable func words(_ s: ProofScope, _ object: SymbolicWord, suffix: String = "") -> [(
      address: SymbolicWord, index: SymbolicWord?
    )] {
      var result: [(address: SymbolicWord, index: SymbolicWord?)] = code.fields.map {
        (object &+ .known($0.offset), nil)
      }
      for array in code.arrays {
        let index = s.word("\(array.name)Index\(suffix)")
        s.assume(index .< .known(array.count))
        result.append((object &+ .known(array.offset) &+ index &* 8, index))
      }
      return result
    }
    /// The bytes `[a, a + aSize)` and `[b, b + bSize)` do not overlap.
    @Sendable func apart(_ a: SymbolicWord, _ aSize: UInt64, _ b: SymbolicWord, _ bSize: UInt64) -> SymbolicBool {
      ((a &+ .known(aSize)) .<= b) .|| ((b &+ .known(bSize)) .<= a)
    }
    let object = code.object
    let which = code.arrays.isEmpty ? "field word" : "field word and array word"
    let pairs =
      code.arrays.isEmpty
      ? "no two \(object) field words overlap"
      : "no two \(object) words overlap: fields with fields and array words, array words of different indexes"
    var result = [
      Obligation(
        "kernel.layout.\(object).wordsAligned",
        "every \(object) \(which) is 8-byte aligned in an object aligned to its 2^\(code.sizeBits) bytes"
      ) { s in
        let o = objectAddress(s)
        return words(s, o).reduce(SymbolicBool.known(true)) { $0 .&& SymbolicWord.isAligned($1.address, bits: 3) }
      },
      Obligation(
        "kernel.layout.\(object).wordsInsideObject",
        "every \(object) \(which) lies inside the object: offset + 8 <= 2^\(code.sizeBits)"
      ) { s in
        let o = objectAddress(s)
        let end = o &+ .known(size)
        return words(s, o).reduce(SymbolicBool.known(true)) {
          $0 .&& ($1.address .>= o) .&& (($1.address &+ 8) .<= end)
        }
      },
      Obligation(
        "kernel.layout.\(object).wordsDisjoint",
        pairs
      ) { s in
        let o = objectAddress(s)
        let first = words(s, o)
        let second = words(s, o, suffix: "2")
        var holds = SymbolicBool.known(true)
        for (i, a) in first.enumerated() {
          for (j, b) in second.enumerated() where j >= i {
            // A word and itself: only an array's, at two indexes, which are apart unless equal.
            if i == j {
              guard let x = a.index, let y = b.index else { continue }
              // swift-format-ignore: NoAssignmentInExpressions
              holds = holds .&& ((x .== y) .|| apart(a.address, 8, b.address, 8))
            } else {
              // swift-format-ignore: NoAssignmentInExpressions
              holds = holds .&& apart(a.address, 8, b.address, 8)
            }
          }
        }
        return holds
      },
    ]
    if code.capSlots > 0 {
      result.append(
        Obligation(
          "kernel.layout.\(object).wordsClearOfCapSlots",
          "no \(object) \(which) overlaps one of its \(code.capSlots) CTEs"
        ) { s in
          let o = objectAddress(s)
          let slot = s.word("slot")
          s.assume(slot .< .known(code.capSlots))
          let cte = o &+ (slot << .known(KernelConstants.slotBits))
          return words(s, o).reduce(SymbolicBool.known(true)) { $0 .&& apart(cte, slotSize, $1.address, 8) }
        })
    }
    return result
  }

  /// Obligations over the TCB's state word.
  public static func threadStateWord(_ code: ThreadStateCode = .kernel) -> [Obligation] {
    let layout = BitLayout("thread_state", [code.tsType, code.tcbQueued, code.tcbInReleaseQueue])
    return [
      Obligation(
        "kernel.layout.tcb.threadStateTags",
        "every thread state's tag survives tsType (read back as written, so tags stay distinct) and keeps tcbQueued and tcbInReleaseQueue"
      ) { s in
        let word = s.word("stateWord", layout: layout)
        var holds = SymbolicBool.known(true)
        for (_, tag) in code.tags {
          let written = code.tsType.set(word, to: .known(tag))
          // swift-format-ignore: NoAssignmentInExpressions
          holds = holds .&& (code.tsType.get(written) .== .known(tag))
            .&& (code.tcbQueued.get(written) .== code.tcbQueued.get(word))
            .&& (code.tcbInReleaseQueue.get(written) .== code.tcbInReleaseQueue.get(word))
        }
        return holds
      },
      Obligation(
        "kernel.layout.tcb.queueFlagsIndependent",
        "setting either of tcbQueued and tcbInReleaseQueue reads back as written and keeps the other flag and the state"
      ) { s in
        let word = s.word("stateWord", layout: layout)
        let bit = s.word("bit", atMost: 1)
        let queued = code.tcbQueued.set(word, to: bit)
        let released = code.tcbInReleaseQueue.set(word, to: bit)
        return (code.tcbQueued.get(queued) .== bit)
          .&& (code.tcbInReleaseQueue.get(queued) .== code.tcbInReleaseQueue.get(word))
          .&& (code.tsType.get(queued) .== code.tsType.get(word))
          .&& (code.tcbInReleaseQueue.get(released) .== bit)
          .&& (code.tcbQueued.get(released) .== code.tcbQueued.get(word))
          .&& (code.tsType.get(released) .== code.tsType.get(word))
      },
      Obligation(
        "kernel.layout.tcb.zeroIsInactive",
        "a zeroed TCB state word (a freshly retyped TCB) reads as Inactive, in no ready queue and not in the release queue"
      ) { s in
        let word = s.word("stateWord", layout: layout)
        s.assume(word .== 0)
        return (code.tsType.get(word) .== .known(code.inactive)) .&& (code.tcbQueued.get(word) .== 0)
          .&& (code.tcbInReleaseQueue.get(word) .== 0)
      },
    ]
  }

  /// Obligations over the notification's state word.
  public static func ntfnStateWord(_ code: NtfnStateCode = .kernel) -> [Obligation] {
    [
      Obligation(
        "kernel.layout.notification.stateTags",
        "a notification state word names at most one state: the tags of "
          + code.tags.map(\.name).joined(separator: ", ") + " are distinct"
      ) { s in
        let word = s.word("stateWord")
        var holds = SymbolicBool.known(true)
        for (i, a) in code.tags.enumerated() {
          for b in code.tags[(i + 1)...] {
            // swift-format-ignore: NoAssignmentInExpressions
            holds = holds .&& .!((word .== .known(a.tag)) .&& (word .== .known(b.tag)))
          }
        }
        return holds
      },
      Obligation(
        "kernel.layout.notification.zeroIsIdle",
        "a zeroed notification state word (a freshly retyped notification) reads as Idle"
      ) { s in
        let word = s.word("stateWord")
        s.assume(word .== 0)
        return word .== .known(code.idle)
      },
    ]
  }

  /// Obligations over the endpoint's tail-and-state word, evaluated on the kernel's own
  /// `packEndpointWord1` and `endpointTail`.
  public static func endpointWord1(_ code: EPWord1Code = .kernel) -> [Obligation] {
    let layout = BitLayout("endpoint[1]", [code.tail, code.state])
    return [
      Obligation(
        "kernel.layout.endpoint.tailAndStateRoundTrip",
        "the tail-and-state word the kernel writes for any TCB address below 2^48 (or 0) and any state "
          + code.tags.map(\.name).joined(separator: ", ") + " reads back as that tail and that state"
      ) { s in
        let tail = s.word("tail", atMost: (1 << 48) - 1)
        s.assume(SymbolicWord.isAligned(tail, bits: .known(code.tcbAlignBits)))
        var holds = SymbolicBool.known(true)
        for (_, tag) in code.tags {
          let word = ObjectLayout.packEndpointWord1(tail: tail, state: SymbolicWord.known(tag))
          // swift-format-ignore: NoAssignmentInExpressions
          holds = holds .&& (ObjectLayout.endpointTail(word) .== tail) .&& (code.state.get(word) .== .known(tag))
        }
        return holds
      },
      Obligation(
        "kernel.layout.endpoint.zeroIsIdle",
        "a zeroed endpoint tail-and-state word (a freshly retyped endpoint) reads as Idle with no tail"
      ) { s in
        let word = s.word("word1", layout: layout)
        s.assume(word .== 0)
        return (code.state.get(word) .== .known(code.idle)) .&& (ObjectLayout.endpointTail(word) .== 0)
      },
    ]
  }

  /// Obligations over a reply object's call-stack words, evaluated on the kernel's own
  /// `packCallStack`.
  public static func callStackWord(_ code: CallStackCode = .kernel) -> [Obligation] {
    [
      Obligation(
        "kernel.layout.reply.callStackRoundTrip",
        "the call-stack word the kernel writes for any pointer below 2^48 and either head flag reads back as that "
          + "pointer and that flag"
      ) { s in
        let ptr = s.word("ptr", atMost: (1 << 48) - 1)
        var holds = SymbolicBool.known(true)
        for flag: UInt64 in [0, 1] {
          let word = ObjectLayout.packCallStack(ptr: ptr, isHead: SymbolicWord.known(flag))
          // swift-format-ignore: NoAssignmentInExpressions
          holds = holds .&& (code.ptr.get(word) .== ptr) .&& (code.isHead.get(word) .== .known(flag))
        }
        return holds
      }
    ]
  }

  /// The TCB, notification, endpoint, reply and scheduling-context layout obligations, from the
  /// kernel's code.
  public static func kernelObjectLayouts() -> [Obligation] {
    objectWords(.tcb) + threadStateWord() + objectWords(.notification) + ntfnStateWord()
      + objectWords(.endpoint) + endpointWord1() + objectWords(.reply) + callStackWord()
      + objectWords(.schedContext)
  }
}
