// Reading the campaign report a trust report takes its tested evidence from.

public import Foundation
public import Refinement

/// A campaign report file that cannot be used: the file and why (exit 65 material).
public struct CampaignReportError: Error, Hashable, Sendable, CustomStringConvertible {
  public var file: String
  public var message: String

  public var description: String { "\(file): \(message)" }
}

extension CampaignReport {
  /// The campaign report in `data`: the `--json` output of `check` or `merge` (a report itself), or
  /// of the default run (a report under `campaign`). `file` names it in errors.
  public static func read(_ data: Data, file: String) throws(CampaignReportError) -> CampaignReport {
    struct Wrapped: Decodable { var campaign: CampaignReport }
    let report: CampaignReport
    do {
      report = try JSONDecoder().decode(CampaignReport.self, from: data)
    } catch let direct {
      guard let wrapped = try? JSONDecoder().decode(Wrapped.self, from: data) else {
        throw CampaignReportError(
          file: file,
          message:
            "not a campaign report (the --json output of check, merge or the default run): \(describeJSONError(direct))"
        )
      }
      report = wrapped.campaign
    }
    if let problem = report.implausibleField {
      throw CampaignReportError(file: file, message: "field \(problem); no campaign writes that")
    }
    return report
  }
}

/// One line for a JSON decoding error: the field path and what was wrong.
func describeJSONError(_ error: any Error) -> String {
  guard let error = error as? DecodingError else { return "not valid JSON" }
  func path(_ keys: [any CodingKey]) -> String {
    let p = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return p.isEmpty ? "top level" : "field " + String(p.drop { $0 == "." })
  }
  switch error {
  case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
  case .typeMismatch(_, let context), .valueNotFound(_, let context):
    return "\(path(context.codingPath)): \(context.debugDescription)"
  case .dataCorrupted(let context):
    return context.codingPath.isEmpty ? "not valid JSON" : "\(path(context.codingPath)): \(context.debugDescription)"
  @unknown default: return "\(error)"
  }
}

extension ExhaustiveReport {
  /// The exhaustive report in `data`: the `--json` output of `check --exhaustive` (a report
  /// itself), or of the default run (a report under `exhaustive`). `file` names it in errors.
  public static func read(_ data: Data, file: String) throws(CampaignReportError) -> ExhaustiveReport {
    struct Wrapped: Decodable { var exhaustive: ExhaustiveReport }
    let report: ExhaustiveReport
    do {
      report = try JSONDecoder().decode(ExhaustiveReport.self, from: data)
    } catch let direct {
      guard let wrapped = try? JSONDecoder().decode(Wrapped.self, from: data) else {
        throw CampaignReportError(
          file: file,
          message:
            "not an exhaustive report (the --json output of check --exhaustive or the default run): \(describeJSONError(direct))"
        )
      }
      report = wrapped.exhaustive
    }
    let problem: String? =
      if report.depth < 0 { "depth: \(report.depth) is negative" } else if report.states < 1 {
        "states: \(report.states) (the initial state counts, so at least 1)"
      } else if report.transitions < 0 {
        "transitions: \(report.transitions) is negative"
      } else if report.depthCompleted < 0 || report.depthCompleted > report.depth {
        "depthCompleted: \(report.depthCompleted) is outside 0...\(report.depth)"
      } else if report.complete && report.violation != nil { "complete: true beside a violation" } else { nil }
    if let problem { throw CampaignReportError(file: file, message: "field \(problem); no exploration writes that") }
    return report
  }
}
