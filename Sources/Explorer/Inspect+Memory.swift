// `memory ADDR [N]`: the kernel's words with what each one means, decoded with the kernel's own
// layouts (`ObjectLayout`, `KernelState.decodeCap`): a slot's cap words, its MDB links and flags,
// a thread's state, priority and MCP; in the globals frame (`memory globals`, `GlobalsLayout`),
// each global by name.

import Bitwise
import Kernel
import KernelABI
import Refinement

extension Session {
  func memoryLines(_ text: String) -> [String] {
    let k = checker.kernel
    let kv = StateView(kernel: k)
    var parts = text.split(separator: " ").map(String.init)
    guard !parts.isEmpty else { return ["memory needs an address, an object name or a slot, e.g. memory root_cnode 8"] }
    var count: UInt64 = 8
    if parts.count >= 2, let n = Session.number(parts[parts.count - 1]) {
      count = min(max(n, 1), 512)
      parts.removeLast()
    }
    let target = parts.joined(separator: " ")
    var start: UInt64
    if let n = Session.number(target) {
      start = n
    } else if target == "globals" {
      start = GlobalsLayout.frame
    } else if target.hasPrefix("slot(") || target.contains("[") {
      switch slot(target, in: kv) {
      case .failure(let e): return [e.message]
      case .success(let s):
        guard let cte = k.cteAddress(of: s) else { return ["\(naming.slot(s)) has no CTE in the kernel"] }
        start = cte
      }
    } else {
      // NAME or NAME+OFFSET; either side may be missing in what was typed (`+`, `main+`).
      let pieces = target.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      guard let name = pieces.first, !name.isEmpty else {
        return ["memory needs an address, an object name or a slot before '+', e.g. memory root_cnode+0x20"]
      }
      switch object(name, in: kv) {
      case .failure(let e): return [e.message]
      case .success(let a): start = a
      }
      if pieces.count == 2 {
        guard let offset = Session.number(pieces[1]) else { return ["'\(pieces[1])' is not an offset (a number)"] }
        start = start &+ offset
      }
    }
    start &= ~7
    var lines = [
      "kernel memory from \(hex(start)), \(count) word\(count == 1 ? "" : "s")"
        + (layer == .kernel ? "" : " (memory is the kernel layer's)")
    ]
    for i in 0..<count {
      let address = start &+ i &* 8
      guard let word = k.load(address) else {
        lines.append("\(hex(address))  outside the simulated memory")
        break
      }
      let hexWord = String(word, radix: 16)
      lines.append(
        "\(hex(address).padded(10))  0x\(String(repeating: "0", count: max(0, 16 - hexWord.count)))\(hexWord)  \(decode(address, word, k))"
      )
    }
    return lines
  }

  /// What the word at `address` is: the object and field, decoded.
  func decode(_ address: UInt64, _ word: UInt64, _ k: KernelState) -> String {
    // The idle TCB and scheduling context lie in the frame but are objects: their words decode
    // as fields below.
    if GlobalsLayout.holdsGlobal(address), let offset = GlobalsLayout.offset(address) {
      guard let name = GlobalsLayout.name(at: offset) else {
        return "globals +\(hex(offset))" + style.dim(" (reserved)")
      }
      // The one global so far names a thread (0: none).
      return "globals \(name): " + (word == 0 ? "none" : naming.name(of: word))
    }
    guard
      let (base, kind) = k.objects.first(where: { (base, kind) in
        kind.sizeBits < 64 && address >= base && address &- base < (1 << kind.sizeBits)
      })
    else { return style.dim("(no object)") }
    let name = naming.name(of: base)
    let offset = address &- base
    let slotBytes: UInt64 = 1 << KernelConstants.slotBits
    func cteField(_ container: ObjectRef, _ index: UInt64, _ field: UInt64, _ label: String) -> String {
      let cte = container &+ index &* slotBytes
      let slotText = "\(label) [\(index)]"
      switch field {
      case ObjectLayout.cteCapWord0:
        let cap = KernelState.decodeCap(word, k.load(cte &+ 8) ?? 0)
        return "\(slotText) cap word 0: " + (cap.map { naming.cap($0) } ?? style.red("no cap"))
      case ObjectLayout.cteCapWord1: return "\(slotText) cap word 1"
      case ObjectLayout.cteMDBWord0:
        let prev = ObjectLayout.mdbPrev.get(word)
        return "\(slotText) MDB prev: "
          + (prev == 0 ? "null" : k.slotRef(ofCTE: prev).map { naming.slot($0) } ?? hex(prev))
      case ObjectLayout.cteMDBWord1:
        // Widened as the kernel reads it (`KernelState.canonicalMDBNext`): a link into the IRQ node.
        let next = KernelState.canonicalMDBNext(ObjectLayout.mdbNext.get(word) << 2)
        let target = next == 0 ? "null" : k.slotRef(ofCTE: next).map { naming.slot($0) } ?? hex(next)
        return
          "\(slotText) MDB next: \(target), revocable \(ObjectLayout.mdbRevocable.get(word)), firstBadged \(ObjectLayout.mdbFirstBadged.get(word))"
      default: return "\(slotText) +\(field)"
      }
    }
    switch kind {
    case .cnode:
      return cteField(base, offset / slotBytes, offset % slotBytes, name)
    case .tcb:
      if offset < ObjectLayout.tcbState {
        return cteField(base, offset / slotBytes, offset % slotBytes, name)
      }
      switch offset {
      case ObjectLayout.tcbState:
        let ts = KernelThreadState(rawValue: ObjectLayout.tsType.get(word)).map { "\($0)" } ?? style.red("no state")
        return "\(name) thread state: \(ts)"
      case ObjectLayout.tcbPriority: return "\(name) priority: \(word)"
      case ObjectLayout.tcbMCP: return "\(name) MCP: \(word)"
      case ObjectLayout.tcbMsgInfoRegister: return "\(name) message-info register: \(MessageInfo(word: word))"
      case ObjectLayout.tcbBadgeRegister: return "\(name) badge register: \(hex(word))"
      case ObjectLayout.tcbMsgRegisters..<ObjectLayout.tcbContextEnd:
        return "\(name) MR\((offset &- ObjectLayout.tcbMsgRegisters) / 8): \(hex(word))"
      case ObjectLayout.tcbRegisters..<ObjectLayout.tcbRegistersEnd:
        let index = Int(truncatingIfNeeded: (offset &- ObjectLayout.tcbRegisters) / 8)
        let register = Register(rawValue: Register.x6.rawValue &+ index).map(\.name) ?? "register"
        return "\(name) \(register): \(hex(word))"
      case ObjectLayout.tcbFlags: return "\(name) flags: \(hex(word))"
      case ObjectLayout.tcbFault..<ObjectLayout.tcbLookupFailure:
        let fault = k.tcbFault(of: base).map { "\($0)" } ?? "NullFault"
        return "\(name) tcbFault[\((offset &- ObjectLayout.tcbFault) / 8)]: \(hex(word)) (\(fault))"
      case ObjectLayout.tcbLookupFailure..<ObjectLayout.tcbCapsOrBadges:
        return "\(name) tcbLookupFailure[\((offset &- ObjectLayout.tcbLookupFailure) / 8)]: \(hex(word))"
      default: return "\(name) +\(hex(offset)) (unused)"
      }
    default:
      return "\(name) (\(kind)) +\(hex(offset))" + style.dim(" (no fields modelled)")
    }
  }
}
