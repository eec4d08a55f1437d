// Simulated physical memory: 64-bit words at real addresses.
//
// Kernel only: the spec layers keep objects in maps (`kheap`, `ksPSpace`), so this file has no twin.
//
// The kernel keeps every object in one word-addressed memory covering `[base, base + 2^sizeBits)`,
// up to the 47-bit maximum a plan may describe. Memory is backed on demand in 4 KiB pages held by
// a radix tree of 64-way tables (as a page table holds frames): a word never written reads as zero
// and costs nothing, so memory follows what is used, not what is described. Access goes through
// `load` and `store`, which check alignment and range explicitly and answer nil / do nothing
// outside memory and the globals frame (below), so no address a user can name makes the kernel
// trap.
//
// States share pages and tables (copy-on-write, per page): a write copies only the page it lands
// in and the tables on the path to it, when another state still shares them, so states keep value
// semantics for branching while a step pays for what it writes, not for the size of memory.
//
// Beside the plan's memory, `Memory` owns the kernel's globals frame (`Globals.swift`,
// `GlobalsLayout`): the same kind of pages at an address no object can have, read and written
// through the same `load`, `word` and `store`, and so logged like every other word.

/// One 4 KiB page of words, zero when made.
final class MemoryPage: @unchecked Sendable {
  // Writes happen only through a uniquely referenced page (see `Memory.store`), so sharing a page
  // between states (and threads) never exposes a write.
  let words: UnsafeMutableBufferPointer<UInt64>

  init() {
    words = .allocate(capacity: Memory.pageWords)
    words.initialize(repeating: 0)
  }

  init(copying other: MemoryPage) {
    words = .allocate(capacity: Memory.pageWords)
    _ = words.initialize(fromContentsOf: other.words)
  }

  deinit { words.deallocate() }

  var isZero: Bool { !words.contains { $0 != 0 } }
}

/// A table of the radix tree: 64 children, tables below the last level and pages at it.
final class MemoryTable: @unchecked Sendable {
  // Mutated only when uniquely referenced (see `Memory.store`), by one state's own mutating
  // methods: no two accesses to one table can overlap, so the runtime's dynamic exclusivity
  // check (a call into the runtime on every read, a quarter of a checked step's reads of the
  // globals frame) is left out.
  @exclusivity(unchecked) var tables: ContiguousArray<MemoryTable?>
  @exclusivity(unchecked) var pages: ContiguousArray<MemoryPage?>

  /// An empty table; `leaf` tables hold pages.
  init(leaf: Bool) {
    tables = leaf ? [] : ContiguousArray(repeating: nil, count: Memory.fanout)
    pages = leaf ? ContiguousArray(repeating: nil, count: Memory.fanout) : []
  }

  init(copying other: MemoryTable) {
    tables = other.tables
    pages = other.pages
  }

  var isEmpty: Bool { !tables.contains { $0 != nil } && !pages.contains { $0 != nil } }
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

/// Word-addressed memory with explicit range checks, backed on demand.
struct Memory: Sendable {
  /// The first byte address of memory.
  let base: UInt64
  /// log2 of the memory size the plan declares.
  let sizeBits: UInt64
  /// How many bytes can be backed: `2^min(sizeBits, maxBackedBits)`, never past 2^64.
  let backedBytes: UInt64
  /// How many levels of tables the tree has (at least 1); the root's children each cover
  /// `2^(pageBits + fanoutBits * (levels - 1))` bytes.
  let levels: Int
  var root: MemoryTable
  /// The globals frame, `GlobalsLayout.frameBytes` at `GlobalsLayout.frame`: one leaf table, whose
  /// pages are backed on demand and shared like those of `root`.
  var globals = MemoryTable(leaf: true)
  /// What was written since the log was last cleared (see `WriteLog`).
  var log = WriteLog()

  /// The largest memory this simulation backs (2^47 bytes, the most a plan may describe).
  static let maxBackedBits: UInt64 = 47
  static let pageBits: UInt64 = 12
  static let pageWords = 1 << (12 - 3)
  static let fanoutBits: UInt64 = 6
  static let fanout = 1 << 6

