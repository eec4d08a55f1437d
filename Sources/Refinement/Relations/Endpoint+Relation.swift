// `ep_relation` (l4v `proof/refine/StateRelation.thy`): an endpoint. R1 reads the kernel's two
// words (the head, the tail and state) and its queue, walked from the head word along the queued
// threads' `tcbEPNext` words, each `tcbEPPrev` checked against the walk and the last thread
// against the tail word; a list that is not well formed is a lift problem, so R1 does not rest
// on the kernel's own invariants. R2 forgets nothing but names: the executable spec's list is
// the abstract queue.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The endpoint at `address`, with what does not decode added to `problems`.
  func liftEndpoint(at address: ObjectRef, problems: inout [String]) -> ExecutableSpec.KernelObject {
    let walk = epQueueWalk(address)
    if let problem = walk.problem { problems.append(problem) }
    switch epState(of: address) {
    case .idle?:
      if !walk.threads.isEmpty { problems.append("endpoint \(hex(address)) is Idle with a queue") }
      return .endpoint(.idleEP)
    case .send?:
      if walk.threads.isEmpty { problems.append("endpoint \(hex(address)) is Send with no queue") }
      return .endpoint(.sendEP(walk.threads))
    case .recv?:
      if walk.threads.isEmpty { problems.append("endpoint \(hex(address)) is Recv with no queue") }
      return .endpoint(.recvEP(walk.threads))
    case nil:
      problems.append("endpoint \(hex(address)) has no decodable state")
      return .endpoint(.idleEP)
    }
  }
}

extension ExecState {
  /// The abstract endpoint `ep` stands for.
  func abstractEndpoint(_ ep: ExecutableSpec.Endpoint) -> AbstractSpec.KernelObject {
    switch ep {
    case .idleEP: .endpoint(AbstractSpec.Endpoint(state: .idle))
    case .sendEP(let queue): .endpoint(AbstractSpec.Endpoint(state: .send(queue)))
    case .recvEP(let queue): .endpoint(AbstractSpec.Endpoint(state: .recv(queue)))
    }
  }
}
