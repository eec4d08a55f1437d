// Reading the campaign and exhaustive reports a trust report takes its tested evidence from.

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
  /// - Throws: `CampaignReportError` naming the field for JSON that is not a report, and for a
  ///   report with a figure no campaign writes (`implausibleField`).
  public static func read(_ data: Data, file: String) throws(CampaignReportError) -> CampaignReport {
    struct Wrapped: Decodable { var campaign: CampaignReport }
    let report: CampaignReport
    do {
      report = try JSONDecoder().decode(CampaignReport.self, from: data)
    } catch let direct {
      guard let wrapped = try? JSONDecoder().decode(Wrapped.self, from: data) else {
        let problem = JSONProblem(direct, decoding: CampaignReport.self, from: data)
        throw CampaignReportError(
          file: file,
          message: "not a campaign report (the --json output of check, merge or the default run): \(problem)")
      }
      report = wrapped.campaign
    }
    if let problem = report.implausibleField {
      throw CampaignReportError(file: file, message: "field \(problem); no campaign writes that")
    }
    return report
  }
}

extension ExhaustiveReport {
  /// The exhaustive report in `data`: the `--json` output of `check --exhaustive` (a report
  /// itself), or of the default run (a report under `exhaustive`). `file` names it in errors.
  /// - Throws: `CampaignReportError` naming the field for JSON that is not a report, and for a
  ///   report with a figure no exploration writes (`implausibleField`).
  public static func read(_ data: Data, file: String) throws(CampaignReportError) -> ExhaustiveReport {
    struct Wrapped: Decodable { var exhaustive: ExhaustiveReport }
    let report: ExhaustiveReport
    do {
      report = try JSONDecoder().decode(ExhaustiveReport.self, from: data)
    } catch let direct {
      guard let wrapped = try? JSONDecoder().decode(Wrapped.self, from: data) else {
        let problem = JSONProblem(direct, decoding: ExhaustiveReport.self, from: data)
        throw CampaignReportError(
          file: file,
          message:
            "not an exhaustive report (the --json output of check --exhaustive or the default run): \(problem)")
      }
      report = wrapped.exhaustive
    }
    if let problem = report.implausibleField {
      throw CampaignReportError(file: file, message: "field \(problem); no exploration writes that")
    }
    return report
  }
}
