// The derivation tree and original flags of a loaded description: what the capDL initialiser
// necessarily makes, checked against what the description says.
//
// seL4 decides a cap's place in the derivation tree when it inserts the cap (`cteInsert`,
// `SEL4-SEMANTICS.md` §5): retype makes one original cap per object, a child of the untyped it
// came from; a copy is not original and is a child of an original source (of a copy it is a
// sibling); a mint that gives an unbadged endpoint or notification cap a badge makes an original
// child; an untyped cap is always original. The MDB list then has to show that tree: a node's
// parent is the nearest earlier node that `isMDBParentOf` it. A description whose `cdt` section
// (or `- child_of`) asks for a tree seL4 cannot build is refused at the cap concerned; caps the
// description leaves without a parent are placed as the initialiser places them (`derive`).

import KernelABI

extension Loader {
  /// A cap's derivation region: caps with the same key name the same object (or the same untyped
  /// range, interrupt line or control cap); nil for caps that join no tree.
  static func regionKey(_ cap: Capability) -> String? {
    switch cap {
    case .untyped(let base, let bits, _, _): "ut:\(base):\(bits)"
    case .endpoint(let r, _, _), .notification(let r, _, _), .reply(let r, _), .thread(let r),
      .cnode(let r, _, _, _), .schedContext(let r, _):
      "obj:\(r)"
    case .irqHandler(let irq): "irq:\(irq)"
    case .irqControl: "irqControl"
    case .schedControl: "schedControl"
    case .domain: "domain"
    case .null: nil
    }
  }

  /// The physical range a cap covers (an untyped's region, an object's bytes in the layers).
  static func range(_ cap: Capability) -> (base: UInt64, bits: UInt64)? {
    switch cap {
    case .untyped(let base, let bits, _, _): (base, bits)
    case .endpoint(let r, _, _): (r, PlanObjectKind.endpoint.sizeBits)
    case .notification(let r, _, _): (r, PlanObjectKind.notification.sizeBits)
    case .reply(let r, _): (r, PlanObjectKind.reply.sizeBits)
    case .thread(let r): (r, PlanObjectKind.tcb.sizeBits)
    case .cnode(let r, let radix, _, _): (r, PlanObjectKind.cnode(radix: radix).sizeBits)
    case .schedContext(let r, let bits): (r, bits)
    case .null, .schedControl, .irqControl, .irqHandler, .domain: nil
    }
  }

  static func isUntyped(_ cap: Capability) -> Bool {
    if case .untyped = cap { return true }
    return false
  }

  /// What a described link makes of its child: original (retype, a mint with a new badge, an
  /// untyped, an IRQ handler from IRQ control) or a copy; or why seL4 cannot make it.
  static func describedLink(child: Capability, parent: Capability) -> Result<Bool, CapDLLoadError> {
    switch (parent, child) {
    case (.untyped(let base, let bits, _, _), _):
      guard let inner = range(child), inner.bits < 64, bits < 64, inner.base >= base,
        inner.base &+ (1 << inner.bits) <= base &+ (1 << bits)
      else {
        return .failure(CapDLLoadError("an untyped cap is the parent only of caps to what lies inside its region"))
      }
      // Retype's product (or a smaller untyped carved from it): original.
      return .success(true)
    case (.irqControl, .irqHandler): return .success(true)
    case (.endpoint(_, let pb, _), .endpoint(_, let cb, _)), (.notification(_, let pb, _), .notification(_, let cb, _)):
      guard regionKey(parent) == regionKey(child) else { break }
      if pb == cb { return .success(false) }
      guard pb == 0 else {
        return .failure(
          CapDLLoadError(
            "a cap with badge \(cb) cannot derive from one with badge \(pb): seL4 mints a badge only from an unbadged cap"
          ))
      }
      return .success(true)
    default:
      guard regionKey(parent) == regionKey(child), regionKey(child) != nil else { break }
      // A copy of an untyped cap is original (`isCapRevocable`); any other copy is not.
      return .success(isUntyped(child))
    }
    // seL4's `isMDBParentOf` links only caps that pass `sameRegionAs`; capdl-loader-app never
    // reads the cdt (`CDL_Cap_IsOrig` has no caller in `capdl-loader-app/src/main.c`), so no
    // initialiser makes such a link either. The capDL tool does not check it (`State.hs`).
    return .failure(
      CapDLLoadError(
        "a cap derives only from a cap to the same object or from an untyped whose region holds it (seL4's "
          + "isMDBParentOf needs sameRegionAs, and capdl-loader-app ignores the cdt, so neither the kernel nor "
          + "the initialiser can make this link)"))
  }

