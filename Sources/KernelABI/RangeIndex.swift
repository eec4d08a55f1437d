// Address ranges of power-of-two sizes, found by overlap without a scan of them all.
//
// The incremental lockstep check asks, after a step, which objects an added object overlaps and
// which caps point into a range (`Lockstep+Regions.swift`). A state of 10,000 objects must answer
// that in time that does not grow with the 10,000. Ranges are kept per log2 size b: a range of
// 2^b bytes overlaps `[first, last]` iff its base lies in `[first - 2^b + 1, last]`, a window that
// holds only the ranges near the question (misaligned or overlapping ones included). Within a
// size, ranges sit in buckets of 2^(b + 6) bytes of address space (64 aligned ranges each), found
// through a sorted list of the buckets in use, so that adding or removing a range moves a bucket's
// worth of entries, not the whole size's.

/// Ranges `[base, base + 2^sizeBits)` with a payload each (the object or slot they belong to).
public struct RangeIndex<Payload: Comparable & Hashable & Sendable>: Sendable {
  @usableFromInline struct Entry: Comparable, Sendable {
    @usableFromInline var base: UInt64
    @usableFromInline var payload: Payload
    @inlinable init(base: UInt64, payload: Payload) {
      self.base = base
      self.payload = payload
    }
    @inlinable static func < (a: Entry, b: Entry) -> Bool { (a.base, a.payload) < (b.base, b.payload) }
  }

  /// The ranges of one size: buckets of entries sorted by (base, payload), and the buckets'
  /// numbers (base >> (sizeBits + 6)) in use, sorted.
  @usableFromInline struct SizeClass: Sendable {
    @usableFromInline var buckets: [UInt64: [Entry]] = [:]
    @usableFromInline var numbers: [UInt64] = []
    @inlinable init() {}
  }

  @usableFromInline var bySize: [UInt64: SizeClass] = [:]

  @inlinable public init() {}

  /// Every range of `ranges` (base, log2 size, payload), sorted once rather than inserted one by one.
  @inlinable
  public init(_ ranges: some Sequence<(base: UInt64, sizeBits: UInt64, payload: Payload)>) {
    for (base, sizeBits, payload) in ranges {
      bySize[sizeBits, default: SizeClass()].buckets[
        RangeIndex.bucket(base, sizeBits), default: []
      ].append(Entry(base: base, payload: payload))
    }
    for sizeBits in Array(bySize.keys) {
      guard var sizeClass = bySize.removeValue(forKey: sizeBits) else { continue }
      for number in Array(sizeClass.buckets.keys) { sizeClass.buckets[number]?.sort() }
      sizeClass.numbers = sizeClass.buckets.keys.sorted()
      bySize[sizeBits] = sizeClass
    }
  }

  /// The last byte of `[base, base + 2^sizeBits)`, saturating at the top of the address space.
  @inlinable public static func last(_ base: UInt64, _ sizeBits: UInt64) -> UInt64 {
    if sizeBits >= 64 { return .max }
    let (top, overflow) = base.addingReportingOverflow((UInt64(1) << sizeBits) &- 1)
    return overflow ? .max : top
  }

  @inlinable static func bucket(_ base: UInt64, _ sizeBits: UInt64) -> UInt64 {
    sizeBits >= 58 ? 0 : base >> (sizeBits + 6)
  }

  @inlinable
  public mutating func insert(base: UInt64, sizeBits: UInt64, _ payload: Payload) {
    let entry = Entry(base: base, payload: payload)
    let number = RangeIndex.bucket(base, sizeBits)
    // Taken out while they change, so that they are changed in place.
    var sizeClass = bySize.removeValue(forKey: sizeBits) ?? SizeClass()
    var entries = sizeClass.buckets.removeValue(forKey: number) ?? []
    if entries.isEmpty {
      sizeClass.numbers.insert(number, at: sizeClass.numbers.firstIndex(partitionedBy: { $0 >= number }))
    }
    entries.insert(entry, at: entries.firstIndex(partitionedBy: { !($0 < entry) }))
    sizeClass.buckets[number] = entries
    bySize[sizeBits] = sizeClass
  }

