// Deliberately broken versions of the code under proof, to show that each obligation can fail.

import Bitwise
import Kernel
import KernelABI
import Refinement
import SMT
import SymbolicSpec

enum Mutants {
  /// A message-info codec built from the given fields, clamping length at `clamp` (nil: never).
  static func messageInfo(
    label: BitField = MessageInfo.labelField, caps: BitField = MessageInfo.capsUnwrappedField,
    extra: BitField = MessageInfo.extraCapsField, length: BitField = MessageInfo.lengthField,
    clamp: UInt64? = 120
  ) -> MessageInfoCode {
    MessageInfoCode(
      layout: BitLayout("mutant", [label, caps, extra, length]),
      pack: { l, c, e, n in
        var w: SymbolicWord = 0
        w = label.set(w, to: l)
        w = caps.set(w, to: c)
        w = extra.set(w, to: e)
        w = length.set(w, to: n)
        return w
      },
      fromWord: { w in
        let n = length.get(w)
        let clamped = clamp.map { SymbolicWord.select(n .> .known($0), .known($0), n) } ?? n
        return (label.get(w), caps.get(w), extra.get(w), clamped)
      })
  }

  static let messageInfoMutants: [(String, MessageInfoCode)] = [
    ("label overlaps capsUnwrapped", messageInfo(label: BitField("label", offset: 11, width: 53))),
    ("length overlaps extraCaps", messageInfo(length: BitField("length", offset: 0, width: 8))),
    ("capsUnwrapped one bit short", messageInfo(caps: BitField("capsUnwrapped", offset: 9, width: 2))),
    ("length clamped at 119", messageInfo(clamp: 119)),
    ("length never clamped", messageInfo(clamp: nil)),
  ]

  static func capRights(
    fromWord: @escaping @Sendable (SymbolicWord) -> SymbolicWord = { CapRights.fromWord($0) },
    pack: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord = {
      CapRights.pack(grantReply: $0, grant: $1, read: $2, write: $3)
    },
    mask: (@Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord)? = nil
  ) -> CapRightsCode {
    CapRightsCode(
      layout: CapRights.layout, fromWord: fromWord, pack: pack,
      mask: mask ?? { fromWord($0) & fromWord($1) })
  }

  static let capRightsMutants: [(String, CapRightsCode)] = [
    ("rightsFromWord keeps five bits", capRights(fromWord: { $0 & 0x1F })),
    ("mask is a union", capRights(mask: { CapRights.fromWord($0) | CapRights.fromWord($1) })),
    ("mask removes the mask's rights", capRights(mask: { CapRights.fromWord($0) & ~CapRights.fromWord($1) })),
    ("mask is an exclusive or", capRights(mask: { CapRights.fromWord($0) ^ CapRights.fromWord($1) })),
    ("pack swaps read and write", capRights(pack: { CapRights.pack(grantReply: $0, grant: $1, read: $3, write: $2) })),
  ]

  static let alignmentMutants: [(String, AlignmentCode)] = [
    (
      "alignUp rounds down",
      AlignmentCode(
        alignUp: { $0 & ~SymbolicWord.mask(bits: $1) }, isAligned: { SymbolicWord.isAligned($0, bits: $1) })
    ),
    (
      "alignUp adds 2^n instead of 2^n − 1",
      AlignmentCode(
        alignUp: { ($0 &+ (1 << $1)) & ~SymbolicWord.mask(bits: $1) },
        isAligned: { SymbolicWord.isAligned($0, bits: $1) })
    ),
    (
      "alignUp forgets to mask",
      AlignmentCode(
        alignUp: { $0 &+ SymbolicWord.mask(bits: $1) }, isAligned: { SymbolicWord.isAligned($0, bits: $1) })
    ),
  ]

  /// Each kernel layout with its first field duplicated: two fields then share bits.
  static var layoutMutants: [(String, Obligation)] {
    Obligation.catalogue.compactMap { o -> (String, Obligation)? in
      guard o.name.hasPrefix("kernel.layout.") else { return nil }
      let name = String(o.name.dropFirst("kernel.layout.".count))
      guard let layout = kernelLayoutsByName[name], let first = layout.fields.first else { return nil }
      let clone = BitField(first.name + "Clone", offset: first.offset, width: first.width)
      return (
        "\(name) with a duplicated field",
        Obligation.layoutRoundTrip(name, BitLayout(layout.name, layout.fields + [clone]))
      )
    }
  }

