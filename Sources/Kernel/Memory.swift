// Simulated physical memory: 64-bit words at real addresses.
//
// The kernel keeps every object in one flat array of words covering
// `[base, base + 2^sizeBits)`. Access goes through `load` and `store`, which check alignment and
// range explicitly and answer nil / do nothing outside memory, so no address a user can name makes
// the kernel trap. The words live in raw storage owned by a class; `KernelState` copies that
// storage at most once per step (copy-on-write), so states keep value semantics for branching while
// the hot path pays no per-access exclusivity or uniqueness cost.

/// The raw word storage: allocated once, freed when the last state that shares it goes.
final class WordStorage: @unchecked Sendable {
  // Writes happen only through a uniquely referenced storage (see `Memory.makeUnique`), so sharing
  // a storage between states (and threads) never exposes a write.
  let words: UnsafeMutableBufferPointer<UInt64>

  init(count: Int) {
    words = .allocate(capacity: count)
    words.initialize(repeating: 0)
  }

  init(copying other: WordStorage) {
    words = .allocate(capacity: other.words.count)
    _ = words.initialize(fromContentsOf: other.words)
  }

  deinit { words.deallocate() }
}

/// Where memory was written since the log was last cleared: the word addresses `store` wrote and
/// the ranges `zero` cleared, in order. Both are the only ways the kernel changes memory, so a
/// checker can look only at what a step touched (`KernelState.writeLog`). After `limit` entries
/// the log stops recording and says it is incomplete: the checker must then look at everything.
public struct WriteLog: Sendable {
  /// Word addresses written (with repeats).
  public private(set) var words: [UInt64] = []
  /// Ranges `[address, address + 2^bits)` zeroed.
  public private(set) var zeroedRanges: [(address: UInt64, bits: UInt64)] = []
  /// False once more than `limit` entries were written: some writes are not listed.
  public private(set) var isComplete = true

  /// Entries kept before the log gives up (a kernel run without a checker never clears it).
  public static let limit = 4096

  public var isEmpty: Bool { isComplete && words.isEmpty && zeroedRanges.isEmpty }

  @inline(__always)
  mutating func wrote(_ address: UInt64) {
    if words.count < WriteLog.limit { words.append(address) } else { isComplete = false }
  }

  mutating func zeroed(_ address: UInt64, bits: UInt64) {
    if zeroedRanges.count < WriteLog.limit { zeroedRanges.append((address, bits)) } else { isComplete = false }
  }
}

/// Word-addressed memory with explicit range checks.
struct Memory: Sendable {
  /// The first byte address of memory.
  let base: UInt64
  /// log2 of the memory size the plan declares.
  let sizeBits: UInt64
  /// How many bytes are backed by storage: `2^min(sizeBits, maxBackedBits)`, never past 2^64.
  let backedBytes: UInt64
  var storage: WordStorage
  /// What was written since the log was last cleared (see `WriteLog`).
  var log = WriteLog()

  /// The largest memory this simulation backs (1 GiB); larger plans are cut to it.
  static let maxBackedBits: UInt64 = 30

  init(base: UInt64, sizeBits: UInt64) {
    self.base = base
    self.sizeBits = sizeBits
    var bytes: UInt64 = 1 << min(sizeBits, Memory.maxBackedBits)
    // Never past the top of the address space: at most 2^64 − base bytes.
    if base != 0 && bytes > (~base &+ 1) { bytes = ~base &+ 1 }
    backedBytes = bytes
    storage = WordStorage(count: Int(truncatingIfNeeded: bytes >> 3))
  }

  /// The storage index of the word at `address`, or nil when misaligned or outside memory.
  @inline(__always)
  func index(_ address: UInt64) -> Int? {
    guard address & 7 == 0, address >= base else { return nil }
    let word = (address &- base) >> 3
    guard word < UInt64(storage.words.count) else { return nil }
    return Int(truncatingIfNeeded: word)
  }

  /// The word at `address`; nil when misaligned or outside memory.
  @inline(__always)
  func load(_ address: UInt64) -> UInt64? {
    guard let i = index(address) else { return nil }
    return storage.words[i]
  }

  /// The word at `address`, or 0 when misaligned or outside memory (the kernel's reading: memory
  /// outside the simulation reads as zero, which decodes as empty slots and null links).
  @inline(__always)
  func word(_ address: UInt64) -> UInt64 {
    guard let i = index(address) else { return 0 }
    return storage.words[i]
  }

  /// Write `value` at `address`; nothing happens when misaligned or outside memory. The caller
  /// has made the storage unique (`makeUnique`) in this step.
  @inline(__always)
  mutating func store(_ address: UInt64, _ value: UInt64) {
    guard let i = index(address) else { return }
    storage.words[i] = value
    log.wrote(address)
  }

  /// Zero the bytes `[address, address + 2^bits)`, as far as they lie in memory.
  mutating func zero(_ address: UInt64, bits: UInt64) {
    guard address >= base else { return }
    let count = UInt64(storage.words.count)
    let offset = address &- base
    let first = offset >> 3
    guard first < count else { return }
    var last = count
    if bits < 64 {
      let (end, overflow) = offset.addingReportingOverflow(1 << bits)
      if !overflow { last = Swift.min(count, (end &+ 7) >> 3) }
    }
    guard first < last else { return }
    log.zeroed(address, bits: bits)
    let range = Int(truncatingIfNeeded: first)..<Int(truncatingIfNeeded: last)
    UnsafeMutableBufferPointer(rebasing: storage.words[range]).update(repeating: 0)
  }

  /// Give this memory its own storage if another state shares it (copy-on-write, once a step).
  @inline(__always)
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = WordStorage(copying: storage) }
  }

  /// True iff both memories hold the same words at the same addresses.
  func sameContents(as other: Memory) -> Bool {
    guard base == other.base, sizeBits == other.sizeBits, storage.words.count == other.storage.words.count
    else { return false }
    if storage === other.storage { return true }
    for i in 0..<storage.words.count where storage.words[i] != other.storage.words[i] { return false }
    return true
  }
}
