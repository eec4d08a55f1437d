// A thread's machine registers: seL4's AArch64 register set, the one this model picks
// (`seL4:include/arch/arm/arch/64/mode/machine/registerset.h`, `src/arch/arm/64/machine/registerset.c`).
//
// Every layer's user context holds these 37 words (`n_contextRegisters`). The kernel's named
// registers are some of them, as on seL4: the badge register is X0, the message-info register X1,
// and the four fast message registers MR0...MR3 are X2...X5 (`msgRegisters`); the TLS base is
// TPIDR_EL0 (`CONFIG_ARM_TLS_REG_TPIDRU`, seL4's default). So TCB_ReadRegisters of a thread that
// was just answered by the kernel reads its reply in X0...X5, and TCB_WriteRegisters of X2 is
// writing MR0. TCB_ReadRegisters and TCB_WriteRegisters see the frame registers then the integer
// (gp) registers, in seL4's order, which is libsel4's `seL4_UserContext` order: pc, sp, spsr,
// x0...x8, x16...x18, x29, x30, then x9...x15, x19...x28, tpidr_el0, tpidrro_el0. ELR_EL1 (the
// next instruction, `NextIP`) is in the context but in neither set: user space cannot read it;
// WriteRegisters and CopyRegisters set it to FaultIP (`setNextPC(dest, getRestartPC(dest))`),
// and suspending a running thread sets FaultIP to it (`updateRestartPC`).
//
// The configuration is AArch64 without hypervisor support, so a written SPSR_EL1 keeps its four
// flag bits and is forced to user mode (`sanitiseRegister`); every other register takes any word.

/// An AArch64 register of a thread's user context (seL4's `enum _register`, by its number).
public enum Register: Int, CaseIterable, Hashable, Sendable, Codable {
  case x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15
  case x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28, x29, x30
  /// The user stack pointer.
  case spEL0
  /// `ELR_EL1`, seL4's `NextIP`: where the thread resumes.
  case elrEL1
  /// The saved program status.
  case spsrEL1
  /// `FaultIP`: the instruction that entered the kernel (`getRestartPC`).
  case faultIP
  /// The user read/write thread ID register, seL4's `TLS_BASE`.
  case tpidrEL0
  /// The user read-only thread ID register.
  case tpidrroEL0

  /// `n_contextRegisters`.
  public static let count = 37

  /// `badgeRegister`: X0.
  public static let badgeRegister = Register.x0
  /// `msgInfoRegister`: X1.
  public static let msgInfoRegister = Register.x1
  /// `msgRegisters`: MR0...MR3 are X2...X5 (`n_msgRegisters` = `seL4_FastMessageRegisters`).
  public static let msgRegisters: [Register] = [.x2, .x3, .x4, .x5]
  /// `SYSCALL_MESSAGE` (`n_syscallMessage` = 12): the registers an UnknownSyscall fault's message
  /// carries and its reply writes back, in message order (`seL4_UnknownSyscall_X0` ... `_SPSR`,
  /// `seL4:include/arch/arm/arch/64/mode/machine/registerset.h`).
  public static let syscallMessage: [Register] = [
    .x0, .x1, .x2, .x3, .x4, .x5, .x6, .x7, .faultIP, .spEL0, .elrEL1, .spsrEL1,
  ]
  /// `EXCEPTION_MESSAGE` (`n_exceptionMessage` = 3): the registers a UserException fault's message
  /// carries and its reply writes back, in message order (`seL4_UserException_FaultIP`, `_SP`,
  /// `_SPSR`, `seL4:include/arch/arm/arch/64/mode/machine/registerset.h`).
  public static let exceptionMessage: [Register] = [.faultIP, .spEL0, .spsrEL1]
  /// `TIMEOUT_REPLY_MESSAGE` (`n_timeoutMessage` = 34): the registers a reply to a Timeout fault
  /// writes back, in message order (`seL4_TimeoutReply_FaultIP` ... `_X28`,
  /// `seL4:include/arch/arm/arch/64/mode/machine/registerset.h`).
  public static let timeoutMessage: [Register] = [
    .faultIP, .spEL0, .spsrEL1, .x0, .x1, .x2, .x3, .x4, .x5, .x6, .x7, .x8, .x16, .x17, .x18, .x29, .x30,
    .x9, .x10, .x11, .x12, .x13, .x14, .x15, .x19, .x20, .x21, .x22, .x23, .x24, .x25, .x26, .x27, .x28,
  ]
  /// `TLS_BASE`: TPIDR_EL0.
  public static let tlsBase = Register.tpidrEL0
  /// `NextIP`: ELR_EL1.
  public static let nextIP = Register.elrEL1

  /// `frameRegisters` (`n_frameRegisters` = 17), in seL4's order.
  public static let frameRegisters: [Register] = [
    .faultIP, .spEL0, .spsrEL1, .x0, .x1, .x2, .x3, .x4, .x5, .x6, .x7, .x8, .x16, .x17, .x18, .x29, .x30,
  ]
  /// `gpRegisters` (`n_gpRegisters` = 19), in seL4's order.
  public static let gpRegisters: [Register] = [
    .x9, .x10, .x11, .x12, .x13, .x14, .x15, .x19, .x20, .x21, .x22, .x23, .x24, .x25, .x26, .x27, .x28,
    .tpidrEL0, .tpidrroEL0,
  ]
  /// The registers TCB_ReadRegisters and TCB_WriteRegisters transfer, in their order: the frame
  /// registers, then the gp registers (`seL4_UserContext`).
  public static let userContextOrder: [Register] = frameRegisters + gpRegisters
  /// `n_frameRegisters + n_gpRegisters`: 36, the most TCB_ReadRegisters reads.
  public static let userContextCount: UInt64 = 36

  /// The message register this register is (0...3 for X2...X5), or nil.
  public var messageRegisterIndex: Int? {
    rawValue >= Register.x2.rawValue && rawValue <= Register.x5.rawValue ? rawValue &- Register.x2.rawValue : nil
  }

  /// The registers a user context keeps in their own words, because they are neither the badge,
  /// the message-info nor a fast message register: X6 up to TPIDRRO_EL0, 31 of them; this one's
  /// index among them, or nil for X0...X5.
  public var otherRegisterIndex: Int? {
    rawValue >= Register.x6.rawValue ? rawValue &- Register.x6.rawValue : nil
  }

  /// How many registers `otherRegisterIndex` numbers: 31.
  public static let otherRegisterCount = 31

  /// `sanitiseRegister(reg, v, archInfo = false)` (AArch64, no hypervisor): SPSR_EL1 keeps its
  /// N, Z, C, V flags and is forced to EL0t with FIQs masked (`PSTATE_USER`); any other register
  /// takes `value` as it is.
  public static func sanitiseRegister(_ register: Register, _ value: UInt64) -> UInt64 {
    register == .spsrEL1 ? (value & 0xf000_0000) | pstateUser : value
  }

  /// `PSTATE_USER` = `PMODE_FIRQ | PMODE_EL0t` (without hypervisor support).
  public static let pstateUser: UInt64 = 1 << 6

  /// seL4's name of the register (`X0`, `SP_EL0`, `FaultIP`, ...).
  public var name: String {
    switch self {
    case .spEL0: "SP_EL0"
    case .elrEL1: "ELR_EL1"
    case .spsrEL1: "SPSR_EL1"
    case .faultIP: "FaultIP"
    case .tpidrEL0: "TPIDR_EL0"
    case .tpidrroEL0: "TPIDRRO_EL0"
    default: "X\(rawValue)"
    }
  }
}
