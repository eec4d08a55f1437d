// The TCB methods that read and write a thread's registers: TCB_ReadRegisters,
// TCB_WriteRegisters, TCB_CopyRegisters and TCB_SetTLSBase, with seL4's checks in seL4's order.
//
// The registers are AArch64's (`KernelABI/Register.swift`): ReadRegisters and WriteRegisters see
// the 17 frame registers then the 19 integer registers, and the badge, message-info and first four
// message registers are X0...X5 among them, so reading a thread returns what the kernel last wrote
// there and writing X0...X5 writes those. ReadRegisters answers a Call itself with the registers
// read (`InvocationOutcome.replied`); a send gets no reply. The architecture's extra transfers
// (`Arch_decodeTransfer`, `Arch_performTransfer`) do nothing on AArch64, and a written SPSR_EL1 is
// sanitised. Twins: `ExecutableSpec/TCB+Registers.swift`, `Kernel/TCB+Registers.swift`.
// (`seL4:src/object/tcb.c` `decodeReadRegisters`, `decodeWriteRegisters`, `decodeCopyRegisters`,
// `decodeSetTLSBase`, `invokeTCB_ReadRegisters`, `invokeTCB_WriteRegisters`,
// `invokeTCB_CopyRegisters`, `invokeSetTLSBase`; l4v `Tcb_A.thy` `invoke_tcb`.)

import KernelABI

extension AbstractState {
  /// MR0 the flags (bit 0: suspend the source), MR1 how many registers to read, 1...36; the
  /// caller cannot read its own registers (`decode_read_registers`).
  func decodeReadRegisters(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 2 else { throw .truncatedMessage }
    let (flags, count) = (args.registers[0], args.registers[1])
    guard count >= 1 && count <= Register.userContextCount else {
      throw .rangeError(min: 1, max: Register.userContextCount)
    }
    guard target != currentThread else { throw .illegalOperation }
    return .readRegisters(source: target, suspendSource: flags & 1 != 0, count: count)
  }

  /// MR0 the flags (bit 0: resume the target), MR1 how many registers to write, then that many
  /// values; the caller cannot write its own registers (`decode_write_registers`).
  func decodeWriteRegisters(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 2 else { throw .truncatedMessage }
    let (flags, count) = (args.registers[0], args.registers[1])
    guard UInt64(args.length - 2) >= count else { throw .truncatedMessage }
    guard target != currentThread else { throw .illegalOperation }
    return .writeRegisters(
      dest: target, resumeTarget: flags & 1 != 0, values: Array(args.registers[2..<2 + Int(count)]))
  }

  /// MR0 the flags (bit 0 suspend the source, 1 resume the target, 2 copy the frame registers, 3
  /// the integer registers); extra cap 0 the source thread (`decode_copy_registers`).
  func decodeCopyRegisters(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard args.length >= 1, let sourceCap = args.extraCaps.first else { throw .truncatedMessage }
    let flags = args.registers[0]
    guard case .thread(let source) = sourceCap else { throw .invalidCapability(index: 1) }
    return .copyRegisters(
      dest: target, source: source, suspendSource: flags & 1 != 0, resumeTarget: flags & 2 != 0,
      transferFrame: flags & 4 != 0, transferInteger: flags & 8 != 0)
  }

  /// MR0 the new TLS base (`decode_set_tls_base`).
  func decodeSetTLSBase(_ target: ObjectRef, _ args: InvocationArguments) throws(SyscallError) -> TCBInvocation {
    guard let base = args.registers.first else { throw .truncatedMessage }
    return .setTLSBase(target, base)
  }

  /// `invokeTCB_ReadRegisters`: suspend the source if asked, then answer the caller with its first
  /// `count` registers in frame-then-integer order (the caller runs on; only a Call is answered).
  mutating func invokeReadRegisters(_ source: ObjectRef, suspendSource: Bool, count: UInt64) -> InvocationOutcome {
    if suspendSource { suspend(source) }
    let context = tcb(at: source)?.context ?? UserContext()
    let values = Register.userContextOrder.prefix(Int(count)).map(context.getRegister)
    return .replied(ReplyMessage(info: MessageInfo(label: 0, length: count), registers: values))
  }

  /// `invokeTCB_WriteRegisters`: write the first registers in frame-then-integer order (at most
  /// 36), sanitised; the thread resumes where it faulted (`setNextPC(dest, getRestartPC(dest))`);
  /// restart it if asked; a write to the current thread makes the scheduler choose again.
  mutating func invokeWriteRegisters(_ dest: ObjectRef, resumeTarget: Bool, values: [UInt64]) {
    updateTCB(dest) { tcb in
      for (register, value) in zip(Register.userContextOrder, values) {
        tcb.context.setRegister(register, Register.sanitiseRegister(register, value))
      }
      tcb.context.setRegister(Register.nextIP, tcb.context.getRegister(.faultIP))
    }
    if resumeTarget { restart(dest) }
    if dest == currentThread { rescheduleRequired() }
  }

  /// `invokeTCB_CopyRegisters`: suspend the source and restart the destination if asked, then copy
  /// the frame registers (and resume the destination where it faulted) and the integer registers
  /// if asked; a copy into the current thread makes the scheduler choose again.
  mutating func invokeCopyRegisters(
    _ dest: ObjectRef, _ source: ObjectRef, suspendSource: Bool, resumeTarget: Bool, transferFrame: Bool,
    transferInteger: Bool
  ) {
    if suspendSource { suspend(source) }
    if resumeTarget { restart(dest) }
    let from = tcb(at: source)?.context ?? UserContext()
    updateTCB(dest) { tcb in
      if transferFrame {
        for register in Register.frameRegisters { tcb.context.setRegister(register, from.getRegister(register)) }
        tcb.context.setRegister(Register.nextIP, tcb.context.getRegister(.faultIP))
      }
      if transferInteger {
        for register in Register.gpRegisters { tcb.context.setRegister(register, from.getRegister(register)) }
      }
    }
    if dest == currentThread { rescheduleRequired() }
  }

  /// `invokeSetTLSBase`: the thread's TLS_BASE becomes `base`; for the current thread the
  /// scheduler chooses again, so that the new value is loaded.
  mutating func invokeSetTLSBase(_ thread: ObjectRef, _ base: UInt64) {
    updateTCB(thread) { $0.context.setRegister(Register.tlsBase, base) }
    if thread == currentThread { rescheduleRequired() }
  }

  /// `updateRestartPC`: a thread stopped while running will resume at the instruction it would
  /// have run next (FaultIP := NextIP).
  mutating func updateRestartPC(_ thread: ObjectRef) {
    updateTCB(thread) { $0.context.setRegister(.faultIP, $0.context.getRegister(Register.nextIP)) }
  }
}
