// Outcomes in words and against observations: the `->` half of the describer
// (`Refinement/Views/Describer.swift`), which needs the scenario language's `Outcome`.

public import KernelABI
public import Refinement

extension Describer {
  /// An outcome as a `->` writes it.
  public static func outcome(_ o: Outcome) -> String {
    switch o {
    case .noError: "NoError"
    case .error(let code, nil): code.shortName
    case .error(_, let e?): "\(e)"
    case .fault(nil): "fault"
    case .fault(let f?): "fault \(fault(f))"
    case .notModelled(nil): "notModelled"
    case .notModelled(let n?): "notModelled \"\(n)\""
    case .ok: "ok"
    }
  }
}

extension Outcome {
  /// The outcome that expects exactly what `o` shows; nil for a reply that is neither the empty
  /// success reply nor a well-formed error reply (no layer sends one). Errors without a payload
  /// are written by their name alone, as scripts write them.
  public init?(exactly o: Observation) {
    if let n = o.notModelled {
      self = .notModelled(n.description)
    } else if let f = o.fault {
      self = .fault(f)
    } else if let r = o.reply {
      if r == .success {
        self = .noError
      } else if let error = SyscallError(label: r.info.label, messageRegisters: r.registers),
        r == ReplyMessage(error: error)
      {
        self = .error(error.code, error.messageRegisters.isEmpty ? nil : error)
      } else {
        return nil
      }
    } else {
      self = .ok
    }
  }

  /// Whether `o` is what this outcome expects (a missing payload, fault or name is not checked).
  public func matches(_ o: Observation) -> Bool {
    switch self {
    case .noError: return o.notModelled == nil && o.fault == nil && o.reply == .success
    case .ok: return o.notModelled == nil && o.fault == nil && o.reply == nil
    case .notModelled(let n): return o.notModelled != nil && (n == nil || o.notModelled?.description == n)
    case .fault(let f): return o.notModelled == nil && o.fault != nil && (f == nil || o.fault == f)
    case .error(let code, let payload):
      guard o.notModelled == nil, o.fault == nil, let r = o.reply, r.info.label == code.rawValue else { return false }
      guard let payload else { return true }
      return r == ReplyMessage(error: payload)
    }
  }
}