  /// The tree and original flags: the described links (`described`, child → parent, checked),
  /// then the initialiser's derivation for every cap left without a parent. `initialiserOriginals`
  /// are the unbadged original caps the initialiser keeps for endpoints and notifications that the
  /// description names only by badged caps. Untyped caps with the exact range of an earlier one
  /// become full (`setUntypedCapAsFull`), so `caps` may change.
  /// - Throws: the first link seL4 cannot make, located by `where` (`file:line:col`) and naming
  ///   slots by `name` (capDL's `(container, slot)`).
  static func derive(
    caps: inout [SlotRef: Capability], described: [SlotRef: SlotRef], initialiserOriginals: Set<SlotRef>,
    where locate: (SlotRef) -> String, name: (SlotRef) -> String
  ) throws(CapDLLoadError) -> (cdtParent: [SlotRef: SlotRef], originals: Set<SlotRef>) {
    var cdtParent: [SlotRef: SlotRef] = [:]
    var originals: Set<SlotRef> = []
    var copies: Set<SlotRef> = []
    for (child, parent) in described.sorted(by: { $0.key < $1.key }) {
      guard let childCap = caps[child], let parentCap = caps[parent] else { continue }
      switch describedLink(child: childCap, parent: parentCap) {
      case .success(let original):
        cdtParent[child] = parent
        if original { originals.insert(child) } else { copies.insert(child) }
      case .failure(let why):
        throw CapDLLoadError(
          "\(locate(child)): the cdt makes \(name(child)) a child of \(name(parent)): \(why.message)")
      }
    }
    // A copy's parent is original: a root the description leaves is made so, and a copy cannot
    // be a parent.
    for child in copies.sorted() {
      guard let parent = cdtParent[child] else { continue }
      if copies.contains(parent) {
        throw CapDLLoadError(
          "\(locate(child)): the cdt makes \(name(child)) a child of \(name(parent)), itself a copy: seL4 makes a copy "
            + "of a copy its sibling, so name the copied cap's parent instead")
      }
      originals.insert(parent)
    }
    // Two unbadged originals to one object would be two retypes of it (or two handlers issued for
    // one IRQ). Untyped caps are all original; their copies are checked with the MDB below.
    var originalOf: [String: SlotRef] = [:]
    for slot in originals.sorted() {
      guard let cap = caps[slot], let key = regionKey(cap), (cap.badge ?? 0) == 0, !isUntyped(cap) else { continue }
      if let other = originalOf[key] {
        throw CapDLLoadError(
          "\(locate(slot)): two original caps to one object, \(name(other)) and \(name(slot)) (the cdt makes each "
            + "original: under an untyped or IRQ control, or with copies of its own): retype makes one cap per object "
            + "and the others are copies of it, so make \(name(slot)) a child of \(name(other))")
      }
      originalOf[key] = slot
    }
    derivedByInitialiser(
      caps: &caps, cdtParent: &cdtParent, originals: &originals, initialiserOriginals: initialiserOriginals)
    try checkMDB(caps: caps, cdtParent: cdtParent, originals: originals, where: locate, name: name)
    try checkUntypedMDB(caps: caps, cdtParent: cdtParent, where: locate, name: name)
    return (cdtParent, originals)
  }

