// A state view in words: the pieces the explorer's `show` commands print and the lines of the
// state dumps the trace report and its HTML page show, one line per thing a reader looks for (the
// current thread, each object, each filled slot). A dump line's key is stable across steps, so two
// dumps can be compared line by line to show what a step changed.

public import KernelABI

/// One line of a state dump.
public struct DumpLine: Codable, Sendable, Hashable {
  /// Stable across steps and sorting in display order.
  public var key: String
  /// What the line is about (`current thread`, `main`, `slot(root_cnode, 3)`).
  public var label: String
  public var text: String

  public init(key: String, label: String, text: String) {
    self.key = key
    self.label = label
    self.text = text
  }
}

extension Describer {
  /// `kind, 2^N bytes`, and a thread's state, priority and MCP, a scheduling context's thread
  /// and call stack, a notification's or an endpoint's queue, or a reply object's thread.
  public func summary(_ o: ObjectView) -> String {
    "\(o.kind), 2^\(o.sizeBits) bytes" + (o.thread.map { ", " + thread($0) } ?? "")
      + (o.schedContext.map { ", " + schedContext($0) } ?? "")
      + (o.notification.map { ", " + notification($0) } ?? "")
      + (o.endpoint.map { ", " + endpoint($0) } ?? "")
      + (o.reply.map { ", " + reply($0) } ?? "")
  }

  /// `idle`, or `send queue [a, b]` / `recv queue [a]`, head first.
  public func endpoint(_ e: EndpointView) -> String {
    e.state == "idle" ? "idle" : "\(e.state) queue \(list(e.queue))"
  }

  /// `no thread` or `thread T` (`reply_tcb`), and `heads the call stack of S` (`reply_sc`).
  public func reply(_ r: ReplyView) -> String {
    (r.tcb.map { "thread \(name(of: $0))" } ?? "no thread")
      + (r.sc.map { ", heads the call stack of \(name(of: $0))" } ?? "")
  }

  /// `[a, b]`: objects by name.
  public func list(_ objects: [ObjectRef]) -> String {
    "[" + objects.map { name(of: $0) }.joined(separator: ", ") + "]"
  }

  /// `own SC S`, `SC S donated by C` or `no SC`: the scheduling context a thread runs on.
  public func schedContextUse(_ use: SchedContextUse) -> String {
    switch use {
    case .none: "no SC"
    case .own(let sc): "own SC \(name(of: sc))"
    case .donated(let sc, let by): "SC \(name(of: sc)) donated by \(by.map { name(of: $0) } ?? "no caller")"
    }
  }

  /// `idle`, `active, word 0x…` or `waiting: a, b`, and `bound to T` when bound.
  public func notification(_ n: NotificationView) -> String {
    var text = n.state
    if let word = n.word { text += ", word \(hex(word))" }
    if !n.queue.isEmpty { text += ": " + n.queue.map { name(of: $0) }.joined(separator: ", ") }
    if let t = n.boundTCB { text += ", bound to \(name(of: t))" }
    return text
  }

  /// `thread T, refillMax N` (`no thread` when unbound), and `reply stack [r2, r1]` (newest
  /// first) when a Call donated it.
  public func schedContext(_ sc: SchedContextView) -> String {
    (sc.tcb.map { "thread \(name(of: $0))" } ?? "no thread") + ", refillMax \(sc.refillMax)"
      + (sc.replies.isEmpty ? "" : ", reply stack \(list(sc.replies))")
  }

  /// `round robin` or `period P ticks` then `sporadic` or `not sporadic`, `budget B`, `refillMax N`, `consumed C`,
  /// the badge and the thread that yielded to it when set, then `refills [(rTime, rAmount), ...]`
  /// (the live ones, head first), or `not configured (no refills)` for a context with none.
  public func refills(_ sc: SchedContextView) -> String {
    guard sc.refillMax > 0 else { return "not configured (no refills)" }
    var text = sc.period == 0 ? "round robin" : "period \(sc.period) ticks"
    text += sc.sporadic ? ", sporadic" : ", not sporadic"
    text += ", budget \(sc.budget), refillMax \(sc.refillMax), consumed \(sc.consumed)"
    if sc.badge != 0 { text += ", badge \(hex(sc.badge))" }
    if let from = sc.yieldFrom { text += ", yielded to by \(name(of: from))" }
    return text + ", refills [" + sc.refills.map { "(\($0.rTime), \($0.rAmount))" }.joined(separator: ", ") + "]"
  }

  /// `state S, priority P, MCP M`, the domain when not 0, the scheduling context when bound (`own
  /// SC S`, or `SC S donated by C`),
  /// `queued` when the layer's flag says so, the bound notification, the flags when not 0, then the user context when any of its registers is
  /// not 0: `, message info label L length N, badge B, MRs [...]`, and the other registers that
  /// are not 0 by seL4's names (`, registers FaultIP 0x400000, SP_EL0 0x7ff000`).
  public func thread(_ t: ThreadView) -> String {
    var fields = "state \(t.state), priority \(t.priority), MCP \(t.maxControlledPriority)"
    if t.domain != 0 { fields += ", domain \(t.domain)" }
    if t.schedContext != nil { fields += ", " + schedContextUse(t.schedContextUse) }
    if t.queued == true { fields += ", queued" }
    if let n = t.boundNotification { fields += ", bound notification \(name(of: n))" }
    if t.flags != 0 { fields += ", flags \(hex(t.flags))" + (t.flags & 1 != 0 ? " (FPU disabled)" : "") }
    if t.msgInfoRegister != 0 || t.badgeRegister != 0 || !t.msgRegisters.isEmpty {
      let info = MessageInfo(word: t.msgInfoRegister)
      fields +=
        ", message info label \(info.label) length \(info.length), badge \(hex(t.badgeRegister)), MRs \(t.msgRegisters)"
    }
    let others = t.registers.enumerated().compactMap { index, value -> String? in
      guard value != 0, let register = Register(rawValue: Register.x6.rawValue &+ index) else { return nil }
      return "\(register.name) \(hex(value))"
    }
    if !others.isEmpty { fields += ", registers " + others.joined(separator: ", ") }
    return fields
  }

