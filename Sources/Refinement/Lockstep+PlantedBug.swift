// A lockstep checker whose layers carry a planted bug (tests only), for callers that do not build
// a kernel state themselves (the scenario runner, to show which scripts catch a bug).

import Kernel
public import KernelABI

extension LockstepChecker {
  /// A checker from `plan` with `plantedBug` (nil: none) planted, as a trace file's replay plants it.
  public init(plan: SystemPlan, plantedBug: PlantedBug?) {
    var kernel = KernelState(plan: plan)
    kernel.plantedBug = plantedBug
    self.init(plan: plan, kernel: kernel)
  }
}
