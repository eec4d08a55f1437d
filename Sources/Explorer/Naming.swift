// How the explorer names things: with the tools' shared describer (`Refinement.Describer`),
// so that a slot can be pasted into `do` and a cap or result into an `expect` line or a `->`.
// Addresses appear only for objects that have no name (made by retype during the trace). What
// only the explorer needs is here: reading names back out of a layer's own explanations.

public import Refinement

/// The explorer's name for the shared describer.
public typealias Naming = Describer

extension Describer {
  init(_ byName: [String: NamedObject]) { self.init(names: byName) }

  /// `text` (an explanation written by a layer) with slots `(0x…, i)` as `slot(NAME, i)` and
  /// named objects' addresses as their names.
  public func annotate(_ text: String) -> String {
    let slots = #/\(0x([0-9a-fA-F]+), ([0-9]+)\)/#
    var result = text.replacing(slots) { match in
      guard let address = UInt64(match.output.1, radix: 16), let name = nameIfAny(address) else {
        return String(match.output.0)
      }
      return "slot(\(name), \(match.output.2))"
    }
    let addresses = #/0x([0-9a-fA-F]+)/#
    result = result.replacing(addresses) { match in
      guard let address = UInt64(match.output.1, radix: 16), let name = nameIfAny(address) else {
        return String(match.output.0)
      }
      return name
    }
    return result
  }

  /// The names of objects, sorted: for hints. The idle thread's and its scheduling context's
  /// (`idle`, `idle_sc`) are among them unless the system uses those names.
  var objectNameList: [String] {
    let idle = Describer.idleNames.map(\.name).filter { names[$0] == nil }
    return (names.compactMap { if case .object = $0.value { $0.key } else { nil } } + idle).sorted()
  }
}
