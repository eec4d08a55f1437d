// The generator's TCB_Configure, TCB_SetSpace and TCB_SetFlags events (`TCB.swift` in each layer).
// No Configure or SetSpace can succeed here (a new VSpace root must be a VSpace cap, and there are
// none: `checkSpaceRoots`), so their events are spread over the checks in seL4's order, each with
// a useful share: a message cut short (TruncatedMessage); for Configure, a non-zero IPC-buffer
// address, whose cap is no frame (IllegalOperation) or an untyped with children (RevokeFirst);
// the target's own CSpace or VSpace slot holding the last cap to a CNode or thread
// (IllegalOperation, rare: it needs the other copies gone); a CSpace root that is no CNode cap,
// or whose guard data does not fit beside its radix (it becomes Null), or that does not derive
// (IllegalOperation, RevokeFirst); a VSpace root that derives (IllegalOperation: no VSpace root)
// or does not (RevokeFirst). The kernel path names the check at which the generator, reading the
// state, expects the call to stop, and the kind of the cap that check looks at:
// `configure.endpoint.buffer`, `configure.thread.finalRoot`, `setSpace.untyped.cspace`,
// `configure.untyped.vspace`; a message cut short is `configure.thread` (the target's). SetFlags
// clears and sets masks within `KernelConstants.tcbFlagMask` and beyond it (whose bits are
// dropped): `setFlags.thread`, `setFlags.thread.outsideMask`. All three have weight 1, like the
// register methods (`EventGenerator+Registers`): they change no capability.
// (`seL4:src/object/tcb.c` MCS `decodeTCBConfigure`, `decodeSetSpace`, `decodeSetFlags`.)

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The checks a Configure can stop at, in seL4's order (kernel path facts).
  static let configureStages = ["buffer", "finalRoot", "cspace", "vspace"]
  /// The checks a SetSpace can stop at, in seL4's order (its fault handler is checked after the
  /// VSpace root, which no call passes).
  static let setSpaceStages = ["finalRoot", "cspace", "vspace"]

  /// The untyped caps the thread can invoke that have children: they do not derive (RevokeFirst).
  func untypedsWithChildren(_ view: View) -> [ReachableSlot] {
    view.untypeds.filter { view.state.cdt.values.contains($0.slot) }
  }

  /// A cap to pass as a CSpace or VSpace root or as a buffer frame: a CNode cap the thread can
  /// invoke `cnodePercent` times in 100, an untyped cap (one with children 2 times in 3, when
  /// there is one) 15, an empty slot 10, else any cap the thread can invoke.
  mutating func pickRoot(_ view: View, cnodePercent: UInt64) -> ReachableSlot? {
    let r = rng.below(100)
    let pick: ReachableSlot?
    if r < cnodePercent {
      pick = rng.pick(view.invocableCNodes)
    } else if r < cnodePercent + 15 {
      pick = (rng.chance(67) ? rng.pick(untypedsWithChildren(view)) : nil) ?? rng.pick(view.untypeds)
    } else if r < cnodePercent + 25 {
      pick = rng.pick(view.empty.filter { $0.invocationCptr != nil })
    } else {
      pick = nil
    }
    return pick ?? rng.pick(invocableCaps(view))
  }

  /// A CSpace root's data word for `root`: 0 (unchanged) 65 times in 100; else, for a CNode cap, a
  /// guard that fits beside its radix 20 times in 35 and one that does not (the cap becomes
  /// Null) 15; for another cap a small word (a badge for an unbadged endpoint or notification).
  mutating func rootData(for root: Capability) -> UInt64 {
    guard !rng.chance(65) else { return 0 }
    guard case .cnode(_, let radix, _, _) = root else { return 1 + rng.below(8) }
    let room = UInt64(KernelConstants.wordBits) &- radix
    if rng.chance(57) || room >= 63 {
      let guardSize = rng.below(room &+ 1)
      return (rng.below(1 << min(guardSize, 16)) << 6) | guardSize
    }
    // A guard size in room + 1 ... 63: too big for the word.
    return room &+ 1 &+ rng.below(63 &- room)
  }

  /// Where a Configure or SetSpace of the thread `target` stops, by the checks seL4 makes of its
  /// roots in order (`checkSpaceRoots`): the thread's own root slots, the CSpace root with its data,
  /// the VSpace root with its data. The kernel path's operand and fact.
  static func spaceStage(
    _ target: ObjectRef, cRoot: ReachableSlot, cData: UInt64, vRoot: ReachableSlot, vData: UInt64, _ view: View
  ) -> String {
    let state = view.state
    for slot in [TCBSlot.cspace, TCBSlot.vspace] {
      let own = SlotRef(target, slot.rawValue)
      switch state.getCap(own) {
      case .cnode, .thread:
        if state.isFinalCapability(own) { return "\(kind(state.getCap(own))).finalRoot" }
      default: break
      }
    }
    let cRootCap = cData != 0 ? cRoot.cap.updateCapData(preserve: false, cData) : cRoot.cap
    guard let derived = try? state.deriveCap(cRoot.slot, cRootCap), case .cnode = derived else {
      return "\(kind(cRoot.cap)).cspace"
    }
    return "\(kind(vRoot.cap)).vspace"
  }

  /// TCB_Configure: MR0 the CSpace root's data, MR1 the VSpace root's data, MR2 the buffer's
  /// address (0 seven times in 10, else page-aligned); extra caps the CSpace root (usually a CNode
  /// cap), the VSpace root (any kind) and the buffer frame (any cap). 1 message in 25 lacks its
  /// last register and 1 in 25 its last cap (TruncatedMessage).
  mutating func configure(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr, case .thread(let ref) = target.cap,
      let cRoot = pickRoot(view, cnodePercent: 55), let vRoot = pickRoot(view, cnodePercent: 25),
      let buffer = pickRoot(view, cnodePercent: 10), let cCptr = cRoot.invocationCptr,
      let vCptr = vRoot.invocationCptr, let bufferCptr = buffer.invocationCptr
    else { return garbage(view) }
    let cData = rootData(for: cRoot.cap)
    let vData: UInt64 = rng.chance(80) ? 0 : rootData(for: vRoot.cap)
    let address: UInt64 = rng.chance(70) ? 0 : 0x20_0000 + 0x1000 * rng.below(64)
    var args = [cData, vData, address]
    var extraCaps = [cCptr, vCptr, bufferCptr]
    switch rng.below(100) {
    case 0..<4: args.removeLast()
    case 4..<8: extraCaps.removeLast()
    default: break
    }
    if args.count < 3 || extraCaps.count < 3 {
      lastPath = "configure.\(Self.kind(target.cap))"
    } else if address != 0 {
      lastPath = "configure.\(Self.kind(buffer.cap)).buffer"
    } else {
      lastPath =
        "configure." + Self.spaceStage(ref, cRoot: cRoot, cData: cData, vRoot: vRoot, vData: vData, view)
    }
    return call(cptr, label: InvocationLabel.tcbConfigure.rawValue, args, extraCaps: extraCaps)
  }

  /// TCB_SetSpace: MR0 the CSpace root's data, MR1 the VSpace root's data; extra caps the fault
  /// handler (`pickHandler`: Null, an endpoint or any cap; never checked, since the roots are
  /// checked first and refuse every call), the CSpace root and the VSpace root, as Configure's. 1
  /// message in 25 lacks its last register and 1 in 25 its last cap (TruncatedMessage).
  mutating func setSpace(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr, case .thread(let ref) = target.cap,
      let cRoot = pickRoot(view, cnodePercent: 55), let vRoot = pickRoot(view, cnodePercent: 25),
      let cCptr = cRoot.invocationCptr, let vCptr = vRoot.invocationCptr
    else { return garbage(view) }
    let cData = rootData(for: cRoot.cap)
    let vData: UInt64 = rng.chance(80) ? 0 : rootData(for: vRoot.cap)
    var args = [cData, vData]
    var extraCaps = [pickHandler(view), cCptr, vCptr]
    switch rng.below(100) {
    case 0..<4: args.removeLast()
    case 4..<8: extraCaps.removeLast()
    default: break
    }
    lastPath =
      args.count < 2 || extraCaps.count < 3
      ? "setSpace.\(Self.kind(target.cap))"
      : "setSpace." + Self.spaceStage(ref, cRoot: cRoot, cData: cData, vRoot: vRoot, vData: vData, view)
    return call(cptr, label: InvocationLabel.tcbSetSpace.rawValue, args, extraCaps: extraCaps)
  }

  /// A SetFlags mask: none 3 times in 10, exactly `tcbFlagMask` 4, the mask and a bit beyond it
  /// 15 in 100, else a random word.
  mutating func flagsMask() -> UInt64 {
    switch rng.below(100) {
    case 0..<30: 0
    case 30..<70: KernelConstants.tcbFlagMask
    case 70..<85: KernelConstants.tcbFlagMask | (1 << (1 + rng.below(63)))
    default: rng.next()
    }
  }

  /// TCB_SetFlags: MR0 the flags to clear, MR1 those to set (`flagsMask`); 1 message in 20 lacks
  /// the second (TruncatedMessage). The caller may set its own.
  mutating func setFlags(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let (clear, set) = (flagsMask(), flagsMask())
    let outside = (clear | set) & ~KernelConstants.tcbFlagMask != 0
    lastPath = "setFlags.\(Self.kind(target.cap))" + (outside ? ".outsideMask" : "")
    return call(cptr, label: InvocationLabel.tcbSetFlags.rawValue, rng.chance(5) ? [clear] : [clear, set])
  }
}
