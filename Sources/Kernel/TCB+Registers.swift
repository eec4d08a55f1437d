// The TCB methods that read and write a thread's registers (seL4 `src/object/tcb.c`:
// `decodeReadRegisters`, `decodeWriteRegisters`, `decodeCopyRegisters`, `decodeSetTLSBase`,
// `invokeTCB_ReadRegisters`, `invokeTCB_WriteRegisters`, `invokeTCB_CopyRegisters`,
// `invokeSetTLSBase`). A register is a word of the TCB: X0 the badge register's, X1 the
// message-info register's, X2...X5 MR0...MR3's, the others `ObjectLayout.tcbRegisters`
// (`ObjectLayout.registerOffset`), so `getRegister`/`setRegister` are one load or store. The
// register set and the order of the transfers are `KernelABI/Register.swift`'s; see
// `AbstractSpec/TCB+Registers.swift`. Twins: `AbstractSpec/TCB+Registers.swift`,
// `ExecutableSpec/TCB+Registers.swift`.

import KernelABI

extension KernelState {
  /// `decodeReadRegisters`: `length < 2` → TruncatedMessage; the count outside 1...36 →
  /// RangeError(1, 36); the caller's own thread → IllegalOperation.
  func decodeReadRegisters(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    if message.length < 2 { throw .truncatedMessage }
    let flags = message.arg(0)
    let n = message.arg(1)
    if n < 1 || n > Register.userContextCount { throw .rangeError(min: 1, max: Register.userContextCount) }
    if target == ksCurThread { throw .illegalOperation }
    return .readRegisters(source: target, suspendSource: flags & 1 != 0, count: n)
  }

  /// `decodeWriteRegisters`: `length < 2` or `length - 2 < w` → TruncatedMessage; the caller's own
  /// thread → IllegalOperation.
  func decodeWriteRegisters(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    if message.length < 2 { throw .truncatedMessage }
    let flags = message.arg(0)
    let w = message.arg(1)
    if message.length &- 2 < w { throw .truncatedMessage }
    if target == ksCurThread { throw .illegalOperation }
    return .writeRegisters(dest: target, resumeTarget: flags & 1 != 0, count: w, message: message)
  }

  /// `decodeCopyRegisters`: `length < 1` or no extra cap → TruncatedMessage; extra cap 0 not a
  /// thread cap → InvalidCapability(1).
  func decodeCopyRegisters(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    guard message.length >= 1, let sourceSlot = message.extraCap(0) else { throw .truncatedMessage }
    let flags = message.arg(0)
    guard case .thread(let source) = getCap(sourceSlot) else { throw .invalidCapability(index: 1) }
    return .copyRegisters(
      dest: target, source: source, suspendSource: flags & 1 != 0, resumeTarget: flags & 2 != 0,
      transferFrame: flags & 4 != 0, transferInteger: flags & 8 != 0)
  }

  /// `decodeSetTLSBase`: `length < 1` → TruncatedMessage.
  func decodeSetTLSBase(_ target: ObjectRef, _ message: Message) throws(SyscallError) -> TCBInvocation {
    if message.length < 1 { throw .truncatedMessage }
    return .setTLSBase(target, message.arg(0))
  }

  /// `invokeTCB_ReadRegisters`: suspend the source if asked, then the reply: its first `n`
  /// registers, frame then integer.
  mutating func invokeReadRegisters(_ source: ObjectRef, suspendSource: Bool, count n: UInt64) -> InvocationOutcome {
    if suspendSource { suspend(source) }
    var values: [UInt64] = []
    values.reserveCapacity(Int(truncatingIfNeeded: n))
    for (i, register) in Register.userContextOrder.enumerated() where UInt64(truncatingIfNeeded: i) < n {
      values.append(getRegister(source, register))
    }
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: n), registers: values))
  }

  /// `invokeTCB_WriteRegisters`: the first `min(n, 36)` registers from MR2 up, sanitised
  /// (`sanitiseRegister`); `setNextPC(dest, getRestartPC(dest))`; `restart` if asked;
  /// `rescheduleRequired` if the destination is current.
  mutating func invokeWriteRegisters(_ dest: ObjectRef, resumeTarget: Bool, count n: UInt64, _ message: Message) {
    for (i, register) in Register.userContextOrder.enumerated() where UInt64(truncatingIfNeeded: i) < n {
      setRegister(dest, register, Register.sanitiseRegister(register, message.arg(i &+ 2)))
    }
    setRegister(dest, Register.nextIP, getRegister(dest, .faultIP))
    if resumeTarget { restart(dest) }
    if dest == ksCurThread { rescheduleRequired() }
  }

  /// `invokeTCB_CopyRegisters`: `suspend` the source, `restart` the destination, copy the frame
  /// registers (then `setNextPC(dest, getRestartPC(dest))`) and the gp registers, each if asked;
  /// `rescheduleRequired` if the destination is current.
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

  /// `invokeSetTLSBase`: `setRegister(thread, TLS_BASE, base)`; `rescheduleRequired` for the
  /// current thread.
  mutating func invokeSetTLSBase(_ thread: ObjectRef, _ base: UInt64) {
    setRegister(thread, Register.tlsBase, base)
    if thread == ksCurThread { rescheduleRequired() }
  }

  /// `updateRestartPC`: `setRegister(tcb, FaultIP, getRegister(tcb, NextIP))`.
  mutating func updateRestartPC(_ tcb: ObjectRef) {
    setRegister(tcb, .faultIP, getRegister(tcb, Register.nextIP))
  }
}
