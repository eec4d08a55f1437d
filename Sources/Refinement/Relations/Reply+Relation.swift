// `reply_relation` (l4v `proof/refine/RISCV64/StateRelation.thy`, MCS): a reply object's `replyTCB`
// word lifts to the thread it is tied to (0: none). Its call-stack words (`replyPrev`,
// `replyNext`) belong to scheduling-context donation, which no layer models: a word that does not
// read back empty (`ObjectLayout.callStackPointer`, `callStackHead`) is a lift problem.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The reply at `address`; a call stack that is not empty is added to `problems`.
  func liftReply(at address: ObjectRef, problems: inout [String]) -> ExecutableSpec.KernelObject {
    if let stack = replyCallStack(of: address),
      stack.prev.ptr != 0 || stack.next.ptr != 0 || stack.prev.isHead || stack.next.isHead
    {
      problems.append("reply \(hex(address)) has a call stack (scheduling-context donation is not modelled)")
    }
    let tcb = replyTCB(of: address) ?? 0
    return .reply(ExecutableSpec.Reply(replyTCB: tcb == 0 ? nil : tcb))
  }
}

extension ExecState {
  /// The abstract reply an executable-spec reply stands for: `reply_tcb` is `replyTCB`.
  func abstractReply(_ reply: ExecutableSpec.Reply) -> AbstractSpec.KernelObject {
    .reply(AbstractSpec.Reply(tcb: reply.replyTCB))
  }
}
