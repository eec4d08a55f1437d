// Inspection commands: threads, objects, one thing in detail, a CSpace as a tree, and the
// derivation tree, on any layer (memory is in `Inspect+Memory.swift`).

import Foundation
import Kernel
import KernelABI
import Refinement
import Scenario

extension Session {
  // MARK: - Names typed by the user

  /// The object a user named (a name, or an address of a live object on this layer).
  func object(_ text: String, in view: StateView) -> Result<ObjectRef, HintError> {
    let word = text.trimmingCharacters(in: .whitespaces)
    if let address = Session.number(word) {
      if view.objects[address] != nil { return .success(address) }
      return .failure(
        HintError("no object at \(hex(address)) on the \(layer.rawValue) layer (objects lists them)"))
    }
    switch naming.lookup(word) {
    case .object(let address)?:
      guard view.objects[address] != nil else {
        return .failure(
          HintError("'\(word)' is not a live object at this step on the \(layer.rawValue) layer (deleted?)"))
      }
      return .success(address)
    case .untyped?:
      return .failure(HintError("'\(word)' names an untyped region, not an object; show cap \(word) lists its caps"))
    case nil:
      var hint = "no object named '\(word)'"
      if let guess = closest(to: word, in: naming.objectNameList) { hint += "; did you mean '\(guess)'?" }
      return .failure(HintError(hint + " (objects lists them)"))
    }
  }

  /// A slot a user named: `slot(C, I)`, `C[I]` or `C I`.
  func slot(_ text: String, in view: StateView) -> Result<SlotRef, HintError> {
    var t = text.trimmingCharacters(in: .whitespaces)
    if t.hasPrefix("slot(") && t.hasSuffix(")") {
      t = String(t.dropFirst(5).dropLast()).replacingOccurrences(of: ",", with: " ")
    }
    t = t.replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
    let parts = t.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    guard parts.count == 2, let index = Session.number(parts[1]) else {
      return .failure(HintError("'\(text)' is not a slot; write slot(CNODE, INDEX), CNODE[INDEX] or CNODE INDEX"))
    }
    switch object(parts[0], in: view) {
    case .failure(let e): return .failure(e)
    case .success(let container):
      let count = view.objects[container]?.slotCount ?? 0
      guard count > 0 else { return .failure(HintError("\(naming.name(of: container)) has no slots")) }
      guard index < count else {
        return .failure(HintError("\(naming.name(of: container)) has slots 0...\(count - 1), not \(index)"))
      }
      return .success(SlotRef(container, index))
    }
  }

  static func number(_ text: String) -> UInt64? {
    let t = text.replacingOccurrences(of: "_", with: "")
    if t.hasPrefix("0x") || t.hasPrefix("0X") { return UInt64(t.dropFirst(2), radix: 16) }
    return UInt64(t)
  }

  // MARK: - Lists

  func threadsLines() -> [String] {
    let v = view
    let threads = v.sortedObjects.filter { $0.thread != nil }
    guard !threads.isEmpty else { return ["no threads on the \(layer.rawValue) layer"] }
    return threads.compactMap { o in
      guard let t = o.thread else { return nil }
      let current = v.current == o.address ? style.bold("  (current)") : ""
      return
        "\(naming.name(of: o.address).padded(14)) \(t.state.padded(9)) priority \(t.priority), MCP \(t.maxControlledPriority), \(naming.schedContextUse(t.schedContextUse))\(current)"
    }
  }

  func objectsLines() -> [String] {
    view.sortedObjects.map { o in
      "\(naming.name(of: o.address).padded(14)) \(hex(o.address).padded(10)) \(o.kind) (2^\(o.sizeBits) bytes)"
    }
  }

  // MARK: - show