  /// The derivation the capDL initialiser creates for caps left without a parent, so that the
  /// state is one seL4 can be in: an object's first cap (an original the description placed, else
  /// an unbadged one, else in slot order) is made by retype, so it is original and a child of the
  /// smallest untyped cap whose region holds the object; every further cap to the same object is
  /// copied from that first cap (not original, its child) or minted from it (a badged endpoint or
  /// notification cap with a badge of its own: original, and a child of the first cap, which is
  /// unbadged whenever the object has an unbadged cap or an initialiser's original). Further caps
  /// to one untyped range are each a child of the previous one (original, as every untyped cap),
  /// the earlier ones full, and what lies inside the range descends from the last of them. IRQ
  /// handler caps descend from the IRQ control cap. Without this, two caps to one object would be
  /// roots of different MDB lists, which `mdb_chunked` forbids, and objects inside an untyped would
  /// not descend from it (`untyped_mdb`).
  static func derivedByInitialiser(
    caps: inout [SlotRef: Capability], cdtParent: inout [SlotRef: SlotRef], originals: inout Set<SlotRef>,
    initialiserOriginals: Set<SlotRef>
  ) {
    /// True iff `ancestor` is `slot` or one of its CDT ancestors.
    func isAncestor(_ ancestor: SlotRef, of slot: SlotRef) -> Bool {
      var at: SlotRef? = slot
      var steps = 0
      while let s = at, steps <= caps.count {
        if s == ancestor { return true }
        at = cdtParent[s]
        steps += 1
      }
      return false
    }
    func link(_ child: SlotRef, to parent: SlotRef?, original: Bool) {
      if let parent, !isAncestor(child, of: parent) { cdtParent[child] = parent }
      if original { originals.insert(child) } else { originals.remove(child) }
    }
    // Untyped caps to one range: a chain of copies in slot order, below the deepest the cdt placed.
    func depth(_ slot: SlotRef) -> Int {
      var (at, n) = (slot, 0)
      while let parent = cdtParent[at], n <= caps.count { (at, n) = (parent, n + 1) }
      return n
    }
    var deepestCopy: [String: SlotRef] = [:]
    let untypedSlots = caps.filter { isUntyped($0.value) }.keys.sorted()
    for slot in untypedSlots where cdtParent[slot] != nil {
      guard let key = caps[slot].flatMap(regionKey) else { continue }
      if let other = deepestCopy[key], depth(other) >= depth(slot) { continue }
      deepestCopy[key] = slot
    }
    for slot in untypedSlots where cdtParent[slot] == nil {
      guard let cap = caps[slot], let key = regionKey(cap) else { continue }
      originals.insert(slot)
      if let previous = deepestCopy[key] {
        // A root of the cdt's own chain of copies stays its root.
        if isAncestor(slot, of: previous) { continue }
        link(slot, to: previous, original: true)
      }
      deepestCopy[key] = slot
    }
    // An untyped cap with a copy of its range below it is full (`setUntypedCapAsFull`), so the
    // copy's range is no part of its free memory (`untyped_inc'`).
    for slot in untypedSlots {
      guard let parent = cdtParent[slot], let key = caps[slot].flatMap(regionKey),
        case .untyped(let base, let bits, let device, _)? = caps[parent], caps[parent].flatMap(regionKey) == key
      else { continue }
      caps[parent] = .untyped(base: base, sizeBits: bits, isDevice: device, freeIndex: bits < 64 ? 1 << bits : 0)
    }
    let untypeds = untypedSlots.compactMap { slot -> (slot: SlotRef, base: UInt64, bits: UInt64)? in
      guard let cap = caps[slot], let key = regionKey(cap), deepestCopy[key] == slot, let r = range(cap) else {
        return nil
      }
      return (slot, r.base, r.bits)
    }.sorted { ($0.bits, $0.slot) < ($1.bits, $1.slot) }
    /// The deepest cap to the smallest untyped region that holds `[base, base + 2^bits)`: for an
    /// untyped range (`strictly`), another and larger one; an object may fill its untyped.
    func enclosing(_ base: UInt64, _ bits: UInt64, strictly: Bool) -> SlotRef? {
      untypeds.first { u in
        u.bits < 64 && bits < 64 && (u.bits > bits || (u.bits == bits && (!strictly || u.base != base)))
          && base >= u.base && base &+ (1 << bits) <= u.base &+ (1 << u.bits)
      }?.slot
    }
    // Top-level untyped chains descend from the smallest untyped that holds them.
    for slot in untypedSlots where cdtParent[slot] == nil {
      guard let r = caps[slot].flatMap(range), let parent = enclosing(r.base, r.bits, strictly: true) else { continue }
      link(slot, to: parent, original: true)
    }
    let control = caps.keys.filter { caps[$0] == .irqControl }.min()
    // Each region's first cap: an unbadged original the cdt placed under an untyped (or IRQ
    // control), else the first root: the initialiser's own original, then unbadged before badged,
    // then a cap the cdt gives copies (it must be original), then slot order.
    var first: [String: SlotRef] = [:]
    for slot in originals.sorted() where cdtParent[slot] != nil {
      guard let cap = caps[slot], !isUntyped(cap), (cap.badge ?? 0) == 0, let key = regionKey(cap), first[key] == nil
      else { continue }
      first[key] = slot
    }
    let mustBeOriginal = originals
    let roots = caps.filter { cdtParent[$0.key] == nil && !isUntyped($0.value) }
      .sorted { a, b in
        let (ai, bi) = (initialiserOriginals.contains(a.key), initialiserOriginals.contains(b.key))
        if ai != bi { return ai }
        let (ab, bb) = ((a.value.badge ?? 0) != 0, (b.value.badge ?? 0) != 0)
        if ab != bb { return !ab }
        let (ao, bo) = (mustBeOriginal.contains(a.key), mustBeOriginal.contains(b.key))
        return ao != bo ? ao : a.key < b.key
      }
    for (slot, cap) in roots {
      guard let key = regionKey(cap) else { continue }
      guard let firstSlot = first[key], firstSlot != slot, let firstCap = caps[firstSlot] else {
        first[key] = slot
        switch cap {
        // An IRQ's first handler cap is issued by IRQ control (when the system has one).
        case .irqHandler: link(slot, to: control, original: control != nil)
        case .irqControl, .schedControl, .domain: link(slot, to: nil, original: true)
        default: link(slot, to: range(cap).flatMap { enclosing($0.base, $0.bits, strictly: false) }, original: true)
        }
        continue
      }
      let own = cap.badge ?? 0
      let firstBadge = firstCap.badge ?? 0
      if own != 0 && own != firstBadge {
        // Minted with a badge of its own: original; under the unbadged cap, beside a badged one.
        link(slot, to: firstBadge == 0 ? firstSlot : cdtParent[firstSlot], original: true)
      } else {
        link(slot, to: firstSlot, original: false)
      }
    }
  }