  static var kernelLayoutsByName: [String: BitLayout] {
    var result: [String: BitLayout] = [:]
    for tag in CapTag.allCases {
      let (w0, w1) = CapWordLayout.layouts(for: tag)
      result["cap.\(tag).word0"] = w0
      result["cap.\(tag).word1"] = w1
    }
    result["mdbNode.word0"] = ObjectLayout.mdbNode.0
    result["mdbNode.word1"] = ObjectLayout.mdbNode.1
    result["threadState"] = ObjectLayout.threadState
    result["seL4Fault.word1"] = ObjectLayout.faultWord1
    result["lookupFault.word1"] = ObjectLayout.lookupFaultWord1
    return result
  }

  static func encoding(_ change: (inout KernelEncodingCode) -> Void) -> KernelEncodingCode {
    var code = KernelEncodingCode.kernel
    change(&code)
    return code
  }

  static let encodingMutants: [(String, KernelEncodingCode)] = [
    ("capType one bit short", encoding { $0.capType = BitField("capType", offset: 59, width: 4) }),
    ("capPtr one bit short", encoding { $0.capPtr = BitField("capPtr", offset: 0, width: 47) }),
    ("capCNodePtr one bit short", encoding { $0.capCNodePtr = BitField("capCNodePtr", offset: 0, width: 46) }),
    ("mdbNext one bit short", encoding { $0.mdbNext = BitField("mdbNext", offset: 2, width: 45) }),
    ("capFreeIndex one bit short", encoding { $0.capFreeIndex = BitField("capFreeIndex", offset: 16, width: 43) }),
    ("free index rounded down", encoding { $0.freeIndexToUnits = { $0 >> 4 } }),
  ]

  static func cspace(_ change: (inout CSpaceCode) -> Void) -> CSpaceCode {
    var code = CSpaceCode.kernel
    change(&code)
    return code
  }

  static let cspaceMutants: [(String, CSpaceCode)] = [
    (
      "guard shift masked to 5 bits",
      cspace { $0.guardBits = { c, b, g in (c >> ((b &- g) & 31)) & SymbolicWord.mask(bits: g) } }
    ),
    ("index not masked to the radix", cspace { $0.slotIndex = { c, b, l, _ in c >> (b &- l) } }),
    ("slots 16 bytes apart", cspace { $0.slotAddress = { n, i in n &+ (i << 4) } }),
    ("index halved", cspace { $0.slotAddress = { n, i in n &+ ((i >> 1) << 5) } }),
    ("guard value never compared", cspace { $0.guardMismatch = { _, b, g, _ in g .> b } }),
  ]

  static func retype(_ change: (inout RetypeCode) -> Void) -> RetypeCode {
    var code = RetypeCode.kernel
    change(&code)
    return code
  }

  static let retypeMutants: [(String, RetypeCode)] = [
    ("start not aligned", retype { $0.start = { b, f, _ in b &+ f } }),
    ("start aligned down", retype { $0.start = { b, f, o in (b &+ f) & ~SymbolicWord.mask(bits: o) } }),
    ("memory check allows one more", retype { $0.enoughMemory = { f, o, c in (o .< 64) .&& (((f >> o) &+ 1) .>= c) } }),
    ("memory check demands one more", retype { $0.enoughMemory = { f, o, c in (o .< 64) .&& ((f >> o) .> c) } }),
    ("objects half a size apart", retype { $0.objectAddress = { s, i, o in s &+ (i << (o &- 1)) } }),
    ("watermark forgets the objects", retype { $0.newFreeOffset = { b, s, _, _ in s &- b } }),
    ("free bytes off by one", retype { $0.freeBytes = { b, f in ((1 << b) &- f) &+ 1 } }),
    ("object sizes 10 bits larger", retype { $0.objectSizeBits = { _, u in u &+ 10 } }),
  ]

  /// The kernel's fastpath message-info code with some part replaced.
  static func fastpathMessageInfo(_ change: (inout FastpathMessageInfoCode) -> Void) -> FastpathMessageInfoCode {
    var code = FastpathMessageInfoCode.kernel
    change(&code)
    return code
  }

  static let fastpathMessageInfoMutants: [(String, FastpathMessageInfoCode)] = [
    // Accepts a five-register message, whose fifth register seL4 reads from the IPC buffer.
    ("fastpath_mi_check compares with 5", fastpathMessageInfo { $0.fails = { ($0 & 0x1FF) .> 5 } }),
    // Rejects a four-register message the fastpath could carry.
    ("fastpath_mi_check compares with 3", fastpathMessageInfo { $0.fails = { ($0 & 0x1FF) .> 3 } }),
    // Accepts extra caps, which the slowpath reads from the IPC buffer and transfers.
    ("fastpath_mi_check masks only the length bits", fastpathMessageInfo { $0.fails = { ($0 & 0x7F) .> 4 } }),
    (
      "the fastpath copies one register more",
      fastpathMessageInfo { $0.length = { MessageInfo.lengthField.get($0) &+ 1 } }
    ),
    ("the fastpath keeps capsUnwrapped", fastpathMessageInfo { $0.deliveredWord = { $0 } }),
  ]

