// The symbolic interpretation of `MachineWord`: the same generic kernel code, evaluated into Z3
// bit-vector terms.
//
// A symbolic word is either a known constant or a 64-bit term. Operations on two constants are
// computed at once with `UInt64`'s own operators (so constants fold exactly as they execute);
// anything touching a term builds a term in that term's context. A constant never needs a context,
// which is what lets `init(constant:)` and integer literals satisfy the protocol.

public import Bitwise

/// A truth value: known, or a Boolean term.
public enum SymbolicBool: MachineBool, CustomStringConvertible {
  case known(Bool)
  case term(Term)

  public init(constant: Bool) { self = .known(constant) }

  /// The term for this value in `context`.
  public func term(in context: Context) -> Term {
    switch self {
    case .known(let value): context.literal(value)
    case .term(let term): term
    }
  }

  public static func .&& (lhs: SymbolicBool, rhs: SymbolicBool) -> SymbolicBool {
    switch (lhs, rhs) {
    // A known false decides the conjunction; a known true leaves the other side.
    case (.known(false), _), (_, .known(false)): .known(false)
    case (.known(true), let other), (let other, .known(true)): other
    case (.term(let a), .term(let b)): .term(a .&& b)
    }
  }

  public static func .|| (lhs: SymbolicBool, rhs: SymbolicBool) -> SymbolicBool {
    switch (lhs, rhs) {
    case (.known(true), _), (_, .known(true)): .known(true)
    case (.known(false), let other), (let other, .known(false)): other
    case (.term(let a), .term(let b)): .term(a .|| b)
    }
  }

  public static prefix func .! (operand: SymbolicBool) -> SymbolicBool {
    switch operand {
    case .known(let value): .known(!value)
    case .term(let term): .term(.!term)
    }
  }

  public var description: String {
    switch self {
    case .known(let value): "\(value)"
    case .term(let term): term.description
    }
  }
}

/// A 64-bit word: known, or a 64-bit bit-vector term.
public enum SymbolicWord: MachineWord, CustomStringConvertible {
  case known(UInt64)
  case term(Term)

  public typealias Condition = SymbolicBool

  public init(constant: UInt64) { self = .known(constant) }
  public init(integerLiteral value: UInt64) { self = .known(value) }

  /// A fresh 64-bit variable.
  public static func variable(_ name: String, in context: Context) -> SymbolicWord {
    .term(context.bitVector(name, width: 64))
  }

  /// The term for this word in `context`.
  public func term(in context: Context) -> Term {
    switch self {
    case .known(let value): context.literal(value, width: 64)
    case .term(let term): term
    }
  }

  /// Apply `concrete` when both are known, else build a term with `symbolic`.
  private static func lift(
    _ lhs: SymbolicWord, _ rhs: SymbolicWord,
    _ concrete: (UInt64, UInt64) -> UInt64, _ symbolic: (Term, Term) -> Term
  ) -> SymbolicWord {
    switch (lhs, rhs) {
    case (.known(let a), .known(let b)): .known(concrete(a, b))
    case (.term(let a), _): .term(symbolic(a, rhs.term(in: a.context)))
    case (_, .term(let b)): .term(symbolic(lhs.term(in: b.context), b))
    }
  }

  private static func compare(
    _ lhs: SymbolicWord, _ rhs: SymbolicWord,
    _ concrete: (UInt64, UInt64) -> Bool, _ symbolic: (Term, Term) -> Term
  ) -> SymbolicBool {
    switch (lhs, rhs) {
    case (.known(let a), .known(let b)): .known(concrete(a, b))
    case (.term(let a), _): .term(symbolic(a, rhs.term(in: a.context)))
    case (_, .term(let b)): .term(symbolic(lhs.term(in: b.context), b))
    }
  }

  public static func & (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 & $1 }, { $0 & $1 }) }
  public static func | (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 | $1 }, { $0 | $1 }) }
  public static func ^ (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 ^ $1 }, { $0 ^ $1 }) }
  public static prefix func ~ (operand: Self) -> Self {
    switch operand {
    case .known(let value): .known(~value)
    case .term(let term): .term(~term)
    }
  }
  public static func &+ (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 &+ $1 }, { $0 + $1 }) }
  public static func &- (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 &- $1 }, { $0 - $1 }) }
  public static func &* (lhs: Self, rhs: Self) -> Self { lift(lhs, rhs, { $0 &* $1 }, { $0 * $1 }) }
  public static func << (lhs: Self, rhs: Self) -> Self {
    lift(lhs, rhs, { (a: UInt64, b: UInt64) in a << b }, { $0 << $1 })
  }
  public static func >> (lhs: Self, rhs: Self) -> Self {
    lift(lhs, rhs, { (a: UInt64, b: UInt64) in a >> b }, { $0 >> $1 })
  }

  public static func .== (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 == $1 }, { $0 .== $1 }) }
  public static func .!= (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 != $1 }, { $0 .!= $1 }) }
  public static func .< (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 < $1 }, { $0 .< $1 }) }
  public static func .<= (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 <= $1 }, { $0 .<= $1 }) }
  public static func .> (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 > $1 }, { $0 .> $1 }) }
  public static func .>= (lhs: Self, rhs: Self) -> SymbolicBool { compare(lhs, rhs, { $0 >= $1 }, { $0 .>= $1 }) }

  public static func select(_ condition: SymbolicBool, _ then: Self, _ otherwise: Self) -> Self {
    switch condition {
    case .known(let value): return value ? then : otherwise
    case .term(let c):
      return .term(Term.ite(c, then.term(in: c.context), otherwise.term(in: c.context)))
    }
  }

  public static func additionOverflows(_ lhs: Self, _ rhs: Self) -> SymbolicBool {
    switch (lhs, rhs) {
    case (.known(let a), .known(let b)): return .known(a.addingReportingOverflow(b).overflow)
    case (.term(let a), _): return .term(.!Term.additionDoesNotOverflow(a, rhs.term(in: a.context)))
    case (_, .term(let b)): return .term(.!Term.additionDoesNotOverflow(lhs.term(in: b.context), b))
    }
  }

  public var description: String {
    switch self {
    case .known(let value): "0x" + String(value, radix: 16)
    case .term(let term): term.description
    }
  }
}