  /// Refuses a tree the MDB lists cannot show: the lists are built as every layer builds them
  /// (`ExecutableSpec/State+Plan.swift`: one list per root, each subtree in prefix order, children
  /// by slot; `mdbRevocable` the original flag, `mdbFirstBadged` on original badged caps), and
  /// each node's parent read back as seL4 reads it (the nearest earlier open node that
  /// `isMDBParentOf` it) must be its parent in the tree; and no two lists may hold caps to one
  /// region (`mdb_chunked`).
  static func checkMDB(
    caps: [SlotRef: Capability], cdtParent: [SlotRef: SlotRef], originals: Set<SlotRef>,
    where locate: (SlotRef) -> String, name: (SlotRef) -> String
  ) throws(CapDLLoadError) {
    var children: [SlotRef: [SlotRef]] = [:]
    var roots: [SlotRef] = []
    for slot in caps.keys.sorted() {
      if let parent = cdtParent[slot], parent != slot, caps[parent] != nil {
        children[parent, default: []].append(slot)
      } else {
        roots.append(slot)
      }
    }
    func isMDBParentOf(_ a: SlotRef, _ b: SlotRef) -> Bool {
      guard originals.contains(a), let capA = caps[a], let capB = caps[b], sameRegion(capA, capB) else { return false }
      switch capA {
      case .endpoint(_, let badge, _), .notification(_, let badge, _):
        let firstBadged = originals.contains(b) && (capB.badge ?? 0) != 0
        return badge == 0 || (badge == capB.badge && !firstBadged)
      default: return true
      }
    }
    var listOf: [String: SlotRef] = [:]
    var visited: Set<SlotRef> = []
    for root in roots {
      var open: [SlotRef] = []
      var previousKey: String? = nil
      var seenInList: Set<String> = []
      var stack = [root]
      while let slot = stack.popLast() {
        guard visited.insert(slot).inserted else { continue }
        stack.append(contentsOf: (children[slot] ?? []).reversed())
        while let top = open.last, !isMDBParentOf(top, slot) { open.removeLast() }
        let read = open.last
        open.append(slot)
        if read != cdtParent[slot] {
          let says = cdtParent[slot].map { "a child of \(name($0))" } ?? "a root"
          let reads = read.map { "a child of \(name($0))" } ?? "a root"
          throw CapDLLoadError(
            "\(locate(slot)): \(name(slot)) is \(says) in the derivation tree, but seL4's MDB list would show it as \(reads) "
              + "(a child follows an original parent with the same region, and a badged parent's only children are "
              + "copies with its badge)")
        }
        if let key = caps[slot].flatMap(regionKey) {
          // Caps to one region are one run of the list (`mdb_chunked`).
          if key != previousKey, !seenInList.insert(key).inserted {
            throw CapDLLoadError(
              "\(locate(slot)): \(name(slot)) would follow caps to other objects after earlier caps to its own in the "
                + "MDB list of \(name(root)) (mdb_chunked: caps to one object are contiguous); derive it from one of them"
            )
          }
          previousKey = key
          if let other = listOf[key], other != root {
            throw CapDLLoadError(
              "\(locate(slot)): \(name(slot)) and the caps of \(name(other))'s derivation tree name one object but share no "
                + "ancestor, so they would be in different MDB lists (mdb_chunked)")
          }
          listOf[key] = root
        }
      }
    }
  }

