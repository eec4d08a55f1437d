// Obligations about the Kernel fastpath's reading of the message-info word (`Kernel/Fastpath.swift`,
// `seL4:src/fastpath/fastpath.c`, `fastpath_mi_check`): the check lets through exactly the
// messages the slowpath transfers without the IPC buffer, and for those the fastpath's raw reading
// of the word agrees with the slowpath's decode.
//
// Both sides are the code that runs: the fastpath's generic `MessageInfo.fastpathMessageInfoFails`,
// `fastpathLength` and `fastpathDeliveredWord`, and the slowpath's `MessageInfo.fromWord` (length
// clamped to 120) and `MessageInfo.pack`, as `doIPCTransfer` uses them. With no extra caps
// `doIPCTransfer` transfers none (`transferCaps` of an empty list gives extraCaps 0 and
// capsUnwrapped 0); that step is the kernel's control flow, not word arithmetic, so the
// obligations take it as given and the lockstep and fastpath tests check it.

import Bitwise
import KernelABI
public import SMT

/// The fastpath's message-info code under proof, replaceable by mutants in tests.
public struct FastpathMessageInfoCode: Sendable {
  /// `fastpath_mi_check`: true when the fastpath falls back.
  public var fails: @Sendable (SymbolicWord) -> SymbolicBool
  /// The number of message registers the fastpath copies.
  public var length: @Sendable (SymbolicWord) -> SymbolicWord
  /// The message-info word the fastpath gives the receiver.
  public var deliveredWord: @Sendable (SymbolicWord) -> SymbolicWord

  public init(
    fails: @escaping @Sendable (SymbolicWord) -> SymbolicBool,
    length: @escaping @Sendable (SymbolicWord) -> SymbolicWord,
    deliveredWord: @escaping @Sendable (SymbolicWord) -> SymbolicWord
  ) {
    self.fails = fails
    self.length = length
    self.deliveredWord = deliveredWord
  }

  /// The code the kernel runs.
  public static let kernel = FastpathMessageInfoCode(
    fails: { MessageInfo.fastpathMessageInfoFails($0) }, length: { MessageInfo.fastpathLength($0) },
    deliveredWord: { MessageInfo.fastpathDeliveredWord($0) })
}

extension Obligation {
  /// The fastpath message-info obligations for `code`, against the slowpath's own decode.
  public static func fastpathMessageInfo(_ code: FastpathMessageInfoCode = .kernel) -> [Obligation] {
    let slowpath = MessageInfoCode.kernel
    let registers = MessageInfo.fastpathMessageRegisters
    return [
      Obligation(
        "kernel.fastpath.messageInfo.acceptsExactlyRegisterMessages",
        "for every message-info word, fastpath_mi_check passes iff the slowpath's decode (length clamped to 120) "
          + "has no extra caps and a length of at most n_msgRegisters (4): the messages the slowpath transfers "
          + "without the IPC buffer"
      ) { s in
        let w = s.word("word", layout: MessageInfo.layout)
        let decoded = slowpath.fromWord(w)
        let passes = .!code.fails(w)
        let registerOnly = (decoded.extraCaps .== 0) .&& (decoded.length .<= .known(registers))
        return (passes .=> registerOnly) .&& (registerOnly .=> passes)
      },
      Obligation(
        "kernel.fastpath.messageInfo.copiesSlowpathLength",
        "when fastpath_mi_check passes, the raw length the fastpath copies equals the slowpath's clamped length "
          + "and is at most n_msgRegisters (4)"
      ) { s in
        let w = s.word("word", layout: MessageInfo.layout)
        s.assume(.!code.fails(w))
        let length = code.length(w)
        return (length .== slowpath.fromWord(w).length) .&& (length .<= .known(registers))
      },
      Obligation(
        "kernel.fastpath.messageInfo.deliversSlowpathWord",
        "when fastpath_mi_check passes, the word the fastpath gives the receiver (capsUnwrapped cleared) is the "
          + "one doIPCTransfer packs with no caps transferred: the label, capsUnwrapped 0, extraCaps 0, the clamped "
          + "length"
      ) { s in
        let w = s.word("word", layout: MessageInfo.layout)
        s.assume(.!code.fails(w))
        let decoded = slowpath.fromWord(w)
        return code.deliveredWord(w) .== slowpath.pack(decoded.label, 0, 0, decoded.length)
      },
    ]
  }
}
