// Notification system calls for the sample system: Signal (Send, NBSend or Call through a
// notification cap, no message), Wait (Wait or Recv) and Poll (NBWait or NBRecv), each naming the
// cap by its full 64-bit cptr (`S.cptr(root:)`, `S.cptr(aux:)`).

public import KernelABI

/// `seL4_Signal(cptr)`: `syscall` (Send unless told) through `cptr` with an empty message.
public func signalEvent(_ cptr: UInt64, syscall: Syscall = .send) -> Event {
  .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0))
}

/// `seL4_Wait(cptr)`: `syscall` (Wait unless told; Recv also blocks) on `cptr`.
public func waitEvent(_ cptr: UInt64, syscall: Syscall = .wait) -> Event {
  .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0))
}

/// `seL4_Poll(cptr)`: `syscall` (NBWait unless told; NBRecv also polls) on `cptr`.
public func pollEvent(_ cptr: UInt64, syscall: Syscall = .nbWait) -> Event {
  .syscall(syscall, SyscallArguments(capRegister: cptr, messageInfo: 0))
}
