// The choices a deterministic layer made where the abstract spec leaves the kernel free, and a way
// to keep bookkeeping out of a state's equality.
//
// l4v's abstract spec is nondeterministic where an implementation may choose (`select_ext`: which
// descendant `cap_revoke` deletes next; later the preemption points and the reply a receive picks).
// The executable spec records each choice it made in a step in its `choiceLog`; the abstract spec
// reads the log through a chooser that refuses a choice it does not allow (AbstractSpec
// `AbstractChoices`). No layer re-runs another layer's code to find out what it chose.

/// One choice a layer made during a step.
public enum Choice: Hashable, Sendable, CustomStringConvertible {
  /// `cteRevoke` of `revoked` deleted these descendants, in this order (`cap_revoke`'s choices).
  case revokeOrder(revoked: SlotRef, deleted: [SlotRef])

  public var description: String {
    switch self {
    case .revokeOrder(let revoked, let deleted): "revoke of \(revoked) deleted \(deleted)"
    }
  }
}

/// A stored property that is not part of its state's value: equal to every other, hashing to
/// nothing. For records about a state that are not the state (the choices of the last step, a
/// planted bug a test switched on), so that two states differing only there compare equal.
@propertyWrapper
public struct NotCompared<Value: Sendable>: Hashable, Sendable {
  public var wrappedValue: Value

  public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

  public static func == (_: NotCompared, _: NotCompared) -> Bool { true }
  public func hash(into hasher: inout Hasher) {}
}