  /// Every mutated obligation, tagged with its mutant.
  static var all: [(mutant: String, obligation: Obligation)] {
    messageInfoMutants.flatMap { name, code in Obligation.messageInfo(code).map { (name, $0) } }
      + capRightsMutants.flatMap { name, code in Obligation.capRights(code).map { (name, $0) } }
      + alignmentMutants.flatMap { name, code in Obligation.alignment(code).map { (name, $0) } }
      + layoutMutants
      + encodingMutants.flatMap { name, code in
        Obligation.kernelEncodings(code).filter { !$0.name.hasPrefix("kernel.layout.") }.map { (name, $0) }
      }
      + cspaceMutants.flatMap { name, code in Obligation.kernelCSpace(code).map { (name, $0) } }
      + retypeMutants.flatMap { name, code in Obligation.kernelRetype(code).map { (name, $0) } }
      + priorityBitmapMutants.flatMap { name, code in Obligation.priorityBitmap(code).map { (name, $0) } }
      + objectWordsMutants.flatMap { name, code in Obligation.objectWords(code).map { (name, $0) } }
      + threadStateMutants.flatMap { name, code in Obligation.threadStateWord(code).map { (name, $0) } }
      + ntfnStateMutants.flatMap { name, code in Obligation.ntfnStateWord(code).map { (name, $0) } }
      + epWord1Mutants.flatMap { name, code in Obligation.endpointWord1(code).map { (name, $0) } }
      + callStackMutants.flatMap { name, code in Obligation.callStackWord(code).map { (name, $0) } }
      + notificationBadgeMutants.flatMap { name, code in Obligation.notificationBadge(code).map { (name, $0) } }
      + fastpathMessageInfoMutants.flatMap { name, code in Obligation.fastpathMessageInfo(code).map { (name, $0) } }
      + refillMutants
      + releaseQueueMutants.flatMap { name, code in Obligation.releaseQueue(code).map { (name, $0) } }
      + abstractMutants
  }

  /// The shared refill code with some part replaced.
  static func refill(_ change: (inout RefillCode) -> Void) -> RefillCode {
    var code = RefillCode.shared
    change(&code)
    return code
  }

  /// `schedule_used` with one of its three cases broken (the shared code's text otherwise).
  static func scheduleUsed(
    _ buffer: RefillCode.Buffer, _ new: RefillCode.Entry, dropsNewAmountOnMerge: Bool = false,
    mergesByTailStart: Bool = false, ignoresFull: Bool = false
  ) -> RefillCode.Buffer {
    var b = buffer
    let tail = b.tailRefill
    let merges = mergesByTailStart ? tail.rTime .>= new.rTime : b.scheduleUsedMerges(new)
    let appends = ignoresFull ? .!merges : .!merges .&& .!b.refillFull
    let grown = tail.rAmount &+ new.rAmount
    let merged = Refill(rTime: tail.rTime, rAmount: dropsNewAmountOnMerge ? tail.rAmount : grown)
    let delayed = Refill(rTime: new.rTime &- tail.rAmount, rAmount: grown)
    let newTail = SymbolicWord.select(appends, b.refillNext(b.tail), b.tail)
    b.tail = newTail
    b.setRefill(at: newTail, .select(merges, merged, .select(appends, new, delayed)))
    return b
  }

  /// The partial charge writing `head` for the head refill (the shared code's text otherwise).
  static func partialCharge(
    _ headAfter: @escaping @Sendable (RefillCode.Entry, SymbolicWord) -> RefillCode.Entry
  ) -> RefillCode {
    refill {
      $0.partialCharge = { buffer, usage, period, maxReleaseTime in
        var charged = buffer
        let head = buffer.headRefill
        charged.setRefill(at: buffer.head, headAfter(head, usage))
        charged.scheduleUsed(Refill(rTime: head.rTime &+ period, rAmount: usage))
        return .select(buffer.partialChargeApplies(usage: usage, maxReleaseTime: maxReleaseTime), charged, buffer)
      }
    }
  }

