// `ep_relation` (l4v `proof/refine/StateRelation.thy`): an endpoint. In the capability core it has no
// contents any layer models (its queue, or its state, come with IPC), so the relation is that the
// object is there, of this kind, in every layer.

import AbstractSpec
import ExecutableSpec
import Kernel
import KernelABI

extension KernelState {
  /// The endpoint at `address`.
  func liftEndpoint(at address: ObjectRef) -> ExecutableSpec.KernelObject { .endpoint }
}

extension ExecState {
  /// The abstract endpoint an executable-spec endpoint stands for.
  func abstractEndpoint() -> AbstractSpec.KernelObject { .endpoint }
}
