// Machine-word arithmetic written once, for two interpretations.
//
// Kernel encodings (message-info words, rights words, capability words, alignment, retype
// placement, guard/radix arithmetic, refill arithmetic) are written as generic functions over
// `MachineWord`. `UInt64` executes them at native speed; the SMT module's symbolic word evaluates
// the very same code into Z3 terms, so a proof is about the code that runs, not a transcription.
//
// Operators follow `UInt64`'s wrapping and "smart shift" semantics, which coincide with SMT-LIB's
// bit-vector semantics: `&+`, `&-`, `&*` wrap modulo 2^64; `<<` and `>>` (logical) give 0 when the
// shift amount is 64 or more, exactly as `bvshl` and `bvlshr` do.

/// Comparison operators whose result is a `MachineBool` rather than a Swift `Bool`.
infix operator .<= : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence
/// Conjunction and disjunction that can build terms (`&&` cannot: its right side is an autoclosure).
infix operator .&& : LogicalConjunctionPrecedence
infix operator .|| : LogicalDisjunctionPrecedence
/// Implication, for writing proof goals.
infix operator .=> : LogicalDisjunctionPrecedence
/// Negation of a `MachineBool`.
prefix operator .!

/// A truth value that is either known (`Bool`) or symbolic (a Z3 term).
public protocol MachineBool {
  /// A known truth value.
  init(constant: Bool)
  static func .&& (lhs: Self, rhs: Self) -> Self
  static func .|| (lhs: Self, rhs: Self) -> Self
  static prefix func .! (operand: Self) -> Self
}

extension MachineBool {
  /// `lhs` implies `rhs`.
  @inlinable
  public static func .=> (lhs: Self, rhs: Self) -> Self { (.!lhs) .|| rhs }
}

/// A 64-bit machine word: the arithmetic the kernel and its proofs share.
public protocol MachineWord: ExpressibleByIntegerLiteral {
  /// The truth values that comparisons of words produce.
  associatedtype Condition: MachineBool

  /// A word holding the known value `constant`.
  init(constant: UInt64)

  static func & (lhs: Self, rhs: Self) -> Self
  static func | (lhs: Self, rhs: Self) -> Self
  static func ^ (lhs: Self, rhs: Self) -> Self
  static prefix func ~ (operand: Self) -> Self
  /// Addition modulo 2^64.
  static func &+ (lhs: Self, rhs: Self) -> Self
  /// Subtraction modulo 2^64.
  static func &- (lhs: Self, rhs: Self) -> Self
  /// Multiplication modulo 2^64.
  static func &* (lhs: Self, rhs: Self) -> Self
  /// Left shift; 0 when `rhs` ≥ 64.
  static func << (lhs: Self, rhs: Self) -> Self
  /// Logical right shift; 0 when `rhs` ≥ 64.
  static func >> (lhs: Self, rhs: Self) -> Self

  static func .== (lhs: Self, rhs: Self) -> Condition
  static func .!= (lhs: Self, rhs: Self) -> Condition
  /// Unsigned comparisons.
  static func .< (lhs: Self, rhs: Self) -> Condition
  static func .<= (lhs: Self, rhs: Self) -> Condition
  static func .> (lhs: Self, rhs: Self) -> Condition
  static func .>= (lhs: Self, rhs: Self) -> Condition

  /// `condition ? then : otherwise`, as one expression (Z3 `ite`).
  static func select(_ condition: Condition, _ then: Self, _ otherwise: Self) -> Self

  /// True iff adding the two words overflows 64 bits (unsigned carry out).
  static func additionOverflows(_ lhs: Self, _ rhs: Self) -> Condition
}

// MARK: - The executing interpretation

extension Bool: MachineBool {
  @inlinable public init(constant: Bool) { self = constant }
  @inlinable public static func .&& (lhs: Bool, rhs: Bool) -> Bool { lhs && rhs }
  @inlinable public static func .|| (lhs: Bool, rhs: Bool) -> Bool { lhs || rhs }
  @inlinable public static prefix func .! (operand: Bool) -> Bool { !operand }
}

extension UInt64: MachineWord {
  public typealias Condition = Bool

  @inlinable public init(constant: UInt64) { self = constant }

  @inlinable public static func << (lhs: UInt64, rhs: UInt64) -> UInt64 {
    rhs >= 64 ? 0 : lhs &<< rhs
  }
  @inlinable public static func >> (lhs: UInt64, rhs: UInt64) -> UInt64 {
    rhs >= 64 ? 0 : lhs &>> rhs
  }
  @inlinable public static func .== (lhs: UInt64, rhs: UInt64) -> Bool { lhs == rhs }
  @inlinable public static func .!= (lhs: UInt64, rhs: UInt64) -> Bool { lhs != rhs }
  @inlinable public static func .< (lhs: UInt64, rhs: UInt64) -> Bool { lhs < rhs }
  @inlinable public static func .<= (lhs: UInt64, rhs: UInt64) -> Bool { lhs <= rhs }
  @inlinable public static func .> (lhs: UInt64, rhs: UInt64) -> Bool { lhs > rhs }
  @inlinable public static func .>= (lhs: UInt64, rhs: UInt64) -> Bool { lhs >= rhs }
  @inlinable public static func select(_ condition: Bool, _ then: UInt64, _ otherwise: UInt64) -> UInt64 {
    condition ? then : otherwise
  }
  @inlinable public static func additionOverflows(_ lhs: UInt64, _ rhs: UInt64) -> Bool {
    lhs.addingReportingOverflow(rhs).overflow
  }
}

// MARK: - Word helpers shared by every encoding

extension MachineWord {
  /// The low `bits` bits set: `2^bits − 1`, all ones when `bits` ≥ 64.
  @inlinable
  public static func mask(bits: Self) -> Self {
    select(bits .>= 64, ~0, (1 << bits) &- 1)
  }

  /// `value` rounded up to a multiple of `2^bits` (seL4 `ROUND_UP`): `(x + 2^n − 1) & ~(2^n − 1)`.
  /// Wraps on overflow, as the C macro does; callers prove or check the absence of overflow.
  @inlinable
  public static func alignUp(_ value: Self, bits: Self) -> Self {
    let low = mask(bits: bits)
    return (value &+ low) & ~low
  }

  /// True iff `value` is a multiple of `2^bits`.
  @inlinable
  public static func isAligned(_ value: Self, bits: Self) -> Condition {
    (value & mask(bits: bits)) .== 0
  }
}
