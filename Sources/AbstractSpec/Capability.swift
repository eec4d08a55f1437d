// What one capability says about another, and how a capability changes when it is copied.
//
// Two questions drive the derivation tree. `sameRegionAs` asks whether the authority of one cap
// covers the object of another: an untyped cap covers everything inside its memory, an endpoint
// cap covers every cap to its endpoint whatever the badge. `sameObjectAs` asks whether two caps
// name the same object, which decides whether deleting a cap destroys the object (`isFinalCapability`).
// Copying a cap may narrow its rights (`maskCapRights`), set a badge or guard (`updateCapData`) and
// is refused for some caps (`deriveCap`). A new cap is original (`isCapRevocable`) when it starts a
// subtree of its own, and is the child of its source (`shouldBeParentOf`) when the source is an
// original that covers it. (`l4v:spec/abstract/CSpace_A.thy`, `seL4:src/object/objecttype.c`.)
// Twins: `ExecutableSpec/Capability.swift`, `Kernel/Capability.swift`.

public import KernelABI

// MARK: - Regions and objects

extension Capability {
  /// The memory a cap's object or region occupies, as `(first byte, log2 size)`; nil for caps that
  /// name no memory.
  var memoryRange: (base: UInt64, sizeBits: UInt64)? {
    switch self {
    case .untyped(let base, let sizeBits, _, _): (base, sizeBits)
    case .endpoint(let r, _, _): (r, ObjectType.endpoint.objectSizeBits(userSizeBits: 0))
    case .notification(let r, _, _): (r, ObjectType.notification.objectSizeBits(userSizeBits: 0))
    case .reply(let r, _): (r, ObjectType.reply.objectSizeBits(userSizeBits: 0))
    case .cnode(let r, let radix, _, _): (r, ObjectType.capTable.objectSizeBits(userSizeBits: radix))
    case .thread(let r): (r, ObjectType.tcb.objectSizeBits(userSizeBits: 0))
    case .schedContext(let r, let sizeBits): (r, sizeBits)
    case .null, .schedControl, .irqControl, .irqHandler, .domain: nil
    }
  }

  /// True iff this cap's authority covers `other`'s (`same_region_as`).
  public func sameRegionAs(_ other: Capability) -> Bool {
    switch (self, other) {
    // An untyped cap covers every object and untyped lying wholly inside its memory.
    case (.untyped(let base, let sizeBits, _, _), _):
      guard let inner = other.memoryRange else { return false }
      let top = base &+ (mask(sizeBits))
      let innerTop = inner.base &+ mask(inner.sizeBits)
      return base <= inner.base && innerTop <= top && inner.base <= innerTop
    // Endpoint and notification caps cover their object, whatever the badge or rights.
    case (.endpoint(let a, _, _), .endpoint(let b, _, _)), (.notification(let a, _, _), .notification(let b, _, _)):
      return a == b
    // A CNode cap covers caps to the same CNode of the same size.
    case (.cnode(let a, let radixA, _, _), .cnode(let b, let radixB, _, _)):
      return a == b && radixA == radixB
    // Thread, reply and scheduling-context caps cover their object.
    case (.thread(let a), .thread(let b)), (.reply(let a, _), .reply(let b, _)):
      return a == b
    case (.schedContext(let a, let bitsA), .schedContext(let b, let bitsB)):
      return a == b && bitsA == bitsB
    // IRQControl covers itself and every handler; a handler covers its own line.
    case (.irqControl, .irqControl), (.irqControl, .irqHandler):
      return true
    case (.irqHandler(let a), .irqHandler(let b)):
      return a == b
    // SchedControl and Domain caps are each a region of their own kind (seL4 ignores the core).
    case (.schedControl, .schedControl), (.domain, .domain):
      return true
    case (.null, _), (.endpoint, _), (.notification, _), (.cnode, _), (.thread, _), (.reply, _),
      (.schedContext, _), (.irqControl, _), (.irqHandler, _), (.schedControl, _), (.domain, _):
      return false
    }
  }

  /// True iff the two caps name the same object (`same_object_as`): same region, except that an
  /// untyped cap names no object and IRQControl is not the object of a handler.
  public func sameObjectAs(_ other: Capability) -> Bool {
    switch (self, other) {
    // Untyped memory is not an object, so no untyped cap is final for one.
    case (.untyped, _): return false
    // IRQControl hands out handlers but is not their object.
    case (.irqControl, .irqHandler): return false
    default: return sameRegionAs(other)
    }
  }
}

// MARK: - Changing a cap as it is copied

