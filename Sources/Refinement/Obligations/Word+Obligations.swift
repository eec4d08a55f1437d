// Obligations about the word helpers every layout and placement uses (`Bitwise`).

import Bitwise
public import SMT

/// The alignment code under proof (the kernel's by default).
public struct AlignmentCode: Sendable {
  public var alignUp: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord
  public var isAligned: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool

  public init(
    alignUp: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord,
    isAligned: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicBool
  ) {
    self.alignUp = alignUp
    self.isAligned = isAligned
  }

  public static let kernel = AlignmentCode(
    alignUp: { SymbolicWord.alignUp($0, bits: $1) },
    isAligned: { SymbolicWord.isAligned($0, bits: $1) })
}

extension Obligation {
  /// The alignment obligations for `code`.
  public static func alignment(_ code: AlignmentCode = .kernel) -> [Obligation] {
    // Hypotheses shared by all three: an alignment below the word size, and no overflow in
    // x + 2^n − 1 (retype checks free space before it aligns).
    @Sendable func inputs(_ s: ProofScope) -> (SymbolicWord, SymbolicWord) {
      let x = s.word("value")
      let bits = s.word("bits", atMost: 63)
      s.assume(.!SymbolicWord.additionOverflows(x, SymbolicWord.mask(bits: bits)))
      return (x, bits)
    }
    return [
      Obligation("word.alignUp.aligned", "alignUp(x, n) is a multiple of 2^n when x + 2^n − 1 does not overflow") { s in
        let (x, bits) = inputs(s)
        return code.isAligned(code.alignUp(x, bits), bits)
      },
      Obligation("word.alignUp.noSmaller", "alignUp(x, n) ≥ x when x + 2^n − 1 does not overflow") { s in
        let (x, bits) = inputs(s)
        return code.alignUp(x, bits) .>= x
      },
      Obligation(
        "word.alignUp.least", "alignUp(x, n) − x < 2^n: no aligned value between x and alignUp(x, n) is skipped"
      ) { s in
        let (x, bits) = inputs(s)
        return (code.alignUp(x, bits) &- x) .< (1 << bits)
      },
      Obligation("word.alignUp.fixesAligned", "alignUp(x, n) = x exactly when x is already a multiple of 2^n") { s in
        let (x, bits) = inputs(s)
        return (code.alignUp(x, bits) .== x) .== code.isAligned(x, bits)
      },
    ]
  }
}

extension SymbolicBool {
  /// Boolean equality (`iff`).
  public static func .== (lhs: SymbolicBool, rhs: SymbolicBool) -> SymbolicBool {
    (lhs .&& rhs) .|| (.!lhs .&& .!rhs)
  }
}