  /// Each refill mutant on the obligation it breaks (only that one: the others would cost the
  /// solver minutes to prove again).
  static let refillMutantsByObligation: [(String, String, RefillCode)] = [
    // Steps from refillMax − 1 to refillMax, past the buffer.
    (
      "refill_next wraps at refillMax", "kernel.refill.next.staysInBuffer",
      refill { $0.refillNext = { b, i in SymbolicWord.select(i .== b.refillMax, 0, i &+ 1) } }
    ),
    (
      "refill_size's wrapped case without the + 1", "kernel.refill.size.countsWindow",
      refill {
        $0.refillSize = { b in
          SymbolicWord.select(b.head .<= b.tail, b.tail &- b.head &+ 1, b.tail &+ (b.refillMax &- b.head))
        }
      }
    ),
    (
      "refill_full compares with refillMax − 1", "kernel.refill.fullAndSingle.matchWindow",
      refill { $0.refillFull = { b in b.refillSize .== b.refillMax &- 1 } }
    ),
    // A usage above the head's amount wraps to a huge capacity.
    (
      "refill_capacity without the usage test", "kernel.refill.capacity.headLessUsage",
      refill { $0.refillCapacity = { b, usage in b.headRefill.rAmount &- usage } }
    ),
    (
      "schedule_used's merge drops the new amount", "kernel.refill.scheduleUsed.addsAmount",
      refill { $0.scheduleUsed = { scheduleUsed($0, $1, dropsNewAmountOnMerge: true) } }
    ),
    // A used refill starting inside the tail is appended, overlapping it.
    (
      "schedule_used merges by the tail's start", "kernel.refill.scheduleUsed.keepsOrder",
      refill { $0.scheduleUsed = { scheduleUsed($0, $1, mergesByTailStart: true) } }
    ),
    // Appending to a full buffer overwrites the head.
    (
      "schedule_used appends to a full buffer", "kernel.refill.scheduleUsed.staysInBuffer",
      refill { $0.scheduleUsed = { scheduleUsed($0, $1, ignoresFull: true) } }
    ),
    (
      "the partial charge takes the usage from the head twice",
      "kernel.refill.budgetCheck.partialCharge.preservesSum",
      partialCharge { head, usage in Refill(rTime: head.rTime &+ usage, rAmount: head.rAmount &- usage &- usage) }
    ),
    // The head keeps its start and loses usage: it ends usage earlier.
    (
      "the partial charge leaves the head's start", "kernel.refill.budgetCheck.partialCharge.keepsHeadEnd",
      partialCharge { head, usage in Refill(rTime: head.rTime, rAmount: head.rAmount &- usage) }
    ),
    (
      "refill_new without maybe_add_empty_tail", "kernel.refill.refillNew.establishesValidRefills",
      refill {
        $0.refillNew = { buffer, refillMax, budget, _, now in
          var b = buffer
          b.refillMax = refillMax
          b.head = 0
          b.tail = 0
          b.setRefill(at: 0, Refill(rTime: now, rAmount: budget))
          return b
        }
      }
    ),
    // The planted bug: the popped head's amount is not added to the next refill.
    (
      "merge_nonoverlapping_head_refill loses the popped amount",
      "kernel.refill.mergeNonoverlappingHeadRefill.preservesSum",
      refill {
        $0.mergeNonoverlappingHeadRefill = { buffer in
          var b = buffer
          let old = b.refillPopHead()
          let next = b.headRefill
          b.setRefill(at: b.head, Refill(rTime: next.rTime &- old.rAmount, rAmount: next.rAmount))
          return b
        }
      }
    ),
    // The merged refill keeps the second one's start, so it ends later and can overlap the third.
    (
      "merge_nonoverlapping_head_refill leaves the start", "kernel.refill.mergeNonoverlappingHeadRefill.keepsOrder",
      refill {
        $0.mergeNonoverlappingHeadRefill = { buffer in
          var b = buffer
          let old = b.refillPopHead()
          let next = b.headRefill
          b.setRefill(at: b.head, Refill(rTime: next.rTime, rAmount: next.rAmount &+ old.rAmount))
          return b
        }
      }
    ),
    (
      "merge_overlapping_head_refill loses the popped amount", "kernel.refill.mergeOverlappingHeadRefill.preservesSum",
      refill {
        $0.mergeOverlappingHeadRefill = { buffer in
          var b = buffer
          let old = b.refillPopHead()
          b.setRefill(at: b.head, Refill(rTime: old.rTime, rAmount: b.headRefill.rAmount))
          return b
        }
      }
    ),
    // The plan's unblock mutant: the merged refill keeps the later start, not the head's (now).
    (
      "merge_overlapping_head_refill keeps the later start", "kernel.refill.mergeOverlappingHeadRefill.keepsHeadStart",
      refill {
        $0.mergeOverlappingHeadRefill = { buffer in
          var b = buffer
          let old = b.refillPopHead()
          let next = b.headRefill
          b.setRefill(at: b.head, Refill(rTime: next.rTime, rAmount: next.rAmount &+ old.rAmount))
          return b
        }
      }
    ),
    // The charged head is dropped instead of coming back one period later.
    (
      "charge_entire_head_refill pops without schedule_used", "kernel.refill.chargeEntireHeadRefill.preservesSum",
      refill {
        $0.chargeEntireHeadRefill = { buffer, usage, period in
          let old = buffer.headRefill
          var moved = buffer
          moved.setRefill(at: buffer.head, Refill(rTime: old.rTime &+ period, rAmount: old.rAmount))
          var popped = buffer
          _ = popped.refillPopHead()
          return (.select(buffer.refillSingle, moved, popped), usage &- old.rAmount)
        }
      }
    ),
    // Appending one period after the head can land before the tail ends.
    (
      "charge_entire_head_refill appends instead of schedule_used", "kernel.refill.chargeEntireHeadRefill.keepsOrder",
      refill {
        $0.chargeEntireHeadRefill = { buffer, usage, period in
          let old = buffer.headRefill
          var moved = buffer
          moved.setRefill(at: buffer.head, Refill(rTime: old.rTime &+ period, rAmount: old.rAmount))
          var popped = buffer
          let used = popped.refillPopHead()
          popped.refillAddTail(Refill(rTime: used.rTime &+ period, rAmount: used.rAmount))
          return (.select(buffer.refillSingle, moved, popped), usage &- old.rAmount)
        }
      }
    ),
    // The plan's window mutant: the charged head comes back two periods later.
    (
      "charge_entire_head_refill reschedules two periods later", "kernel.refill.chargeEntireHeadRefill.keepsWindow",
      refill {
        $0.chargeEntireHeadRefill = { buffer, usage, period in
          let old = buffer.headRefill
          var moved = buffer
          moved.setRefill(at: buffer.head, Refill(rTime: old.rTime &+ period &+ period, rAmount: old.rAmount))
          var popped = buffer
          let used = popped.refillPopHead()
          popped.scheduleUsed(Refill(rTime: used.rTime &+ period &+ period, rAmount: used.rAmount))
          return (.select(buffer.refillSingle, moved, popped), usage &- old.rAmount)
        }
      }
    ),
    (
      "commitTime's round-robin charge does not add to the tail",
      "kernel.refill.roundRobin.commitTime.keepsRoundRobinValid",
      refill {
        $0.refillBudgetCheckRoundRobin = { buffer, consumed in
          var b = buffer
          let head = b.headRefill
          b.setRefill(at: b.head, Refill(rTime: head.rTime, rAmount: head.rAmount &- consumed))
          return b
        }
      }
    ),
    (
      "chargeBudget's round-robin charge leaves the tail", "kernel.refill.roundRobin.chargeBudget.keepsRoundRobinValid",
      refill {
        $0.refillResetRR = { buffer in
          var b = buffer
          let head = b.headRefill
          b.setRefill(at: b.head, Refill(rTime: head.rTime, rAmount: head.rAmount &+ b.tailRefill.rAmount))
          return b
        }
      }
    ),
    (
      "refill_update's trim keeps the old amount", "kernel.refill.refillUpdate.sumIsBudget",
      refillUpdate(trimmedAmount: { old, _ in old })
    ),
    (
      "refill_update's second refill starts with the head", "kernel.refill.refillUpdate.orderedDisjoint",
      refillUpdate(extensionStart: { start, _ in start })
    ),
    (
      "refill_update's second refill starts a tick past the period", "kernel.refill.refillUpdate.window",
      refillUpdate(extensionStart: { start, period in start &+ period &+ 1 })
    ),
  ]

