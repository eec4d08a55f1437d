// The HTML trace report: per-step states from a replay, escaping, size, and a real headless
// browser rendering the report of a planted-bug trace.

import Foundation
import KernelABI
import Refinement
import Report
import Testing

/// Chromium on PATH (or at /usr/bin/chromium), if any.
let chromium: String? = {
  var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
  dirs.append("/usr/bin")
  for dir in dirs {
    for name in ["chromium", "google-chrome"] {
      let path = dir + "/" + name
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
  }
  return nil
}()

@Suite struct HTMLReportTests {
  @Test func escapingCoversTheFiveCharacters() {
    #expect(htmlEscape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
  }

  @Test func theTimelineHasEveryStepUpToTheFailure() throws {
    let trace = try #require(plantedTrace)
    let timeline = TraceTimeline(trace: trace, plan: .sample, file: "t.json")
    #expect(timeline.outcome == "reproduced")
    #expect(timeline.steps.count == trace.expected.step + 1)
    #expect(timeline.steps.last?.failure?.name == trace.expected.name)
    #expect(timeline.failure?.diff?.contains("// ") == true, "the diff names objects from the plan")
    #expect(timeline.initial.count == 3 && timeline.initial.allSatisfy { !$0.isEmpty })
    // Names from the plan, not addresses.
    #expect(timeline.initial[0].contains { $0.label == "root_cnode" || $0.label.hasPrefix("slot(root_cnode, ") })
    // Every step after the first changed something somewhere (each is a successful CNode call).
    #expect(timeline.steps.dropFirst().contains { $0.changes.contains { !$0.isEmpty } })
  }

  /// A trace whose system breaks an invariant before any event: a notification placed inside the
  /// endpoint, which every layer places where it is told.
  func brokenSystemTrace() throws -> (TraceFile, SystemPlan) {
    var plan = SystemPlan.sample
    let endpoint = try #require(plan.objects.first { $0.name == "ep" }).address
    plan.objects.append(.init(name: "misplaced", address: endpoint &+ 8, kind: .notification))
    let trace = TraceFile(
      system: .init(path: "builtin", plan: plan), seed: 0, traceSeed: nil, traceIndex: nil, originalLength: nil,
      events: [], expected: .init(kind: .invariant, name: "pspace_aligned", step: 0, layer: "AbstractSpec"))
    return (trace, plan)
  }

  @Test func anInvariantBrokenAtStepZeroIsShownThere() throws {
    let (trace, plan) = try brokenSystemTrace()
    let timeline = TraceTimeline(trace: trace, plan: plan, file: "broken-system.json")
    #expect(timeline.steps.count == 1)
    let failure = try #require(timeline.steps[0].failure)
    #expect(failure.kind == "invariant" && failure.layer == "AbstractSpec")
    #expect(failure.name == "pspace_aligned")
    #expect(failure.explanation.contains(hex(plan.objects.last?.address ?? 0)))
    #expect(timeline.outcome == "reproduced")
    // The misplaced object is listed by its name in every layer's dump.
    #expect(timeline.initial.allSatisfy { lines in lines.contains { $0.label == "misplaced" } })
  }

  @Test func textFromTheTraceCannotInjectMarkup() throws {
    var trace = try #require(plantedTrace)
    let evil = "</script><script>alert(1)</script><b>x</b>&amp;"
    trace.system.path = evil
    let timeline = TraceTimeline(trace: trace, plan: .sample, file: "<img src=x onerror=alert(2)>.json")
    let html = try timeline.html()
    #expect(!html.contains("</script><script>alert(1)"))
    #expect(!html.contains("<img src=x"))
    #expect(!html.contains("<b>x</b>"))
    #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;.json"))
    // Exactly the page's own three script elements.
    #expect(html.components(separatedBy: "<script").count - 1 == 3)
    #expect(html.components(separatedBy: "</script>").count - 1 == 3)
  }

  @Test func aHundredStepReportStaysSmallAndOffline() throws {
    // A passing trace of 100 events from the campaign's generator.
    let result = runTrace(plan: .sample, seed: 42, length: 100)
    #expect(result.failure == nil)
    let trace = TraceFile(
      system: .init(path: "builtin", plan: .sample), seed: 42, traceSeed: 42, traceIndex: 0, originalLength: nil,
      events: result.events, expected: .init(kind: .r1, name: "none", step: 0, layer: nil))
    let timeline = TraceTimeline(trace: trace, plan: .sample, file: "passing.json")
    #expect(timeline.outcome == "passes")
    #expect(timeline.steps.count == result.events.count + 1)
    let html = try timeline.html()
    #expect(html.utf8.count < 250_000, "\(html.utf8.count) bytes for \(result.events.count) steps")
    // Nothing is fetched: no external URLs in src/href attributes, no @import or url().
    for forbidden in ["src=\"http", "href=\"http", "@import", "url(", "<link"] {
      #expect(!html.contains(forbidden), "found \(forbidden)")
    }
    #expect(html.contains("Content-Security-Policy"))
  }

  @Test(
    "the report renders in headless Chromium, shows the failing step, and logs no errors",
    .enabled(if: chromium != nil, "chromium is not installed (apt-get install chromium): browser test skipped"))
  func rendersInHeadlessChromium() throws {
    let browser = try #require(chromium)
    let trace = try #require(plantedTrace)
    let timeline = TraceTimeline(trace: trace, plan: .sample, file: "planted.json")
    let folder = try temporaryDirectory("html")
    defer { try? FileManager.default.removeItem(at: folder) }
    let page = folder.appendingPathComponent("report.html")
    try Data(try timeline.html().utf8).write(to: page)

    let (dom, log) = try runBrowser(browser, ["--dump-dom", page.absoluteString], folder: folder)
    // The script ran: it marks the body and built the step view from the embedded JSON.
    #expect(dom.contains(#"data-rendered="true""#), "the page's script did not finish")
    #expect(!dom.contains("data-errors="), "script errors: \(dom)")
    #expect(!dom.contains(#"class="js-error""#))
    let step = trace.expected.step
    #expect(dom.contains("Step \(step) of \(step) (failing)"))
    #expect(dom.contains("id=\"failure\""))
    #expect(dom.contains(trace.expected.name.replacingOccurrences(of: ">", with: "&gt;")))
    #expect(dom.contains("FAILS: " + trace.expected.name.replacingOccurrences(of: ">", with: "&gt;")))
    // No console errors (Chromium logs page console messages as CONSOLE lines).
    let consoleLines = log.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
    #expect(consoleLines.isEmpty, "\(consoleLines)")

    // An invariant broken in the initial state: shown at step 0, under the invariant's name.
    let (broken, plan) = try brokenSystemTrace()
    let second = folder.appendingPathComponent("invariant.html")
    try Data(try TraceTimeline(trace: broken, plan: plan, file: "broken.json").html().utf8).write(to: second)
    let (dom2, log2) = try runBrowser(browser, ["--dump-dom", second.absoluteString], folder: folder)
    #expect(dom2.contains(#"data-rendered="true""#))
    #expect(dom2.contains("Step 0 of 0: the initial state"))
    #expect(dom2.contains("Invariant broken: pspace_aligned"))
    #expect(dom2.contains("invariant of AbstractSpec"))
    #expect(!log2.contains("CONSOLE") && !log2.contains("Uncaught"))
  }

  @Test(
    "the browser test can fail: a page with a script error is caught",
    .enabled(if: chromium != nil, "chromium is not installed: browser test skipped"))
  func aBrokenPageIsCaught() throws {
    let browser = try #require(chromium)
    let trace = try #require(plantedTrace)
    let folder = try temporaryDirectory("broken")
    defer { try? FileManager.default.removeItem(at: folder) }
    let page = folder.appendingPathComponent("broken.html")
    // Break the page's script: the renderer calls a function that does not exist.
    let html = try TraceTimeline(trace: trace, plan: .sample, file: "t.json").html()
      .replacingOccurrences(of: "var steps = data.steps;", with: "var steps = data.steps; noSuchFunction();")
    try Data(html.utf8).write(to: page)
    let (dom, _) = try runBrowser(browser, ["--dump-dom", page.absoluteString], folder: folder)
    #expect(dom.contains("data-errors=\"1\""))
    #expect(!dom.contains(#"data-rendered="true""#))
  }

  /// Run headless Chromium with `arguments`; its standard output and its log.
  func runBrowser(_ browser: String, _ arguments: [String], folder: URL) throws -> (String, String) {
    let out = folder.appendingPathComponent("stdout.txt")
    let err = folder.appendingPathComponent("stderr.txt")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: browser)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + folder.appendingPathComponent("profile").path,
      ] + arguments
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    // A guard, not a wait: a browser that hangs is stopped after two minutes and the test fails.
    let running = process
    DispatchQueue.global().asyncAfter(deadline: .now() + 120) { if running.isRunning { running.terminate() } }
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "chromium exited \(process.terminationStatus)")
    return (try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
  }
}