  /// Refuses an object cap that lies inside an untyped cap's region but does not descend from it
  /// (`untyped_mdb`): seL4 makes caps to what lies inside an untyped only from that untyped.
  static func checkUntypedMDB(
    caps: [SlotRef: Capability], cdtParent: [SlotRef: SlotRef], where locate: (SlotRef) -> String,
    name: (SlotRef) -> String
  ) throws(CapDLLoadError) {
    let untypeds = caps.compactMap { slot, cap -> (slot: SlotRef, base: UInt64, bits: UInt64)? in
      guard case .untyped(let base, let bits, _, _) = cap, bits < 64 else { return nil }
      return (slot, base, bits)
    }.sorted { $0.slot < $1.slot }
    guard !untypeds.isEmpty else { return }
    for (slot, cap) in caps.sorted(by: { $0.key < $1.key }) where !isUntyped(cap) {
      guard let r = range(cap), r.bits < 64 else { continue }
      var ancestors: Set<SlotRef> = []
      var at = slot
      while let parent = cdtParent[at], ancestors.count <= caps.count, ancestors.insert(parent).inserted { at = parent }
      for u in untypeds where r.base >= u.base && r.base &+ (1 << r.bits) <= u.base &+ (1 << u.bits) {
        guard !ancestors.contains(u.slot) else { continue }
        throw CapDLLoadError(
          "\(locate(slot)): \(name(slot)) names an object inside untyped \(name(u.slot)) but does not descend from it "
            + "(untyped_mdb): seL4 makes a cap to what lies inside an untyped only from that untyped")
      }
    }
  }

  /// `sameRegionAs` (`ExecutableSpec/Capability.swift`) on plan caps.
  static func sameRegion(_ a: Capability, _ b: Capability) -> Bool {
    switch (a, b) {
    case (.untyped(let base, let bits, _, _), _):
      guard let inner = range(b), bits < 64, inner.bits < 64 else { return false }
      return inner.base >= base && inner.base &+ (1 << inner.bits) <= base &+ (1 << bits)
    case (.irqControl, .irqHandler): return true
    default:
      guard let ka = regionKey(a), let kb = regionKey(b) else { return false }
      return ka == kb && !isUntyped(b)
    }
  }
}