  mutating func show(_ text: String) -> [String] {
    let (what, name) = Session.split(text)
    let kinds = ["thread", "object", "cap", "slot", "cspace", "queue", "refills"]
    guard kinds.contains(what) else {
      var hint = what.isEmpty ? "show needs what to show" : "cannot show '\(what)'"
      if let guess = closest(to: what, in: kinds) { hint += "; did you mean '\(guess)'?" }
      return [hint + " (show thread|object|cap|slot|cspace|queue|refills NAME)"]
    }
    guard !name.isEmpty else { return ["show \(what) needs a name (objects lists them)"] }
    let v = view
    switch what {
    case "queue":
      switch object(name, in: v) {
      case .failure(let e): return [e.message]
      case .success(let address): return queueLines(address, v)
      }
    case "refills":
      // One line: the context's period, sporadic flag, budget, refill limit, consumed time and
      // live refills, head first (ticks).
      switch object(name, in: v) {
      case .failure(let e): return [e.message]
      case .success(let address):
        let subject = "\(naming.name(of: address)) (\(v.objects[address]?.kind ?? "?"), \(layer.rawValue) layer)"
        guard let sc = v.objects[address]?.schedContext else { return ["\(subject) is no scheduling context"] }
        return ["\(subject): " + naming.refills(sc)]
      }
    case "slot":
      switch slot(name, in: v) {
      case .failure(let e): return [e.message]
      case .success(let s): return slotLines(s, v)
      }
    case "cap":
      if name.contains("[") || name.hasPrefix("slot(") || name.split(separator: " ").count == 2 {
        switch slot(name, in: v) {
        case .failure(let e): return [e.message]
        case .success(let s): return ["\(naming.slot(s)) = \(naming.cap(v.cap(at: s)))"]
        }
      }
      if case .untyped(let base, let sizeBits)? = naming.names[name] {
        let caps = v.caps.filter { if case .untyped(base, sizeBits, _, _) = $0.cap { true } else { false } }
        return caps.isEmpty
          ? ["no cap to untyped \(name) on the \(layer.rawValue) layer"]
          : caps.map { "\(naming.slot($0.slot)) = \(naming.cap($0.cap))" }
      }
      switch object(name, in: v) {
      case .failure(let e): return [e.message]
      case .success(let address):
        let caps = v.caps.filter { cap in
          if case .untyped = cap.cap { return false }
          return cap.cap.objectRef == address
        }
        return caps.isEmpty
          ? ["no cap names \(naming.name(of: address)) on the \(layer.rawValue) layer"]
          : caps.map { "\(naming.slot($0.slot)) = \(naming.cap($0.cap))" }
      }
    case "cspace":
      return cspaceLines(name)
    default:  // thread, object
      switch object(name, in: v) {
      case .failure(let e): return [e.message]
      case .success(let address):
        guard let o = v.objects[address] else { return ["no object \(name)"] }
        if what == "thread" && o.thread == nil {
          return ["\(naming.name(of: address)) is a \(o.kind), not a thread (threads lists them)"]
        }
        return objectLines(o, v)
      }
    }
  }

  /// The queue of an endpoint or notification, the call stack of a scheduling context, or what a
  /// reply object or thread is tied to.
  func queueLines(_ address: ObjectRef, _ v: StateView) -> [String] {
    guard let o = v.objects[address] else { return ["no object \(hex(address))"] }
    let title = "\(naming.name(of: address)) (\(o.kind), \(layer.rawValue) layer)"
    func threads(_ list: [ObjectRef]) -> [String] {
      list.enumerated().map { i, t in
        let state = v.objects[t]?.thread.map { "\($0.state), priority \($0.priority)" } ?? "no thread here"
        return "  \(i + 1). \(naming.name(of: t).padded(14)) \(state)"
      }
    }
    if let e = o.endpoint {
      guard e.state != "idle" else { return ["\(title): idle, no thread queued"] }
      let role = e.state == "send" ? "senders" : "receivers"
      return ["\(title): \(e.state) queue, \(e.queue.count) \(role), head first"] + threads(e.queue)
    }
    if let n = o.notification {
      let bound = n.boundTCB.map { ", bound to \(naming.name(of: $0))" } ?? ""
      guard n.state == "waiting" else {
        return ["\(title): \(naming.notification(n)), no thread queued"]
      }
      return ["\(title): waiting queue, \(n.queue.count) threads, head first\(bound)"] + threads(n.queue)
    }
    if let sc = o.schedContext {
      let holder = sc.tcb.map { "runs \(naming.name(of: $0))" } ?? "bound to no thread"
      guard !sc.replies.isEmpty else { return ["\(title): \(holder); reply stack empty (not donated)"] }
      return ["\(title): \(holder); reply stack, newest first (a reply gives the SC back to its caller)"]
        + sc.replies.enumerated().map { i, r in
          let caller: String = v.objects[r]?.reply?.tcb.map { naming.name(of: $0) } ?? "none"
          return "  \(i + 1). \(naming.name(of: r).padded(14)) caller \(caller)"
        }
    }
    if let r = o.reply { return ["\(title): \(naming.reply(r)); \(stackText(address, v))"] }
    if let t = o.thread {
      return ["\(title): \(t.state), \(naming.schedContextUse(t.schedContextUse))"]
    }
    return ["\(title) has no queue: only endpoints, notifications, scheduling contexts and reply objects have one"]
  }

