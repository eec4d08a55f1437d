// Packed-word layouts, declared once per structure.
//
// A `BitLayout` names the fields of one packed word (seL4's `.bf` blocks). Every accessor, every
// encoder, every proof obligation about the word and every decoded counterexample reads the field
// positions from that single declaration, so no mask is ever written by hand twice.

/// One field of a packed word: `width` bits starting at bit `offset`.
public struct BitField: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let offset: UInt64
  public let width: UInt64

  @inlinable
  public init(_ name: String, offset: UInt64, width: UInt64) {
    self.name = name
    self.offset = offset
    self.width = width
  }

  /// The field's value mask, unshifted: `2^width − 1`.
  @inlinable public var valueMask: UInt64 { width >= 64 ? ~0 : (1 &<< width) &- 1 }
  /// The bits the field occupies in the word.
  @inlinable public var wordMask: UInt64 { offset >= 64 ? 0 : valueMask &<< offset }
  /// The largest value the field can hold.
  @inlinable public var maxValue: UInt64 { valueMask }

  /// The field's value in `word`.
  @inlinable
  public func get<W: MachineWord>(_ word: W) -> W {
    (word >> W(constant: offset)) & W(constant: valueMask)
  }

  /// `word` with this field replaced by the low `width` bits of `value`; other bits unchanged.
  @inlinable
  public func set<W: MachineWord>(_ word: W, to value: W) -> W {
    (word & W(constant: ~wordMask)) | ((value & W(constant: valueMask)) << W(constant: offset))
  }

  public var description: String { "\(name)[\(offset + width - 1):\(offset)]" }
}

/// The fields of one packed 64-bit word, from least to most significant or in any order.
public struct BitLayout: Hashable, Sendable, CustomStringConvertible {
  public let name: String
  public let fields: [BitField]

  public init(_ name: String, _ fields: [BitField]) {
    self.name = name
    self.fields = fields
  }

  /// The field called `name`, if any.
  public func field(_ name: String) -> BitField? { fields.first { $0.name == name } }

  /// Bits no field claims.
  public var unusedMask: UInt64 { ~fields.reduce(0) { $0 | $1.wordMask } }

  /// Each field's value in `word`, in declaration order.
  public func decode(_ word: UInt64) -> [(name: String, value: UInt64)] {
    fields.map { ($0.name, $0.get(word)) }
  }

  /// `word` shown field by field: `{label: 7, length: 2}`.
  public func describe(_ word: UInt64) -> String {
    "{" + decode(word).map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "}"
  }

  public var description: String {
    "\(name)(" + fields.map(\.description).joined(separator: ", ") + ")"
  }
}
