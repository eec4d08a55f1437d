// Obligations about the message-info word (`seL4_MessageInfo_t`).
//
// They are stated over a `MessageInfoCode`: the kernel's own generic codec by default, or a
// deliberately broken variant in the tests that show each obligation can fail.

public import Bitwise
import KernelABI
public import SMT

/// The message-info code under proof: its layout and its two generic functions, instantiated on
/// symbolic words.
public struct MessageInfoCode: Sendable {
  public typealias Fields = (
    label: SymbolicWord, capsUnwrapped: SymbolicWord, extraCaps: SymbolicWord, length: SymbolicWord
  )
  public var layout: BitLayout
  public var pack: @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord
  public var fromWord: @Sendable (SymbolicWord) -> Fields

  public init(
    layout: BitLayout,
    pack: @escaping @Sendable (SymbolicWord, SymbolicWord, SymbolicWord, SymbolicWord) -> SymbolicWord,
    fromWord: @escaping @Sendable (SymbolicWord) -> Fields
  ) {
    self.layout = layout
    self.pack = pack
    self.fromWord = fromWord
  }

  /// The code the kernel runs.
  public static let kernel = MessageInfoCode(
    layout: MessageInfo.layout,
    pack: { MessageInfo.pack(label: $0, capsUnwrapped: $1, extraCaps: $2, length: $3) },
    fromWord: { MessageInfo.fromWord($0) })
}

extension Obligation {
  /// The message-info obligations for `code`.
  public static func messageInfo(_ code: MessageInfoCode = .kernel) -> [Obligation] {
    let maxLength = UInt64(KernelConstants.msgMaxLength)
    let layout = code.layout
    // Inputs within each field's width (length within seL4_MsgMaxLength).
    @Sendable func inRangeFields(_ s: ProofScope) -> MessageInfoCode.Fields {
      (
        s.word("label", atMost: MessageInfo.labelField.maxValue),
        s.word("capsUnwrapped", atMost: MessageInfo.capsUnwrappedField.maxValue),
        s.word("extraCaps", atMost: MessageInfo.extraCapsField.maxValue),
        s.word("length", atMost: maxLength)
      )
    }
    func roundTrip(_ field: String, _ pick: @escaping @Sendable (MessageInfoCode.Fields) -> SymbolicWord) -> Obligation
    {
      Obligation(
        "messageInfo.\(field).roundTrip",
        "reading \(field) from a packed message-info word gives back the value packed (any in-range inputs)"
      ) { s in
        let f = inRangeFields(s)
        let read = code.fromWord(code.pack(f.label, f.capsUnwrapped, f.extraCaps, f.length))
        return pick(read) .== pick(f)
      }
    }
    func independent(_ field: BitField) -> Obligation {
      Obligation(
        "messageInfo.\(field.name).independent",
        "writing \(field.name) into any message-info word leaves every other field's bits unchanged"
      ) { s in
        let w = s.word("word", layout: layout)
        let v = s.word("value")
        let written = field.set(w, to: v)
        var same = SymbolicBool.known(true)
        for other in layout.fields where other.name != field.name {
          // swift-format-ignore: NoAssignmentInExpressions
          same = same .&& (other.get(written) .== other.get(w))
        }
        return same .&& (field.get(written) .== (v & .known(field.valueMask)))
      }
    }
    return [
      roundTrip("label", { $0.label }),
      roundTrip("capsUnwrapped", { $0.capsUnwrapped }),
      roundTrip("extraCaps", { $0.extraCaps }),
      roundTrip("length", { $0.length }),
    ] + layout.fields.map(independent) + [
      Obligation(
        "messageInfo.wordRoundTrip",
        "a user word whose length field is at most 120 is decoded and re-packed to the same word"
      ) { s in
        let w = s.word("word", layout: layout)
        s.assume(MessageInfo.lengthField.get(w) .<= .known(maxLength))
        let f = code.fromWord(w)
        return code.pack(f.label, f.capsUnwrapped, f.extraCaps, f.length) .== w
      },
      Obligation(
        "messageInfo.fieldsCoverWord",
        "the four fields claim every bit of the word and no two claim the same bit"
      ) { s in
        // Every bit set lands in exactly one field: summing the fields' shifted values rebuilds
        // the word, and the sum of the masks has no carries.
        let w = s.word("word", layout: layout)
        var rebuilt: SymbolicWord = 0
        var masks: SymbolicWord = 0
        for field in layout.fields {
          rebuilt = rebuilt &+ (field.get(w) << .known(field.offset))
          masks = masks &+ .known(field.wordMask)
        }
        return (rebuilt .== w) .&& (masks .== .known(~0))
      },
      Obligation(
        "messageInfo.lengthClamped",
        "messageInfoFromWord clamps length to seL4_MsgMaxLength (120) and keeps shorter lengths exactly"
      ) { s in
        let w = s.word("word", layout: layout)
        // Stated as a specification, not as a copy of the code's `select`.
        let raw = MessageInfo.lengthField.get(w)
        let length = code.fromWord(w).length
        let max = SymbolicWord.known(maxLength)
        return (length .<= max)
          .&& ((raw .<= max) .=> (length .== raw))
          .&& ((raw .> max) .=> (length .== max))
      },
      Obligation(
        "messageInfo.packTruncates",
        "seL4_MessageInfo_new keeps only the low bits of an out-of-range argument: label mod 2^52, length mod 2^7"
      ) { s in
        let label = s.word("label")
        let caps = s.word("capsUnwrapped")
        let extra = s.word("extraCaps")
        let length = s.word("length")
        let w = code.pack(label, caps, extra, length)
        return (MessageInfo.labelField.get(w) .== (label & .known(MessageInfo.labelField.valueMask)))
          .&& (MessageInfo.lengthField.get(w) .== (length & 0x7F))
          .&& (MessageInfo.extraCapsField.get(w) .== (extra & 0x3))
          .&& (MessageInfo.capsUnwrappedField.get(w) .== (caps & 0x7))
      },
    ]
  }
}
