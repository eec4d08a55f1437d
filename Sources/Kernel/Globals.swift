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

public import Bitwise
public import KernelABI

/// Where each kernel global lies in the globals frame: byte offsets from `frame`, one word each
/// unless said otherwise (the style of `ObjectLayout`).
///
/// Live now:
///
/// | offset | global | word |
/// |---|---|---|
/// | 0x0 | `ksCurThread` | the current thread's TCB address; the idle TCB's (`ksIdleThread`) when the idle thread runs, as in seL4 |
/// | 0x8 | `ksIdleThread` | the idle TCB's address (`KernelConstants.idleThreadPtr`), set at boot and never changed |
/// | 0x10 | `ksSchedulerAction` | 0 ResumeCurrentThread, 1 ChooseNewThread, else the TCB address to switch to (seL4's encoding) |
/// | 0x18 | `ksCurDomain` | the current domain |
/// | 0x28 | `ksCurSC` | the current thread's scheduling context (the idle SC's, `KernelConstants.idleSCPtr`, when idle runs) |
/// | 0x30 | `ksCurTime` | the clock, in ticks, as the last kernel entry read it (0: no time passes yet) |
/// | 0x38 | `ksConsumed` | the ticks the current scheduling context has used since they were last charged |
/// | 0x40 | `ksReprogram` | 1: the timer must be reprogrammed at the end of this kernel entry; 0 between events |
/// | 0x48 | `ksDomainTime` | the ticks the current domain has left (`Domain.swift`) |
/// | 0x50 | `ksDomScheduleIdx` | the domain schedule entry the current domain came from |
/// | 0x58 | `ksDomScheduleStart` | where the domain schedule goes after an end marker |
/// | 0x60 | `clock` | the machine's clock, in ticks (machine state, not seL4's data: `getCurrentTime` reads it) |
/// | 0x68 | `deadline` | the machine's timer deadline, in ticks (`setDeadline`; `UInt64.max` until programmed) |
/// | 0x80 | `ksReleaseQueue.head` | the first thread of the release queue (0: empty), linked through `tcbSchedNext`/`tcbSchedPrev` |
/// | 0x88 | `ksReleaseQueue.end` | its last thread (0: empty) |
/// | 0x100 + 8·d | `ksReadyQueuesL1Bitmap[d]` | bit g: some priority of group g has a ready thread |
/// | 0x200 + 32·d + 8·i | `ksReadyQueuesL2Bitmap[d][i]` | group 3 − i's priorities, a bit each |
/// | 0x1000 + 16·(256·d + p) | `ksReadyQueues[d][p]` | the queue's head, then its tail (+8); 0 when empty |
/// | 0x2_1000 + 8·irq | `intStateIRQTable[irq]` | the line's `IRQState` (`Interrupt.swift`) |
/// | 0x2_1200 + 8·irq | the line's mask | 1 masked (machine state, as `clock`) |
/// | 0x2_8000 ..< 0x2_8800 | `intStateIRQNode` | the IRQ node, a CNode of one CTE per line (`IRQConstants.irqNodePtr`) |
/// | 0x3_0000 + 8·i | `ksDomSchedule[i]` | entry i of the domain schedule, seL4's word: domain in the top 8 bits, ticks below (`DomainScheduleEntry.word`); i < `DomainConfig.domScheduleLength` |
/// | 0x3_8000 ..< 0x3_8800 | `ksIdleThreadTCB` | the idle thread's TCB (2^11 bytes, `KernelConstants.idleThreadPtr`), laid out as every TCB (`ObjectLayout`) |
/// | 0x3_8800 ..< 0x3_8880 | `ksIdleThreadSC` | the idle thread's scheduling context (2^7 bytes, `KernelConstants.idleSCPtr`) |
///
/// The idle objects are kernel data in seL4 (`ksIdleThreadTCB`, `ksIdleThreadSC`:
/// `include/model/statedata.h`, `src/kernel/boot.c` `create_idle_thread`), so here they lie in the
/// frame: outside every untyped region and the plan's memory, where no cap can name them and no
/// retype can reach them. The heap type description lists them (`objects`), so R1 relates them
/// like any other object; a write to their words is a write to the frame.
///
/// Room kept for what threads, the scheduler, MCS time, interrupts and domains bring, each at
/// its own offset when it lands, so that no later global moves an earlier one:
///
/// | offsets | globals |
/// |---|---|
/// | 0x20, 0x70 ..< 0x80, 0x90 ..< 0x100 | single words: `ksIdleSC` (0x20), ... |
/// | 0x100 ..< 0x1000 | the bitmaps of up to 32 domains (above) |
/// | 0x1000 ..< 0x2_1000 | the ready queues of up to 32 domains (above), 4 KiB each |
/// | 0x2_1000 ..< 0x3_0000 | the IRQ table (`intStateIRQTable`), masks and node (above), room for more lines |
/// | 0x3_0000 ..< 0x3_8000 | the domain schedule (`ksDomSchedule`: domain and length per entry) |
/// | 0x3_8880 ..< 0x4_0000 | more kernel data |
public enum GlobalsLayout {
  /// The frame's first byte: 2^18-aligned, at or above 2^48 (see the top of `Globals.swift`).
  public static let frame: UInt64 = 0xFFFF_FF80_0000_0000
  /// log2 of the frame's size: 256 KiB, one leaf table of 64 pages of `Memory`.
  public static let frameBits: UInt64 = 18
  public static let frameBytes: UInt64 = 1 << frameBits

