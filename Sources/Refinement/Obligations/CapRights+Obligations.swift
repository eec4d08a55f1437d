// Obligations about the rights word (`seL4_CapRights_t`) and `maskCapRights`.

public import Bitwise
import KernelABI
public import SMT

/// The rights code under proof (the kernel's by default).
public struct CapRightsCode: Sendable {
  public var layout: BitLayout
  public var fromWord: @Sendable (SymbolicWord) -> SymbolicWord
  public var pack: @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord
  public var mask: @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord

  public init(
    layout: BitLayout, fromWord: @escaping @Sendable (SymbolicWord) -> SymbolicWord,
    pack: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    mask: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord
  ) {
    self.layout = layout
    self.fromWord = fromWord
    self.pack = pack
    self.mask = mask
  }

  public static let kernel = CapRightsCode(
    layout: CapRights.layout,
    fromWord: { CapRights.fromWord($0) },
    pack: { CapRights.pack(grantReply: $0, grant: $1, read: $2, write: $3) },
    mask: { CapRights.mask($0, with: $1) })
}

extension Obligation {
  /// The rights obligations for `code`.
  public static func capRights(_ code: CapRightsCode = .kernel) -> [Obligation] {
    let layout = code.layout
    return [
      Obligation(
        "capRights.fromWordKeepsLowFourBits",
        "rightsFromWord keeps exactly bits 0..3 (Write, Read, Grant, GrantReply) of a user word"
      ) { s in
        let w = s.word("word", layout: layout)
        return code.fromWord(w) .== (w & 0xF)
      },
      Obligation(
        "capRights.packRoundTrip",
        "seL4_CapRights_new(grantReply, grant, read, write) sets each right's bit from its argument's low bit"
      ) { s in
        let gr = s.word("grantReply")
        let g = s.word("grant")
        let r = s.word("read")
        let w = s.word("write")
        let packed = code.pack(gr, g, r, w)
        return (CapRights.grantReplyField.get(packed) .== (gr & 1))
          .&& (CapRights.grantField.get(packed) .== (g & 1))
          .&& (CapRights.readField.get(packed) .== (r & 1))
          .&& (CapRights.writeField.get(packed) .== (w & 1))
          .&& (code.fromWord(packed) .== packed)
      },
      Obligation(
        "capRights.maskNeverAddsRights",
        "maskCapRights never grants a right the capability did not already have"
      ) { s in
        let rights = s.word("rights", layout: layout)
        let m = s.word("mask", layout: layout)
        return (code.mask(rights, m) & ~code.fromWord(rights)) .== 0
      },
      Obligation(
        "capRights.maskWithinMask",
        "maskCapRights never keeps a right the mask does not allow"
      ) { s in
        let rights = s.word("rights", layout: layout)
        let m = s.word("mask", layout: layout)
        return (code.mask(rights, m) & ~code.fromWord(m)) .== 0
      },
      Obligation(
        "capRights.maskAllRightsIsIdentity",
        "masking with seL4_AllRights leaves a capability's rights unchanged"
      ) { s in
        let rights = s.word("rights", layout: layout)
        return code.mask(rights, 0xF) .== code.fromWord(rights)
      },
      Obligation(
        "capRights.maskIdempotent",
        "masking twice with the same mask is masking once"
      ) { s in
        let rights = s.word("rights", layout: layout)
        let m = s.word("mask", layout: layout)
        let once = code.mask(rights, m)
        return code.mask(once, m) .== once
      },
      Obligation(
        "capRights.maskMonotone",
        "a smaller mask never leaves more rights than a larger one"
      ) { s in
        let rights = s.word("rights", layout: layout)
        let small = s.word("smallMask", layout: layout)
        let large = s.word("largeMask", layout: layout)
        s.assume((code.fromWord(small) & ~code.fromWord(large)) .== 0)
        return (code.mask(rights, small) & ~code.mask(rights, large)) .== 0
      },
      Obligation(
        "capRights.derivationChainNeverGrows",
        "any two successive masks leave no right outside the original capability's or either mask"
      ) { s in
        let rights = s.word("rights", layout: layout)
        let m1 = s.word("firstMask", layout: layout)
        let m2 = s.word("secondMask", layout: layout)
        let result = code.mask(code.mask(rights, m1), m2)
        let allowed = code.fromWord(rights) & code.fromWord(m1) & code.fromWord(m2)
        return (result & ~allowed) .== 0
      },
    ]
  }
}
