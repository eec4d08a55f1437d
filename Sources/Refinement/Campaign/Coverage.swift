// Coverage: how often each (operation, outcome) pair was reached by a campaign.

public import KernelABI

/// How often each (operation, outcome) pair was reached.
public struct Coverage: Hashable, Sendable, Codable {
  public private(set) var counts: [String: Int] = [:]

  public init() {}

  /// Count one event of `operation` that ended in `outcome`.
  public mutating func record(_ operation: GeneratedOperation, _ outcome: String) {
    counts["\(operation.rawValue)/\(outcome)", default: 0] += 1
  }

  public mutating func merge(_ other: Coverage) {
    for (key, n) in other.counts { counts[key, default: 0] += n }
  }

  /// The outcome of an observation, as coverage names it: `ok`, an seL4 error's case name
  /// (`deleteFirst`, `failedLookup`, ...), `fault`,
  /// `noReply`, `notModelled`, or `idle`.
  public static func outcome(_ observation: Observation) -> String {
    if observation.caller == nil { return "idle" }
    if observation.notModelled != nil { return "notModelled" }
    if observation.fault != nil { return "fault" }
    guard let reply = observation.reply else { return "noReply" }
    if reply.info.label == 0 { return "ok" }
    // The error's Swift case name (`deleteFirst`), in the same style as the other outcome names.
    guard let code = SeL4Error(rawValue: reply.info.label) else { return "label\(reply.info.label)" }
    return code.shortName.prefix(1).lowercased() + code.shortName.dropFirst()
  }
}

