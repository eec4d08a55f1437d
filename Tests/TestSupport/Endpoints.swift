// Endpoint system calls for the sample system: a send (Send unless told, or NBSend) through an
// endpoint cap with a message (label, message registers), and a receive (Wait unless told, or
// NBWait; Recv and NBRecv also name a reply cap in the reply register), each naming the cap by its
// full 64-bit cptr (`S.cptr(root:)`, `S.cptr(aux:)`); ReplyRecv, NBSendRecv and NBSendWait, each a send
// phase then a receive phase.

public import KernelABI

/// `seL4_Send(cptr, msg)`: `syscall` (Send unless told) through `cptr` with `label`, the
/// message registers `mrs` (length: their count unless told) and the extra-cap cptrs `caps`.
public func sendEvent(
  _ cptr: UInt64, label: UInt64 = 0, _ mrs: [UInt64] = [], length: UInt64? = nil, syscall: Syscall = .send,
  caps: [UInt64] = []
) -> Event {
  let info = MessageInfo(label: label, extraCaps: UInt64(caps.count), length: length ?? UInt64(mrs.count))
  return .syscall(
    syscall, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps))
}

/// `seL4_Wait(cptr)` on an endpoint: `syscall` (Wait unless told) on `cptr`, with `reply` in the
/// reply register (read by Recv and NBRecv only) and `receiveSlot` in the IPC buffer (none unless
/// told).
public func receiveEvent(
  _ cptr: UInt64, syscall: Syscall = .wait, reply: UInt64 = 0, receiveSlot: ReceiveSlot? = nil
) -> Event {
  .syscall(
    syscall, SyscallArguments(capRegister: cptr, messageInfo: 0, replyRegister: reply, receiveSlot: receiveSlot))
}

/// `seL4_ReplyRecv(cptr, msg, reply)`: reply through the cap `reply` names with `label` and the
/// message registers `mrs`, then receive on `cptr` with the same reply object (MCS).
public func replyRecvEvent(_ cptr: UInt64, reply: UInt64, label: UInt64 = 0, _ mrs: [UInt64] = []) -> Event {
  let info = MessageInfo(label: label, length: UInt64(mrs.count))
  return .syscall(
    .replyRecv,
    SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, replyRegister: reply))
}

/// `seL4_NBSendRecv(dest, msg, src, reply)`: a non-blocking send through the cap `dest` names
/// (NBSendRecv's own destination register) with `label`, the message registers `mrs` and the
/// extra-cap cptrs `caps`, then a receive on `cptr` with the reply object `reply` names (MCS).
public func nbSendRecvEvent(
  _ cptr: UInt64, dest: UInt64, reply: UInt64, label: UInt64 = 0, _ mrs: [UInt64] = [], caps: [UInt64] = []
) -> Event {
  let info = MessageInfo(label: label, extraCaps: UInt64(caps.count), length: UInt64(mrs.count))
  return .syscall(
    .nbSendRecv,
    SyscallArguments(
      capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps, replyRegister: reply,
      nbSendRecvDestination: dest))
}

/// `seL4_NBSendWait(dest, msg, src)`: a non-blocking send through the cap `dest` names (carried
/// in the reply register) with `label`, the message registers `mrs` and the extra-cap cptrs
/// `caps`, then a wait on `cptr` without a reply object (MCS).
public func nbSendWaitEvent(
  _ cptr: UInt64, dest: UInt64, label: UInt64 = 0, _ mrs: [UInt64] = [], caps: [UInt64] = []
) -> Event {
  let info = MessageInfo(label: label, extraCaps: UInt64(caps.count), length: UInt64(mrs.count))
  return .syscall(
    .nbSendWait,
    SyscallArguments(
      capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps, replyRegister: dest))
}
