// Shared helpers for the kernel tests: events against the sample system and MDB walks.

import KernelABI
import Testing

@testable import Kernel

typealias S = SystemPlan.Sample

/// A 64-bit lookup of `i << 8` walks *through* the CNode caps in root slots 2 and 13 (their guard
/// and radix consume the remaining bits), so the sample has no CNode cap a thread can invoke. The
/// tests add a copy of the root CNode cap in aux slot 2, where the bits run out exactly.
extension SystemPlan {
  static var sampleWithInvocableRoot: SystemPlan {
    var plan = SystemPlan.sample
    plan.caps[S.aux(2)] = S.rootCap
    plan.cdtParent[S.aux(2)] = S.root(2)
    return plan
  }
}

/// The cptr of the invocable root CNode cap (aux slot 2), also used as the extra cap naming the root.
let rootCNodeCptr = S.cptr(aux: 2)
/// Index and depth naming root slot i relative to the root CNode cap (48 guard bits + 8 radix bits).
func rootArg(_ i: UInt64) -> (UInt64, UInt64) { (i, 56) }
/// Index and depth naming aux slot j relative to the root CNode cap.
func auxArg(_ j: UInt64) -> (UInt64, UInt64) { (13 << 8 | j, 64) }

func makeEvent(
  _ call: Syscall, _ cptr: UInt64, _ label: UInt64, _ mrs: [UInt64], _ extraCaps: [UInt64],
  _ extraCapCount: UInt64?, _ length: UInt64?
) -> Event {
  let info = MessageInfo(
    label: label, extraCaps: extraCapCount ?? UInt64(extraCaps.count), length: length ?? UInt64(mrs.count))
  return .syscall(
    call, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: extraCaps))
}

func event(
  _ call: Syscall, _ cptr: UInt64, label: UInt64, _ mrs: [UInt64], extraCaps: [UInt64] = [],
  extraCapCount: UInt64? = nil, length: UInt64? = nil
) -> Event {
  makeEvent(call, cptr, label, mrs, extraCaps, extraCapCount, length)
}

func event(
  _ cptr: UInt64, label: UInt64, _ mrs: [UInt64], extraCaps: [UInt64] = [],
  extraCapCount: UInt64? = nil, length: UInt64? = nil
) -> Event {
  makeEvent(.call, cptr, label, mrs, extraCaps, extraCapCount, length)
}

func event(
  _ call: Syscall, _ cptr: UInt64, _ label: InvocationLabel, _ mrs: [UInt64], extraCaps: [UInt64] = [],
  extraCapCount: UInt64? = nil, length: UInt64? = nil
) -> Event {
  makeEvent(call, cptr, label.rawValue, mrs, extraCaps, extraCapCount, length)
}

func event(
  _ cptr: UInt64, _ label: InvocationLabel, _ mrs: [UInt64], extraCaps: [UInt64] = [],
  extraCapCount: UInt64? = nil, length: UInt64? = nil
) -> Event {
  makeEvent(.call, cptr, label.rawValue, mrs, extraCaps, extraCapCount, length)
}

extension KernelState {
  static var sample: KernelState { KernelState(plan: .sampleWithInvocableRoot) }

  /// Invoke the root CNode cap with `label` and `mrs`, the root CNode cap as every extra cap.
  mutating func cnode(_ label: InvocationLabel, _ mrs: [UInt64], extraCaps: Int = 1) -> Observation {
    step(event(rootCNodeCptr, label, mrs, extraCaps: Array(repeating: rootCNodeCptr, count: extraCaps)))
  }

  /// `Untyped_Retype` on the untyped in root slot `untyped`, dest CNode named relative to the root cap.
  mutating func retype(
    untyped: UInt64, type: ObjectType, size: UInt64 = 0, nodeIndex: UInt64 = 0, nodeDepth: UInt64 = 0,
    offset: UInt64, count: UInt64
  ) -> Observation {
    step(
      event(
        S.cptr(root: untyped), .untypedRetype, [type.rawValue, size, nodeIndex, nodeDepth, offset, count],
        extraCaps: [rootCNodeCptr]))
  }

  /// The slots of the MDB list, from the head of the list holding `slot`.
  func mdbList(containing slot: SlotRef) -> [SlotRef] {
    var head = slot
    var guardCount = 0
    while let prev = mdbNode(at: head)?.prev, guardCount < 100_000 {
      head = prev
      guardCount += 1
    }
    var list: [SlotRef] = [head]
    var at = head
    while let next = mdbNode(at: at)?.next, list.count < 100_000 {
      list.append(next)
      at = next
    }
    return list
  }

  /// The CDT parent a C-style kernel would compute: the nearest earlier node whose subtree holds `slot`.
  func mdbParent(of slot: SlotRef) -> SlotRef? {
    guard let cte = cteAddress(of: slot) else { return nil }
    var candidate = mdbPrev(cte)
    while candidate != 0 {
      // `candidate` is the parent iff every node from it to `slot` is in its subtree.
      var at = mdbNext(candidate)
      var inSubtree = true
      while at != 0 {
        if !isMDBParentOf(candidate, at) { inSubtree = false; break }
        if at == cte { break }
        at = mdbNext(at)
      }
      if inSubtree && at == cte { return slotRef(ofCTE: candidate) }
      candidate = mdbPrev(candidate)
    }
    return nil
  }
}

func expectError(_ observation: Observation, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(observation.reply == ReplyMessage(error: error), sourceLocation: sourceLocation)
  #expect(observation.current == S.mainTCB, sourceLocation: sourceLocation)
}

func expectSuccess(_ observation: Observation, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(observation.reply == .success, sourceLocation: sourceLocation)
  #expect(observation.fault == nil, sourceLocation: sourceLocation)
  #expect(observation.notModelled == nil, sourceLocation: sourceLocation)
}
