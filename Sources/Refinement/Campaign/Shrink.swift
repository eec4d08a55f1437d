// Delta debugging (Zeller's ddmin) over a list of events: the smallest sub-list that still fails
// the same way; then the arguments of what is left, made as small as still fails. `fails` re-runs
// the layers from the initial state on a candidate list.

public import KernelABI

/// The shortest sub-sequence of `events` (keeping order) for which `fails` still holds, found by
/// removing chunks of halving size and then single events until nothing more can go.
/// - Complexity: O(n²) calls of `fails` in the worst case; typically far fewer.
public func shrinkEvents<E>(_ events: [E], fails: ([E]) -> Bool) -> [E] {
  var current = events
  var chunk = max(1, current.count / 2)
  while !current.isEmpty {
    var removedAny = false
    var start = 0
    while start < current.count {
      let end = min(current.count, start + chunk)
      let candidate = Array(current[..<start] + current[end...])
      if fails(candidate) {
        current = candidate
        removedAny = true
      } else {
        start = end
      }
    }
    if chunk == 1 && !removedAny { break }
    chunk = removedAny ? chunk : max(1, chunk / 2)
  }
  return current
}

// MARK: - Shrinking arguments

/// Simplify the elements of `events` one at a time: each element is replaced by the first of its
/// `variants` for which `fails` still holds, until no variant of any element fails or `budget`
/// calls of `fails` are spent. `variants` must return only values strictly smaller than their
/// argument in some well-founded order (shorter lists, smaller words), so the loop ends.
/// - Returns: the simplified list, of the same length as `events`.
public func shrinkArguments<E>(
  _ events: [E], budget: Int = 2_000, variants: (E) -> [E], fails: ([E]) -> Bool
) -> [E] {
  var current = events
  var calls = 0
  var changed = true
  while changed && calls < budget {
    changed = false
    for i in current.indices {
      var improved = true
      while improved && calls < budget {
        improved = false
        for candidate in variants(current[i]) where calls < budget {
          var trial = current
          trial[i] = candidate
          calls += 1
          if fails(trial) {
            current = trial
            improved = true
            changed = true
            break
          }
        }
      }
    }
  }
  return current
}

/// Smaller candidates for a word: 0, half of it, and it with its lowest set bit cleared (each
/// strictly below `value`; none for 0). Clearing bits one at a time finds the one bit that matters.
func smallerWords(_ value: UInt64) -> [UInt64] {
  guard value != 0 else { return [] }
  var out: [UInt64] = [0]
  for v in [value >> 1, value & (value &- 1)] where !out.contains(v) { out.append(v) }
  return out
}

extension Event {
  /// Simpler versions of this event for argument shrinking: each changes one argument to a
  /// strictly smaller value (a word made smaller, a list one element shorter, the receive slot
  /// dropped, a message-info field lowered), so that repeated simplification ends.
  public var simplerVariants: [Event] {
    switch self {
    case .syscall(let call, let arguments):
      var out: [SyscallArguments] = []
      func vary(_ keyPath: WritableKeyPath<SyscallArguments, UInt64>) {
        for w in smallerWords(arguments[keyPath: keyPath]) {
          var a = arguments
          a[keyPath: keyPath] = w
          out.append(a)
        }
      }
      func varyList(_ keyPath: WritableKeyPath<SyscallArguments, [UInt64]>) {
        let list = arguments[keyPath: keyPath]
        if !list.isEmpty {
          var a = arguments
          a[keyPath: keyPath].removeLast()
          out.append(a)
        }
        for (i, value) in list.enumerated() {
          for w in smallerWords(value) {
            var a = arguments
            a[keyPath: keyPath][i] = w
            out.append(a)
          }
        }
      }
      varyList(\.messageRegisters)
      varyList(\.extraCaps)
      // Message info: lower the fields other than the label one at a time (each lowers the word).
      let info = MessageInfo(word: arguments.messageInfo)
      var infos: [MessageInfo] = []
      if info.capsUnwrapped != 0 {
        infos.append(MessageInfo(label: info.label, capsUnwrapped: 0, extraCaps: info.extraCaps, length: info.length))
      }
      if info.extraCaps != 0 {
        infos.append(
          MessageInfo(
            label: info.label, capsUnwrapped: info.capsUnwrapped, extraCaps: info.extraCaps - 1, length: info.length))
      }
      if info.length != 0 {
        infos.append(
          MessageInfo(label: info.label, capsUnwrapped: info.capsUnwrapped, extraCaps: info.extraCaps, length: 0))
        infos.append(
          MessageInfo(
            label: info.label, capsUnwrapped: info.capsUnwrapped, extraCaps: info.extraCaps, length: info.length - 1))
      }
      for candidate in infos {
        let word: UInt64 = candidate.word
        // Only a strictly smaller word (a raw word with bits outside the fields may decode the same).
        guard word < arguments.messageInfo else { continue }
        var a = arguments
        a.messageInfo = word
        out.append(a)
      }
      vary(\.replyRegister)
      vary(\.nbSendRecvDestination)
      vary(\.capRegister)
      if arguments.receiveSlot != nil {
        var a = arguments
        a.receiveSlot = nil
        out.append(a)
      }
      return out.map { .syscall(call, $0) }
    case .timerTick(let ticks):
      return smallerWords(ticks).map { .timerTick(ticks: $0) }
    case .interrupt(let irq):
      return smallerWords(irq).map { .interrupt(irq: $0) }
    case .unknownSyscall:
      return []
    case .userException(let number, let code):
      return smallerWords(number).map { .userException(number: $0, code: code) }
        + smallerWords(code).map { .userException(number: number, code: $0) }
    }
  }
}