  @inlinable
  public mutating func remove(base: UInt64, sizeBits: UInt64, _ payload: Payload) {
    let entry = Entry(base: base, payload: payload)
    let number = RangeIndex.bucket(base, sizeBits)
    guard var sizeClass = bySize.removeValue(forKey: sizeBits) else { return }
    defer { if !sizeClass.numbers.isEmpty { bySize[sizeBits] = sizeClass } }
    guard var entries = sizeClass.buckets.removeValue(forKey: number) else { return }
    let at = entries.firstIndex(partitionedBy: { !($0 < entry) })
    if at < entries.count && entries[at] == entry { entries.remove(at: at) }
    if entries.isEmpty {
      let position = sizeClass.numbers.firstIndex(partitionedBy: { $0 >= number })
      if position < sizeClass.numbers.count { sizeClass.numbers.remove(at: position) }
    } else {
      sizeClass.buckets[number] = entries
    }
  }

  /// Call `body` with every range overlapping `[first, last]` (`first <= last`).
  @inlinable
  public func forEachOverlapping(_ first: UInt64, _ last: UInt64, _ body: (UInt64, UInt64, Payload) -> Void) {
    for (bits, sizeClass) in bySize {
      let span = bits >= 64 ? UInt64.max : (UInt64(1) << bits) &- 1
      let low = first >= span ? first &- span : 0
      let (lowNumber, lastNumber) = (RangeIndex.bucket(low, bits), RangeIndex.bucket(last, bits))
      var n = sizeClass.numbers.firstIndex(partitionedBy: { $0 >= lowNumber })
      while n < sizeClass.numbers.count, sizeClass.numbers[n] <= lastNumber {
        for entry in sizeClass.buckets[sizeClass.numbers[n]] ?? [] where entry.base >= low && entry.base <= last {
          if RangeIndex.last(entry.base, bits) >= first { body(entry.base, bits, entry.payload) }
        }
        n += 1
      }
    }
  }

  /// Call `body` with every range that starts at `base`.
  @inlinable
  public func forEachStarting(at base: UInt64, _ body: (UInt64, Payload) -> Void) {
    for (bits, sizeClass) in bySize {
      for entry in sizeClass.buckets[RangeIndex.bucket(base, bits)] ?? [] where entry.base == base {
        body(bits, entry.payload)
      }
    }
  }
}

extension RangeIndex {
  /// The payload of the first range starting at `base` (in no particular order) that `accept`
  /// accepts; stops there.
  @inlinable
  public func firstStarting(at base: UInt64, where accept: (Payload) -> Bool) -> Payload? {
    for (bits, sizeClass) in bySize {
      for entry in sizeClass.buckets[RangeIndex.bucket(base, bits)] ?? [] where entry.base == base {
        if accept(entry.payload) { return entry.payload }
      }
    }
    return nil
  }
}

extension Array {
  /// The first index whose element satisfies `isAfter`, in an array partitioned by it (every
  /// element that does comes after every element that does not): a binary search.
  @inlinable func firstIndex(partitionedBy isAfter: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let mid = low + (high - low) / 2
      if isAfter(self[mid]) { high = mid } else { low = mid + 1 }
    }
    return low
  }
}

/// Where each object lies: the layout conjuncts of an added object, and the objects a range
/// overlaps, without a scan of every object.
public typealias ObjectSpans = RangeIndex<ObjectRef>

extension RangeIndex where Payload == ObjectRef {
  /// Every object of `objects` (address and log2 size).
  @inlinable
  public init(objects: some Sequence<(address: ObjectRef, sizeBits: UInt64)>) {
    self.init(objects.lazy.map { (base: $0.address, sizeBits: $0.sizeBits, payload: $0.address) })
  }

  /// Whether an object other than the one at `address` overlaps `[address, address + 2^sizeBits)`.
  @inlinable
  public func overlapsAnother(_ address: ObjectRef, sizeBits: UInt64) -> Bool {
    var found = false
    forEachOverlapping(address, RangeIndex.last(address, sizeBits)) { _, _, other in
      if other != address { found = true }
    }
    return found
  }
}
