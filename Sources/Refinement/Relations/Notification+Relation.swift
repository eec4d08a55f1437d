// `ntfn_relation` (l4v `proof/refine/StateRelation.thy`): a notification. In the capability core it has no
// contents any layer models (its queue, or its state, come with IPC), so the relation is that the
// object is there, of this kind, in every layer.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The notification at `address`.
  func liftNotification(at address: ObjectRef) -> ExecutableSpec.KernelObject { .notification }
}

extension ExecState {
  /// The abstract notification an executable-spec notification stands for.
  func abstractNotification() -> AbstractSpec.KernelObject { .notification }
}
