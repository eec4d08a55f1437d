import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct InvariantsTests {
  func conjuncts(_ s: KernelState) -> Set<String> { Set(s.invariantViolations().map(\.conjunct)) }

  @Test func theSampleSatisfiesEveryInvariant() {
    #expect(KernelState.sample.invariantViolations() == [])
  }

  @Test func aCorruptCapWordIsReported() {
    var s = KernelState.sample
    s.store(S.rootCNode + 20 * 32, 1 << 59)
    let v = s.invariantViolations()
    #expect(v.count == 1)
    #expect(v.first?.conjunct == "valid_cap'")
    #expect(v.first?.explanation.contains("(0x100000, 20)") == true)
  }

  @Test func aDanglingLinkIsReported() {
    var s = KernelState.sample
    // root 3's next link to an address that is no CTE of a live object.
    let word = s.load(S.rootCNode + 3 * 32 + 24) ?? 0
    s.store(S.rootCNode + 3 * 32 + 24, ObjectLayout.mdbNext.set(word, to: 0x1F_0000 >> 2))
    #expect(conjuncts(s).contains("no_0"))
    // A prev link that is not a CTE.
    var t = KernelState.sample
    t.store(S.rootCNode + 3 * 32 + 16, S.endpoint)
    #expect(conjuncts(t).contains("no_0"))
  }

  @Test func disagreeingLinksAreReported() {
    var s = KernelState.sample
    s.store(S.auxCNode + 0 * 32 + 16, S.rootCNode + 5 * 32)
    #expect(conjuncts(s).contains("valid_dlist"))
  }

  @Test func anEmptySlotWithLinksIsReported() {
    var s = KernelState.sample
    s.store(S.rootCNode + 40 * 32 + 16, S.rootCNode + 3 * 32)
    #expect(conjuncts(s) == ["valid_nullcaps"])
  }

  @Test func objectPlacementIsChecked() {
    var misaligned = KernelState.sample
    misaligned.objects[0x1F_0008] = .endpoint
    #expect(conjuncts(misaligned) == ["pspace_aligned'"])
    var outside = KernelState.sample
    outside.objects[0x40_0000] = .endpoint
    #expect(conjuncts(outside) == ["pspace_in_kernel_mappings'"])
    var overlapping = KernelState.sample
    overlapping.objects[S.mainTCB + 0x100] = .endpoint
    #expect(conjuncts(overlapping).contains("pspace_distinct'"))
    var noThread = KernelState.sample
    noThread.ksCurThread = S.endpoint
    // The main thread, no longer current and in no queue, is lost as well (`valid_blocked'`).
    #expect(Set(conjuncts(noThread)) == ["cur_tcb'", "valid_blocked'"])
  }
}