  init(base: UInt64, sizeBits: UInt64) {
    self.base = base
    self.sizeBits = sizeBits
    let bits = min(sizeBits, Memory.maxBackedBits)
    var bytes: UInt64 = 1 << bits
    // Never past the top of the address space: at most 2^64 − base bytes.
    if base != 0 && bytes > (~base &+ 1) { bytes = ~base &+ 1 }
    // Never over the globals frame: memory stops below it, or is empty if it starts inside it.
    // Only a memory near the top of the address space is cut, where no object may lie (objects
    // lie below 2^48), so every address an object can have is still backed.
    if base < GlobalsLayout.frame {
      bytes = Swift.min(bytes, GlobalsLayout.frame &- base)
    } else if GlobalsLayout.contains(base) {
      bytes = 0
    }
    backedBytes = bytes
    let pageNumberBits = bits > Memory.pageBits ? bits &- Memory.pageBits : 0
    levels = max(1, Int(truncatingIfNeeded: (pageNumberBits &+ Memory.fanoutBits &- 1) / Memory.fanoutBits))
    root = MemoryTable(leaf: levels == 1)
  }

  /// The byte offset of the word at `address`, or nil when misaligned or outside memory.
  @inline(__always)
  func offset(_ address: UInt64) -> UInt64? {
    guard address & 7 == 0, address >= base else { return nil }
    let offset = address &- base
    return offset >> 3 < backedBytes >> 3 ? offset : nil
  }

  /// The index of the child covering page `pageNumber` in a table at `level` (0: the leaf).
  @inline(__always)
  static func childIndex(_ pageNumber: UInt64, level: Int) -> Int {
    Int(truncatingIfNeeded: (pageNumber >> (Memory.fanoutBits &* UInt64(truncatingIfNeeded: level))) & 63)
  }

  /// The page holding byte `offset`, or nil when it was never written.
  @inline(__always)
  func page(at offset: UInt64) -> MemoryPage? {
    let pageNumber = offset >> Memory.pageBits
    var table = root
    var level = levels &- 1
    while level > 0 {
      guard let next = table.tables[Memory.childIndex(pageNumber, level: level)] else { return nil }
      table = next
      level &-= 1
    }
    return table.pages[Memory.childIndex(pageNumber, level: 0)]
  }

  /// The word at `address` (of memory or of the globals frame); nil when misaligned or outside
  /// both.
  @inline(__always)
  func load(_ address: UInt64) -> UInt64? {
    guard let offset = offset(address) else { return loadGlobal(address) }
    guard let page = page(at: offset) else { return 0 }
    return page.words[Int(truncatingIfNeeded: (offset >> 3) & 511)]
  }

  /// The word at `address` (of memory or of the globals frame), or 0 when misaligned or outside
  /// both (the kernel's reading: memory
  /// outside the simulation reads as zero, which decodes as empty slots and null links).
  @inline(__always)
  func word(_ address: UInt64) -> UInt64 {
    guard let offset = offset(address) else { return loadGlobal(address) ?? 0 }
    guard let page = page(at: offset) else { return 0 }
    return page.words[Int(truncatingIfNeeded: (offset >> 3) & 511)]
  }

  /// The words of the globals frame's page holding byte `offset` of the frame, passed to `body`
  /// with the index of that offset's word in them; `body` is not called when the page was never
  /// written (every word reads as zero) or the offset lies outside the frame.
  func withGlobalsPage(at offset: UInt64, _ body: (UnsafeBufferPointer<UInt64>, Int) -> Void) {
    let index = offset >> Memory.pageBits
    guard index < UInt64(globals.pages.count), let page = globals.pages[Int(truncatingIfNeeded: index)] else {
      return
    }
    withExtendedLifetime(page) {
      body(UnsafeBufferPointer(page.words), Int(truncatingIfNeeded: (offset >> 3) & 511))
    }
  }

