// What one capability says about another, as word expressions: the twin of
// `AbstractSpec/Capability.swift` for the questions the derivation tree asks (`same_region_as`,
// `is_cap_revocable`, `should_be_parent_of`). Each is one expression over the caps' words (no
// `decide`): the abstract spec's `switch` over pairs of cases becomes a disjunction over the pairs
// of tags, so a symbolic cap gives one formula. Object sizes come from KernelABI's generic
// `ObjectType.objectSizeBits`, the very function the other layers run.
// (`l4v:spec/abstract/CSpace_A.thy`, `seL4:src/object/objecttype.c`.)

public import Bitwise
import KernelABI

// MARK: - Regions and objects

extension TwinCap {
  /// True iff the slot is empty.
  public var isNull: W.Condition { `is`(.null) }

  /// The memory the cap's object or region occupies, as `(first byte, log2 size)`, and whether it
  /// names memory at all (`memoryRange`'s nil).
  var memoryRange: (hasRange: W.Condition, base: W, sizeBits: W) {
    func size(_ type: ObjectType, _ user: W) -> W {
      ObjectType.objectSizeBits(type: W(constant: type.rawValue), userSizeBits: user)
    }
    let sizeBits = W.select(
      `is`(.untyped), w1,
      W.select(
        `is`(.endpoint), size(.endpoint, 0),
        W.select(
          `is`(.notification), size(.notification, 0),
          W.select(
            `is`(.reply), size(.reply, 0),
            W.select(`is`(.cnode), size(.capTable, w1), W.select(`is`(.thread), size(.tcb, 0), w1))))))
    let hasRange =
      `is`(.untyped) .|| `is`(.endpoint) .|| `is`(.notification) .|| `is`(.reply) .|| `is`(.cnode)
      .|| `is`(.thread) .|| `is`(.schedContext)
    return (hasRange, ref, sizeBits)
  }

  /// True iff this cap's authority covers `other`'s (`same_region_as`).
  public func sameRegionAs(_ other: TwinCap) -> W.Condition {
    // An untyped cap covers every object and untyped lying wholly inside its memory.
    let inner = other.memoryRange
    let top = ref &+ W.mask(bits: w1)
    let innerTop = inner.base &+ W.mask(bits: inner.sizeBits)
    let untypedCovers =
      `is`(.untyped) .&& inner.hasRange .&& (ref .<= inner.base) .&& (innerTop .<= top) .&& (inner.base .<= innerTop)
    let sameKind = tag .== other.tag
    // Endpoint and notification caps cover their object, whatever the badge or rights; thread and
    // reply caps cover their object.
    let sameObject =
      sameKind .&& (`is`(.endpoint) .|| `is`(.notification) .|| `is`(.thread) .|| `is`(.reply))
      .&& (ref .== other.ref)
    // A CNode cap covers caps to the same CNode of the same size; so for scheduling contexts.
    let sameSized = sameKind .&& (`is`(.cnode) .|| `is`(.schedContext)) .&& (ref .== other.ref) .&& (w1 .== other.w1)
    // IRQControl covers itself and every handler; a handler covers its own line.
    let irq =
      (`is`(.irqControl) .&& (other.is(.irqControl) .|| other.is(.irqHandler)))
      .|| (sameKind .&& `is`(.irqHandler) .&& (ref .== other.ref))
    // SchedControl and Domain caps are each a region of their own kind (seL4 ignores the core).
    let singletons = sameKind .&& (`is`(.schedControl) .|| `is`(.domain))
    return untypedCovers .|| sameObject .|| sameSized .|| irq .|| singletons
  }
}

extension TwinCap {
  /// True iff the two caps name the same object (`same_object_as`): same region, except that an
  /// untyped cap names no object and IRQControl is not the object of a handler.
  public func sameObjectAs(_ other: TwinCap) -> W.Condition {
    .!`is`(.untyped) .&& .!(`is`(.irqControl) .&& other.is(.irqHandler)) .&& sameRegionAs(other)
  }
}

// MARK: - Changing a cap as it is copied

extension TwinCap {
  /// The cap with its rights intersected with `rights` (a rights word, `mask_cap`): endpoints keep
  /// all four rights, notifications Write and Read, replies Grant; every other cap ignores the
  /// mask. The masks are KernelABI's `CapRights.mask`, the function the other layers run.
  public func maskCapRights(_ rights: W) -> TwinCap {
    var masked = self
    let own = CapRights.mask(w2, with: rights)
    let writeRead = W(constant: CapRights([.write, .read]).rawValue)
    masked.w2 = W.select(`is`(.endpoint), own, W.select(`is`(.notification), CapRights.mask(own, with: writeRead), w2))
    let grant = CapRights.grantField.get(CapRights.fromWord(rights))
    masked.w1 = W.select(`is`(.reply), w1 & grant, w1)
    return masked
  }

