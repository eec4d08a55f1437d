// Events for the sample system, written one way for every test target: raw syscalls (`invoke`),
// the CNode methods on the root CNode, and Untyped_Retype.
//
// Addressing in the sample: a full 64-bit cptr names root slot i as `i << 8` and aux slot j as
// `13 << 8 | j` (`S.cptr(root:)`, `S.cptr(aux:)`). CNode methods invoked on the root CNode cap (its
// copy in aux slot 2, `rootCNodeCptr`) name root slot i as (index i, depth 56: 48 guard bits and 8
// radix bits) and aux slot j as (index `13 << 8 | j`, depth 64): `Address.root(i)`, `Address.aux(j)`.

public import KernelABI

/// The sample's slots and addresses by name.
public typealias S = SystemPlan.Sample

/// The cptr of a root CNode cap the thread can invoke (aux slot 2): the invoked cap of the CNode
/// methods and the extra cap that names their source root. (Root slot 2 cannot be invoked: a
/// full-word lookup walks through it into the root CNode again.)
public let rootCNodeCptr = S.rootCNodeCptr

/// A slot as a CNode method names it: an index resolved to exactly `depth` bits from a CNode cap.
public struct Address: Hashable, Sendable, CustomStringConvertible {
  public var index: UInt64
  public var depth: UInt64

  public init(index: UInt64, depth: UInt64) {
    self.index = index
    self.depth = depth
  }

  /// Root slot `i` through the root CNode cap: 56 bits (48 guard, 8 radix) reach it exactly.
  public static func root(_ i: UInt64) -> Address { Address(index: i, depth: 56) }
  /// Aux slot `j` through the root CNode cap and root slot 13's CNode cap: all 64 bits.
  public static func aux(_ j: UInt64) -> Address { Address(index: S.cptr(aux: j), depth: 64) }

  /// The two message registers that name the slot.
  public var registers: [UInt64] { [index, depth] }

  public var description: String { "(\(index), depth \(depth))" }
}

// MARK: - Raw syscalls

/// `syscall` on `cptr` with the raw label `label`, message registers `mrs` and extra-cap cptrs `caps`.
/// - Parameters:
///   - length: the message length in the info word (default: the number of registers given; more
///     than given reads the rest as 0).
///   - extraCapCount: the extra-cap count in the info word (default: the number of cptrs given; more
///     than given reads the rest as cptr 0).
public func invoke(
  _ cptr: UInt64, label: UInt64, _ mrs: [UInt64], caps: [UInt64] = [], syscall: Syscall = .call,
  length: UInt64? = nil, extraCapCount: UInt64? = nil
) -> Event {
  let info = MessageInfo(
    label: label, extraCaps: extraCapCount ?? UInt64(caps.count), length: length ?? UInt64(mrs.count))
  return .syscall(
    syscall, SyscallArguments(capRegister: cptr, messageInfo: info.word, messageRegisters: mrs, extraCaps: caps))
}

/// `syscall` on `cptr` with `label`, message registers `mrs` and extra-cap cptrs `caps`.
public func invoke(
  _ cptr: UInt64, _ label: InvocationLabel, _ mrs: [UInt64], caps: [UInt64] = [], syscall: Syscall = .call,
  length: UInt64? = nil, extraCapCount: UInt64? = nil
) -> Event {
  invoke(cptr, label: label.rawValue, mrs, caps: caps, syscall: syscall, length: length, extraCapCount: extraCapCount)
}

// MARK: - CNode methods on the root CNode

/// A CNode method on the root CNode cap with raw registers `mrs` (for malformed messages). The extra
/// caps default to what `label` needs: none for Delete, Revoke and CancelBadgedSends, two for Rotate,
/// else one, each the root CNode cap.
public func cnodeCall(_ label: InvocationLabel, _ mrs: [UInt64], caps: [UInt64]? = nil, syscall: Syscall = .call)
  -> Event
{
  let needed: Int =
    switch label {
    case .cnodeDelete, .cnodeRevoke, .cnodeCancelBadgedSends: 0
    case .cnodeRotate: 2
    default: 1
    }
  return invoke(
    rootCNodeCptr, label, mrs, caps: caps ?? Array(repeating: rootCNodeCptr, count: needed), syscall: syscall)
}

/// CNode_Copy of `src` into `dest` with the rights mask `rights`.
public func cnodeCopy(_ dest: Address, from src: Address, rights: CapRights = .all) -> Event {
  cnodeCall(.cnodeCopy, dest.registers + src.registers + [rights.rawValue])
}

/// CNode_Mint of `src` into `dest` with the rights mask `rights` and the badge or guard word `data`.
public func cnodeMint(_ dest: Address, from src: Address, rights: CapRights = .all, data: UInt64) -> Event {
  cnodeCall(.cnodeMint, dest.registers + src.registers + [rights.rawValue, data])
}

/// CNode_Move of `src` into `dest`.
public func cnodeMove(_ dest: Address, from src: Address) -> Event {
  cnodeCall(.cnodeMove, dest.registers + src.registers)
}

/// CNode_Mutate: move `src` into `dest`, applying the guard word `data`.
public func cnodeMutate(_ dest: Address, from src: Address, data: UInt64) -> Event {
  cnodeCall(.cnodeMutate, dest.registers + src.registers + [data])
}

/// CNode_Rotate: `pivot` to `dest`, `src` to `pivot`, each with its data word.
public func cnodeRotate(_ dest: Address, pivot: Address, pivotData: UInt64 = 0, src: Address, srcData: UInt64 = 0)
  -> Event
{
  cnodeCall(.cnodeRotate, dest.registers + [pivotData] + pivot.registers + [srcData] + src.registers)
}

/// CNode_Delete of `slot`.
public func cnodeDelete(_ slot: Address) -> Event { cnodeCall(.cnodeDelete, slot.registers) }
/// CNode_Revoke of `slot`.
public func cnodeRevoke(_ slot: Address) -> Event { cnodeCall(.cnodeRevoke, slot.registers) }
/// CNode_CancelBadgedSends on the endpoint cap in `slot`.
public func cnodeCancelBadgedSends(_ slot: Address) -> Event { cnodeCall(.cnodeCancelBadgedSends, slot.registers) }

// MARK: - Untyped_Retype

/// Untyped_Retype from the untyped cap in root slot `untyped`, type number `type`, into the CNode
/// that (`nodeIndex`, `nodeDepth`) names from the extra cap `root` (depth 0: that cap's CNode itself).
public func retype(
  _ untyped: UInt64, _ type: UInt64, sizeBits: UInt64 = 0, nodeIndex: UInt64 = 0, nodeDepth: UInt64 = 0,
  offset: UInt64, count: UInt64 = 1, root: UInt64 = rootCNodeCptr
) -> Event {
  invoke(
    S.cptr(root: untyped), .untypedRetype, [type, sizeBits, nodeIndex, nodeDepth, offset, count], caps: [root])
}

/// Untyped_Retype from the untyped cap in root slot `untyped` into objects of `type`.
public func retype(
  _ untyped: UInt64, _ type: ObjectType, sizeBits: UInt64 = 0, nodeIndex: UInt64 = 0, nodeDepth: UInt64 = 0,
  offset: UInt64, count: UInt64 = 1, root: UInt64 = rootCNodeCptr
) -> Event {
  retype(
    untyped, type.rawValue, sizeBits: sizeBits, nodeIndex: nodeIndex, nodeDepth: nodeDepth, offset: offset,
    count: count, root: root)
}