  /// `ksCurThread`: the current thread's TCB address (the idle TCB's when idle runs).
  public static let ksCurThread: UInt64 = 0
  /// `ksIdleThread`: the idle TCB's address.
  public static let ksIdleThread: UInt64 = 0x8
  /// Where the idle TCB and the idle scheduling context lie in the frame
  /// (`KernelConstants.idleThreadPtr`, `idleSCPtr`).
  public static let idleThreadTCB: UInt64 = KernelConstants.idleThreadPtr &- frame
  public static let idleThreadSC: UInt64 = KernelConstants.idleSCPtr &- frame
  /// `ksSchedulerAction`: 0, 1, or a TCB address.
  public static let ksSchedulerAction: UInt64 = 0x10
  /// `ksCurDomain`.
  public static let ksCurDomain: UInt64 = 0x18
  /// `ksCurSC`: the current thread's scheduling context.
  public static let ksCurSC: UInt64 = 0x28
  /// `ksCurTime`: the clock as the last kernel entry read it, in ticks.
  public static let ksCurTime: UInt64 = 0x30
  /// `ksConsumed`: ticks used and not yet charged.
  public static let ksConsumed: UInt64 = 0x38
  /// `ksReprogram`: 1 when the timer must be reprogrammed at the end of the kernel entry.
  public static let ksReprogram: UInt64 = 0x40
  /// `ksDomainTime`: the ticks the current domain has left.
  public static let ksDomainTime: UInt64 = 0x48
  /// `ksDomScheduleIdx`: the current domain schedule entry.
  public static let ksDomScheduleIdx: UInt64 = 0x50
  /// `ksDomScheduleStart`: the domain schedule's start index.
  public static let ksDomScheduleStart: UInt64 = 0x58
  /// `ksDomSchedule[0]`; entry i is the word 8·i after it.
  static let domScheduleBase: UInt64 = 0x3_0000
  /// The machine's clock, in ticks (a machine register in seL4; here a word of the frame).
  public static let clock: UInt64 = 0x60
  /// The machine's timer deadline, in ticks.
  public static let deadline: UInt64 = 0x68
  /// `ksReleaseQueue.head`: the release queue's first thread (0 when empty).
  public static let ksReleaseQueueHead: UInt64 = 0x80
  /// `ksReleaseQueue.end`: the release queue's last thread (0 when empty).
  public static let ksReleaseQueueEnd: UInt64 = 0x88
  /// Where the L1 bitmap words, the L2 bitmap words and the ready queues' head and tail words
  /// start.
  static let l1BitmapBase: UInt64 = 0x100
  static let l2BitmapBase: UInt64 = 0x200
  static let readyQueuesBase: UInt64 = 0x1000
  /// Where the ready queues of 32 domains end.
  static let readyQueuesEnd: UInt64 = 0x2_1000

  /// `ksReadyQueuesL1Bitmap[domain]`.
  public static func l1Bitmap(_ domain: UInt64) -> UInt64 { l1BitmapBase &+ domain &* 8 }
  /// `ksReadyQueuesL2Bitmap[domain][index]`, index 0...3.
  public static func l2Bitmap(_ domain: UInt64, _ index: UInt64) -> UInt64 {
    l2BitmapBase &+ domain &* 32 &+ index &* 8
  }
  /// The head word of `ksReadyQueues[domain][priority]`; its tail is the next word.
  public static func readyQueueHead(_ domain: UInt64, _ priority: UInt64) -> UInt64 {
    readyQueuesBase &+ (domain &* KernelConstants.numPriorities &+ priority) &* 16
  }

