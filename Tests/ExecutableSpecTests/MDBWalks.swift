// Helpers for the executable-spec tests: the sample system, events that invoke capabilities, and
// assertions that check invariants after every step.
//
// Addressing in the sample: a full 64-bit cptr names root slot i as `i << 8` and aux slot j as
// `13 << 8 | j`. CNode methods invoked on the root CNode cap (its copy in aux slot 2) name root slot i as
// (index i, depth 56: 48 guard bits and 8 radix bits), aux slot j as (index `13 << 8 | j`, depth 64).

@testable import ExecutableSpec
import KernelABI
import Testing

typealias S = SystemPlan.Sample

/// The cptr of the root CNode cap the thread can invoke (a copy in aux slot 2, at full depth).
let rootCNodeCptr = S.cptr(aux: 2)
/// Depth that names a root slot by its index through the root CNode cap.
let rootDepth: UInt64 = 56
let auxDepth: UInt64 = 64

/// (index, depth) of root slot i and aux slot j for CNode methods.
func rootArgs(_ i: UInt64) -> [UInt64] { [i, rootDepth] }
func auxArgs(_ j: UInt64) -> [UInt64] { [S.cptr(aux: j), auxDepth] }

/// An event for `syscall` on `cptr` with `label`, `args` as the message and `extraCaps` as extra cap
/// pointers; `length` defaults to the number of args.
func invocation(
  _ cptr: UInt64, _ label: InvocationLabel, _ args: [UInt64], extraCaps: [UInt64] = [], syscall: Syscall = .call,
  length: UInt64? = nil, extraCapCount: UInt64? = nil
) -> Event {
  let info = MessageInfo(
    label: label.rawValue, extraCaps: extraCapCount ?? UInt64(extraCaps.count), length: length ?? UInt64(args.count))
  return .syscall(
    syscall, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: args, extraCaps: extraCaps))
}

/// The sample system's initial state.
func sampleState() -> ExecState { ExecState(plan: .sample) }

extension ExecState {
  /// Step `event`, expecting every invariant to hold afterwards.
  mutating func run(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Observation {
    let observation = step(event)
    let violations = invariantViolations()
    #expect(violations == [], "after \(event)", sourceLocation: sourceLocation)
    return observation
  }

  /// Call a CNode method on the root CNode cap with the root CNode cap as every extra cap.
  mutating func cnodeCall(
    _ label: InvocationLabel, _ args: [UInt64], extraCaps: [UInt64]? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Observation {
    let defaultExtras: [UInt64] = label == .cnodeRotate ? [rootCNodeCptr, rootCNodeCptr] : [rootCNodeCptr]
    let extras = extraCaps ?? (label == .cnodeRevoke || label == .cnodeDelete || label == .cnodeCancelBadgedSends ? [] : defaultExtras)
    return run(invocation(rootCNodeCptr, label, args, extraCaps: extras), sourceLocation: sourceLocation)
  }

  /// Retype from the untyped in root slot `untyped` into root slots `offset ..< offset + count`.
  mutating func retype(
    from untyped: UInt64, _ type: ObjectType, sizeBits: UInt64 = 0, offset: UInt64, count: UInt64 = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Observation {
    run(
      invocation(
        S.cptr(root: untyped), .untypedRetype, [type.rawValue, sizeBits, 0, 0, offset, count],
        extraCaps: [rootCNodeCptr]),
      sourceLocation: sourceLocation)
  }

  /// The slots of the list through `start`, following `next` (bounded).
  func list(from start: SlotRef) -> [SlotRef] {
    var result: [SlotRef] = []
    var at: SlotRef? = start
    while let slot = at, result.count < 10_000 {
      result.append(slot)
      at = cte(at: slot)?.mdb.next
    }
    return result
  }

  /// The head of the list containing `slot`.
  func head(of slot: SlotRef) -> SlotRef {
    var at = slot
    var steps = 0
    while let prev = cte(at: at)?.mdb.prev, steps < 10_000 {
      at = prev
      steps += 1
    }
    return at
  }

  /// The MDB parent of each cap: the nearest earlier node whose descendants include it.
  func derivedParents() -> [SlotRef: SlotRef] {
    var parents: [SlotRef: SlotRef] = [:]
    for slot in occupiedSlots {
      var at = cte(at: slot)?.mdb.prev
      while let candidate = at {
        if descendants(of: candidate).contains(slot) {
          parents[slot] = candidate
          break
        }
        at = cte(at: candidate)?.mdb.prev
      }
    }
    return parents
  }

  /// Rewrite prev/next so that `order` is one list (for corrupting states by hand).
  mutating func relink(_ order: [SlotRef]) {
    for (i, slot) in order.enumerated() {
      updateMDB(slot) { node in
        node.prev = i > 0 ? order[i - 1] : nil
        node.next = i + 1 < order.count ? order[i + 1] : nil
      }
    }
  }
}

/// Expect `observation` to be an error reply carrying exactly `error`.
func expectError(
  _ observation: Observation, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(observation.reply == ReplyMessage(error: error), sourceLocation: sourceLocation)
  #expect(observation.fault == nil, sourceLocation: sourceLocation)
}

/// Expect a successful Call.
func expectSuccess(_ observation: Observation, sourceLocation: SourceLocation = #_sourceLocation) {
  #expect(observation.reply == .success, sourceLocation: sourceLocation)
  #expect(observation.notModelled == nil, sourceLocation: sourceLocation)
}
