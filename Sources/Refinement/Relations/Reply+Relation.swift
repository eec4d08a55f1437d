// `reply_relation` (l4v `proof/refine/RISCV64/StateRelation.thy`, MCS): a reply object's `replyTCB`
// word lifts to the thread it is tied to (0: none), its call-stack words (`replyPrev`,
// `replyNext`, `call_stack_t`) to the executable spec's `replyPrev` and `replyNext` (a pointer of
// 0 is none; `isHead` makes `replyNext` the scheduling context's head link). A `replyPrev` word
// with `isHead`, or an `isHead` with no pointer, stands for nothing: a lift problem. The abstract
// reply's `reply_sc` is the scheduling context of a head link.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The reply at `address`; a call-stack word that stands for nothing is added to `problems`.
  func liftReply(at address: ObjectRef, problems: inout [String]) -> ExecutableSpec.KernelObject {
    let tcb = replyTCB(of: address) ?? 0
    guard let stack = replyCallStack(of: address) else { return .reply(ExecutableSpec.Reply()) }
    if stack.prev.isHead { problems.append("reply \(hex(address))'s replyPrev word has isHead set") }
    if stack.next.isHead && stack.next.ptr == 0 {
      problems.append("reply \(hex(address))'s replyNext word has isHead set with no pointer")
    }
    let next: ReplyNext? =
      stack.next.ptr == 0 ? nil : stack.next.isHead ? .head(stack.next.ptr) : .next(stack.next.ptr)
    return .reply(
      ExecutableSpec.Reply(
        replyTCB: tcb == 0 ? nil : tcb, replyPrev: stack.prev.ptr == 0 ? nil : stack.prev.ptr, replyNext: next))
  }
}

extension ExecState {
  /// The abstract reply an executable-spec reply stands for: `reply_tcb` is `replyTCB`, `reply_sc`
  /// the scheduling context of a head link.
  func abstractReply(_ reply: ExecutableSpec.Reply) -> AbstractSpec.KernelObject {
    var sc: ObjectRef? = nil
    if case .head(let head)? = reply.replyNext { sc = head }
    return .reply(AbstractSpec.Reply(tcb: reply.replyTCB, sc: sc))
  }

  /// The call stack of the scheduling context whose `scReply` is `head`, newest first: `head`,
  /// then each reply's `replyPrev` in turn (l4v-rt's `sc_replies`), stopping at a reply seen
  /// before or an address that is no reply object.
  func callStack(from head: ObjectRef?) -> [ObjectRef] {
    var stack: [ObjectRef] = []
    var seen: Set<ObjectRef> = []
    var at = head
    while let reply = at, let object = self.reply(at: reply), seen.insert(reply).inserted {
      stack.append(reply)
      at = object.replyPrev
    }
    return stack
  }

  /// The scheduling context whose call stack holds the reply object at `address`, found by
  /// following its `replyNext` links to the head; nil when the chain ends without one.
  func callStackSchedContext(of address: ObjectRef) -> ObjectRef? {
    var seen: Set<ObjectRef> = []
    var at = address
    while let reply = self.reply(at: at), seen.insert(at).inserted {
      switch reply.replyNext {
      case .head(let sc)?: return sc
      case .next(let next)?: at = next
      case nil: return nil
      }
    }
    return nil
  }
}
