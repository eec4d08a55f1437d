// The kernel's globals: the words seL4 keeps in its own data (`ksCurThread`, `ksSchedulerAction`,
// `ksReadyQueues`, ... in the kernel image's `.bss`), here in a globals frame of simulated memory.
//
// Kernel only: the spec layers keep their globals as fields of their states (`ksCurThread`,
// `currentThread`), so this file has no twin; the relation reads the frame back
// (`Refinement/Relations/State+Relation.swift`).
//
// The frame is read and written like any other memory, through `Memory.load`, `word` and `store`,
// so every write to a global lands in the write log beside the writes to objects, and the
// incremental lockstep check sees a step that changed a global exactly as it sees one that
// changed an object. `Memory` owns the frame (`Memory.globals`): a leaf table of pages backed on
// demand and shared copy-on-write, as the rest of memory is.
//
// Where it lies: `GlobalsLayout.frame`, in the upper half of the address space, where seL4 places
// its kernel image and with it the globals. No object or untyped region can lie there: objects
// lie below 2^48 (their caps hold 48-bit addresses; `SystemPlan.validate`), and so do the regions
// of untyped caps, hence everything retype places. A plan's memory never reaches the frame either:
// `Memory` ends it below the frame (only a plan whose memory starts near the top of the address
// space is cut, and such a plan has no room for objects, which lie below 2^48).

public import KernelABI

/// Where each kernel global lies in the globals frame: byte offsets from `frame`, one word each
/// unless said otherwise (the style of `ObjectLayout`).
///
/// Live now:
///
/// | offset | global | word |
/// |---|---|---|
/// | 0x0 | `ksCurThread` | the current thread's TCB address; 0 when there is none (seL4's null pointer) |
///
/// Room kept for what threads, the scheduler, MCS time, interrupts and domains bring, each at
/// its own offset when it lands, so that no later global moves an earlier one:
///
/// | offsets | globals |
/// |---|---|
/// | 0x8 ..< 0x100 | single words: `ksIdleThread`, `ksSchedulerAction`, `ksCurSC`, `ksCurTime`, `ksConsumed`, `ksReprogram`, `ksCurDomain`, `ksDomainTime`, `ksDomScheduleIdx` |
/// | 0x100 ..< 0x1000 | the two-level priority bitmap: `ksReadyQueuesL1Bitmap` (a word per domain), `ksReadyQueuesL2Bitmap` (4 words per domain for 256 priorities) |
/// | 0x1000 ..< 0x2_1000 | `ksReadyQueues`: head and tail per (domain, priority), 4 KiB per domain for up to 32 domains |
/// | 0x2_1000 ..< 0x3_0000 | the IRQ table (`intStateIRQTable`) and the IRQ node |
/// | 0x3_0000 ..< 0x4_0000 | the domain schedule (`ksDomSchedule`: domain and length per entry) |
public enum GlobalsLayout {
  /// The frame's first byte: 2^18-aligned, at or above 2^48 (see the top of `Globals.swift`).
  public static let frame: UInt64 = 0xFFFF_FF80_0000_0000
  /// log2 of the frame's size: 256 KiB, one leaf table of 64 pages of `Memory`.
  public static let frameBits: UInt64 = 18
  public static let frameBytes: UInt64 = 1 << frameBits

  /// `ksCurThread`: the current thread's TCB address; 0 when there is none.
  public static let ksCurThread: UInt64 = 0

  /// The byte offset in the frame of the word at `address`; nil when misaligned or outside it.
  @inline(__always)
  public static func offset(_ address: UInt64) -> UInt64? {
    let offset = address &- frame
    return address & 7 == 0 && offset < frameBytes ? offset : nil
  }

  /// True iff `address` lies in the frame.
  public static func contains(_ address: UInt64) -> Bool { address &- frame < frameBytes }

  /// The name of the global at byte `offset` of the frame; nil where no global lives yet.
  public static func name(at offset: UInt64) -> String? {
    switch offset {
    case ksCurThread: "ksCurThread"
    default: nil
    }
  }
}

extension KernelState {
  /// The running thread; nil when idle. Read from and written to the globals frame
  /// (`GlobalsLayout.ksCurThread`), so a change is a logged memory write.
  public internal(set) var ksCurThread: ObjectRef? {
    get {
      let word = memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksCurThread)
      return word == 0 ? nil : word
    }
    set { memory.store(GlobalsLayout.frame &+ GlobalsLayout.ksCurThread, newValue ?? 0) }
  }
}