  /// The word at `address` of the globals frame; nil when misaligned or outside the frame.
  func loadGlobal(_ address: UInt64) -> UInt64? {
    guard let offset = GlobalsLayout.offset(address) else { return nil }
    guard let page = globals.pages[Int(truncatingIfNeeded: offset >> Memory.pageBits)] else { return 0 }
    return page.words[Int(truncatingIfNeeded: (offset >> 3) & 511)]
  }

  /// The `count` words from `address` up, as `word` reads each (0 when misaligned or outside
  /// memory), looking each page up once rather than once per word.
  func words(_ address: UInt64, count: Int) -> [UInt64] {
    var result: [UInt64] = []
    result.reserveCapacity(Swift.max(count, 0))
    var at = address
    while result.count < count {
      guard let offset = offset(at), let page = page(at: offset) else {
        result.append(word(at))
        at = at &+ 8
        continue
      }
      var index = Int(truncatingIfNeeded: (offset >> 3) & 511)
      while index < Memory.pageWords && result.count < count {
        result.append(page.words[index])
        index &+= 1
        at = at &+ 8
      }
    }
    return result
  }

  /// Write `value` at `address` (of memory or of the globals frame); nothing happens when
  /// misaligned or outside both. Only the page
  /// written and the tables above it are copied, and only when another state shares them.
  @inline(__always)
  mutating func store(_ address: UInt64, _ value: UInt64) {
    guard let offset = offset(address) else { return storeGlobal(address, value) }
    uniquePage(at: offset).words[Int(truncatingIfNeeded: (offset >> 3) & 511)] = value
    log.wrote(address)
  }

  /// `store` into the globals frame (logged like any store); nothing happens when misaligned or
  /// outside the frame.
  mutating func storeGlobal(_ address: UInt64, _ value: UInt64) {
    guard let offset = GlobalsLayout.offset(address) else { return }
    if !isKnownUniquelyReferenced(&globals) { globals = MemoryTable(copying: globals) }
    let page = Memory.uniquePage(Int(truncatingIfNeeded: offset >> Memory.pageBits), of: globals)
    page.words[Int(truncatingIfNeeded: (offset >> 3) & 511)] = value
    log.wrote(address)
  }

  /// The page holding byte `offset`, made (zero) if missing and copied if shared, with every
  /// table on the way to it.
  mutating func uniquePage(at offset: UInt64) -> MemoryPage {
    if !isKnownUniquelyReferenced(&root) { root = MemoryTable(copying: root) }
    let pageNumber = offset >> Memory.pageBits
    var table = root
    var level = levels &- 1
    while level > 0 {
      let i = Memory.childIndex(pageNumber, level: level)
      var child = table.tables[i] ?? MemoryTable(leaf: level == 1)
      table.tables[i] = nil
      if !isKnownUniquelyReferenced(&child) { child = MemoryTable(copying: child) }
      table.tables[i] = child
      table = child
      level &-= 1
    }
    return Memory.uniquePage(Memory.childIndex(pageNumber, level: 0), of: table)
  }

  /// Page `i` of the leaf table `table` (which only this state holds), made (zero) if missing and
  /// copied if shared.
  @inline(__always)
  static func uniquePage(_ i: Int, of table: MemoryTable) -> MemoryPage {
    var page = table.pages[i] ?? MemoryPage()
    table.pages[i] = nil
    if !isKnownUniquelyReferenced(&page) { page = MemoryPage(copying: page) }
    table.pages[i] = page
    return page
  }

  /// Zero the bytes `[address, address + 2^bits)` (whole words), as far as they lie in memory.
  /// Pages wholly inside the range are dropped, so zeroing a huge range costs what was backed.
  mutating func zero(_ address: UInt64, bits: UInt64) {
    guard address >= base else { return }
    let start = (address &- base) & ~7
    guard start < backedBytes else { return }
    var end = backedBytes
    if bits < 64 {
      let (sum, overflow) = (address &- base).addingReportingOverflow(1 << bits)
      if !overflow { end = Swift.min(end, (sum &+ 7) & ~7) }
    }
    guard start < end else { return }
    log.zeroed(address, bits: bits)
    if !isKnownUniquelyReferenced(&root) { root = MemoryTable(copying: root) }
    Memory.zero(root, level: levels &- 1, tableStart: 0, from: start, to: end)
  }

