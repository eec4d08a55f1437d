// Obligations about the notification badge word (KernelABI `NotificationBadge`): the update the
// executable spec and the kernel run when a signal reaches an Active notification. Together they
// say the word after a signal is exactly the union of the bits before and the badge's, and what a
// receiver relies on: signals may arrive in any order or grouping, repeat, or carry no bits,
// without changing what it finally reads.

import KernelABI
public import SMT

/// The badge-word update under proof (the kernel's by default; broken variants in the tests).
public struct NotificationBadgeCode: Sendable {
  public var accumulate: @Sendable (_ word: SymbolicWord, _ badge: SymbolicWord) -> SymbolicWord

  public init(accumulate: @escaping @Sendable (SymbolicWord, SymbolicWord) -> SymbolicWord) {
    self.accumulate = accumulate
  }

  /// The code the executable spec and the kernel run.
  public static let kernel = NotificationBadgeCode { NotificationBadge.accumulate($0, badge: $1) }
}

extension Obligation {
  /// The badge-word obligations for `code`.
  // The code under proof is one capital letter, as in the statements it appears in.
  // swift-format-ignore: AlwaysUseLowerCamelCase
  public static func notificationBadge(_ code: NotificationBadgeCode = .kernel) -> [Obligation] {
    let signal = code.accumulate
    return [
      Obligation(
        "kernel.notification.badgeOr.keepsSignalledBits",
        "a signal keeps every bit already in the notification word: none signalled before is lost"
      ) { s in
        let word = s.word("word")
        let badge = s.word("badge")
        return (word & ~signal(word, badge)) .== 0
      },
      Obligation(
        "kernel.notification.badgeOr.addsBadgeBits",
        "after a signal every bit of its badge is set in the notification word"
      ) { s in
        let word = s.word("word")
        let badge = s.word("badge")
        return (badge & ~signal(word, badge)) .== 0
      },
      Obligation(
        "kernel.notification.badgeOr.nothingElse",
        "a signal sets no bit that is neither in the word before nor in the badge"
      ) { s in
        let word = s.word("word")
        let badge = s.word("badge")
        return (signal(word, badge) & ~(word | badge)) .== 0
      },
      Obligation(
        "kernel.notification.badgeOr.commutative",
        "two signals give the same word in either order"
      ) { s in
        let word = s.word("word")
        let a = s.word("badgeA")
        let b = s.word("badgeB")
        return signal(signal(word, a), b) .== signal(signal(word, b), a)
      },
      Obligation(
        "kernel.notification.badgeOr.associative",
        "signalling a then b gives the same word as one signal of the badge a accumulated with b"
      ) { s in
        let word = s.word("word")
        let a = s.word("badgeA")
        let b = s.word("badgeB")
        return signal(signal(word, a), b) .== signal(word, signal(a, b))
      },
      Obligation(
        "kernel.notification.badgeOr.idempotent",
        "signalling the same badge twice gives the same word as signalling it once"
      ) { s in
        let word = s.word("word")
        let badge = s.word("badge")
        return signal(signal(word, badge), badge) .== signal(word, badge)
      },
      Obligation(
        "kernel.notification.badgeOr.zeroBadge",
        "a signal with badge 0 leaves the notification word unchanged"
      ) { s in
        let word = s.word("word")
        return signal(word, 0) .== word
      },
    ]
  }
}
