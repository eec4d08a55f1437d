import KernelABI
import TestSupport
import Testing

@testable import Kernel

/// The kernel's globals are words of its globals frame (`Globals.swift`), read and written like
/// the words of objects, and logged.
@Suite struct GlobalsTests {
  let curThread = GlobalsLayout.frame + GlobalsLayout.ksCurThread

  @Test func theCurrentThreadIsAWordOfTheGlobalsFrame() {
    var s = KernelState.sample
    #expect(s.load(curThread) == S.mainTCB)
    s.ksCurThread = nil
    #expect(s.load(curThread) == 0)
    s.store(curThread, S.endpoint)
    #expect(s.ksCurThread == S.endpoint)
    #expect(GlobalsLayout.name(at: GlobalsLayout.ksCurThread) == "ksCurThread")
  }

  @Test func aWriteToAGlobalIsLogged() {
    var s = KernelState.sample
    s.clearWriteLog()
    s.ksCurThread = nil
    #expect(s.writeLog.words == [curThread])
    #expect(s.writeLog.isComplete)
  }

  /// The frame lies where no object and no memory of a plan can: above 2^48, and a memory that
  /// would reach it stops below it.
  @Test func theFrameCollidesWithNoObjectNorPlanMemory() {
    #expect(GlobalsLayout.frame >= 1 << 48)
    #expect(GlobalsLayout.frame % GlobalsLayout.frameBytes == 0)
    let below = Memory(base: GlobalsLayout.frame - 0x1000, sizeBits: 20)
    #expect(below.backedBytes == 0x1000)
    var inside = Memory(base: GlobalsLayout.frame + 0x1000, sizeBits: 12)
    #expect(inside.backedBytes == 0)
    inside.store(GlobalsLayout.frame + 0x1000, 7)
    #expect(inside.load(GlobalsLayout.frame + 0x1000) == 7)
    #expect(inside.root.isEmpty, "the word went to the globals frame, not to the plan's memory")
    var s = KernelState.sample
    s.store(curThread + 4, 1)
    s.store(GlobalsLayout.frame + GlobalsLayout.frameBytes, 1)
    #expect(s == KernelState.sample, "misaligned or outside the frame: nothing happens")
    #expect(s.load(GlobalsLayout.frame + GlobalsLayout.frameBytes) == nil)
  }

  @Test func statesAreValuesAndCompareTheirGlobals() {
    let original = KernelState.sample
    var copy = original
    copy.ksCurThread = nil
    #expect(original.ksCurThread == S.mainTCB)
    #expect(copy.ksCurThread == nil)
    #expect(copy != original)
    copy.ksCurThread = S.mainTCB
    #expect(copy == original)
  }

  /// `cur_tcb'` reads the current thread from the frame, in the full and the incremental check.
  @Test func aCorruptGlobalsWordBreaksCurTCB() {
    var s = KernelState.sample
    s.store(curThread, S.endpoint)
    // The main thread, no longer current and in no queue, is lost as well (`valid_blocked'`).
    #expect(Set(s.invariantViolations().map(\.conjunct)) == ["cur_tcb'", "valid_blocked'"])
    let spans = ObjectSpans(objects: s.objects.lazy.map { ($0.key, $0.value.sizeBits) })
    #expect(
      !s.invariantsHold(
        written: Set<UInt64>(), oldNeighbours: [UInt64](), added: [ObjectRef](), spans: spans, locator: s.cteLocator))
    s.store(curThread, S.mainTCB)
    #expect(s.invariantViolations() == [])
    #expect(
      s.invariantsHold(
        written: Set<UInt64>(), oldNeighbours: [UInt64](), added: [ObjectRef](), spans: spans, locator: s.cteLocator))
  }
}