  /// The byte offset in the frame of the word at `address`; nil when misaligned or outside it.
  @inline(__always)
  public static func offset(_ address: UInt64) -> UInt64? {
    let offset = address &- frame
    return address & 7 == 0 && offset < frameBytes ? offset : nil
  }

  /// `ksDomSchedule[index]`.
  public static func domSchedule(_ index: UInt64) -> UInt64 { domScheduleBase &+ index &* 8 }

  /// True iff `address` lies in the frame.
  public static func contains(_ address: UInt64) -> Bool { address &- frame < frameBytes }

  /// True iff `address` lies in the domain schedule's words (`ksDomSchedule`), which only
  /// DomainSet ScheduleConfigure and boot write: the incremental check lifts them only then.
  @inline(__always)
  public static func holdsDomSchedule(_ address: UInt64) -> Bool {
    address &- (frame &+ domScheduleBase) < DomainConfig.domScheduleLength &* 8
  }

  /// True iff the `byteCount` bytes from `address` (a zeroed range) overlap the domain
  /// schedule's words.
  public static func overlapsDomSchedule(_ address: UInt64, byteCount: UInt64) -> Bool {
    let (first, end) = (frame &+ domScheduleBase, frame &+ domSchedule(DomainConfig.domScheduleLength))
    guard byteCount > 0 else { return false }
    let last = address &+ (byteCount &- 1)
    return address < end && (last < address || last >= first)
  }

  /// True iff `address` lies in the frame outside the idle objects and the IRQ node (a word of a
  /// global, not of the idle TCB or scheduling context or the IRQ node's CNode, which are objects
  /// like any other).
  @inline(__always)
  public static func holdsGlobal(_ address: UInt64) -> Bool {
    let offset = address &- frame
    return offset < frameBytes && (offset < idleThreadTCB || offset &- idleThreadTCB >= idleObjectsBytes)
      && (offset < intStateIRQNode || offset &- intStateIRQNode >= IRQConstants.irqNodeBytes)
  }

  /// The bytes from the idle TCB to the end of the idle scheduling context.
  static let idleObjectsBytes: UInt64 = idleThreadSC &- idleThreadTCB &+ (1 << KernelConstants.minSchedContextBits)

  /// The name of the global at byte `offset` of the frame; nil where no global lives yet.
  public static func name(at offset: UInt64) -> String? {
    switch offset {
    case ksCurThread: return "ksCurThread"
    case ksIdleThread: return "ksIdleThread"
    case ksSchedulerAction: return "ksSchedulerAction"
    case ksCurDomain: return "ksCurDomain"
    case ksCurSC: return "ksCurSC"
    case ksCurTime: return "ksCurTime"
    case ksConsumed: return "ksConsumed"
    case ksReprogram: return "ksReprogram"
    case ksDomainTime: return "ksDomainTime"
    case ksDomScheduleIdx: return "ksDomScheduleIdx"
    case ksDomScheduleStart: return "ksDomScheduleStart"
    case domScheduleBase..<domSchedule(DomainConfig.domScheduleLength) where offset & 7 == 0:
      return "ksDomSchedule[\((offset &- domScheduleBase) / 8)]"
    case clock: return "clock"
    case deadline: return "deadline"
    case ksReleaseQueueHead: return "ksReleaseQueue.head"
    case ksReleaseQueueEnd: return "ksReleaseQueue.end"
    case intStateIRQTable..<(intStateIRQTable &+ 8 &* IRQConstants.numIRQs) where offset & 7 == 0:
      return "intStateIRQTable[\((offset &- intStateIRQTable) / 8)]"
    case irqMasks..<(irqMasks &+ 8 &* IRQConstants.numIRQs) where offset & 7 == 0:
      return "irqMasks[\((offset &- irqMasks) / 8)]"
    case l1BitmapBase..<l2BitmapBase where offset & 7 == 0:
      return "ksReadyQueuesL1Bitmap[\((offset &- l1BitmapBase) / 8)]"
    case l2BitmapBase..<readyQueuesBase where offset & 7 == 0:
      return "ksReadyQueuesL2Bitmap[\((offset &- l2BitmapBase) / 32)][\((offset &- l2BitmapBase) % 32 / 8)]"
    case readyQueuesBase..<readyQueuesEnd where offset & 7 == 0:
      let queue = (offset &- readyQueuesBase) / 16
      let (domain, priority) = (queue / KernelConstants.numPriorities, queue % KernelConstants.numPriorities)
      return "ksReadyQueues[\(domain)][\(priority)].\(offset & 8 == 0 ? "head" : "tail")"
    default: return nil
    }
  }
}

