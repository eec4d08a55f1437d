// Kernel-wide constants of the modelled configuration: 64-bit, MCS, AArch64-like.

/// Sizes and limits user space can observe (`seL4:libsel4/include/sel4/constants.h` and friends).
public enum KernelConstants {
  /// Bits in a machine word.
  public static let wordBits = 64
  /// `seL4_MsgMaxLength`: message registers in an IPC buffer.
  public static let msgMaxLength = 120
  /// `seL4_TCBFlag_MASK` on a configuration with an FPU (AArch64): the one flag,
  /// `seL4_TCBFlag_fpuDisabled` (bit 0), that TCB_SetFlags can set
  /// (`seL4:libsel4/include/sel4/constants.h`).
  public static let tcbFlagMask: UInt64 = 1
  /// `seL4_MsgMaxExtraCaps`.
  public static let msgMaxExtraCaps = 3
  /// Message registers passed in machine registers (`seL4_FastMessageRegisters`, AArch64: 4).
  public static let fastMessageRegisters = 4
  /// `seL4_MaxPrio`: priorities are 0...255.
  public static let maxPriority: UInt64 = 255
  /// `CONFIG_NUM_PRIORITIES`.
  public static let numPriorities: UInt64 = 256
  /// `CONFIG_NUM_DOMAINS`: 16, as seL4 builds for CAmkES and Microkit systems that use domains.
  /// Domains take turns by the domain schedule (`DomainSchedule.swift`); with seL4's boot schedule
  /// the current domain stays 0, so a thread of another domain waits in its queue.
  public static let numDomains: UInt64 = 16
  /// `CONFIG_RETYPE_FAN_OUT_LIMIT`.
  public static let retypeFanOutLimit: UInt64 = 256
  /// `seL4_SlotBits`: a CNode slot is 2^5 bytes.
  public static let slotBits: UInt64 = 5
  /// `seL4_MinUntypedBits`, `seL4_MaxUntypedBits`.
  public static let minUntypedBits: UInt64 = 4
  public static let maxUntypedBits: UInt64 = 47
  /// `seL4_MinSchedContextBits`.
  public static let minSchedContextBits: UInt64 = 7
  /// `seL4_RefillSizeBytes` and `MIN_REFILLS`.
  public static let refillSizeBytes: UInt64 = 16
  public static let minRefills: UInt64 = 2
  /// Work units before a preemption point fires (`CONFIG_MAX_NUM_WORK_UNITS_PER_PREEMPTION`).
  public static let workUnitsPerPreemption = 100

  /// l4v `idle_thread_ptr`: the idle thread's TCB. seL4 keeps it in its own data
  /// (`ksIdleThreadTCB`, `src/kernel/boot.c` `create_idle_thread`), not in memory a plan describes;
  /// here it lies in the kernel's globals frame (`Kernel/Globals.swift`, offset 0x3_8000), above
  /// 2^48, so outside every untyped region and the plan's memory, and no cap can name it. The
  /// spec layers keep the idle objects in their heaps at the same addresses.
  public static let idleThreadPtr: UInt64 = 0xFFFF_FF80_0003_8000
  /// l4v `idle_sc_ptr`: the idle thread's scheduling context (seL4 `ksIdleThreadSC`, 2^7 bytes:
  /// `seL4_MinSchedContextBits`), right after the idle TCB.
  public static let idleSCPtr: UInt64 = 0xFFFF_FF80_0003_8800
}
