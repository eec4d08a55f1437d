// The generator's TCB_ReadRegisters, TCB_WriteRegisters, TCB_CopyRegisters, TCB_SetTLSBase and
// TCB_SetIPCBuffer events (`TCB+Registers.swift` in each layer). Mostly well formed, on another
// thread's cap 9 times in 10 (the caller's own: ReadRegisters and WriteRegisters refuse it,
// IllegalOperation); each method also has its own share of errors beside `perturb`'s: a message
// cut short (TruncatedMessage), a count out of range (RangeError), a source that is no thread cap
// (InvalidCapability), an IPC buffer at a non-zero address (no frame caps exist, so it is refused
// once its cap derives). Flags that stop a thread are rare, and rarer for the caller, since a
// trace whose threads are all stopped idles to its end. The operations table gives these methods
// weight 1, against 4 for most operations and 6 for CNode's (`OperationEntry.weight`), so that
// capability, thread and notification events stay the bulk of a trace. The kernel path names the kind of the cap the
// method turns on and the flag that selects a branch: `readRegisters.thread.suspend`,
// `writeRegisters.thread.resume`, `copyRegisters.thread.same` (a thread's registers onto
// themselves), `setIPCBuffer.endpoint.nonzero`.

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The caps the thread can invoke (as extra caps, sources of copies, buffers).
  func invocableCaps(_ view: View) -> [ReachableSlot] { view.full.filter { $0.invocationCptr != nil } }

  /// The kind of the cap `cptr` names among the view's slots (`null` for none).
  static func kind(of cptr: UInt64, _ view: View) -> String {
    kind(view.slots.first { $0.invocationCptr == cptr }?.cap ?? .null)
  }

  /// TCB_ReadRegisters: MR0 the flags (bit 0, suspend the source, 1 time in 10), MR1 the count:
  /// all 36 registers or 1...36 for 85 in 100, else 0 or beyond 36 (RangeError); 1 message in 20
  /// stops after the flags (TruncatedMessage).
  mutating func readRegisters(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let suspend = rng.chance(10)
    let count: UInt64
    switch rng.below(100) {
    case 0..<30: count = Register.userContextCount
    case 30..<85: count = 1 + rng.below(Register.userContextCount)
    default: count = rng.chance(50) ? 0 : Register.userContextCount + 1 + rng.below(8)
    }
    var args: [UInt64] = [suspend ? 1 : 0, count]
    if rng.chance(5) { args.removeLast() }
    lastPath = "readRegisters.\(Self.kind(target.cap))" + (suspend ? ".suspend" : "")
    return call(cptr, label: InvocationLabel.tcbReadRegisters.rawValue, args)
  }

  /// TCB_WriteRegisters: MR0 the flags (bit 0, resume the target, 3 times in 10), MR1 the count, then
  /// the values: usually a few registers in `seL4_UserContext` order (the PC and SP; through X2,
  /// which is MR0; through X5, MR3), sometimes all 36, or more (the count is clamped); 1 message in
  /// 12 carries fewer values than the count (TruncatedMessage).
  mutating func writeRegisters(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let resume = rng.chance(30)
    let count: UInt64
    switch rng.below(100) {
    case 0..<40: count = 2
    case 40..<70: count = 6
    case 70..<85: count = 9
    case 85..<95: count = Register.userContextCount
    default: count = Register.userContextCount + 1 + rng.below(4)
    }
    var values: [UInt64] = []
    for i in 0..<count {
      switch i {
      case 0: values.append(0x40_0000 + 4 * rng.below(1024))  // FaultIP: an instruction
      case 1: values.append(0x7f_f000 - 16 * rng.below(256))  // SP_EL0: a stack
      default: values.append(rng.chance(50) ? rng.below(300) : rng.next())
      }
    }
    if rng.chance(8) { values.removeLast(Int(1 + rng.below(count))) }
    lastPath = "writeRegisters.\(Self.kind(target.cap))" + (resume ? ".resume" : "")
    return call(cptr, label: InvocationLabel.tcbWriteRegisters.rawValue, [resume ? 1 : 0, count] + values)
  }

  /// TCB_CopyRegisters into a thread cap from extra cap 0: the destination itself 2 times in 10,
  /// any thread cap 7 times, any cap once (InvalidCapability); 1 in 20 without the source
  /// (TruncatedMessage). MR0 the flags: frame registers 7 times in 10, integer registers 6, resume
  /// the destination 1 in 4, suspend the source 15 in 100 (2 when the source is the caller).
  mutating func copyRegisters(_ view: View) -> Event {
    guard let dest = pickTargetThread(view), let cptr = dest.invocationCptr else { return garbage(view) }
    let source: ReachableSlot?
    switch rng.below(100) {
    case 0..<20: source = dest
    case 20..<90: source = rng.pick(threadCaps(view))
    default: source = rng.pick(invocableCaps(view))
    }
    guard let source, let sourceCptr = source.invocationCptr else { return garbage(view) }
    let sourceIsCaller = source.cap == .thread(view.state.currentThread)
    var flags: UInt64 = 0
    if rng.chance(sourceIsCaller ? 2 : 15) { flags |= 1 }
    if rng.chance(25) { flags |= 2 }
    if rng.chance(70) { flags |= 4 }
    if rng.chance(60) { flags |= 8 }
    let extraCaps = rng.chance(5) ? [] : [sourceCptr]
    lastPath =
      "copyRegisters.\(Self.kind(extraCaps.isEmpty ? .null : source.cap))"
      + (source.cap == dest.cap && !extraCaps.isEmpty ? ".same" : "")
    return call(cptr, label: InvocationLabel.tcbCopyRegisters.rawValue, [flags], extraCaps: extraCaps)
  }

  /// TCB_SetTLSBase: MR0 the base, usually a page-aligned address; 1 message in 20 empty
  /// (TruncatedMessage). The caller may set its own.
  mutating func setTLSBase(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let base = rng.chance(70) ? 0x10_0000 + 0x1000 * rng.below(64) : rng.next()
    lastPath = "setTLSBase.\(Self.kind(target.cap))"
    return call(cptr, label: InvocationLabel.tcbSetTLSBase.rawValue, rng.chance(5) ? [] : [base])
  }

  /// TCB_SetIPCBuffer: MR0 the address, 0 (no buffer, which succeeds whatever the cap) 6 times in
  /// 10, else a page-aligned or random one; extra cap 0 the buffer's cap: any cap the thread can
  /// name 6 times in 10, an empty slot 3, none 1 (TruncatedMessage). No cap is a frame cap here,
  /// so a non-zero address fails once the cap derives.
  mutating func setIPCBuffer(_ view: View) -> Event {
    guard let target = pickTargetThread(view), let cptr = target.invocationCptr else { return garbage(view) }
    let address: UInt64 = rng.chance(60) ? 0 : (rng.chance(70) ? 0x20_0000 + 0x1000 * rng.below(64) : rng.next())
    var extraCaps: [UInt64] = []
    switch rng.below(100) {
    case 0..<60: extraCaps = [rng.pick(invocableCaps(view))?.invocationCptr ?? emptyCptr(view)]
    case 60..<90: extraCaps = [emptyCptr(view)]
    default: break
    }
    let bufferKind = extraCaps.first.map { Self.kind(of: $0, view) } ?? "null"
    lastPath = "setIPCBuffer.\(bufferKind).\(address == 0 ? "zero" : "nonzero")"
    return call(cptr, label: InvocationLabel.tcbSetIPCBuffer.rawValue, [address], extraCaps: extraCaps)
  }
}
