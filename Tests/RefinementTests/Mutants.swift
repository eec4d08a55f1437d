// Deliberately broken versions of the code under proof, to show that each obligation can fail.

import Bitwise
import KernelABI
import Refinement
import SMT

enum Mutants {
  /// A message-info codec built from the given fields, clamping length at `clamp` (nil: never).
  static func messageInfo(
    label: BitField = MessageInfo.labelField, caps: BitField = MessageInfo.capsUnwrappedField,
    extra: BitField = MessageInfo.extraCapsField, length: BitField = MessageInfo.lengthField,
    clamp: UInt64? = 120
  ) -> MessageInfoCode {
    MessageInfoCode(
      layout: BitLayout("mutant", [label, caps, extra, length]),
      pack: { l, c, e, n in
        var w: SymbolicWord = 0
        w = label.set(w, to: l)
        w = caps.set(w, to: c)
        w = extra.set(w, to: e)
        w = length.set(w, to: n)
        return w
      },
      fromWord: { w in
        let n = length.get(w)
        let clamped = clamp.map { SymbolicWord.select(n .> .known($0), .known($0), n) } ?? n
        return (label.get(w), caps.get(w), extra.get(w), clamped)
      })
  }

  static let messageInfoMutants: [(String, MessageInfoCode)] = [
    ("label overlaps capsUnwrapped", messageInfo(label: BitField("label", offset: 11, width: 53))),
    ("length overlaps extraCaps", messageInfo(length: BitField("length", offset: 0, width: 8))),
    ("capsUnwrapped one bit short", messageInfo(caps: BitField("capsUnwrapped", offset: 9, width: 2))),
    ("length clamped at 119", messageInfo(clamp: 119)),
    ("length never clamped", messageInfo(clamp: nil)),
  ]

  static func capRights(
    fromWord: @escaping @Sendable (SymbolicWord) -> SymbolicWord = { CapRights.fromWord($0) },
    pack: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord = {
      CapRights.pack(grantReply: $0, grant: $1, read: $2, write: $3)
    },
    mask: (@Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord)? = nil
  ) -> CapRightsCode {
    CapRightsCode(
      layout: CapRights.layout, fromWord: fromWord, pack: pack,
      mask: mask ?? { fromWord($0) & fromWord($1) })
  }

  static let capRightsMutants: [(String, CapRightsCode)] = [
    ("rightsFromWord keeps five bits", capRights(fromWord: { $0 & 0x1F })),
    ("mask is a union", capRights(mask: { CapRights.fromWord($0) | CapRights.fromWord($1) })),
    ("mask removes the mask's rights", capRights(mask: { CapRights.fromWord($0) & ~CapRights.fromWord($1) })),
    ("mask is an exclusive or", capRights(mask: { CapRights.fromWord($0) ^ CapRights.fromWord($1) })),
    ("pack swaps read and write", capRights(pack: { CapRights.pack(grantReply: $0, grant: $1, read: $3, write: $2) })),
  ]

  static let alignmentMutants: [(String, AlignmentCode)] = [
    ("alignUp rounds down", AlignmentCode(
      alignUp: { $0 & ~SymbolicWord.mask(bits: $1) }, isAligned: { SymbolicWord.isAligned($0, bits: $1) })),
    ("alignUp adds 2^n instead of 2^n − 1", AlignmentCode(
      alignUp: { ($0 &+ (1 << $1)) & ~SymbolicWord.mask(bits: $1) }, isAligned: { SymbolicWord.isAligned($0, bits: $1) })),
    ("alignUp forgets to mask", AlignmentCode(
      alignUp: { $0 &+ SymbolicWord.mask(bits: $1) }, isAligned: { SymbolicWord.isAligned($0, bits: $1) })),
  ]

  /// Every mutated obligation, tagged with its mutant.
  static var all: [(mutant: String, obligation: Obligation)] {
    messageInfoMutants.flatMap { name, code in Obligation.messageInfo(code).map { (name, $0) } }
      + capRightsMutants.flatMap { name, code in Obligation.capRights(code).map { (name, $0) } }
      + alignmentMutants.flatMap { name, code in Obligation.alignment(code).map { (name, $0) } }
  }
}
