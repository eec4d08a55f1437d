// The finite event alphabet of exhaustive exploration (docs/campaigns.md, "The alphabet").
//
// At each state the current thread's capabilities decide which events are tried: for every CNode
// cap it can invoke, each CNode method on each full slot (a copy or a move always goes to the first
// empty slot, since empty slots are interchangeable up to their index); for every untyped cap, a
// retype of each of a few object types into the first empty slot; for every other cap, one plain
// invocation (its methods are not modelled, and all three layers must agree on that). Each
// operation also gets one malformed variant, so that its first error path is part of every
// exploration. The alphabet is a pure function of the abstract state, in a fixed order, so an
// exploration is deterministic.

public import AbstractSpec
public import KernelABI

/// One event of the alphabet, with the operation it exercises (for coverage).
public struct AlphabetEvent: Hashable, Sendable {
  public var operation: GeneratedOperation
  public var event: Event
  /// Whether this is the operation's deliberately malformed variant.
  public var malformed: Bool
}

extension AbstractState {
  /// The object types (with their size argument) each untyped cap is retyped into.
  public static let alphabetRetypes: [(type: ObjectType, sizeBits: UInt64)] = [
    (.endpoint, 0), (.notification, 0), (.tcb, 0), (.capTable, 1), (.untyped, 4),
  ]

  /// The rights masks of Copy and Mint: all rights, and read only.
  public static let alphabetRights: [CapRights] = [.all, .read]

  /// The events exhaustive exploration tries in this state, in a fixed order (empty when no
  /// thread runs or it has no CNode as its CSpace root).
  public func exhaustiveAlphabet() -> [AlphabetEvent] {
    guard let root = currentRoot else { return [] }
    let view = reachableSlots(from: root)
    var out: [AlphabetEvent] = []
    func add(
      _ op: GeneratedOperation, _ cptr: UInt64, _ label: InvocationLabel, _ args: [UInt64],
      extraCaps: [UInt64] = [], malformed: Bool = false
    ) {
      out.append(
        AlphabetEvent(
          operation: op, event: invocationEvent(cptr, label: label.rawValue, args, extraCaps: extraCaps),
          malformed: malformed))
    }
    let cnodes = view.filter { if case .cnode = $0.cap { $0.depth == 64 } else { false } }
    for cnode in cnodes {
      let c = cnode.index
      let slots = reachableSlots(from: cnode.cap)
      let full = slots.filter { !$0.cap.isNull }
      let empty = slots.first { $0.cap.isNull }
      if let d = empty {
        for s in full {
          for rights in Self.alphabetRights {
            add(.copy, c, .cnodeCopy, [d.index, d.depth, s.index, s.depth, rights.rawValue], extraCaps: [c])
          }
          for rights in Self.alphabetRights {
            add(.mint, c, .cnodeMint, [d.index, d.depth, s.index, s.depth, rights.rawValue, 1], extraCaps: [c])
          }
          add(.move, c, .cnodeMove, [d.index, d.depth, s.index, s.depth], extraCaps: [c])
          add(.mutate, c, .cnodeMutate, [d.index, d.depth, s.index, s.depth, 0], extraCaps: [c])
        }
        // Rotate each full slot into the empty one, and the next full slot (cyclically) into it.
        if full.count >= 2 {
          for (i, pivot) in full.enumerated() {
            let s = full[(i + 1) % full.count]
            add(
              .rotate, c, .cnodeRotate, [d.index, d.depth, 0, pivot.index, pivot.depth, 0, s.index, s.depth],
              extraCaps: [c, c])
          }
        }
      }
      for s in full {
        add(.delete, c, .cnodeDelete, [s.index, s.depth])
        add(.revoke, c, .cnodeRevoke, [s.index, s.depth])
        if case .endpoint = s.cap { add(.cancelBadgedSends, c, .cnodeCancelBadgedSends, [s.index, s.depth]) }
      }
      // One malformed variant per operation: a full destination (DeleteFirst), a depth beyond the
      // word (RangeError), a cap that is not an endpoint (IllegalOperation).
      if let f = full.first {
        add(
          .copy, c, .cnodeCopy, [f.index, f.depth, f.index, f.depth, CapRights.all.rawValue], extraCaps: [c],
          malformed: true)
        add(
          .mint, c, .cnodeMint, [f.index, f.depth, f.index, f.depth, CapRights.all.rawValue, 1], extraCaps: [c],
          malformed: true)
        add(.move, c, .cnodeMove, [f.index, f.depth, f.index, f.depth], extraCaps: [c], malformed: true)
        add(.mutate, c, .cnodeMutate, [f.index, f.depth, f.index, f.depth, 0], extraCaps: [c], malformed: true)
        add(
          .rotate, c, .cnodeRotate, [f.index, 65, 0, f.index, f.depth, 0, f.index, f.depth], extraCaps: [c, c],
          malformed: true)
        add(.delete, c, .cnodeDelete, [f.index, 65], malformed: true)
        add(.revoke, c, .cnodeRevoke, [f.index, 65], malformed: true)
      }
      if let other = full.first(where: { if case .endpoint = $0.cap { false } else { true } }) {
        add(.cancelBadgedSends, c, .cnodeCancelBadgedSends, [other.index, other.depth], malformed: true)
      }
    }
    // Retype into the first empty slot of the first invocable CNode (addressed by its own cap).
    if let destination = cnodes.first, case .cnode(let ref, let radix, _, _) = destination.cap,
      case .cnode(let node)? = kheap[ref]
    {
      let offset = (0..<(UInt64(1) << min(radix, 12))).first { node.slots[$0] == nil }
      for untyped in view {
        guard case .untyped = untyped.cap, let u = untyped.invocationCptr, let offset else { continue }
        for (type, sizeBits) in Self.alphabetRetypes {
          add(.retype, u, .untypedRetype, [type.rawValue, sizeBits, 0, 0, offset, 1], extraCaps: [destination.index])
        }
        add(
          .retype, u, .untypedRetype, [ObjectType.count, 0, 0, 0, offset, 1], extraCaps: [destination.index],
          malformed: true)
      }
    }
    // Every other cap: one plain invocation.
    for slot in view {
      switch slot.cap {
      case .null, .cnode, .untyped: continue
      default:
        guard let cptr = slot.invocationCptr else { continue }
        out.append(AlphabetEvent(operation: .unmodelled, event: invocationEvent(cptr, label: 0, []), malformed: false))
      }
    }
    return out
  }
}

/// A Call of `cptr` with `label`, message registers `args` and extra caps `extraCaps`.
func invocationEvent(_ cptr: UInt64, label: UInt64, _ args: [UInt64], extraCaps: [UInt64] = []) -> Event {
  let info = MessageInfo(label: label, extraCaps: UInt64(extraCaps.count), length: UInt64(args.count))
  return .syscall(
    .call,
    SyscallArguments(
      capRegister: cptr, messageInfo: info.word, messageRegisters: args, extraCaps: extraCaps))
}
