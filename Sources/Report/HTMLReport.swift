// The self-contained HTML trace report (`refine-check report --html FILE TRACE.json`).
//
// One file, no network: inline CSS and JavaScript, system fonts, and a Content-Security-Policy that
// forbids loading anything. The timeline's data is embedded as JSON in a non-executing script
// element; the page's script builds the timeline and the step view from it with DOM calls and
// `textContent` only, so no text from a trace is ever parsed as HTML. The few static texts are
// escaped here.

import Foundation

/// Escape `text` for HTML element content and attribute values.
public func htmlEscape(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for c in text.unicodeScalars {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.unicodeScalars.append(c)
    }
  }
  return out
}

/// JSON text made safe to sit inside a `<script>` element: no `<`, `>` or `&` (so no `</script>`
/// or `<!--`), and no line or paragraph separators; each becomes its `\u` escape, which JSON reads
/// back as the same character.
func scriptSafeJSON(_ json: String) -> String {
  var out = ""
  out.reserveCapacity(json.utf8.count)
  for c in json.unicodeScalars {
    switch c {
    case "<": out += "\\u003c"
    case ">": out += "\\u003e"
    case "&": out += "\\u0026"
    case "\u{2028}": out += "\\u2028"
    case "\u{2029}": out += "\\u2029"
    default: out.unicodeScalars.append(c)
    }
  }
  return out
}

extension TraceTimeline {
  /// The whole HTML page.
  public func html() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = String(decoding: try encoder.encode(self), as: UTF8.self)
    return #"""
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\#(htmlEscape(title)) - refine-check</title>
      <script>
      "use strict";
      // Errors are written into the page, so that a headless browser's DOM dump shows them.
      window.reportErrors = 0;
      window.addEventListener("error", function (e) {
        window.reportErrors += 1;
        document.documentElement.setAttribute("data-errors", String(window.reportErrors));
        var box = document.getElementById("errors");
        if (box) {
          var p = document.createElement("p");
          p.className = "js-error";
          p.textContent = "Script error: " + e.message;
          box.appendChild(p);
          box.hidden = false;
        }
      });
      </script>
      <style>
      \#(Self.css)
      </style>
      </head>
      <body>
      <header>
        <h1>\#(htmlEscape(title))</h1>
        <p id="summary" class="sub"></p>
      </header>
      <div id="errors" hidden></div>
      <noscript><p class="noscript">This report draws its timeline with JavaScript; the trace data is in the element with id "trace-data".</p></noscript>
      <div id="failure-banner"></div>
      <main>
        <nav id="timeline" aria-label="Steps"></nav>
        <section id="detail" aria-live="polite"></section>
      </main>
      <script type="application/json" id="trace-data">\#(scriptSafeJSON(json))</script>
      <script>
      \#(Self.script)
      </script>
      </body>
      </html>

      """#
  }
}
