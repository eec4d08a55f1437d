// `ntfn_relation` (l4v `proof/refine/StateRelation.thy`): a notification. R1 reads the kernel's
// words (state, badge word, bound thread, bound scheduling context) and its queue, walked from the head word along the
// waiting threads' `tcbEPNext` words, each `tcbEPPrev` checked against the walk and the last
// thread against the tail word; a list that is not well formed is a lift problem, so R1 does not
// rest on the kernel's own invariants. (The badge word of an Idle or Waiting notification is
// stale, as in seL4, and not read.) R2 forgets nothing but names: the executable spec's list is
// the abstract queue.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The notification at `address`, with what does not decode added to `problems`.
  func liftNotification(at address: ObjectRef, problems: inout [String]) -> ExecutableSpec.KernelObject {
    let walk = ntfnQueueWalk(address)
    if let problem = walk.problem { problems.append(problem) }
    let state: NtfnState
    switch ntfnState(of: address) {
    case .idle?:
      if !walk.threads.isEmpty { problems.append("notification \(hex(address)) is Idle with a queue") }
      state = .idleNtfn
    case .waiting?:
      if walk.threads.isEmpty { problems.append("notification \(hex(address)) is Waiting with no queue") }
      state = .waitingNtfn(walk.threads)
    case .active?:
      if !walk.threads.isEmpty { problems.append("notification \(hex(address)) is Active with a queue") }
      state = .activeNtfn(ntfnMsgIdentifier(of: address))
    case nil:
      problems.append("notification \(hex(address)) has no decodable state")
      state = .idleNtfn
    }
    let bound = ntfnBoundTCB(of: address)
    let sc = ntfnSchedContext(of: address)
    return .notification(
      Notification(ntfnObj: state, ntfnBoundTCB: bound == 0 ? nil : bound, ntfnSc: sc == 0 ? nil : sc))
  }
}

extension ExecState {
  /// The abstract notification `ntfn` stands for.
  func abstractNotification(_ ntfn: ExecutableSpec.Notification) -> AbstractSpec.KernelObject {
    let state: NotificationState =
      switch ntfn.ntfnObj {
      case .idleNtfn: .idle
      case .waitingNtfn(let queue): .waiting(queue)
      case .activeNtfn(let word): .active(word)
      }
    return .notification(AbstractSpec.Notification(state: state, boundTCB: ntfn.ntfnBoundTCB, sc: ntfn.ntfnSc))
  }
}