  /// `refill_update` with the trimmed amount (old amount, new budget) or the second refill's start
  /// (head start, new period) replaced (the shared code's text otherwise).
  static func refillUpdate(
    trimmedAmount: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord = { _, budget in budget },
    extensionStart: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord = { $0 &+ $1 }
  ) -> RefillCode {
    refill {
      $0.refillUpdate = { buffer, newPeriod, newBudget, newMax, now in
        var b = buffer
        let old = b.headRefill
        let moved = Refill(rTime: SymbolicWord.select(old.rTime .<= now, now, old.rTime), rAmount: old.rAmount)
        b.head = 0
        b.tail = 0
        b.refillMax = newMax
        b.setRefill(at: 0, moved)
        var trimmed = b
        trimmed.setRefill(at: 0, Refill(rTime: moved.rTime, rAmount: trimmedAmount(moved.rAmount, newBudget)))
        trimmed.maybeAddEmptyTail(period: newPeriod)
        var extended = b
        extended.refillAddTail(
          Refill(rTime: extensionStart(moved.rTime, newPeriod), rAmount: newBudget &- moved.rAmount))
        return .select(moved.rAmount .>= newBudget, trimmed, extended)
      }
    }
  }

  /// The release queue's comparisons with one replaced.
  static func releaseQueue(_ change: (inout ReleaseQueueCode) -> Void) -> ReleaseQueueCode {
    var code = ReleaseQueueCode.shared
    change(&code)
    return code
  }

