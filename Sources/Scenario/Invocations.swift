// Every invocation label's libsel4 argument list, in libsel4's order
// (`seL4:libsel4/include/interfaces/object-api.xml`, MCS), and how its arguments become the
// registers of a `seL4_Call`: the service is the cap register, every capability parameter is the
// next extra cap, every word parameter the next message register. The register-access methods pack
// their flag parameters into MR0 as libsel4's generated stubs do.

public import KernelABI

/// What one parameter takes.
public enum ParameterKind: Hashable, Sendable {
  /// A capability: an object name, `slot(c, i)` or a raw cptr; becomes an extra cap.
  case cap
  /// A machine word (a number).
  case word
  /// Rights letters (`RWGP`, any subset, or `none`) or a number; a message register.
  case rights
  /// An object type name (`Endpoint`, ...) or number; a message register.
  case type
  /// `[w, ...]`: several message registers.
  case words
}

/// One parameter: its libsel4 name and kind.
public struct Parameter: Hashable, Sendable {
  public var name: String
  public var kind: ParameterKind
  init(_ name: String, _ kind: ParameterKind) {
    self.name = name
    self.kind = kind
  }
}

extension InvocationLabel {
  /// The parameters after the service, in libsel4's order.
  public var parameters: [Parameter] {
    typealias P = Parameter
    switch self {
    case .invalidInvocation: return []
    case .untypedRetype:
      return [
        P("type", .type), P("size_bits", .word), P("root", .cap), P("node_index", .word),
        P("node_depth", .word), P("node_offset", .word), P("num_objects", .word),
      ]
    case .tcbReadRegisters: return [P("suspend_source", .word), P("arch_flags", .word), P("count", .word)]
    case .tcbWriteRegisters:
      return [P("resume_target", .word), P("arch_flags", .word), P("count", .word), P("regs", .words)]
    case .tcbCopyRegisters:
      return [
        P("source", .cap), P("suspend_source", .word), P("resume_target", .word), P("transfer_frame", .word),
        P("transfer_integer", .word), P("arch_flags", .word),
      ]
    case .tcbConfigure:
      return [
        P("cspace_root", .cap), P("cspace_root_data", .word), P("vspace_root", .cap),
        P("vspace_root_data", .word), P("buffer", .word), P("bufferFrame", .cap),
      ]
    case .tcbSetPriority: return [P("authority", .cap), P("priority", .word)]
    case .tcbSetMCPriority: return [P("authority", .cap), P("mcp", .word)]
    case .tcbSetSchedParams:
      return [
        P("authority", .cap), P("mcp", .word), P("priority", .word), P("sched_context", .cap),
        P("fault_ep", .cap),
      ]
    case .tcbSetTimeoutEndpoint: return [P("timeout_fault_ep", .cap)]
    case .tcbSetIPCBuffer: return [P("buffer", .word), P("bufferFrame", .cap)]
    case .tcbSetSpace:
      return [
        P("fault_ep", .cap), P("cspace_root", .cap), P("cspace_root_data", .word), P("vspace_root", .cap),
        P("vspace_root_data", .word),
      ]
    case .tcbSuspend, .tcbResume, .tcbUnbindNotification: return []
    case .tcbBindNotification: return [P("notification", .cap)]
    case .tcbSetTLSBase: return [P("tls_base", .word)]
    case .tcbSetFlags: return [P("clear", .word), P("set", .word)]
    case .cnodeRevoke, .cnodeDelete, .cnodeCancelBadgedSends: return [P("index", .word), P("depth", .word)]
    case .cnodeCopy:
      return [
        P("dest_index", .word), P("dest_depth", .word), P("src_root", .cap), P("src_index", .word),
        P("src_depth", .word), P("rights", .rights),
      ]
    case .cnodeMint:
      return [
        P("dest_index", .word), P("dest_depth", .word), P("src_root", .cap), P("src_index", .word),
        P("src_depth", .word), P("rights", .rights), P("badge", .word),
      ]
    case .cnodeMove:
      return [
        P("dest_index", .word), P("dest_depth", .word), P("src_root", .cap), P("src_index", .word),
        P("src_depth", .word),
      ]
    case .cnodeMutate:
      return [
        P("dest_index", .word), P("dest_depth", .word), P("src_root", .cap), P("src_index", .word),
        P("src_depth", .word), P("badge", .word),
      ]
    case .cnodeRotate:
      return [
        P("dest_index", .word), P("dest_depth", .word), P("dest_badge", .word), P("pivot_root", .cap),
        P("pivot_index", .word), P("pivot_depth", .word), P("pivot_badge", .word), P("src_root", .cap),
        P("src_index", .word), P("src_depth", .word),
      ]
    case .irqIssueIRQHandler: return [P("irq", .word), P("root", .cap), P("index", .word), P("depth", .word)]
    case .irqAckIRQ, .irqClearIRQHandler: return []
    case .irqSetIRQHandler: return [P("notification", .cap)]
    case .domainSetSet: return [P("domain", .word), P("thread", .cap)]
    case .domainScheduleConfigure: return [P("index", .word), P("domain", .word), P("duration", .word)]
    case .domainScheduleSetStart: return [P("index", .word)]
    case .schedControlConfigureFlags:
      return [
        P("schedcontext", .cap), P("budget", .word), P("period", .word), P("extra_refills", .word),
        P("badge", .word), P("flags", .word),
      ]
    case .schedContextBind, .schedContextUnbindObject: return [P("cap", .cap)]
    case .schedContextUnbind, .schedContextConsumed, .schedContextYieldTo: return []
    }
  }

