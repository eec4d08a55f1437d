// Helpers shared by the abstract-spec tests: building invocation events for the sample system,
// naming its slots for CNode operations, and a harness that checks the invariants after every step.

import AbstractSpec
import KernelABI
import Testing

typealias S = SystemPlan.Sample

/// A slot as CNode operations name it: an index resolved to exactly `depth` bits from a root.
struct Address {
  var index: UInt64
  var depth: UInt64

  /// Root slot `i`: from the root cap (48 guard bits, radix 8), 56 bits reach it exactly.
  static func root(_ i: UInt64) -> Address { Address(index: i, depth: 56) }
  /// Aux slot `j`: through root slot 13's CNode cap, all 64 bits.
  static func aux(_ j: UInt64) -> Address { Address(index: S.cptr(aux: j), depth: 64) }
}

/// The cptr of a root CNode cap the thread can invoke (aux slot 2): the invoked cap of CNode ops
/// and the root they name their source slots in. (Root slot 2 cannot be invoked: a full-word lookup
/// walks through it into the root CNode again.)
let rootCNodeCptr = S.rootCNodeCptr

/// A syscall invoking `cptr` with `label`, message registers `mrs` and extra-cap cptrs `caps`.
func invoke(
  _ cptr: UInt64, _ label: InvocationLabel, _ mrs: [UInt64], caps: [UInt64] = [], syscall: Syscall = .call,
  length: UInt64? = nil
) -> Event {
  let info = MessageInfo(label: label.rawValue, extraCaps: UInt64(caps.count), length: length ?? UInt64(mrs.count))
  return .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps))
}

// MARK: - CNode methods on the root CNode

func cnodeCopy(_ dest: Address, from src: Address, rights: CapRights = .all) -> Event {
  invoke(rootCNodeCptr, .cnodeCopy, [dest.index, dest.depth, src.index, src.depth, rights.rawValue], caps: [rootCNodeCptr])
}

func cnodeMint(_ dest: Address, from src: Address, rights: CapRights = .all, data: UInt64) -> Event {
  invoke(rootCNodeCptr, .cnodeMint, [dest.index, dest.depth, src.index, src.depth, rights.rawValue, data], caps: [rootCNodeCptr])
}

func cnodeMove(_ dest: Address, from src: Address) -> Event {
  invoke(rootCNodeCptr, .cnodeMove, [dest.index, dest.depth, src.index, src.depth], caps: [rootCNodeCptr])
}

func cnodeMutate(_ dest: Address, from src: Address, data: UInt64) -> Event {
  invoke(rootCNodeCptr, .cnodeMutate, [dest.index, dest.depth, src.index, src.depth, data], caps: [rootCNodeCptr])
}

func cnodeRotate(_ dest: Address, pivot: Address, pivotData: UInt64 = 0, src: Address, srcData: UInt64 = 0) -> Event {
  invoke(
    rootCNodeCptr, .cnodeRotate,
    [dest.index, dest.depth, pivotData, pivot.index, pivot.depth, srcData, src.index, src.depth],
    caps: [rootCNodeCptr, rootCNodeCptr])
}

func cnodeDelete(_ slot: Address) -> Event { invoke(rootCNodeCptr, .cnodeDelete, [slot.index, slot.depth]) }
func cnodeRevoke(_ slot: Address) -> Event { invoke(rootCNodeCptr, .cnodeRevoke, [slot.index, slot.depth]) }
func cnodeCancelBadgedSends(_ slot: Address) -> Event {
  invoke(rootCNodeCptr, .cnodeCancelBadgedSends, [slot.index, slot.depth])
}

// MARK: - Untyped_Retype

/// Retype from the untyped cap in root slot `untyped` into the CNode `nodeIndex`/`nodeDepth` names
/// from the root CNode cap (depth 0: the root CNode itself).
func retype(
  _ untyped: UInt64, _ type: UInt64, sizeBits: UInt64 = 0, nodeIndex: UInt64 = 0, nodeDepth: UInt64 = 0,
  offset: UInt64, count: UInt64 = 1
) -> Event {
  invoke(S.cptr(root: untyped), .untypedRetype, [type, sizeBits, nodeIndex, nodeDepth, offset, count], caps: [rootCNodeCptr])
}

func retype(
  _ untyped: UInt64, _ type: ObjectType, sizeBits: UInt64 = 0, nodeIndex: UInt64 = 0, nodeDepth: UInt64 = 0,
  offset: UInt64, count: UInt64 = 1
) -> Event {
  retype(untyped, type.rawValue, sizeBits: sizeBits, nodeIndex: nodeIndex, nodeDepth: nodeDepth, offset: offset, count: count)
}

// MARK: - Harness

/// What the caller got back.
enum Answer: Equatable, CustomStringConvertible {
  case success
  case error(SyscallError)
  case noReply

  var description: String {
    switch self {
    case .success: "success"
    case .error(let e): "\(e)"
    case .noReply: "no reply"
    }
  }
}

/// A system under test: an abstract state whose invariants are checked after every step.
struct Harness {
  var state: AbstractState
  var observations: [Observation] = []

  init(_ plan: SystemPlan = .sample) { state = AbstractState(plan: plan) }

  /// Apply `event`, expect the invariants to hold afterwards, and return the observation.
  @discardableResult
  mutating func step(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Observation {
    let observation = state.step(event)
    observations.append(observation)
    #expect(state.invariantViolations() == [], "after \(event)", sourceLocation: sourceLocation)
    return observation
  }

  /// Apply `event` and say how the caller was answered.
  @discardableResult
  mutating func answer(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) -> Answer {
    let observation = step(event, sourceLocation: sourceLocation)
    guard let reply = observation.reply else { return .noReply }
    if reply == .success { return .success }
    guard let error = SyscallError(label: reply.info.label, messageRegisters: reply.registers) else {
      Issue.record("undecodable reply \(reply)", sourceLocation: sourceLocation)
      return .noReply
    }
    return .error(error)
  }

  /// Expect `event` to fail with `error` and to leave the state exactly as it was.
  mutating func expectError(_ event: Event, _ error: SyscallError, sourceLocation: SourceLocation = #_sourceLocation) {
    let before = state
    #expect(answer(event, sourceLocation: sourceLocation) == .error(error), sourceLocation: sourceLocation)
    #expect(state == before, "a failed invocation changed the state", sourceLocation: sourceLocation)
  }

  func cap(_ slot: SlotRef) -> Capability { state.getCap(slot) }
}

/// The TCB slot of the sample's main thread.
func mainSlot(_ slot: TCBSlot) -> SlotRef { SlotRef(S.mainTCB, slot.rawValue) }
