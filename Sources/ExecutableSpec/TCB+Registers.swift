// The TCB methods that read and write a thread's registers (`SEL4.Object.TCB`:
// `decodeReadRegisters`, `decodeWriteRegisters`, `decodeCopyRegisters`, `decodeSetTLSBase`,
// `invokeTCB` of `ReadRegisters`, `WriteRegisters`, `CopyRegisters`, `SetTLSBase`), register by
// register through `getRegister`/`setRegister` (the Haskell model's `asUser`). The register set,
// its aliasing and the order of the transfers are `KernelABI/Register.swift`'s; see
// `AbstractSpec/TCB+Registers.swift`. Twins: `AbstractSpec/TCB+Registers.swift`,
// `Kernel/TCB+Registers.swift`.

import KernelABI

extension ExecState {
  /// `decodeReadRegisters`: MR0 the flags, MR1 the count (1...36); not the caller's own registers.
  func decodeReadRegisters(_ target: ObjectRef, args: [UInt64]) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 2 else { throw .truncatedMessage }
    let flags = args[0]
    let count = args[1]
    if count < 1 || count > Register.userContextCount { throw .rangeError(min: 1, max: Register.userContextCount) }
    if target == ksCurThread { throw .illegalOperation }
    return .readRegisters(source: target, suspendSource: flags & 1 != 0, count: count)
  }

  /// `decodeWriteRegisters`: MR0 the flags, MR1 the count, then the values; not the caller's own.
  func decodeWriteRegisters(_ target: ObjectRef, args: [UInt64]) throws(SyscallError) -> TCBInvocation {
    guard args.count >= 2 else { throw .truncatedMessage }
    let flags = args[0]
    let count = args[1]
    if UInt64(args.count - 2) < count { throw .truncatedMessage }
    if target == ksCurThread { throw .illegalOperation }
    return .writeRegisters(dest: target, resumeTarget: flags & 1 != 0, values: Array(args[2..<2 + Int(count)]))
  }

  /// `decodeCopyRegisters`: MR0 the flags; extra cap 0 the source thread.
  func decodeCopyRegisters(_ target: ObjectRef, args: [UInt64], extraCaps: [Capability]) throws(SyscallError)
    -> TCBInvocation
  {
    guard let flags = args.first, let sourceCap = extraCaps.first else { throw .truncatedMessage }
    guard case .thread(let source) = sourceCap else { throw .invalidCapability(index: 1) }
    return .copyRegisters(
      dest: target, source: source, suspendSource: flags & 1 != 0, resumeTarget: flags & 2 != 0,
      transferFrame: flags & 4 != 0, transferInteger: flags & 8 != 0)
  }

  /// `decodeSetTLSBase`: MR0 the new TLS base.
  func decodeSetTLSBase(_ target: ObjectRef, args: [UInt64]) throws(SyscallError) -> TCBInvocation {
    guard let base = args.first else { throw .truncatedMessage }
    return .setTLSBase(target, base)
  }

  /// `invokeTCB_ReadRegisters`: suspend the source if asked; the reply is its first `count`
  /// registers, frame then integer.
  mutating func invokeReadRegisters(_ source: ObjectRef, suspendSource: Bool, count: UInt64) -> InvocationOutcome {
    if suspendSource { suspend(source) }
    var values: [UInt64] = []
    for register in Register.userContextOrder.prefix(Int(count)) { values.append(getRegister(source, register)) }
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: count), registers: values))
  }

  /// `invokeTCB_WriteRegisters`: at most 36 registers, sanitised; NextIP := FaultIP; restart if
  /// asked; `rescheduleRequired` if the destination is current.
  mutating func invokeWriteRegisters(_ dest: ObjectRef, resumeTarget: Bool, values: [UInt64]) {
    let count = min(values.count, Register.userContextOrder.count)
    for i in 0..<count {
      let register = Register.userContextOrder[i]
      setRegister(dest, register, Register.sanitiseRegister(register, values[i]))
    }
    setRegister(dest, Register.nextIP, getRegister(dest, .faultIP))
    if resumeTarget { restart(dest) }
    if dest == ksCurThread { rescheduleRequired() }
  }

  /// `invokeTCB_CopyRegisters`: suspend, restart, then the frame registers (and NextIP :=
  /// FaultIP) and the integer registers, each if asked; `rescheduleRequired` if the destination
  /// is current.
  mutating func invokeCopyRegisters(
    _ dest: ObjectRef, _ source: ObjectRef, suspendSource: Bool, resumeTarget: Bool, transferFrame: Bool,
    transferInteger: Bool
  ) {
    if suspendSource { suspend(source) }
    if resumeTarget { restart(dest) }
    if transferFrame {
      for register in Register.frameRegisters { setRegister(dest, register, getRegister(source, register)) }
      setRegister(dest, Register.nextIP, getRegister(dest, .faultIP))
    }
    if transferInteger {
      for register in Register.gpRegisters { setRegister(dest, register, getRegister(source, register)) }
    }
    if dest == ksCurThread { rescheduleRequired() }
  }

  /// `invokeSetTLSBase`: TLS_BASE := `base`; `rescheduleRequired` for the current thread.
  mutating func invokeSetTLSBase(_ thread: ObjectRef, _ base: UInt64) {
    setRegister(thread, Register.tlsBase, base)
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `updateRestartPC`: FaultIP := NextIP.
  mutating func updateRestartPC(_ thread: ObjectRef) {
    setRegister(thread, .faultIP, getRegister(thread, Register.nextIP))
  }

  /// `asUser thread (getRegister register)`: 0 for no thread.
  func getRegister(_ thread: ObjectRef, _ register: Register) -> UInt64 {
    tcb(at: thread)?.context.getRegister(register) ?? 0
  }

  /// `asUser thread (setRegister register value)`.
  mutating func setRegister(_ thread: ObjectRef, _ register: Register, _ value: UInt64) {
    updateTCB(thread) { $0.context.setRegister(register, value) }
  }
}
