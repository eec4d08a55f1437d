// A dictionary and a set that remember which keys were written, for the incremental lockstep check.
//
// The spec layers keep their object heaps, derivation tree and original flags in these. They are
// persistent hash tries (swift-collections' `TreeDictionary`, `TreeSet`): a step that changes one
// object of a state a verified copy still shares copies a few trie nodes, where a `Dictionary`
// would copy every entry. Reading is a dictionary's (or a set's); every write (subscript set or modify, insert, remove) also puts
// the key in `log`, until the checker clears it after a step. The checker then compares only the
// logged keys with the last verified state instead of every key, so that a step costs what it
// touches, not what the state holds (docs/incremental-check.md). The log plays the part the
// kernel's memory write log plays for the Kernel layer: there is no way to change the contents
// without passing through it. Equality and hashing look at the contents only. Keys are kept as
// `WordKey`s (`WordHash.swift`), which hash with a cheap mix instead of SipHash.

/// The keys written since the log was last cleared; past `limit` keys it gives up (`isComplete`
/// false), and whoever reads it must then compare the whole collection.
public import HashTreeCollections

public struct KeyLog<Key: WordHashable>: Sendable {
  /// More written keys than this and the log stops recording: a step that writes so much is
  /// checked in full anyway, and a state stepped without a checker does not grow a log forever.
  @inlinable
  public static var limit: Int { 4096 }

  @usableFromInline var _keys: Set<WordKey<Key>> = []
  @usableFromInline var _isComplete = true
  @inlinable public var keys: LazyMapSequence<Set<WordKey<Key>>, Key> { _keys.lazy.map { $0.key } }
  @inlinable public var isComplete: Bool { _isComplete }
  @inlinable public var count: Int { _keys.count }

  /// Whether `key` was written (while the log is complete).
  @inlinable
  public func contains(_ key: Key) -> Bool { _keys.contains(WordKey(key)) }

  @inlinable
  public init() {}

  @inlinable
  public mutating func record(_ key: Key) {
    guard _isComplete else { return }
    _keys.insert(WordKey(key))
    if _keys.count > KeyLog.limit {
      _isComplete = false
      _keys = []
    }
  }

  @inlinable
  mutating func recordAll() {
    _isComplete = false
    _keys = []
  }

  @inlinable
  public mutating func clear() {
    _keys = []
    _isComplete = true
  }
}

/// A dictionary whose writes are logged (see the top of this file).
public struct LoggedDictionary<Key: WordHashable, Value: Sendable>: Sendable {
  @usableFromInline var _contents: TreeDictionary<WordKey<Key>, Value>
  @usableFromInline var _log = KeyLog<Key>()
  @usableFromInline var _replaced = KeyLog<Key>()
  @inlinable public var contents: TreeDictionary<WordKey<Key>, Value> { _contents }
  @inlinable public var log: KeyLog<Key> { _log }
  /// The keys written by any means but `update(_:_:)`: their values may differ from before in any
  /// way. (The keys of `log` not in here were changed only by `update`, whose caller logs what it
  /// changed at a finer grain.)
  @inlinable public var replaced: KeyLog<Key> { _replaced }

  @inlinable
  public init(_ contents: [Key: Value] = [:]) {
    self._contents = TreeDictionary(uniqueKeysWithValues: contents.lazy.map { (WordKey($0.key), $0.value) })
    if !contents.isEmpty {
      _log.recordAll()
      _replaced.recordAll()
    }
  }

  @inlinable
  public subscript(key: Key) -> Value? {
    get { _contents[WordKey(key)] }
    set {
      _log.record(key)
      _replaced.record(key)
      _contents[WordKey(key)] = newValue
    }
    _modify {
      _log.record(key)
      _replaced.record(key)
      yield &_contents[WordKey(key)]
    }
  }

  @discardableResult
  @inlinable
  public mutating func removeValue(forKey key: Key) -> Value? {
    _log.record(key)
    _replaced.record(key)
    return _contents.removeValue(forKey: WordKey(key))
  }

  /// Change the value at `key` (if any) in place, logging the key in `log` but not in `replaced`:
  /// for a caller that logs what it changed inside the value itself (the abstract spec's `setCap`
  /// logs the slot).
  @inlinable
  public mutating func update(_ key: Key, _ body: (inout Value) -> Void) {
    _log.record(key)
    // In place through the trie's `_modify`: one walk that moves the value out of its (made
    // unique) node and back, where taking it out with `removeValue` and putting it back walked
    // the trie twice and could collapse a node only to split it again.
    LoggedDictionary.modifyPresent(&_contents[WordKey(key)], body)
  }

  /// Change the value at `key` (if any) in place, logging the key in `log` and `replaced` as a
  /// subscript write does: one walk of the trie, the value moved out of its node while `body`
  /// changes it (so that what it holds is uniquely referenced and written in place).
  @inlinable
  public mutating func modify(_ key: Key, _ body: (inout Value) -> Void) {
    LoggedDictionary.modifyPresent(&self[key], body)
  }

  @inlinable
  static func modifyPresent(_ value: inout Value?, _ body: (inout Value) -> Void) {
    guard value != nil else { return }
    body(&value!)
  }

  /// The keys, unwrapped. (Opaque, so that `filter` and `map` on them are eager as on a
  /// dictionary's keys, not the lazy forms of the map underneath.)
  @inlinable
  public var keys: some Collection<Key> { _contents.keys.lazy.map { $0.key } }
  @inlinable
  public var values: TreeDictionary<WordKey<Key>, Value>.Values { _contents.values }
  @inlinable
  public var count: Int { contents.count }
  @inlinable
  public var isEmpty: Bool { contents.isEmpty }