  /// `on the reply stack of S` or `on no reply stack`, for the reply object at `reply`.
  func stackText(_ reply: ObjectRef, _ v: StateView) -> String {
    guard let sc = v.callStack(holding: reply) else { return "on no reply stack" }
    return "on the reply stack of " + naming.name(of: sc)
  }

  func objectLines(_ o: ObjectView, _ v: StateView) -> [String] {
    var lines = [
      style.bold(naming.name(of: o.address))
        + " @ \(hex(o.address)): \(o.kind), 2^\(o.sizeBits) bytes (\(layer.rawValue) layer)"
    ]
    if let sc = o.schedContext {
      lines.append("  " + naming.schedContext(sc))
      lines.append("  " + naming.refills(sc))
    }
    if let n = o.notification { lines.append("  " + naming.notification(n)) }
    if let e = o.endpoint { lines.append("  " + naming.endpoint(e)) }
    if let r = o.reply { lines.append("  " + naming.reply(r) + "; " + stackText(o.address, v)) }
    if let t = o.thread {
      lines.append("  " + naming.thread(t) + (v.current == o.address ? ", current" : ""))
      for s in (0..<o.slotCount).compactMap(o.slot) {
        let role = TCBSlot(rawValue: s.index).map { "\($0)" } ?? "\(s.index)"
        lines.append("  \(role.padded(14)) \(slotCap(s))")
      }
    } else if o.slotCount > 0 {
      // Only the filled slots are listed: a CNode may have 2^20 slots or more.
      let filled = o.occupiedSlots.filter { !$0.cap.isNull || $0.undecodable }
      lines.append("  \(filled.count) of \(o.slotCount) slots filled")
      for s in filled { lines.append("  [\(s.index)]".padded(8) + slotCap(s)) }
      let empty = o.slotCount - UInt64(filled.count)
      if empty > 0 {
        lines.append(
          "  (\(empty) empty slot\(empty == 1 ? "" : "s") not listed; show slot \(naming.name(of: o.address))[INDEX] shows one)"
        )
      }
    }
    let naming = v.caps.filter { c in
      if case .untyped = c.cap { return false }
      return c.cap.objectRef == o.address
    }
    lines.append(
      "  named by \(naming.count) cap\(naming.count == 1 ? "" : "s")"
        + (naming.isEmpty
          ? ""
          : ": " + naming.prefix(6).map { self.naming.slot($0.slot) }.joined(separator: ", ")
            + (naming.count > 6 ? ", …" : "")))
    return lines
  }

  func slotCap(_ s: SlotView) -> String { s.undecodable ? style.red(naming.cap(s)) : naming.cap(s) }

  func slotLines(_ s: SlotRef, _ v: StateView) -> [String] {
    guard let sv = v.slotView(s) else { return ["\(naming.slot(s)) is not a slot"] }
    var lines = ["\(naming.slot(s)) = \(slotCap(sv))"]
    if !sv.cap.isNull {
      lines.append("  CDT parent: " + (v.cdt[s].map { naming.slot($0) } ?? "none"))
      let children = v.cdt.filter { $0.value == s }.keys.sorted()
      lines.append(
        "  CDT children: " + (children.isEmpty ? "none" : children.map { naming.slot($0) }.joined(separator: ", ")))
      lines.append("  " + (v.originals.contains(s) ? "original (is_original_cap)" : "derived"))
    }
    if let m = sv.mdb { lines.append("  " + naming.mdb(m)) }
    if let address = sv.cteAddress, let words = sv.words {
      lines.append("  " + naming.cte(address, words: words) + "  (memory \(hex(address)) 4)")
    }
    return lines
  }

