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
    s.ksCurThread = KernelConstants.idleThreadPtr
    #expect(s.load(curThread) == KernelConstants.idleThreadPtr)
    s.store(curThread, S.endpoint)
    #expect(s.ksCurThread == S.endpoint)
    #expect(GlobalsLayout.name(at: GlobalsLayout.ksCurThread) == "ksCurThread")
  }

  @Test func aWriteToAGlobalIsLogged() {
    var s = KernelState.sample
    s.clearWriteLog()
    s.ksCurThread = KernelConstants.idleThreadPtr
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
    copy.ksCurThread = KernelConstants.idleThreadPtr
    #expect(original.ksCurThread == S.mainTCB)
    #expect(copy.ksCurThread == KernelConstants.idleThreadPtr)
    #expect(copy != original)
    copy.ksCurThread = S.mainTCB
    #expect(copy == original)
  }

  /// `cur_tcb'` reads the current thread from the frame, in the full and the incremental check.
  @Test func aCorruptGlobalsWordBreaksCurTCB() {
    var s = KernelState.sample
    s.store(curThread, S.endpoint)
    // The main thread, no longer current and in no queue, is lost as well (`valid_blocked'`), and
    // ksCurSC is still its context: not the current thread's (`cur_sc_tcb'`), and bound to a thread
    // that is neither current nor Inactive (`cur_sc_chargeable'`, l4v-rt `DetSchedInvs_AI.thy`).
    #expect(
      Set(s.invariantViolations().map(\.conjunct)) == [
        "cur_tcb'", "valid_blocked'", "cur_sc_tcb'", "cur_sc_chargeable'",
      ])
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

  /// `occupiedReadyQueues` reads a domain's queue words in one pass over their page: it finds
  /// exactly the queues whose head or tail word `readyQueueEnds` reads as non-zero, the bitmap
  /// notwithstanding (a word written behind the scheduler's back, a lone tail, the last priority),
  /// and none in a domain whose page was never written.
  @Test func occupiedReadyQueuesAreThoseWithAHeadOrTailWord() {
    var s = KernelState.sample
    let frame = GlobalsLayout.frame
    s.store(frame + GlobalsLayout.readyQueueHead(0, 7), S.mainTCB)
    s.store(frame + GlobalsLayout.readyQueueHead(0, 200) + 8, S.endpoint)
    s.store(frame + GlobalsLayout.readyQueueHead(3, 255), 0x1000)
    s.store(frame + GlobalsLayout.readyQueueHead(3, 255) + 8, 0x2000)
    for domain in [UInt64(0), 1, 3, KernelConstants.numDomains - 1] {
      let found = s.occupiedReadyQueues(domain)
      var expected: [(priority: UInt64, head: ObjectRef, tail: ObjectRef)] = []
      for priority in 0..<KernelConstants.numPriorities {
        let (head, tail) = s.readyQueueEnds(domain, priority)
        if head != 0 || tail != 0 { expected.append((priority, head, tail)) }
      }
      #expect(found.map(\.priority) == expected.map(\.priority), "domain \(domain)")
      #expect(found.map(\.head) == expected.map(\.head) && found.map(\.tail) == expected.map(\.tail))
    }
    #expect(s.occupiedReadyQueues(1).isEmpty)
    #expect(s.occupiedReadyQueues(3).map(\.priority) == [255])
    #expect(s.occupiedReadyQueues(0).map(\.priority).contains(7))
    #expect(s.occupiedReadyQueues(0).map(\.priority).contains(200))
  }
}