extension Capability {
  /// The cap with its rights intersected with `rights` (`mask_cap`): endpoints keep all four rights,
  /// notifications Write and Read, replies Grant; every other cap ignores the mask.
  public func maskCapRights(_ rights: CapRights) -> Capability {
    switch self {
    case .endpoint(let r, let badge, let own):
      return .endpoint(r, badge: badge, rights: own.masked(by: rights))
    case .notification(let r, let badge, let own):
      return .notification(r, badge: badge, rights: own.masked(by: rights).masked(by: [.write, .read]))
    case .reply(let r, let canGrant):
      return .reply(r, canGrant: canGrant && rights.contains(.grant))
    case .null, .untyped, .cnode, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain:
      return self
    }
  }

  /// The cap with user data `word` applied (`update_cap_data`): a badge for an unbadged endpoint or
  /// notification (any other endpoint or notification becomes Null, so badges never change and
  /// `preserve`, as in Mutate and Rotate, always fails for them); guard and guard size for a CNode
  /// (Null when guard size plus radix exceeds the word); every other cap unchanged.
  public func updateCapData(preserve: Bool, _ word: UInt64) -> Capability {
    switch self {
    // Only a fresh mint may badge an endpoint or notification, and only once.
    case .endpoint(let r, let badge, let rights):
      return badge == 0 && !preserve ? .endpoint(r, badge: word, rights: rights) : .null
    case .notification(let r, let badge, let rights):
      return badge == 0 && !preserve ? .notification(r, badge: word, rights: rights) : .null
    // A CNode cap takes guard (bits 63..6) and guard size (bits 5..0) from the word.
    case .cnode(let r, let radix, _, _):
      let guardSize = word & mask(6)
      let newGuard = (word >> 6) & mask(guardSize)
      return guardSize &+ radix > UInt64(KernelConstants.wordBits)
        ? .null : .cnode(r, radix: radix, guardSize: guardSize, guard: newGuard)
    case .null, .untyped, .reply, .thread, .schedContext, .schedControl, .irqControl, .irqHandler, .domain:
      return self
    }
  }
}

// MARK: - Derivation and the derivation tree

extension AbstractState {
  /// True iff a new cap `newCap` made from `sourceCap` is original (`is_cap_revocable`): every
  /// untyped cap, an endpoint or notification cap whose badge differs from its source's, and a
  /// handler made from IRQControl.
  public static func isCapRevocable(_ newCap: Capability, source sourceCap: Capability) -> Bool {
    switch (newCap, sourceCap) {
    case (.untyped, _): return true
    case (.endpoint(_, let newBadge, _), .endpoint(_, let badge, _)): return newBadge != badge
    case (.notification(_, let newBadge, _), .notification(_, let badge, _)): return newBadge != badge
    case (.irqHandler, .irqControl): return true
    default: return false
    }
  }

  /// The cap a copy of `cap` from `slot` becomes (`derive_cap`): an untyped cap with children must
  /// be revoked first, IRQControl is never copied (Null), every other cap copies as it is (MCS reply
  /// caps included).
  /// - Throws: `.revokeFirst` for an untyped cap whose slot has CDT children.
  public func deriveCap(_ slot: SlotRef, _ cap: Capability) throws(SyscallError) -> Capability {
    switch cap {
    // Copying an untyped cap that has been retyped would hand out memory twice.
    case .untyped:
      try ensureNoChildren(slot)
      return cap
    // There is one IRQControl cap.
    case .irqControl:
      return .null
    case .null, .endpoint, .notification, .reply, .cnode, .thread, .schedContext, .schedControl, .irqHandler, .domain:
      return cap
    }
  }

  /// True iff the source of a copy becomes the copy's CDT parent (`should_be_parent_of`): the source
  /// is original and covers the new cap, and a badged source parents only unbadged-derived copies
  /// with its own badge; otherwise the copy becomes the source's sibling.
  public static func shouldBeParentOf(
    _ sourceCap: Capability, sourceIsOriginal: Bool, _ newCap: Capability, newIsOriginal: Bool
  ) -> Bool {
    guard sourceIsOriginal && sourceCap.sameRegionAs(newCap) else { return false }
    switch (sourceCap, newCap) {
    // A badged endpoint or notification cap parents only plain copies carrying its badge.
    case (.endpoint(_, let badge, _), _), (.notification(_, let badge, _), _):
      return badge == 0 || (badgeOf(newCap) == badge && !newIsOriginal)
    default:
      return true
    }
  }

  /// The badge of an endpoint or notification cap; nil for other caps.
  static func badgeOf(_ cap: Capability) -> UInt64? {
    switch cap {
    case .endpoint(_, let badge, _), .notification(_, let badge, _): badge
    default: nil
    }
  }
}