  /// The message registers of the word parameters (in order), packed as libsel4 packs them.
  public func messageRegisters(_ words: [[UInt64]]) -> [UInt64] {
    let flat = words.map { $0.first ?? 0 }
    switch self {
    // MR0 = suspend_source (bit 0) | arch_flags (bits 15..8); MR1 = count.
    case .tcbReadRegisters where flat.count == 3:
      return [(flat[0] & 1) | (flat[1] & 0xFF) << 8, flat[2]]
    // MR0 = resume_target (bit 0) | arch_flags (bits 15..8); MR1 = count; then the registers.
    case .tcbWriteRegisters where words.count == 4:
      return [(flat[0] & 1) | (flat[1] & 0xFF) << 8, flat[2]] + words[3]
    // MR0 = the four flags (bits 0..3) | arch_flags (bits 15..8).
    case .tcbCopyRegisters where flat.count == 5:
      return [(flat[0] & 1) | (flat[1] & 1) << 1 | (flat[2] & 1) << 2 | (flat[3] & 1) << 3 | (flat[4] & 0xFF) << 8]
    default:
      return words.flatMap { $0 }
    }
  }
}

/// The object type names a script accepts (libsel4's without `seL4_` and `Object`).
public let objectTypeNames: [String: ObjectType] = [
  "Untyped": .untyped, "TCB": .tcb, "Endpoint": .endpoint, "Notification": .notification,
  "CapTable": .capTable, "SchedContext": .schedContext, "Reply": .reply,
]

/// Rights from capDL-style letters (`R`, `W`, `G`, `P`, each at most once), or nil.
public func rights(letters: String) -> CapRights? {
  if letters == "none" { return CapRights.none }
  var r = CapRights.none
  for c in letters {
    let right: CapRights
    switch c {
    case "R": right = .read
    case "W": right = .write
    case "G": right = .grant
    case "P": right = .grantReply
    default: return nil
    }
    if r.contains(right) { return nil }
    r.insert(right)
  }
  return letters.isEmpty ? nil : r
}

/// The raw system calls by their script names (libsel4's without `seL4_`).
public let syscallNames: [String: Syscall] = Dictionary(
  uniqueKeysWithValues: Syscall.allCases.map { (String($0.libsel4Name.dropFirst(5)), $0) })
