import Kernel
import KernelABI
import Refinement
import Testing

/// Shrinking goes past the event list to the arguments: after delta debugging, each event's
/// words and lists are made as small as still fails the same way.
@Suite struct ShrinkArgumentsTests {
  /// Clearing one bit at a time finds the single bit a failure depends on; the other elements go
  /// to zero and the list keeps its length.
  @Test func argumentShrinkingFindsTheOneBitThatMatters() {
    let start: [UInt64] = [5, 0xFF, 7]
    var calls = 0
    let variants: (UInt64) -> [UInt64] = { v in [0, v >> 1, v & (v &- 1)].filter { $0 < v } }
    let small = shrinkArguments(start, variants: variants) { xs in
      calls += 1
      return xs.count == 3 && xs[1] & 8 != 0
    }
    #expect(small == [0, 8, 0])
    #expect(calls < 100)
  }

  @Test func theBudgetBoundsTheCalls() {
    var calls = 0
    let variants: (UInt64) -> [UInt64] = { v in v == 0 ? [] : [v - 1] }
    _ = shrinkArguments([UInt64.max, .max], budget: 10, variants: variants) { _ in
      calls += 1
      return true
    }
    #expect(calls == 10)
  }

  /// Every variant is strictly simpler: shorter lists, or the same lists with one smaller word,
  /// so that shrinking terminates. Checked over the campaign generator's events.
  @Test func everyVariantIsStrictlySimpler() {
    var checked = 0
    for seed in UInt64(0)..<20 {
      for event in runTrace(plan: .sample, seed: 0x5_0000 &+ seed, length: 60).events {
        for variant in event.simplerVariants {
          #expect(isSimpler(measure(variant), than: measure(event)), "\(variant) is not simpler than \(event)")
          checked += 1
        }
      }
    }
    #expect(checked > 1_000)
  }

  /// A planted-bug trace with noise in its arguments (message registers past the message length,
  /// extra caps the message info does not announce, a stray reply register where the call reads
  /// none): shrinking removes
  /// the noise and the trace still fails the same way, and only because of the bug.
  @Test(arguments: [PlantedBug.mintIgnoresRightsMask, .retypeIgnoresWatermark, .execCopyIgnoresRightsMask])
  func noisyArgumentsAreShrunkAway(_ bug: PlantedBug) throws {
    var kernel = KernelState(plan: .sample)
    kernel.plantedBug = bug
    for i in UInt64(0)..<400 {
      let result = runTrace(plan: .sample, seed: 0xB06_0000 &+ i, length: 250, kernel: kernel)
      guard let failure = result.failure else { continue }
      let noisy: [Event] = result.events.map { event in
        guard case .syscall(let call, var arguments) = event else { return event }
        // Noise only past what the message info announces (the generator also makes messages
        // that announce more than they carry: padding those would change what the kernel reads).
        if arguments.messageRegisters.count >= Int(arguments.info.length) {
          arguments.messageRegisters += [0xDEAD_BEEF, 0x1234_5678_9ABC]
        }
        if arguments.extraCaps.count >= Int(arguments.info.extraCaps) { arguments.extraCaps += [0xFFFF_0000] }
        // A stray reply register only where the system call reads none (the generator's Recv,
        // ReplyRecv, NBSendRecv and NBSendWait name a reply cap or a destination there).
        if !call.receiveUsesReplyCap && call.sendDestination != .replyRegister { arguments.replyRegister |= 0x4000 }
        return .syscall(call, arguments)
      }
      let noisyFailure = try #require(replay(plan: .sample, events: noisy, kernel: kernel))
      #expect(noisyFailure.kind == failure.kind && noisyFailure.name == failure.name)
      let shrunk = shrink(plan: .sample, events: noisy, failure: noisyFailure, kernel: kernel)
      #expect(shrunk.failure.kind == failure.kind && shrunk.failure.name == failure.name)
      #expect(replay(plan: .sample, events: shrunk.events) == nil)
      // The bug is in a system call, so the shrunk trace keeps at least one: the checks below run.
      #expect(shrunk.events.contains { if case .syscall = $0 { true } else { false } })
      for event in shrunk.events {
        guard case .syscall(_, let arguments) = event else { continue }
        #expect(
          !arguments.messageRegisters.contains(0xDEAD_BEEF) && !arguments.messageRegisters.contains(0x1234_5678_9ABC))
        #expect(!arguments.extraCaps.contains(0xFFFF_0000))
        #expect(arguments.replyRegister & 0x4000 == 0)
      }
      return
    }
    Issue.record("\(bug) was not caught")
  }

  /// Lists' total length, then the words in a fixed order: smaller is simpler.
  private func measure(_ event: Event) -> [UInt64] {
    switch event {
    case .syscall(_, let a):
      let words =
        a.messageRegisters + a.extraCaps + [a.messageInfo, a.replyRegister, a.nbSendRecvDestination, a.capRegister]
      return [UInt64(a.messageRegisters.count + a.extraCaps.count + (a.receiveSlot == nil ? 0 : 1))] + words
    case .timerTick(let t): return [0, t]
    case .interrupt(let irq): return [0, irq]
    case .unknownSyscall(let n): return [0, UInt64(bitPattern: n)]
    case .userException(let number, let code): return [0, number, code]
    }
  }
}

/// Product order on measures: no word larger and one smaller; a measure with fewer list entries
/// (its first word) is simpler whatever its words.
private func isSimpler(_ lhs: [UInt64], than rhs: [UInt64]) -> Bool {
  guard lhs.count == rhs.count else { return lhs[0] < rhs[0] }
  return zip(lhs, rhs).allSatisfy { $0 <= $1 } && lhs != rhs
}