  static let releaseQueueMutants: [(String, ReleaseQueueCode)] = [
    // `<` for `≤` in time_after: a thread goes before an equal key in the middle (unstable, still
    // sorted).
    ("time_after compares with <", releaseQueue { $0.timeAfter = { key, new in key .< new } }),
    // Prepends before an equal head: unstable, still sorted.
    ("the prepend test compares with ≤", releaseQueue { $0.prependsBefore = { head, new in new .<= head } }),
    // Prepends a key after the head's: out of order.
    ("the prepend test reversed", releaseQueue { $0.prependsBefore = { head, new in head .< new } }),
  ]

  static var refillMutants: [(mutant: String, obligation: Obligation)] {
    refillMutantsByObligation.compactMap { mutant, name, code in
      Obligation.refills(code).first { $0.name == name }.map { (mutant, $0) }
    }
  }

  /// The abstract-invariant obligations broken: every post-state replaced by fresh words (each
  /// conjunct can then fail), and each realistic twin slip on the obligations it names (`refutes`,
  /// and an event slip's `alsoRefutes`).
  static var abstractMutants: [(mutant: String, obligation: Obligation)] {
    Obligation.abstractInvariants(havoc: true).map { ("post-state havoc", $0) }
      + Obligation.abstractEvents(havoc: true).map { ("post-state havoc on every path", $0) }
      + Obligation.abstractAuthority(havoc: true).map { ("post-state havoc on every path", $0) }
      + Obligation.abstractNotifications(havoc: true).map { ("post-state havoc on every path", $0) }
      + TwinObjectMutant.allCases.compactMap { mutant in
        Obligation.abstractNotifications(mutant: mutant).first { $0.name == mutant.refutes }.map {
          (mutant.rawValue, $0)
        }
      }
      + TwinMutant.allCases.compactMap { mutant in
        Obligation.abstractInvariants(mutant: mutant).first { $0.name == mutant.refutes }.map { (mutant.rawValue, $0) }
      }
      + TwinEventMutant.allCases.flatMap { mutant in
        let names = [mutant.refutes] + mutant.alsoRefutes
        return (Obligation.abstractEvents(eventMutant: mutant) + Obligation.abstractAuthority(eventMutant: mutant))
          .filter { names.contains($0.name) }.map { (mutant.rawValue, $0) }
      }
  }

  /// `code` with the offset of the field called `name` replaced by `offset`.
  static func moving(_ name: String, to offset: UInt64, in code: ObjectWordsCode) -> ObjectWordsCode {
    var code = code
    code.fields = code.fields.map { $0.name == name ? ObjectWordsCode.Field(name, offset) : $0 }
    return code
  }

  /// `code` with its arrays replaced.
  static func arrays(_ arrays: [ObjectWordsCode.WordArray], in code: ObjectWordsCode) -> ObjectWordsCode {
    var code = code
    code.arrays = arrays
    return code
  }