  /// The cap with user data `word` applied (`update_cap_data`): a badge for an unbadged endpoint or
  /// notification (any other endpoint or notification becomes Null, so badges never change and
  /// `preserve`, as in Mutate and Rotate, always fails for them); guard and guard size for a CNode
  /// (Null when guard size plus radix exceeds the word); every other cap unchanged.
  public func updateCapData(preserve: Bool, _ word: W) -> TwinCap {
    // Only a fresh mint may badge an endpoint or notification, and only once.
    var badged = self
    badged.w1 = word
    let canBadge = (w1 .== 0) .&& W.Condition(constant: !preserve)
    let sendCap = TwinCap.select(canBadge, badged, .null)
    // A CNode cap takes guard (bits 63..6) and guard size (bits 5..0) from the word.
    let guardSize = word & W.mask(bits: 6)
    var guarded = self
    guarded.w2 = guardSize
    guarded.w3 = (word >> 6) & W.mask(bits: guardSize)
    let cnodeCap = TwinCap.select((guardSize &+ w1) .> W(constant: UInt64(KernelConstants.wordBits)), .null, guarded)
    return TwinCap.select(
      `is`(.endpoint) .|| `is`(.notification), sendCap, TwinCap.select(`is`(.cnode), cnodeCap, self))
  }
}

// MARK: - Derivation and the derivation tree

extension TwinState {
  /// True iff a new cap `newCap` made from `sourceCap` is original (`is_cap_revocable`): every
  /// untyped cap, an endpoint or notification cap whose badge differs from its source's, and a
  /// handler made from IRQControl.
  public static func isCapRevocable(_ newCap: TwinCap<Word>, source sourceCap: TwinCap<Word>) -> Word.Condition {
    newCap.is(.untyped)
      .|| (newCap.is(.endpoint) .&& sourceCap.is(.endpoint) .&& (newCap.w1 .!= sourceCap.w1))
      .|| (newCap.is(.notification) .&& sourceCap.is(.notification) .&& (newCap.w1 .!= sourceCap.w1))
      .|| (newCap.is(.irqHandler) .&& sourceCap.is(.irqControl))
  }

  /// The cap a copy of `cap` from `slot` becomes (`derive_cap`): an untyped cap with children must
  /// be revoked first, IRQControl is never copied (Null), every other cap copies as it is.
  /// - Throws: `.revokeFirst` for an untyped cap whose slot has CDT children.
  public func deriveCap(_ slot: Word, _ cap: TwinCap<Word>) throws(SyscallFailed) -> TwinCap<Word> {
    // Copying an untyped cap that has been retyped would hand out memory twice.
    if domain.decide(cap.is(.untyped)) {
      try ensureNoChildren(slot)
      return cap
    }
    // There is one IRQControl cap.
    return TwinCap.select(cap.is(.irqControl), .null, cap)
  }

  /// True iff the source of a copy becomes the copy's CDT parent (`should_be_parent_of`): the source
  /// is original and covers the new cap, and a badged source parents only unbadged-derived copies
  /// with its own badge; otherwise the copy becomes the source's sibling.
  public static func shouldBeParentOf(
    _ sourceCap: TwinCap<Word>, sourceIsOriginal: Word.Condition, _ newCap: TwinCap<Word>,
    newIsOriginal: Word.Condition
  ) -> Word.Condition {
    let badgeRule =
      (sourceCap.w1 .== 0) .|| (badgeOf(newCap).hasBadge .&& (newCap.w1 .== sourceCap.w1) .&& .!newIsOriginal)
    return sourceIsOriginal .&& sourceCap.sameRegionAs(newCap) .&& (.!badgeOf(sourceCap).hasBadge .|| badgeRule)
  }

  /// The badge of an endpoint or notification cap (`badgeOf`): whether the cap has one (AbstractSpec's
  /// non-nil), and its word (`w1`, meaningful only then).
  static func badgeOf(_ cap: TwinCap<Word>) -> (hasBadge: Word.Condition, badge: Word) {
    (cap.is(.endpoint) .|| cap.is(.notification), cap.w1)
  }
}