  private static func zero(_ table: MemoryTable, level: Int, tableStart: UInt64, from: UInt64, to: UInt64) {
    let childSpan: UInt64 = 1 << (pageBits &+ fanoutBits &* UInt64(truncatingIfNeeded: level))
    for i in 0..<fanout {
      let childStart = tableStart &+ UInt64(truncatingIfNeeded: i) &* childSpan
      let childEnd = childStart &+ childSpan
      guard childEnd > from, childStart < to else { continue }
      let whole = from <= childStart && childEnd <= to
      if level == 0 {
        guard var page = table.pages[i] else { continue }
        table.pages[i] = nil
        if whole { continue }
        if !isKnownUniquelyReferenced(&page) { page = MemoryPage(copying: page) }
        let lo = Int(truncatingIfNeeded: (Swift.max(from, childStart) &- childStart) >> 3)
        let hi = Int(truncatingIfNeeded: (Swift.min(to, childEnd) &- childStart) >> 3)
        if lo < hi { UnsafeMutableBufferPointer(rebasing: page.words[lo..<hi]).update(repeating: 0) }
        table.pages[i] = page
      } else {
        guard var child = table.tables[i] else { continue }
        table.tables[i] = nil
        if whole { continue }
        if !isKnownUniquelyReferenced(&child) { child = MemoryTable(copying: child) }
        zero(child, level: level &- 1, tableStart: childStart, from: from, to: to)
        table.tables[i] = child
      }
    }
  }

  /// The addresses of the backed pages that overlap `[address, address + 2^bits)`, ascending:
  /// every other word of the range reads as zero.
  func backedPages(_ address: UInt64, bits: UInt64) -> [UInt64] {
    guard address >= base else { return [] }
    let start = address &- base
    guard start < backedBytes else { return [] }
    var end = backedBytes
    if bits < 64 {
      let (sum, overflow) = start.addingReportingOverflow(1 << bits)
      if !overflow { end = Swift.min(end, sum) }
    }
    var result: [UInt64] = []
    Memory.collectPages(root, level: levels &- 1, tableStart: 0, from: start, to: end, into: &result)
    return result.map { $0 &+ base }
  }

  private static func collectPages(
    _ table: MemoryTable, level: Int, tableStart: UInt64, from: UInt64, to: UInt64, into result: inout [UInt64]
  ) {
    let childSpan: UInt64 = 1 << (pageBits &+ fanoutBits &* UInt64(truncatingIfNeeded: level))
    for i in 0..<fanout {
      let childStart = tableStart &+ UInt64(truncatingIfNeeded: i) &* childSpan
      guard childStart &+ childSpan > from, childStart < to else { continue }
      if level == 0 {
        if table.pages[i] != nil { result.append(childStart) }
      } else if let child = table.tables[i] {
        collectPages(child, level: level &- 1, tableStart: childStart, from: from, to: to, into: &result)
      }
    }
  }

  /// True iff both memories hold the same words at the same addresses, the globals frame's
  /// included (a missing page reads as zero, like a backed page of zeros).
  func sameContents(as other: Memory) -> Bool {
    guard base == other.base, sizeBits == other.sizeBits, levels == other.levels else { return false }
    return Memory.same(globals, other.globals, level: 0) && Memory.same(root, other.root, level: levels &- 1)
  }

  private static func same(_ a: MemoryTable?, _ b: MemoryTable?, level: Int) -> Bool {
    if a === b { return true }
    for i in 0..<fanout {
      if level == 0 {
        let pa = a?.pages[i]
        let pb = b?.pages[i]
        if pa === pb { continue }
        switch (pa, pb) {
        case (let pa?, let pb?): if !pa.words.elementsEqual(pb.words) { return false }
        case (let pa?, nil): if !pa.isZero { return false }
        case (nil, let pb?): if !pb.isZero { return false }
        case (nil, nil): continue
        }
      } else if !same(a?.tables[i], b?.tables[i], level: level &- 1) {
        return false
      }
    }
    return true
  }
}
