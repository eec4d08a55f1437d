// `reply_relation` (l4v `proof/refine/StateRelation.thy`): a reply object. In the capability core it has no
// contents any layer models (its queue, or its state, come with IPC), so the relation is that the
// object is there, of this kind, in every layer.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The reply at `address`.
  func liftReply(at address: ObjectRef) -> ExecutableSpec.KernelObject { .reply }
}

extension ExecState {
  /// The abstract reply an executable-spec reply stands for.
  func abstractReply() -> AbstractSpec.KernelObject { .reply }
}