  /// Forget the logged keys (the checker has looked at them).
  @inlinable
  public mutating func clearLog() {
    _log.clear()
    _replaced.clear()
  }

  /// Become `newer`, a later version of this dictionary whose log was cleared when it last
  /// equalled this one: its logged keys are copied into this dictionary's own trie, in place,
  /// rather than this trie being dropped for `newer`'s. (Two versions that share a trie copy the
  /// path to every key one of them writes, and the old nodes are freed when the other lets go:
  /// a checker that keeps the last verified state beside the current one paid that for every
  /// key every step. Caught up this way, each keeps tries of its own and both are written in
  /// place.) When `newer`'s log gave up, this is plain assignment.
  @inlinable
  public mutating func catchUp(with newer: LoggedDictionary) {
    guard newer._log.isComplete else {
      self = newer
      return
    }
    for key in newer._log._keys { _contents[key] = newer._contents[key] }
    _log = newer._log
    _replaced = newer._replaced
  }

  /// The contents as a standard dictionary (a copy of every entry).
  @inlinable
  public var dictionary: [Key: Value] { Dictionary(uniqueKeysWithValues: contents.lazy.map { ($0.key.key, $0.value) }) }
}

extension LoggedDictionary: Sequence {
  /// The entries, keys unwrapped.
  @frozen
  public struct Iterator: IteratorProtocol {
    @usableFromInline var base: TreeDictionary<WordKey<Key>, Value>.Iterator

    @inlinable
    init(_ base: TreeDictionary<WordKey<Key>, Value>.Iterator) { self.base = base }

    @inlinable
    public mutating func next() -> (key: Key, value: Value)? {
      guard let (key, value) = base.next() else { return nil }
      return (key.key, value)
    }
  }

  @inlinable
  public func makeIterator() -> Iterator { Iterator(_contents.makeIterator()) }
  @inlinable
  public var underestimatedCount: Int { contents.count }
}

extension LoggedDictionary: ExpressibleByDictionaryLiteral {
  @inlinable
  public init(dictionaryLiteral elements: (Key, Value)...) {
    self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension LoggedDictionary: Equatable where Value: Equatable {
  @inlinable
  public static func == (a: Self, b: Self) -> Bool { a.contents == b.contents }
}

extension LoggedDictionary: Hashable where Value: Hashable {
  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}

extension LoggedDictionary: CustomReflectable {
  /// The contents, so that dumps and structural diffs see a dictionary.
  @inlinable
  public var customMirror: Mirror { Mirror(reflecting: dictionary) }
}

/// A set whose insertions and removals are logged (see the top of this file).
public struct LoggedSet<Element: WordHashable>: Sendable {
  @usableFromInline var _contents: TreeSet<WordKey<Element>>
  @usableFromInline var _log = KeyLog<Element>()
  @inlinable public var contents: TreeSet<WordKey<Element>> { _contents }
  @inlinable public var log: KeyLog<Element> { _log }

  @inlinable
  public init(_ contents: Set<Element> = []) {
    self._contents = TreeSet(contents.lazy.map(WordKey.init))
    if !contents.isEmpty { _log.recordAll() }
  }

  @inlinable
  public func contains(_ element: Element) -> Bool { _contents.contains(WordKey(element)) }

  @discardableResult
  @inlinable
  public mutating func insert(_ element: Element) -> (inserted: Bool, memberAfterInsert: Element) {
    _log.record(element)
    let (inserted, member) = _contents.insert(WordKey(element))
    return (inserted, member.key)
  }

  @discardableResult
  @inlinable
  public mutating func remove(_ element: Element) -> Element? {
    _log.record(element)
    return _contents.remove(WordKey(element))?.key
  }

  @inlinable
  public var count: Int { contents.count }
  @inlinable
  public var isEmpty: Bool { contents.isEmpty }

  /// Forget the logged elements (the checker has looked at them).
  @inlinable
  public mutating func clearLog() { _log.clear() }

  /// Become `newer`, a later version of this set whose log was cleared when it last equalled
  /// this one (as `LoggedDictionary.catchUp(with:)`).
  @inlinable
  public mutating func catchUp(with newer: LoggedSet) {
    guard newer._log.isComplete else {
      self = newer
      return
    }
    for element in newer._log._keys {
      if newer._contents.contains(element) { _contents.insert(element) } else { _contents.remove(element) }
    }
    _log = newer._log
  }

  /// The contents as a standard set (a copy of every element).
  @inlinable
  public var set: Set<Element> { Set(contents.lazy.map { $0.key }) }
}

extension LoggedSet: Sequence {
  @inlinable
  public func makeIterator() -> LazyMapSequence<TreeSet<WordKey<Element>>, Element>.Iterator {
    _contents.lazy.map { $0.key }.makeIterator()
  }
  @inlinable
  public var underestimatedCount: Int { contents.count }
}

extension LoggedSet: ExpressibleByArrayLiteral {
  @inlinable
  public init(arrayLiteral elements: Element...) { self.init(Set(elements)) }
}

extension LoggedSet: Hashable {
  @inlinable
  public static func == (a: Self, b: Self) -> Bool { a.contents == b.contents }
  @inlinable
  public func hash(into hasher: inout Hasher) { hasher.combine(contents) }
}

extension LoggedSet: CustomReflectable {
  /// The contents, so that dumps and structural diffs see a set.
  @inlinable
  public var customMirror: Mirror { Mirror(reflecting: set) }
}
