// The abstract invariants re-checked after a step from what the step changed, for the lockstep
// checker (`invariantsHold(after:changed:removed:affected:isNamed:)`, below).

public import KernelABI

extension AbstractState {
  /// True only if every invariant holds in this state, given that every invariant held in
  /// `before` and that the logs of `kheap`, `cdt` and `isOriginalCap` hold every write since it
  /// (`changed` and `removed`: the objects that differ; `spans`: where every object lies). `affected` gives, for seed slots, a set
  /// of slots closed under the derivation tree that holds every slot related to them (and every
  /// cap naming a changed or removed object), or nil; `isNamed` says whether some CNode or thread
  /// cap names an object (`if_unsafe_then_cap`). False means "broken or undecided".
  ///
  /// Every conjunct but `if_unsafe_then_cap` and the layout is checked on a copy of the state cut
  /// down to the affected slots (`restricted(to:objects:)`): each tuple it looks at lies inside
  /// those slots with the tree it reads, so what the copy breaks the state breaks, and a tuple
  /// outside them is unchanged since `before`.
  public func invariantsHold(
    after before: AbstractState, changed: [ObjectRef], removed: Set<ObjectRef>, spans: ObjectSpans,
    affected: (Set<SlotRef>) -> Set<SlotRef>?, isNamed: (ObjectRef) -> Bool
  ) -> Bool {
    guard cdt.log.isComplete, isOriginalCap.log.isComplete, memoryBase == before.memoryBase,
      memorySizeBits == before.memorySizeBits
    else { return false }
    // The slots whose cap, tree edges or original flag changed, and the old and new parents of
    // changed edges (their children changed).
    var seeds: Set<SlotRef> = []
    var oldCaps: [Capability] = []
    for address in changed {
      for index in AbstractState.changedSlotIndices(kheap[address], before.kheap[address]) {
        let slot = SlotRef(address, index)
        seeds.insert(slot)
        oldCaps.append(before.getCap(slot))
      }
    }
    for address in removed {
      for index in AbstractState.changedSlotIndices(nil, before.kheap[address]) {
        seeds.insert(SlotRef(address, index))
        oldCaps.append(before.getCap(SlotRef(address, index)))
      }
    }
    for child in cdt.log.keys {
      seeds.insert(child)
      if let parent = cdt[child] { seeds.insert(parent) }
      if let parent = before.cdt[child] { seeds.insert(parent) }
    }
    seeds.formUnion(isOriginalCap.log.keys)
    guard let around = affected(seeds) else { return false }

    // The layout, for objects added or resized.
    for address in changed where before.kheap[address]?.sizeBits != kheap[address]?.sizeBits {
      guard layoutHolds(at: address, spans: spans) else { return false }
    }

    // `if_unsafe_then_cap`: a filled affected slot sits in a named object; an object that lost a
    // cap naming it still is named, if it holds anything.
    for slot in around where !getCap(slot).isNull && !isNamed(slot.container) { return false }
    for cap in oldCaps {
      switch cap {
      case .cnode(let r, _, _, _), .thread(let r):
        if AbstractState.holdsCaps(kheap[r]) && !isNamed(r) { return false }
      default: break
      }
    }

    // Every other conjunct, on the state cut down to the affected slots.
    let sub = restricted(to: around, objects: Set(changed))
    return sub.invariantViolations(ifUnsafeThenCap: false).isEmpty
  }

  /// `pspace_aligned` and `pspace_distinct` for the object at `address` alone: aligned, inside
  /// memory, overlapping no other object of `spans`.
  func layoutHolds(at address: ObjectRef, spans: ObjectSpans) -> Bool {
    guard let object = kheap[address] else { return true }
    let top = address &+ mask(object.sizeBits)
    let memoryEnd = memoryBase &+ mask(memorySizeBits)
    guard address & mask(object.sizeBits) == 0, address >= memoryBase, top <= memoryEnd, top >= address else {
      return false
    }
    return !spans.overlapsAnother(address, sizeBits: object.sizeBits)
  }

  /// This state with only `slots` filled (and their tree edges and original flags), and only the
  /// objects holding them, the objects their caps name, `objects` and the current thread; each
  /// object keeps its kind and size.
  func restricted(to slots: Set<SlotRef>, objects: Set<ObjectRef>) -> AbstractState {
    var sub = AbstractState(
      plan: SystemPlan(memoryBase: memoryBase, memorySizeBits: memorySizeBits, objects: [], caps: [:]))
    sub.currentThread = currentThread
    var keep = objects
    if let currentThread { keep.insert(currentThread) }
    for slot in slots {
      keep.insert(slot.container)
      if let named = getCap(slot).objectRef { keep.insert(named) }
    }
    for address in keep {
      switch kheap[address] {
      case .cnode(var cnode)?:
        cnode.slots = [:]
        sub.kheap[address] = .cnode(cnode)
      case .tcb(var tcb)?:
        tcb.slots = [:]
        sub.kheap[address] = .tcb(tcb)
      case let object?: sub.kheap[address] = object
      case nil: break
      }
    }
    // Written straight into the objects (not by `setCap`), so that a slot beyond a CNode's radix
    // stays in the copy for `valid_objs` to see.
    var filled: [ObjectRef: [UInt64: Capability]] = [:]
    for slot in slots {
      let cap = getCap(slot)
      if !cap.isNull { filled[slot.container, default: [:]][slot.index] = cap }
      if let parent = cdt[slot] { sub.cdt[slot] = parent }
      if isOriginalCap.contains(slot) { sub.isOriginalCap.insert(slot) }
    }
    for (address, caps) in filled {
      switch sub.kheap[address] {
      case .cnode(var cnode)?:
        cnode.slots = caps
        sub.kheap[address] = .cnode(cnode)
      case .tcb(var tcb)?:
        tcb.slots = caps
        sub.kheap[address] = .tcb(tcb)
      default: break
      }
    }
    return sub
  }

  /// The indices of the slots whose caps differ between two versions of an object.
  public static func changedSlotIndices(_ new: KernelObject?, _ old: KernelObject?) -> Set<UInt64> {
    func slots(_ object: KernelObject?) -> [UInt64: Capability] {
      switch object {
      case .cnode(let cnode)?: cnode.slots
      case .tcb(let tcb)?: tcb.slots
      default: [:]
      }
    }
    let (a, b) = (slots(new), slots(old))
    if a == b { return [] }
    var indices: Set<UInt64> = []
    for (index, cap) in a where b[index] != cap { indices.insert(index) }
    for (index, cap) in b where a[index] != cap { indices.insert(index) }
    return indices
  }

  /// Whether an object holds any cap.
  static func holdsCaps(_ object: KernelObject?) -> Bool {
    switch object {
    case .cnode(let cnode)?: !cnode.slots.isEmpty
    case .tcb(let tcb)?: !tcb.slots.isEmpty
    default: false
    }
  }
}
