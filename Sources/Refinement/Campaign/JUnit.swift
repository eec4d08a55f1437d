// A JUnit XML report of a campaign, for CI systems that show test results.

/// JUnit XML for `report`: one testsuite with a testcase for the batch of traces run (passing
/// unless a trace failed) and a testcase per violation, whose failure carries the failure's
/// step, layer, relation or invariant, explanation and diff.
public func junitXML(_ report: CampaignReport, suiteName: String = "refine-check") -> String {
  func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
      default:
        // XML 1.0 forbids other control characters.
        if scalar.value < 0x20 { out += "?" } else { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }
  let shardText = report.shard.map { " shard \($0)" } ?? ""
  let batch = "seed \(report.seed)\(shardText): \(report.traces) traces, \(report.steps) steps"
  let failures = report.violations.count
  var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  xml += "<testsuites tests=\"\(1 + failures)\" failures=\"\(failures)\" time=\"\(report.seconds)\">\n"
  xml +=
    "  <testsuite name=\"\(escape(suiteName + shardText))\" tests=\"\(1 + failures)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(report.seconds)\">\n"
  xml += "    <testcase classname=\"refine-check.campaign\" name=\"\(escape(batch))\" time=\"\(report.seconds)\">\n"
  if failures > 0 {
    xml +=
      "      <failure message=\"\(failures) of \(report.traces) traces violated a relation or invariant\" type=\"violation\"/>\n"
  }
  xml += "    </testcase>\n"
  for v in report.violations {
    let f = v.shrunk?.failure ?? v.failure
    let index = v.traceIndex.map { "trace \($0) " } ?? ""
    let name = "\(index)(seed \(v.traceSeed))"
    var message = "step \(f.step): \(f.kind.rawValue)"
    if let layer = f.layer { message += " in \(layer)" }
    message += " \(f.name): \(f.explanation)"
    var body = f.description
    if let shrunk = v.shrunk { body += "\n\nshrunk from \(v.events.count) to \(shrunk.events.count) events" }
    if let file = v.traceFile { body += "\nreplay: swift run refine-check replay \(file)" }
    xml += "    <testcase classname=\"refine-check.violation\" name=\"\(escape(name))\" time=\"0\">\n"
    xml +=
      "      <failure message=\"\(escape(message))\" type=\"\(escape(f.kind.rawValue))\">\(escape(body))</failure>\n"
    xml += "    </testcase>\n"
  }
  xml += "  </testsuite>\n</testsuites>\n"
  return xml
}