extension KernelState {
  /// The running thread; `ksIdleThread` when the idle thread runs. Read from and written to the
  /// globals frame (`GlobalsLayout.ksCurThread`), so a change is a logged memory write.
  public internal(set) var ksCurThread: ObjectRef {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksCurThread) }
    set { memory.store(GlobalsLayout.frame &+ GlobalsLayout.ksCurThread, newValue) }
  }

  /// `ksIdleThread`: the idle thread's TCB, from its word in the globals frame
  /// (`Invariants+Idle.swift`).
  public internal(set) var ksIdleThread: ObjectRef {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksIdleThread) }
    set { memory.store(GlobalsLayout.frame &+ GlobalsLayout.ksIdleThread, newValue) }
  }
}

extension KernelState {
  /// `ksSchedulerAction`, decoded from its word (0, 1, or a TCB address).
  public internal(set) var ksSchedulerAction: SchedulerAction {
    get {
      switch memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksSchedulerAction) {
      case 0: .resumeCurrentThread
      case 1: .chooseNewThread
      case let thread: .switchToThread(thread)
      }
    }
    set {
      let word: UInt64 =
        switch newValue {
        case .resumeCurrentThread: 0
        case .chooseNewThread: 1
        case .switchToThread(let thread): thread
        }
      // Written only when it changes: `schedule` sets ResumeCurrentThread at every exit, and a
      // step that changed nothing of the scheduler's leaves the frame unwritten (so the
      // incremental check does not re-lift the globals for it).
      let address = GlobalsLayout.frame &+ GlobalsLayout.ksSchedulerAction
      if memory.word(address) != word { memory.store(address, word) }
    }
  }

  /// `ksCurDomain`.
  public internal(set) var ksCurDomain: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksCurDomain) }
    set { memory.store(GlobalsLayout.frame &+ GlobalsLayout.ksCurDomain, newValue) }
  }

  /// `ksDomainTime`, written only when it changes.
  public internal(set) var ksDomainTime: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksDomainTime) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksDomainTime, newValue) }
  }

  /// `ksDomScheduleIdx`, written only when it changes.
  public internal(set) var ksDomScheduleIdx: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksDomScheduleIdx) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksDomScheduleIdx, newValue) }
  }

  /// `ksDomScheduleStart`, written only when it changes.
  public internal(set) var ksDomScheduleStart: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksDomScheduleStart) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksDomScheduleStart, newValue) }
  }

  /// `ksDomSchedule[index]` as its word holds it; an end marker past the schedule's length.
  public func domScheduleWord(_ index: UInt64) -> UInt64 {
    guard index < DomainConfig.domScheduleLength else { return 0 }
    return memory.word(GlobalsLayout.frame &+ GlobalsLayout.domSchedule(index))
  }

  /// Write `ksDomSchedule[index]` (nothing past the schedule's length), only when it changes.
  mutating func setDomScheduleWord(_ index: UInt64, _ word: UInt64) {
    guard index < DomainConfig.domScheduleLength else { return }
    storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.domSchedule(index), word)
  }

  /// `ksCurSC`, written only when it changes (so a step that keeps it leaves the frame unwritten).
  public internal(set) var ksCurSC: ObjectRef {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksCurSC) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksCurSC, newValue) }
  }

  /// `ksCurTime`, written only when it changes.
  public internal(set) var ksCurTime: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksCurTime) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksCurTime, newValue) }
  }

  /// `ksConsumed`, written only when it changes.
  public internal(set) var ksConsumed: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksConsumed) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksConsumed, newValue) }
  }

  /// `ksReprogram` as its word holds it (0 or 1; the lift reports any other value).
  public var ksReprogramWord: UInt64 { memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksReprogram) }

  /// `ksReprogram`, written only when it changes.
  public internal(set) var ksReprogram: Bool {
    get { ksReprogramWord != 0 }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksReprogram, newValue ? 1 : 0) }
  }

  /// The machine's clock, written only when it changes.
  public internal(set) var clock: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.clock) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.clock, newValue) }
  }

  /// The machine's timer deadline, written only when it changes.
  public internal(set) var deadline: UInt64 {
    get { memory.word(GlobalsLayout.frame &+ GlobalsLayout.deadline) }
    set { storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.deadline, newValue) }
  }

  /// The head and end of `ksReleaseQueue` (0 when empty).
  public func releaseQueueEnds() -> (head: ObjectRef, end: ObjectRef) {
    (
      memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueHead),
      memory.word(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueEnd)
    )
  }

  /// Write the head and end of `ksReleaseQueue`, each only when it changes.
  mutating func setReleaseQueueEnds(head: ObjectRef, end: ObjectRef) {
    storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueHead, head)
    storeIfChanged(GlobalsLayout.frame &+ GlobalsLayout.ksReleaseQueueEnd, end)
  }

  /// The head and tail of `ksReadyQueues[domain][priority]` (0 when empty).
  public func readyQueueEnds(_ domain: UInt64, _ priority: UInt64) -> (head: ObjectRef, tail: ObjectRef) {
    let head = GlobalsLayout.frame &+ GlobalsLayout.readyQueueHead(domain, priority)
    return (memory.word(head), memory.word(head &+ 8))
  }

  /// The ready queues of `domain` whose head or tail word is not 0, by priority, with those two
  /// words (what `readyQueueEnds` reads), read in one pass over the page of the frame that holds
  /// the domain's queues (a page never written holds none).
  public func occupiedReadyQueues(_ domain: UInt64) -> [(priority: UInt64, head: ObjectRef, tail: ObjectRef)] {
    var found: [(priority: UInt64, head: ObjectRef, tail: ObjectRef)] = []
    memory.withGlobalsPage(at: GlobalsLayout.readyQueueHead(domain, 0)) { words, first in
      var at = first
      for priority in 0..<KernelConstants.numPriorities {
        guard at &+ 1 < words.count else { break }
        let (head, tail) = (words[at], words[at &+ 1])
        if head != 0 || tail != 0 { found.append((priority, head, tail)) }
        at &+= 2
      }
    }
    return found
  }

  /// Set the head and tail of `ksReadyQueues[domain][priority]`, writing only the words that change.
  mutating func setReadyQueueEnds(_ domain: UInt64, _ priority: UInt64, head: ObjectRef, tail: ObjectRef) {
    let at = GlobalsLayout.frame &+ GlobalsLayout.readyQueueHead(domain, priority)
    if memory.word(at) != head { memory.store(at, head) }
    if memory.word(at &+ 8) != tail { memory.store(at &+ 8, tail) }
  }

  /// The bitmap of `domain`, read from its five words.
  public func bitmap(_ domain: UInt64) -> PriorityBitmap<UInt64> {
    let f = GlobalsLayout.frame
    return PriorityBitmap(
      l1: memory.word(f &+ GlobalsLayout.l1Bitmap(domain)),
      l2: (
        memory.word(f &+ GlobalsLayout.l2Bitmap(domain, 0)), memory.word(f &+ GlobalsLayout.l2Bitmap(domain, 1)),
        memory.word(f &+ GlobalsLayout.l2Bitmap(domain, 2)), memory.word(f &+ GlobalsLayout.l2Bitmap(domain, 3))
      ))
  }

  /// Change the bitmap of `domain` (the proved code, `PriorityBitmap`), writing back the words that
  /// changed.
  mutating func updateBitmap(_ domain: UInt64, _ change: (inout PriorityBitmap<UInt64>) -> Void) {
    let old = bitmap(domain)
    var new = old
    change(&new)
    let f = GlobalsLayout.frame
    if new.l1 != old.l1 { memory.store(f &+ GlobalsLayout.l1Bitmap(domain), new.l1) }
    for index in UInt64(0)..<4 where new.l2Word(at: index) != old.l2Word(at: index) {
      memory.store(f &+ GlobalsLayout.l2Bitmap(domain, index), new.l2Word(at: index))
    }
  }
}