  static let objectWordsMutants: [(String, ObjectWordsCode)] = [
    (
      "tcbPriority four bytes into tcbState",
      moving("tcbPriority", to: ObjectLayout.tcbState + 4, in: .tcb)
    ),
    (
      "tcbBoundNotification on tcbBlockingObject",
      moving("tcbBoundNotification", to: ObjectLayout.tcbBlockingObject, in: .tcb)
    ),
    (
      "tcbState inside the last CTE",
      moving("tcbState", to: ObjectLayout.tcbState - 8, in: .tcb)
    ),
    (
      "message registers run past the TCB",
      arrays(
        [.init("tcbMsgRegisters", offset: ObjectLayout.tcbMsgRegisters, count: 240)], in: .tcb)
    ),
    (
      "message registers start on tcbBadgeRegister",
      arrays(
        [.init("tcbMsgRegisters", offset: ObjectLayout.tcbBadgeRegister, count: 120)], in: .tcb)
    ),
    (
      "tcbReceiveCNode on the last caps_or_badges word",
      moving("tcbReceiveCNode", to: ObjectLayout.tcbCapsOrBadges + 16, in: .tcb)
    ),
    (
      "tcbReceiveDepth past the TCB",
      moving("tcbReceiveDepth", to: 1 << ObjectType.tcbBits, in: .tcb)
    ),
    (
      "caps_or_badges on the blocking-IPC words",
      arrays(
        [
          .init("tcbMsgRegisters", offset: ObjectLayout.tcbMsgRegisters, count: 120),
          .init("tcbCapsOrBadges", offset: ObjectLayout.tcbBlockingIPCBadge, count: 3),
        ], in: .tcb)
    ),
    (
      "ntfnBoundTCB past the notification",
      moving("ntfnBoundTCB", to: 1 << ObjectType.notificationBits, in: .notification)
    ),
    (
      "ntfnState four bytes into ntfnQueueTail",
      moving("ntfnState", to: ObjectLayout.ntfnQueueTail + 4, in: .notification)
    ),
    (
      "ntfnQueueTail on ntfnQueueHead",
      moving("ntfnQueueTail", to: ObjectLayout.ntfnQueueHead, in: .notification)
    ),
    (
      "epWord1 past the endpoint",
      moving("epWord1", to: 1 << ObjectType.endpointBits, in: .endpoint)
    ),
    (
      "epWord1 four bytes into epQueueHead",
      moving("epWord1", to: ObjectLayout.epQueueHead + 4, in: .endpoint)
    ),
    (
      "epWord1 on epQueueHead",
      moving("epWord1", to: ObjectLayout.epQueueHead, in: .endpoint)
    ),
    (
      "replyNext past the reply",
      moving("replyNext", to: 1 << ObjectType.replyBits, in: .reply)
    ),
    (
      "replyPrev four bytes into replyTCB",
      moving("replyPrev", to: ObjectLayout.replyTCB + 4, in: .reply)
    ),
    (
      "replyPrev on replyNext",
      moving("replyPrev", to: ObjectLayout.replyNext, in: .reply)
    ),
    (
      "scReply past the scheduling context",
      moving("scReply", to: 1 << KernelConstants.minSchedContextBits, in: .schedContext)
    ),
    (
      "scReply four bytes into scTcb",
      moving("scReply", to: ObjectLayout.scTcb + 4, in: .schedContext)
    ),
    (
      "scReply on scTcb",
      moving("scReply", to: ObjectLayout.scTcb, in: .schedContext)
    ),
    // The Haskell record's end: refills right after scRefillTail, over scSporadic.
    (
      "refills from byte 88",
      arrays([.init("scRefills", offset: ObjectLayout.scSporadic, count: 4)], in: .schedContext)
    ),
    // One refill more than refill_absolute_max: past the 2^7-byte object.
    (
      "three refills in the smallest scheduling context",
      arrays([.init("scRefills", offset: ObjectLayout.scRefills, count: 6)], in: .schedContext)
    ),
    (
      "tcbBlockingReplyObject on tcbBlockingIPCIsCall",
      moving("tcbBlockingReplyObject", to: ObjectLayout.tcbBlockingIPCIsCall, in: .tcb)
    ),
  ]

  static let callStackMutants: [(String, CallStackCode)] = [
    // The kernel writes 48 pointer bits, which a 47-bit field cannot read back.
    (
      "the pointer read 47 bits wide",
      CallStackCode(ptr: BitField("callStackPtr", offset: 0, width: 47), isHead: ObjectLayout.callStackIsHead)
    ),
    // The flag read from the pointer's top bit: a pointer with bit 47 set reads as the head.
    (
      "isHead read from bit 47",
      CallStackCode(ptr: ObjectLayout.callStackPtr, isHead: BitField("isHead", offset: 47, width: 1))
    ),
  ]

  /// The kernel's endpoint tail-and-state word code with some part replaced.
  static func epWord1(_ change: (inout EPWord1Code) -> Void) -> EPWord1Code {
    var code = EPWord1Code.kernel
    change(&code)
    return code
  }

  static let epWord1Mutants: [(String, EPWord1Code)] = [
    // The kernel packs state 2 (Recv), which a one-bit field cannot read back.
    ("the state read one bit wide", epWord1 { $0.state = BitField("state", offset: 0, width: 1) }),
    ("Idle numbered 3", epWord1 { $0.idle = 3 }),
  ]

  static func threadState(_ change: (inout ThreadStateCode) -> Void) -> ThreadStateCode {
    var code = ThreadStateCode.kernel
    change(&code)
    return code
  }

  static let threadStateMutants: [(String, ThreadStateCode)] = [
    ("tsType two bits wide", threadState { $0.tsType = BitField("tsType", offset: 0, width: 2) }),
    ("tcbQueued on bit 2", threadState { $0.tcbQueued = BitField("tcbQueued", offset: 2, width: 1) }),
    // Both flags on one bit: setting tcbQueued sets tcbInReleaseQueue.
    (
      "tcbInReleaseQueue on tcbQueued's bit",
      threadState { $0.tcbInReleaseQueue = BitField("tcbInReleaseQueue", offset: 4, width: 1) }
    ),
    ("a state numbered 16", threadState { $0.tags.append(("blockedOnReply", 16)) }),
    ("Inactive numbered 7", threadState { $0.inactive = 7 }),
  ]

  static let ntfnStateMutants: [(String, NtfnStateCode)] = [
    (
      "Active written as Waiting's tag",
      NtfnStateCode(tags: [("idle", 0), ("waiting", 1), ("active", 1)], idle: 0)
    ),
    ("Idle numbered 3", NtfnStateCode(tags: [("idle", 3), ("waiting", 1), ("active", 2)], idle: 3)),
  ]