  /// The slot's cap, or that its words decode to none (kernel).
  public func cap(_ s: SlotView) -> String { s.undecodable ? "words that decode to no cap" : cap(s.cap) }

  /// `MDB node: prev …, next …, revocable B, firstBadged B`.
  public func mdb(_ m: MDBView) -> String {
    "MDB node: prev \(m.prev.map { slot($0) } ?? "null"), next \(m.next.map { slot($0) } ?? "null"), revocable \(m.revocable), firstBadged \(m.firstBadged)"
  }

  /// `CTE at 0x…: words w0 w1 w2 w3` (kernel).
  public func cte(_ address: UInt64, words: [UInt64]) -> String {
    "CTE at 0x\(String(address, radix: 16)): words "
      + words.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
  }

  /// One line for the current thread, each object, and each slot that is not empty: its cap, and
  /// what the layer keeps about it (the abstract spec: CDT parent and originality; the lower
  /// layers: the MDB node; the kernel: the CTE's words too).
  public func dump(_ v: StateView) -> [DumpLine] {
    var lines = [DumpLine(key: "0", label: "current thread", text: thread(v.current))]
    lines.append(DumpLine(key: "0 queues", label: "ready queues", text: readyQueues(v.readyQueues)))
    lines.append(DumpLine(key: "0 time", label: "time", text: clock(v.time)))
    lines.append(DumpLine(key: "0 time release", label: "release queue", text: releaseQueue(v.time)))
    lines.append(DumpLine(key: "0 time domain", label: "domain", text: domain(v.time)))
    lines.append(DumpLine(key: "0 time irqs", label: "interrupts", text: interrupts(v.time)))
    var slots: [DumpLine] = []
    for o in v.sortedObjects {
      lines.append(
        DumpLine(
          key: "1 \(sortable(o.address))", label: name(of: o.address),
          text: "\(summary(o)) at 0x\(String(o.address, radix: 16))"))
      if let sc = o.schedContext {
        lines.append(
          DumpLine(key: "1 \(sortable(o.address)) refills", label: "refills(\(name(of: o.address)))", text: refills(sc))
        )
      }
      for s in o.occupiedSlots {
        let ref = SlotRef(o.address, s.index)
        var text = cap(s)
        if let m = s.mdb {
          text += "; " + mdb(m)
        } else if !s.cap.isNull {
          text += "; CDT parent " + (v.cdt[ref].map { slot($0) } ?? "none")
          text += v.originals.contains(ref) ? ", original" : ", derived"
        }
        if let address = s.cteAddress, let words = s.words { text += "; " + cte(address, words: words) }
        slots.append(DumpLine(key: "2 \(sortable(o.address)) \(sortable(s.index))", label: slot(ref), text: text))
      }
    }
    return lines + slots
  }
}

/// Zero-padded hex, so that keys sort in address order.
private func sortable(_ value: UInt64) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
}

extension Describer {
  /// The non-empty ready queues, highest priority first: `priority P: a, b; ...`, with the domain
  /// when not 0; `none` when every queue is empty.
  public func readyQueues(_ queues: [ReadyQueueIndex: [ObjectRef]]) -> String {
    let shown = queues.filter { !$0.value.isEmpty }.sorted { $0.key > $1.key }
    guard !shown.isEmpty else { return "none" }
    return shown.map { index, threads in
      (index.domain == 0 ? "" : "domain \(index.domain) ") + "priority \(index.priority): "
        + threads.map { name(of: $0) }.joined(separator: ", ")
    }.joined(separator: "; ")
  }
}

extension Describer {
  /// `cur_time T ticks, consumed C ticks`.
  public func clock(_ t: TimeView) -> String {
    "cur_time \(t.curTime) ticks, consumed \(t.consumedTime) ticks"
  }

  /// The release queue, earliest release first: `[a, b]`, or `empty`.
  public func releaseQueue(_ t: TimeView) -> String {
    t.releaseQueue.isEmpty ? "empty" : list(t.releaseQueue)
  }

  /// `domain D, T ticks left`.
  public func domain(_ t: TimeView) -> String {
    "domain \(t.curDomain), \(t.domainTime) ticks left"
  }

  /// The lines that are not `IRQInactive`, in line order: `line 0: IRQTimer; line 3: IRQSignal`,
  /// or `none`.
  public func interrupts(_ t: TimeView) -> String {
    t.activeIRQs.isEmpty ? "none" : t.activeIRQs.map { "line \($0.line): \($0.state)" }.joined(separator: "; ")
  }
}