  // MARK: - CSpace and CDT trees

  func cspaceLines(_ name: String) -> [String] {
    let v = view
    let address: ObjectRef
    switch object(name, in: v) {
    case .failure(let e): return [e.message]
    case .success(let a): address = a
    }
    guard let o = v.objects[address] else { return ["no object \(name)"] }
    var lines: [String] = []
    let root: Capability
    if o.thread != nil {
      root = v.cap(at: SlotRef(address, TCBSlot.cspace.rawValue))
      lines.append("\(naming.name(of: address))'s CSpace: root \(naming.cap(root))")
    } else if o.kind.hasPrefix("cnode") {
      root = .cnode(address, radix: UInt64(o.slotCount.trailingZeroBitCount), guardSize: 0, guard: 0)
      lines.append("CNode \(naming.name(of: address)) and the CNodes below it")
    } else {
      return ["\(naming.name(of: address)) is a \(o.kind): only threads and CNodes have a CSpace"]
    }
    guard case .cnode(let rootNode, _, _, _) = root else {
      return lines + ["  (the root is not a CNode cap: the thread has no CSpace)"]
    }
    func walk(_ node: ObjectRef, depth: Int, path: Set<ObjectRef>) {
      guard let cnode = v.objects[node] else {
        lines.append(String(repeating: "  ", count: depth + 1) + "(no live CNode at \(hex(node)))")
        return
      }
      for s in cnode.occupiedSlots where !s.cap.isNull || s.undecodable {
        let slot = SlotRef(node, s.index)
        let original = v.originals.contains(slot) ? " *" : ""
        lines.append(String(repeating: "  ", count: depth + 1) + "[\(s.index)] \(slotCap(s))\(original)")
        if case .cnode(let child, _, _, _) = s.cap {
          if path.contains(child) {
            lines.append(String(repeating: "  ", count: depth + 2) + "(\(naming.name(of: child)) again: not expanded)")
          } else if depth < 8 {
            walk(child, depth: depth + 1, path: path.union([child]))
          }
        }
      }
    }
    lines.append("  " + naming.name(of: rootNode))
    walk(rootNode, depth: 1, path: [rootNode])
    lines.append("  (* original cap)")
    return lines
  }

  func cdtLines() -> [String] {
    let v = view
    let caps = v.caps
    guard !caps.isEmpty else { return ["no caps on the \(layer.rawValue) layer"] }
    var children: [SlotRef: [SlotRef]] = [:]
    for (child, parent) in v.cdt { children[parent, default: []].append(child) }
    let present = Set(caps.map(\.slot))
    let roots = caps.map(\.slot).filter { v.cdt[$0] == nil || !present.contains(v.cdt[$0] ?? $0) }
    var lines = [
      layer == .abstract
        ? "The derivation tree (cdt), * original:"
        : "The derivation tree the MDB list encodes on the \(layer.rawValue) layer, * original:"
    ]
    // Depth first with an explicit stack: a long derivation chain (a trace can mint a cap from a
    // cap thousands of times) must not exhaust the call stack. Indentation stops growing at 32.
    var seen: Set<SlotRef> = []
    var stack: [(slot: SlotRef, depth: Int)] = roots.reversed().map { ($0, 0) }
    while let (s, depth) = stack.popLast() {
      guard seen.insert(s).inserted else { continue }
      let original = v.originals.contains(s) ? " *" : ""
      lines.append(
        String(repeating: "  ", count: min(depth, 32) + 1)
          + "\(naming.slot(s)) \(naming.cap(v.cap(at: s)))\(original)")
      stack += (children[s] ?? []).sorted().reversed().map { ($0, depth + 1) }
    }
    return lines
  }
}

/// A one-line message for the user.
struct HintError: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

extension String {
  func padded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
}
