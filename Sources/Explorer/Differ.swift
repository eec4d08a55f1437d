// A structural comparison of two values of the same type, leaf by leaf, with paths a person can
// read: `ksPSpace[root_cnode].cnode.ctes[20].cap`. Dictionaries are compared by key (not in hash
// order), sets by element, and capabilities and slots are compared and shown whole, by name.

import KernelABI

/// One place where two values differ.
struct Difference: Hashable {
  var path: String
  var left: String
  var right: String
}

struct Differ {
  let naming: Naming
  /// Stop after this many differences.
  var limit = 60

  func differences(_ a: Any, _ b: Any) -> [Difference] {
    var found: [Difference] = []
    walk(a, b, path: "", into: &found)
    return found
  }

  func render(_ value: Any, label: String? = nil) -> String {
    if let c = value as? Capability { return naming.cap(c) }
    if let s = value as? SlotRef { return naming.slot(s) }
    let m = Mirror(reflecting: value)
    if m.displayStyle == .optional {
      guard let child = m.children.first else { return "nil" }
      return render(child.value, label: label)
    }
    if let n = value as? UInt64, let label, ["currentThread", "ksCurThread", "container"].contains(label) {
      return naming.name(of: n)
    }
    return "\(value)"
  }

  /// A dictionary key; `UInt64` keys are object addresses only in the heaps.
  func renderKey(_ key: Any, dictionary: String?) -> String {
    if let n = key as? UInt64, let dictionary, ["kheap", "ksPSpace", "objects"].contains(dictionary) {
      return naming.name(of: n)
    }
    if let s = key as? SlotRef { return naming.slot(s) }
    return "\(key)"
  }

  func equal(_ a: Any, _ b: Any) -> Bool? {
    guard let x = a as? any Hashable, let y = b as? any Hashable else { return nil }
    return AnyHashable(x) == AnyHashable(y)
  }

  func walk(_ a: Any, _ b: Any, path: String, into found: inout [Difference]) {
    guard found.count < limit else { return }
    if equal(a, b) == true { return }
    let label = path.split(separator: ".").last.map(String.init)
    func leaf() {
      found.append(
        Difference(path: path.isEmpty ? "(value)" : path, left: render(a, label: label), right: render(b, label: label))
      )
    }
    if a is Capability || a is SlotRef { return leaf() }
    let ma = Mirror(reflecting: a)
    let mb = Mirror(reflecting: b)
    switch ma.displayStyle {
    case .optional?:
      guard let x = ma.children.first?.value, let y = mb.children.first?.value else { return leaf() }
      walk(x, y, path: path, into: &found)
    case .dictionary?:
      func entries(_ m: Mirror) -> [String: (key: Any, value: Any)] {
        var result: [String: (key: Any, value: Any)] = [:]
        for child in m.children {
          let pair = Array(Mirror(reflecting: child.value).children)
          guard pair.count == 2 else { continue }
          result["\(pair[0].value)"] = (pair[0].value, pair[1].value)
        }
        return result
      }
      let x = entries(ma)
      let y = entries(mb)
      let keys = Set(x.keys).union(y.keys).sorted { ($0.count, $0) < ($1.count, $1) }
      for key in keys {
        let shownKey = renderKey((x[key] ?? y[key])?.key ?? key, dictionary: label)
        let sub = "\(path)[\(shownKey)]"
        switch (x[key], y[key]) {
        case (let l?, let r?): walk(l.value, r.value, path: sub, into: &found)
        case (let l?, nil): found.append(Difference(path: sub, left: render(l.value), right: "(absent)"))
        case (nil, let r?): found.append(Difference(path: sub, left: "(absent)", right: render(r.value)))
        case (nil, nil): break
        }
        if found.count >= limit { return }
      }
    case .set?:
      let x = Dictionary(ma.children.map { ("\($0.value)", $0.value) }, uniquingKeysWith: { l, _ in l })
      let y = Dictionary(mb.children.map { ("\($0.value)", $0.value) }, uniquingKeysWith: { l, _ in l })
      for key in Set(x.keys).symmetricDifference(y.keys).sorted() {
        let element = (x[key] ?? y[key]).map { render($0) } ?? key
        found.append(
          Difference(
            path: "\(path) ∋ \(element)", left: x[key] == nil ? "absent" : "present",
            right: y[key] == nil ? "absent" : "present"))
      }
    case .collection?:
      let x = Array(ma.children)
      let y = Array(mb.children)
      for i in 0..<max(x.count, y.count) {
        let sub = "\(path)[\(i)]"
        if i < x.count && i < y.count {
          walk(x[i].value, y[i].value, path: sub, into: &found)
        } else {
          found.append(
            Difference(
              path: sub, left: i < x.count ? render(x[i].value) : "(absent)",
              right: i < y.count ? render(y[i].value) : "(absent)"))
        }
        if found.count >= limit { return }
      }
    case .enum?:
      let x = ma.children.first
      let y = mb.children.first
      guard let x, let y, x.label == y.label, let caseName = x.label else { return leaf() }
      walk(x.value, y.value, path: path + "." + caseName, into: &found)
    case .struct?, .class?, .tuple?:
      let x = Array(ma.children)
      let y = Array(mb.children)
      guard !x.isEmpty, x.count == y.count else { return leaf() }
      for (i, (l, r)) in zip(x, y).enumerated() {
        let name = l.label ?? "\(i)"
        walk(l.value, r.value, path: path.isEmpty ? name : path + "." + name, into: &found)
        if found.count >= limit { return }
      }
    default:
      if "\(a)" != "\(b)" { leaf() }
    }
  }
}
