import KernelABI
import TestSupport
import Testing

@testable import Kernel

@Suite struct MemoryTests {
  @Test func loadsInsideMemoryAndNilOutside() {
    let state = KernelState.sample
    #expect(state.memoryBase == 0x10_0000)
    #expect(state.memorySizeBits == 21)
    #expect(state.load(0x10_0000) != nil)
    #expect(state.load(0x10_0000 + (1 << 21) - 8) != nil)
    #expect(state.load(0x10_0000 + (1 << 21)) == nil)
    #expect(state.load(0x10_0000 - 8) == nil)
    #expect(state.load(0x10_0004) == nil)
    #expect(state.load(0) == nil)
    #expect(state.load(UInt64.max) == nil)
    #expect(state.load(UInt64.max & ~7) == nil)
  }

  @Test func storesOutsideMemoryDoNothing() {
    var state = KernelState.sample
    let before = state
    state.store(UInt64.max & ~7, 1)
    state.store(0x10_0001, 1)
    state.store(0x8, 1)
    #expect(state == before)
    state.store(0x1F_FFF8, 42)
    #expect(state.load(0x1F_FFF8) == 42)
    #expect(state != before)
  }

  @Test func statesAreValues() {
    let original = KernelState.sample
    var copy = original
    copy.store(0x1F_FFF8, 9)
    #expect(original.load(0x1F_FFF8) == 0)
    #expect(copy.load(0x1F_FFF8) == 9)
    var stepped = original
    _ = stepped.run(cnodeDelete(.root(3)))
    #expect(original.capability(at: S.root(3)) != .null)
    #expect(stepped.capability(at: S.root(3)) == .null)
  }

  @Test func zeroClampsToMemory() {
    var memory = Memory(base: 0x1000, sizeBits: 6)
    memory.store(0x1038, 5)
    memory.zero(0x1020, bits: 40)
    #expect(memory.load(0x1038) == 0)
    memory.store(0x1000, 3)
    memory.zero(0x0, bits: 63)
    memory.zero(UInt64.max, bits: 64)
    #expect(memory.load(0x1000) == 3)
  }

  @Test func hugeAndTopOfAddressSpaceMemoriesDoNotTrap() {
    let top = Memory(base: UInt64.max - 0xFFF, sizeBits: 20)
    #expect(top.load(UInt64.max - 0xFFF) == 0)
    #expect(top.load(UInt64.max & ~7) == 0)
    #expect(top.load(UInt64.max - 0x1007) == nil)
    let tiny = Memory(base: 0x1000, sizeBits: 2)
    #expect(tiny.load(0x1000) == nil)
  }
}
