// The layer a command looks at, and that layer's state as the tools' shared view
// (`Refinement/Views/StateView.swift`), which the trace report's dumps read too.

import Refinement

/// Which layer a command looks at.
public enum Layer: String, CaseIterable, Sendable {
  case abstract, exec, kernel

  /// The name the lockstep checker uses in failures.
  var checkerName: String {
    switch self {
    case .abstract: "AbstractSpec"
    case .exec: "ExecutableSpec"
    case .kernel: "Kernel"
    }
  }
}

extension StateView {
  init(_ checker: LockstepChecker, _ layer: Layer) {
    switch layer {
    case .abstract: self.init(abstract: checker.abstract)
    case .exec: self.init(exec: checker.exec)
    case .kernel: self.init(kernel: checker.kernel)
    }
  }
}
