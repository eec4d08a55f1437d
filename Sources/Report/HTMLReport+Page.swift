// The trace report page's style sheet and script (see `HTMLReport.swift`). The script reads the
// embedded trace JSON, rebuilds every step's state of each layer from the first dump and the
// per-step changes, and draws the timeline and the selected step with DOM calls only.

extension TraceTimeline {
  static let css = #"""
    :root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee8; --bg: #f6f7fa; --bad: #b42318; --badbg: #fdecea;
            --chg: #fff3c4; --add: #dcf5e3; --del: #fbe0e0; --sel: #2f5bd3; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
    header { padding: 14px 20px 10px; background: #fff; border-bottom: 1px solid var(--line); }
    h1 { margin: 0; font-size: 18px; }
    .sub { margin: 4px 0 0; color: var(--muted); }
    .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; margin-left: 6px; }
    .pill.bad { background: var(--badbg); color: var(--bad); }
    .pill.ok { background: var(--add); color: #17603a; }
    #errors { margin: 10px 20px; padding: 8px 12px; border: 1px solid var(--bad); background: var(--badbg); color: var(--bad); }
    #failure-banner:empty { display: none; }
    #failure-banner { margin: 12px 20px 0; padding: 10px 14px; border-left: 4px solid var(--bad); background: #fff; }
    #failure-banner a { color: var(--bad); font-weight: 600; cursor: pointer; }
    main { display: grid; grid-template-columns: 300px minmax(0, 1fr); gap: 16px; padding: 12px 20px 24px; }
    nav { background: #fff; border: 1px solid var(--line); border-radius: 6px; max-height: calc(100vh - 140px); overflow: auto; position: sticky; top: 12px; }
    nav button { display: block; width: 100%; text-align: left; border: 0; border-bottom: 1px solid var(--line); background: none; padding: 6px 10px; font: inherit; cursor: pointer; color: inherit; }
    nav button:hover { background: #eef2fb; }
    nav button.selected { background: #e3eafc; box-shadow: inset 3px 0 0 var(--sel); }
    nav button.failing { color: var(--bad); }
    nav button.failing .n { background: var(--bad); color: #fff; }
    nav .n { display: inline-block; min-width: 28px; padding: 0 5px; margin-right: 6px; border-radius: 4px; background: #e8ebf1; text-align: center; font-size: 12px; }
    nav .ev { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; overflow-wrap: anywhere; }
    nav .meta { display: block; color: var(--muted); font-size: 12px; margin-left: 40px; }
    section { min-width: 0; }
    .card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 12px; }
    .card h2 { margin: 0 0 6px; font-size: 16px; }
    .card h3 { margin: 0 0 6px; font-size: 14px; }
    .kv { display: grid; grid-template-columns: 90px minmax(0, 1fr); gap: 2px 10px; }
    .kv dt { color: var(--muted); }
    .kv dd { margin: 0; overflow-wrap: anywhere; }
    code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
    .failure { border-color: var(--bad); border-left: 4px solid var(--bad); }
    .failure h2 { color: var(--bad); }
    pre.diff { background: #fafbfc; border: 1px solid var(--line); padding: 8px; overflow: auto; max-height: 360px; margin: 8px 0 0; }
    pre.diff .minus { background: var(--del); display: block; }
    pre.diff .plus { background: var(--add); display: block; }
    .layers { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; }
    .layer { padding: 10px; }
    .layer table { border-collapse: collapse; width: 100%; table-layout: fixed; }
    .layer td { border-top: 1px solid #eef0f4; padding: 2px 4px; vertical-align: top; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
    .layer td.label { width: 36%; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .layer tr.changed td { background: var(--chg); }
    .layer tr.added td { background: var(--add); }
    .layer tr.removed td { background: var(--del); text-decoration: line-through; }
    .layer .count { color: var(--muted); font-weight: normal; font-size: 12px; }
    .toolbar { display: flex; gap: 14px; align-items: center; color: var(--muted); margin-bottom: 8px; }
    .toolbar button { font: inherit; padding: 2px 10px; cursor: pointer; }
    .legend span { padding: 0 6px; border-radius: 3px; margin-right: 4px; }
    @media (max-width: 1100px) { .layers { grid-template-columns: 1fr; } main { grid-template-columns: 220px minmax(0, 1fr); } }
    """#

  static let script = #"""
    "use strict";
    (function () {
      var data = JSON.parse(document.getElementById("trace-data").textContent);
      var steps = data.steps;

      // The full state of every layer at every step, rebuilt from the first dump and the deltas.
      var states = [];
      var current = data.initial.map(function (lines) {
        var m = new Map();
        lines.forEach(function (l) { m.set(l.key, l); });
        return m;
      });
      steps.forEach(function (step) {
        if (step.index > 0) {
          current = current.map(function (m, layer) {
            var next = new Map(m);
            var d = step.changes[layer];
            d.removed.forEach(function (k) { next.delete(k); });
            d.lines.forEach(function (l) { next.set(l.key, l); });
            return next;
          });
        }
        states.push(current);
      });

      function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) e.className = cls;
        if (text !== undefined && text !== null) e.textContent = String(text);
        return e;
      }
      function changedCount(step) {
        return step.changes.reduce(function (n, d) { return n + d.lines.length + d.removed.length; }, 0);
      }

      // Summary line and failure banner.
      var summary = document.getElementById("summary");
      var parts = ["system " + data.system, "seed " + data.seed];
      if (data.traceSeed !== undefined) parts.push("trace seed " + data.traceSeed);
      var events = steps.length - 1 + data.eventsAfterFailure;
      parts.push(events + " events" + (data.originalLength ? " (shrunk from " + data.originalLength + ")" : ""));
      if (data.plantedBug) parts.push("test only: planted bug " + data.plantedBug);
      summary.appendChild(document.createTextNode(parts.join(" \u00b7 ")));
      var pill = el("span", "pill " + (data.failure ? "bad" : "ok"), data.outcome);
      summary.appendChild(pill);

      var failingIndex = -1;
      steps.forEach(function (s, i) { if (s.failure && failingIndex < 0) failingIndex = i; });
      if (data.failure) {
        var banner = document.getElementById("failure-banner");
        var f = data.failure;
        banner.appendChild(el("strong", null, (f.kind === "invariant" ? "Invariant " : "Relation ") + f.name + " broken "));
        var link = el("a", null, "at step " + f.step);
        link.href = "#step-" + failingIndex;
        banner.appendChild(link);
        banner.appendChild(document.createTextNode(" \u2014 " + f.between + ". Expected by the trace file: " + data.expected + "."));
      }

      // The timeline.
      var nav = document.getElementById("timeline");
      var buttons = steps.map(function (s, i) {
        var b = el("button");
        b.type = "button";
        b.id = "step-button-" + i;
        b.appendChild(el("span", "n", i));
        b.appendChild(el("span", "ev", i === 0 ? "initial state" : (s.summary || s.event)));
        b.title = i === 0 ? "the initial state" : s.event;
        var meta = [];
        if (s.outcome) meta.push(s.outcome);
        var n = changedCount(s);
        if (i > 0) meta.push(n + " line" + (n === 1 ? "" : "s") + " changed");
        if (s.failure) { b.classList.add("failing"); meta.push("FAILS: " + s.failure.name); }
        if (meta.length) b.appendChild(el("span", "meta", meta.join(" \u00b7 ")));
        b.addEventListener("click", function () { show(i); });
        nav.appendChild(b);
        return b;
      });

      var onlyChanged = false;
      var selected = 0;

      function layerCard(i, layer) {
        var card = el("div", "card layer");
        var step = steps[i];
        var delta = step.changes[layer];
        var before = i > 0 ? states[i - 1][layer] : null;
        var setKeys = new Set(delta.lines.map(function (l) { return l.key; }));
        var n = delta.lines.length + delta.removed.length;
        var h = el("h3", null, data.layers[layer] + " ");
        h.appendChild(el("span", "count", i === 0 ? "(" + states[i][layer].size + " lines)" : "(" + n + " changed)"));
        card.appendChild(h);
        var rows = [];
        states[i][layer].forEach(function (line, key) {
          var cls = "";
          if (i > 0 && setKeys.has(key)) cls = before && before.has(key) ? "changed" : "added";
          rows.push({ key: key, line: line, cls: cls });
        });
        delta.removed.forEach(function (key) {
          var old = before && before.get(key);
          if (old) rows.push({ key: key, line: old, cls: "removed" });
        });
        rows.sort(function (a, b) { return a.key < b.key ? -1 : a.key > b.key ? 1 : 0; });
        var table = el("table");
        rows.forEach(function (r) {
          if (onlyChanged && !r.cls) return;
          var tr = el("tr", r.cls);
          tr.appendChild(el("td", "label", r.line.label));
          tr.appendChild(el("td", null, r.line.text));
          table.appendChild(tr);
        });
        card.appendChild(table);
        return card;
      }

      function failureCard(f) {
        var card = el("div", "card failure");
        card.id = "failure";
        card.appendChild(el("h2", null, (f.kind === "invariant" ? "Invariant broken: " : f.kind + " broken: ") + f.name));
        var kv = el("dl", "kv");
        function row(k, v) { if (v === undefined || v === null) return; kv.appendChild(el("dt", null, k)); kv.appendChild(el("dd", null, v)); }
        row("check", f.kind + " " + f.name);
        row("between", f.between);
        row("layer", f.layer);
        row("step", f.step);
        row("why", f.explanation);
        card.appendChild(kv);
        if (f.diff) {
          var pre = el("pre", "diff");
          f.diff.split("\n").forEach(function (line) {
            var t = line.replace(/^\s+/, "");
            var cls = t.charAt(0) === "-" && !t.startsWith("---") ? "minus" : t.charAt(0) === "+" && !t.startsWith("+++") ? "plus" : null;
            var span = el("span", cls, line + "\n");
            pre.appendChild(span);
          });
          card.appendChild(pre);
          // Scroll the diff to its first changed line once it is on screen.
          setTimeout(function () {
            var first = pre.querySelector(".minus, .plus");
            if (first) pre.scrollTop = Math.max(0, first.offsetTop - pre.offsetTop - 60);
          }, 0);
        }
        return card;
      }

      function show(i) {
        if (i < 0 || i >= steps.length) return;
        selected = i;
        buttons.forEach(function (b, j) { b.classList.toggle("selected", j === i); });
        var step = steps[i];
        var detail = document.getElementById("detail");
        detail.textContent = "";
        var head = el("div", "card");
        head.id = "step-head";
        head.appendChild(el("h2", null, i === 0 ? "Step 0 of " + (steps.length - 1) + ": the initial state"
          : "Step " + i + " of " + (steps.length - 1) + (step.failure ? " (failing)" : "")));
        var kv = el("dl", "kv");
        function row(k, v) { if (v === undefined || v === null) return; kv.appendChild(el("dt", null, k)); kv.appendChild(el("dd", "mono", v)); }
        row("event", step.event || "none: the state the system description builds");
        row("caller", step.caller);
        row("outcome", step.outcome);
        row("result", step.result);
        head.appendChild(kv);
        detail.appendChild(head);
        if (step.failure) detail.appendChild(failureCard(step.failure));
        var bar = el("div", "toolbar");
        var prev = el("button", null, "\u2190 previous");
        prev.type = "button";
        prev.disabled = i === 0;
        prev.addEventListener("click", function () { show(i - 1); });
        var next = el("button", null, "next \u2192");
        next.type = "button";
        next.disabled = i === steps.length - 1;
        next.addEventListener("click", function () { show(i + 1); });
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.checked = onlyChanged;
        box.addEventListener("change", function () { onlyChanged = box.checked; show(selected); });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" only changed lines"));
        var legend = el("span", "legend");
        legend.appendChild(el("span", null, "changed")).style.background = "var(--chg)";
        legend.appendChild(el("span", null, "added")).style.background = "var(--add)";
        legend.appendChild(el("span", null, "removed")).style.background = "var(--del)";
        [prev, next, label, legend].forEach(function (x) { bar.appendChild(x); });
        detail.appendChild(bar);
        var grid = el("div", "layers");
        data.layers.forEach(function (_, layer) { grid.appendChild(layerCard(i, layer)); });
        detail.appendChild(grid);
        try {
          if (location.hash !== "#step-" + i) history.replaceState(null, "", "#step-" + i);
        } catch (ignored) {
          // Some browsers refuse to rewrite the address of a local file; the view works without it.
        }
      }

      document.addEventListener("keydown", function (e) {
        if (e.target && e.target.tagName === "INPUT") return;
        if (e.key === "ArrowDown" || e.key === "ArrowRight" || e.key === "j") { show(selected + 1); e.preventDefault(); }
        if (e.key === "ArrowUp" || e.key === "ArrowLeft" || e.key === "k") { show(selected - 1); e.preventDefault(); }
      });
      window.addEventListener("hashchange", function () {
        var m = /^#step-(\d+)$/.exec(location.hash);
        if (m) show(Number(m[1]));
      });
      var fromHash = /^#step-(\d+)$/.exec(location.hash);
      show(fromHash ? Number(fromHash[1]) : failingIndex >= 0 ? failingIndex : steps.length - 1);
      document.body.setAttribute("data-rendered", "true");
    })();
    """#
}
