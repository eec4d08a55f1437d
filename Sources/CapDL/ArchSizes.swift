// seL4's object sizes per architecture, for placing a description as seL4 would place it on the
// architecture it names.
//
// The sizes are libsel4's constants (log2 bytes) for an MCS kernel with an FPU (the usual
// configuration; `CONFIG_HAVE_FPU` is what makes an AArch32 TCB 2^10 rather than 2^9), without
// hypervisor or hardware-debug options:
// - arm11 (AArch32): `libsel4/sel4_arch_include/aarch32/sel4/sel4_arch/constants.h`: word 32,
//   slot 4, TCB 10, notification 5 (MCS), reply 4, page table 10, page directory 14 (CAmkES's
//   `camkes-adder-arm` is laid out with exactly these: its first placeholder sits where five
//   2^10 TCBs, four page tables, two 4-bit CNodes and nine endpoints end);
// - ia32: `libsel4/sel4_arch_include/ia32/sel4/sel4_arch/constants.h`: word 32, slot 4, TCB 10,
//   notification 5 (MCS), reply 4, page table and directory 12;
// - aarch64: `libsel4/sel4_arch_include/aarch64/sel4/sel4_arch/constants.h`: word 64, slot 5,
//   TCB 11, notification 6 (MCS), reply 5, every paging structure 12;
// - x86_64: `libsel4/sel4_arch_include/x86_64/sel4/sel4_arch/constants.h`: as aarch64;
// - riscv (RV64, the verified RISC-V): `libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/
//   constants.h`: as aarch64 but TCB 10 without an FPU.
// Endpoints are 2^4 everywhere (`seL4_EndpointBits`); badges are 28 bits on 32-bit kernels
// (`capEPBadge`/`capNtfnBadge` in `include/arch/arm/arch/32/mode/object/structures.bf`) and a
// whole word on 64-bit ones.
//
// How a description for another architecture is placed: the three layers keep 64-bit words and
// their own object sizes (`PlanObjectKind.sizeBits`: TCB 2^11, notification 2^6, CTE 2^5, ...),
// which can be up to twice seL4's on that architecture (an AArch32 TCB is 2^10 bytes, a 32-bit
// CTE 2^4). The loader first lays the description out exactly as retype would
// on its own architecture, with that architecture's sizes, so a description fits where it would
// fit on its hardware (CAmkES output packs its untypeds to the byte, with `paddr:` placeholders
// after the last object), and is refused where it would not. It then multiplies every address by
// `2^placementShift`, the largest ratio between a layer's object size and the architecture's:
// each object's own room grows by that ratio, so the layers' larger object fits at the scaled
// address, aligned, inside the scaled untyped, in the same order and with the same neighbours.
// Untyped caps grow by the same factor (`sizeBits + placementShift`, free index scaled).

public import KernelABI

/// seL4's object sizes (log2 bytes) on one architecture.
public struct CapDLArchSizes: Hashable, Sendable {
  public var wordBits: UInt64
  public var slotBits: UInt64
  public var tcbBits: UInt64
  public var endpointBits: UInt64
  public var notificationBits: UInt64
  public var replyBits: UInt64
  public var pageTableBits: UInt64
  public var pageDirectoryBits: UInt64
  /// Badge bits in an endpoint or notification cap (`capEPBadge`: 28 on 32-bit kernels).
  public var badgeBits: UInt64

  /// The sizes for `arch`.
  public init(_ arch: CapDLArch) {
    switch arch {
    case .arm11:
      self.init(word: 32, slot: 4, tcb: 10, notification: 5, reply: 4, pt: 10, pd: 14, badge: 28)
    case .ia32:
      self.init(word: 32, slot: 4, tcb: 10, notification: 5, reply: 4, pt: 12, pd: 12, badge: 28)
    case .aarch64, .x86_64:
      self.init(word: 64, slot: 5, tcb: 11, notification: 6, reply: 5, pt: 12, pd: 12, badge: 64)
    case .riscv:
      self.init(word: 64, slot: 5, tcb: 10, notification: 6, reply: 5, pt: 12, pd: 12, badge: 64)
    }
  }

  init(
    word: UInt64, slot: UInt64, tcb: UInt64, notification: UInt64, reply: UInt64, pt: UInt64, pd: UInt64,
    badge: UInt64
  ) {
    wordBits = word
    slotBits = slot
    tcbBits = tcb
    endpointBits = 4
    notificationBits = notification
    replyBits = reply
    pageTableBits = pt
    pageDirectoryBits = pd
    badgeBits = badge
  }

  /// log2 of the bytes seL4 gives an object of this kind on this architecture.
  public func placementBits(_ kind: PlanObjectKind) -> UInt64 {
    switch kind {
    case .tcb: tcbBits
    case .endpoint: endpointBits
    case .notification: notificationBits
    case .cnode(let radix): radix &+ slotBits
    case .schedContext(let bits): bits
    case .reply: replyBits
    case .opaque(_, let bits): bits
    }
  }

  /// log2 of the factor every address is scaled by: the largest ratio of a layer's object size to
  /// this architecture's (0 on AArch64 and x86-64, 1 on RV64 and the 32-bit architectures).
  public var placementShift: UInt64 {
    let pairs: [(layer: PlanObjectKind, arch: UInt64)] = [
      (.tcb, tcbBits), (.endpoint, endpointBits), (.notification, notificationBits), (.reply, replyBits),
      (.cnode(radix: 0), slotBits),
    ]
    return pairs.map { $0.layer.sizeBits > $0.arch ? $0.layer.sizeBits - $0.arch : 0 }.max() ?? 0
  }
}