  static let notificationBadgeMutants: [(String, NotificationBadgeCode)] = [
    ("the badge replaces the word", NotificationBadgeCode { _, badge in badge }),
    ("the badge is xored in", NotificationBadgeCode { word, badge in word ^ badge }),
    ("the badge is shifted in", NotificationBadgeCode { word, badge in word | (badge << 1) }),
    ("bit 0 is always set", NotificationBadgeCode { word, badge in word | badge | 1 }),
    ("the word is masked by the badge", NotificationBadgeCode { word, badge in word & badge }),
  ]

  /// The kernel's bitmap code with some operations replaced.
  static func priorityBitmap(
    addToBitmap: (@Sendable (PriorityBitmapCode.Bitmap, SymbolicWord) -> PriorityBitmapCode.Bitmap)? = nil,
    removeFromBitmap: (@Sendable (PriorityBitmapCode.Bitmap, SymbolicWord) -> PriorityBitmapCode.Bitmap)? = nil,
    getHighestPrio: (@Sendable (PriorityBitmapCode.Bitmap) -> SymbolicWord)? = nil,
    isHighestPrio: (@Sendable (PriorityBitmapCode.Bitmap, SymbolicWord) -> SymbolicBool)? = nil
  ) -> PriorityBitmapCode {
    let kernel = PriorityBitmapCode.kernel
    let highest = getHighestPrio ?? kernel.getHighestPrio
    return PriorityBitmapCode(
      addToBitmap: addToBitmap ?? kernel.addToBitmap, removeFromBitmap: removeFromBitmap ?? kernel.removeFromBitmap,
      getHighestPrio: highest,
      isHighestPrio: isHighestPrio ?? { bitmap, prio in bitmap.isEmpty .|| (prio .>= highest(bitmap)) })
  }

  /// The most significant bit without the last halving step (odd indices come out one low).
  @Sendable static func msbWithoutLastStep(_ word: SymbolicWord) -> SymbolicWord {
    var (index, rest): (SymbolicWord, SymbolicWord) = (0, word)
    for shift: UInt64 in [32, 16, 8, 4, 2] {
      let high = rest >> .known(shift)
      index = .select(high .!= 0, index &+ .known(shift), index)
      rest = .select(high .!= 0, high, rest)
    }
    return index
  }

  static let priorityBitmapMutants: [(String, PriorityBitmapCode)] = [
    (
      "getHighestPrio reads L2 without invert_l1index",
      priorityBitmap(getHighestPrio: { b in
        let group = SymbolicWord.mostSignificantBit(b.l1)
        return (group << 6) | SymbolicWord.mostSignificantBit(b.l2Word(at: group))
      })
    ),
    (
      "getHighestPrio's most significant bit skips the last step",
      priorityBitmap(getHighestPrio: { b in
        let group = SymbolicWord.mostSignificantBit(b.l1)
        return (group << 6) | msbWithoutLastStep(b.l2Word(at: 3 &- group))
      })
    ),
    ("isHighestPrio loses ties", priorityBitmap(isHighestPrio: { b, p in b.isEmpty .|| (p .> b.getHighestPrio()) })),
    (
      "isHighestPrio accepts one below the highest",
      priorityBitmap(isHighestPrio: { b, p in b.isEmpty .|| ((p &+ 1) .>= b.getHighestPrio()) })
    ),
    (
      "addToBitmap sets bit prio & 31",
      priorityBitmap(addToBitmap: { b, p in
        var b = b
        b.l1 = b.l1 | (1 << (p >> 6))
        b.setL2Word(at: 3 &- (p >> 6), b.l2Word(at: 3 &- (p >> 6)) | (1 << (p & 31)))
        return b
      })
    ),
    (
      "addToBitmap leaves L1 alone",
      priorityBitmap(addToBitmap: { b, p in
        var b = b
        b.setL2Word(at: 3 &- (p >> 6), b.l2Word(at: 3 &- (p >> 6)) | (1 << (p & 63)))
        return b
      })
    ),
    (
      "removeFromBitmap clears the whole L2 word",
      priorityBitmap(removeFromBitmap: { b, p in
        var b = b
        b.setL2Word(at: 3 &- (p >> 6), 0)
        b.l1 = b.l1 & ~(1 << (p >> 6))
        return b
      })
    ),
    (
      "removeFromBitmap always clears the L1 bit",
      priorityBitmap(removeFromBitmap: { b, p in
        var b = b
        b.removeFromBitmap(p)
        b.l1 = b.l1 & ~(1 << (p >> 6))
        return b
      })
    ),
  ]
}
