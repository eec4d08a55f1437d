// The JSON text of an authority report, written directly in pieces. JSONEncoder builds the whole
// document as a tree of boxed values (and then one Data, and printJSON one String) before a byte
// reaches stdout; for the 199,000 edges of a ring of 200 threads that tree alone was gigabytes.

extension AuthorityReport {
  /// The report as JSON text (format 2, `docs/authority.md`), handed to `write` in pieces of
  /// about `chunk` bytes, so the text is never held whole. One node, step, gain, path or edge per
  /// line, keys in the documented order; `JSONDecoder` reads it back into an equal report.
  public func writeJSON(chunk: Int = 1 << 16, to write: ([UInt8]) -> Void) {
    var out = JSONText()
    out.bytes.reserveCapacity(chunk + 4096)
    func flush(force: Bool = false) {
      guard force ? !out.bytes.isEmpty : out.bytes.count >= chunk else { return }
      write(out.bytes)
      out.bytes.removeAll(keepingCapacity: true)
    }
    /// `"name": [` then one entry a line, then `]`.
    func table<T>(_ name: StaticString, _ items: [T], _ entry: (inout JSONText, T) -> Void) {
      out.raw("  \"")
      out.raw(name)
      out.raw("\": [")
      for (i, item) in items.enumerated() {
        out.raw(i == 0 ? "\n    " : ",\n    ")
        entry(&out, item)
        flush()
      }
      out.raw(items.isEmpty ? "],\n" : "\n  ],\n")
    }

    out.raw("{\n  \"formatVersion\": ")
    out.int(formatVersion)
    out.raw(",\n  \"file\": ")
    out.string(file)
    out.raw(",\n")
    table("nodes", nodes) { o, n in
      o.key("name", first: true)
      o.string(n.name)
      o.key("outgoing")
      o.int(n.outgoing)
      o.key("incoming")
      o.int(n.incoming)
      o.raw("}")
    }
    table("steps", steps) { o, s in
      o.key("container", first: true)
      o.string(s.container)
      o.key("slot")
      o.int(s.slot)
      if let name = s.slotName {
        o.key("slotName")
        o.string(name)
      }
      o.key("target")
      o.string(s.target)
      o.key("targetType")
      o.string(s.targetType)
      o.key("rights")
      o.string(s.rights)
      o.key("badge")
      o.int(s.badge)
      if let kind = s.replyKind {
        o.key("replyKind")
        o.string(kind)
      }
      o.raw("}")
    }
    table("gains", gains) { o, g in
      o.key("from", first: true)
      o.string(g.from)
      o.key("to")
      o.string(g.to)
      o.key("kind")
      o.string(g.kind.rawValue)
      o.key("via")
      o.ints(g.via)
      o.raw("}")
    }
    table("paths", paths) { o, p in
      o.key("origin", first: true)
      o.string(p.origin)
      o.key("steps")
      o.ints(p.steps)
      o.key("gains")
      o.ints(p.gains)
      o.raw("}")
    }
    table("edges", edges) { o, e in
      o.key("from", first: true)
      o.string(e.from)
      o.key("kind")
      o.string(e.kind.rawValue)
      o.key("to")
      o.string(e.to)
      o.key("object")
      o.string(e.object)
      o.key("path")
      o.int(e.path)
      if let peer = e.peer {
        o.key("peer")
        o.int(peer)
      }
      o.key("otherPaths")
      o.int(e.otherPaths)
      o.key("derived")
      o.raw(e.derived ? "true" : "false")
      o.raw("}")
    }
    if let policy {
      out.raw("  \"policy\": ")
      out.key("file", first: true)
      out.string(policy.file)
      out.key("passed")
      out.raw(policy.passed ? "true" : "false")
      out.key("violations")
      out.ints(policy.violations)
      out.raw("}\n")
    } else {
      // The last table's ",\n" becomes "\n".
      out.bytes.removeLast(2)
      out.raw("\n")
    }
    out.raw("}\n")
    flush(force: true)
  }

  /// The whole JSON text (`writeJSON`), for small reports and tests.
  public var json: String {
    var bytes: [UInt8] = []
    writeJSON { bytes += $0 }
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// JSON text as UTF-8 bytes: strings escaped as RFC 8259 requires, integers in decimal.
struct JSONText {
  var bytes: [UInt8] = []

  mutating func raw(_ s: StaticString) {
    s.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// `{"key":` when `first`, else `,"key":`.
  mutating func key(_ name: StaticString, first: Bool = false) {
    raw(first ? "{\"" : ",\"")
    raw(name)
    raw("\":")
  }

  mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"):
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(b)
      case 0x0A: raw("\\n")
      case 0x0D: raw("\\r")
      case 0x09: raw("\\t")
      case 0..<0x20:
        raw("\\u00")
        for digit in [b >> 4, b & 15] {
          bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
      default: bytes.append(b)
      }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func int(_ v: some BinaryInteger) {
    if v < 0 { bytes.append(UInt8(ascii: "-")) }
    // Least significant digit first, then turned around in place: no buffer per number.
    var magnitude = v.magnitude
    let start = bytes.count
    repeat {
      bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
      magnitude /= 10
    } while magnitude > 0
    bytes[start...].reverse()
  }

  /// `[1,2,3]`
  mutating func ints(_ values: [Int]) {
    bytes.append(UInt8(ascii: "["))
    for (i, v) in values.enumerated() {
      if i > 0 { bytes.append(UInt8(ascii: ",")) }
      int(v)
    }
    bytes.append(UInt8(ascii: "]"))
  }
}
