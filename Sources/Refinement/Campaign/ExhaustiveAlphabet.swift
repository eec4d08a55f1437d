// The finite event alphabet of exhaustive exploration (docs/campaigns.md, "The alphabet").
//
// At each state the current thread's capabilities decide which events are tried: for every CNode
// cap it can invoke, each CNode method on each full slot (a copy or a move always goes to the first
// empty slot, since empty slots are interchangeable up to their index); for every untyped cap, a
// retype of each of a few object types into the first empty slot; for every endpoint cap, every
// IPC system call on it (with each reply cap the thread holds, where the call takes one), and for
// every reply cap its own invocation; for every other cap, one plain invocation (its methods are
// not modelled, and all three layers must agree on that). Each
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
  /// thread runs or it has no CNode as its CSpace root). Which events each operation adds at each
  /// site is the operations table's (`Operations.swift`); the sites come in this order, and at each
  /// the operations in table order.
  public func exhaustiveAlphabet() -> [AlphabetEvent] {
    guard let root = currentRoot else { return [] }
    let view = reachableSlots(from: root)
    var out: [AlphabetEvent] = []
    func add(_ site: AlphabetSite) { for entry in Operations.all { out += entry.alphabet(site) } }
    let cnodes = view.filter { if case .cnode = $0.cap { $0.depth == 64 } else { false } }
    for cnode in cnodes {
      let c = cnode.index
      let slots = reachableSlots(from: cnode.cap)
      let full = slots.filter { !$0.cap.isNull }
      if let d = slots.first(where: { $0.cap.isNull }) {
        for s in full { add(.pair(c: c, destination: d, source: s)) }
        // Rotate each full slot into the empty one, and the next full slot (cyclically) into it.
        if full.count >= 2 {
          for (i, pivot) in full.enumerated() {
            add(.rotation(c: c, destination: d, pivot: pivot, source: full[(i + 1) % full.count]))
          }
        }
      }
      for s in full { add(.slot(c: c, s)) }
      // One malformed variant per operation: a full destination (DeleteFirst), a depth beyond the
      // word (RangeError), a cap that is not an endpoint (IllegalOperation).
      add(
        .malformed(
          c: c, first: full.first, firstNotEndpoint: full.first { if case .endpoint = $0.cap { false } else { true } }))
    }
    // Retype into the first empty slot of the first invocable CNode (addressed by its own cap).
    if let destination = cnodes.first, case .cnode(let ref, let radix, _, _) = destination.cap,
      case .cnode(let node)? = kheap[ref]
    {
      let offset = (0..<(UInt64(1) << min(radix, 12))).first { node.slots[$0] == nil }
      for untyped in view {
        guard case .untyped = untyped.cap, let u = untyped.invocationCptr, let offset else { continue }
        add(.untyped(u: u, destination: destination.index, offset: offset))
      }
    }
    // The caps TCB methods take, the first of each kind.
    let firstNotification = view.first {
      if case .notification(_, _, let rights) = $0.cap { rights.contains(.read) } else { false }
    }
    let firstSC = view.first { if case .schedContext = $0.cap { true } else { false } }
    let firstHandler = view.first { slot in
      if case .endpoint(_, _, let rights) = slot.cap {
        rights.contains(.write) && (rights.contains(.grant) || rights.contains(.grantReply))
      } else {
        false
      }
    }
    let firstEmpty = view.first { $0.cap.isNull }
    let firstThread = view.first { if case .thread = $0.cap { $0.invocationCptr != nil } else { false } }
    let firstUntyped = view.first { if case .untyped = $0.cap { $0.invocationCptr != nil } else { false } }
    // Every other cap: one plain invocation.
    for slot in view {
      switch slot.cap {
      case .null, .cnode, .untyped: continue
      default:
        guard let cptr = slot.invocationCptr else { continue }
        if case .thread(let ref) = slot.cap {
          add(.thread(cptr: cptr))
          add(
            .threadControl(
              ThreadControlSite(
                thread: cptr, notification: firstNotification?.invocationCptr,
                schedContext: firstSC?.invocationCptr, handler: firstHandler?.invocationCptr,
                empty: firstEmpty?.invocationCptr, source: firstThread?.invocationCptr, cnode: cnodes.first?.index,
                untyped: firstUntyped?.invocationCptr, isCaller: ref == currentThread)))
        }
        if case .notification = slot.cap { add(.notification(cptr: cptr)) }
        add(.otherCap(cptr))
      }
    }
    // IRQControl, IRQHandler and DomainSet caps, then the lines with a handler.
    let firstSender = view.first { slot in
      if case .notification(_, _, let rights) = slot.cap {
        rights.contains(.write) && slot.invocationCptr != nil
      } else {
        false
      }
    }
    for slot in view {
      guard let cptr = slot.invocationCptr else { continue }
      switch slot.cap {
      case .irqControl:
        let destination = cnodes.first.flatMap { reachableSlots(from: $0.cap).first { $0.cap.isNull } }
        let irq = (1...IRQConstants.maxIRQ).first { irqState($0) == .irqInactive }
        add(.irqControl(cptr: cptr, c: cnodes.first?.index ?? 0, destination: destination, irq: irq))
      case .irqHandler: add(.irqHandler(cptr: cptr, notification: firstSender?.invocationCptr))
      case .domain: add(.domain(cptr: cptr, thread: firstThread?.invocationCptr))
      default: continue
      }
    }
    for irq in 0..<IRQConstants.numIRQs where irqState(irq) == .irqSignal { add(.irqLine(irq)) }
    // Endpoint IPC: each endpoint cap with every reply cap, then each reply cap's own invocation.
    let replies = view.compactMap { slot in if case .reply = slot.cap { slot.invocationCptr } else { nil } }
    for slot in view {
      guard case .endpoint = slot.cap, let cptr = slot.invocationCptr else { continue }
      add(.endpoint(cptr: cptr, replies: replies))
    }
    for r in replies { add(.reply(cptr: r)) }
    // The system calls that name no cap.
    add(.currentThread)
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
