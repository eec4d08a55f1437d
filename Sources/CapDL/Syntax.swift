// The syntax tree of a capDL file, before names are resolved (the tool's `CapDL/AST.hs`).
//
// Every node keeps the position of its first token so the model builder can report semantic
// errors (an undeclared name, a slot filled twice) where the construct was written.

/// One index range inside brackets.
enum RangeSyntax: Equatable {
  /// `x[i]`
  case only(UInt64)
  /// `x[a..b]`, inclusive, descending when a > b.
  case fromTo(UInt64, UInt64)
  /// `x[..b]`: 0 through b.
  case to(UInt64)
  /// `x[a..]`: a through the last element.
  case from(UInt64)
  /// `x[]`: every element.
  case all
}

/// A name with optional brackets: `x`, `x[3]`, `x[1..2, 5]`.
struct NameRefSyntax: Equatable {
  var name: String
  /// nil: no brackets.
  var ranges: [RangeSyntax]?
  var position: SourcePosition
}

/// An object parameter value as written.
enum ParamSyntaxValue: Equatable {
  case number(UInt64)
  case flag(Bool)
  case list([UInt64])
  case range(UInt64, UInt64)
  case pci(UInt64, UInt64, UInt64)
  case word(String)
  case fill([[String]])
}

struct ObjectParamSyntax: Equatable {
  /// `bits`, `size` (bytes, from `Nk`/`NM`), `pci`, or the keyword before the colon.
  var key: String
  var value: ParamSyntaxValue
  var position: SourcePosition
}

/// `a/b/c = type (params) { body }`
struct ObjectDeclSyntax: Equatable {
  var qualifiedName: [NameRefSyntax]
  var type: String
  var typePosition: SourcePosition
  var params: [ObjectParamSyntax]
  /// nil: no braces.
  var body: [UntypedMemberSyntax]?
  var position: SourcePosition
}

/// A member of an untyped's body: a nested declaration or a reference to an object.
indirect enum UntypedMemberSyntax: Equatable {
  case declaration(ObjectDeclSyntax)
  case reference(NameRefSyntax)
}

struct CapParamSyntax: Equatable {
  enum Value: Equatable {
    case rights(String)
    case masked(String)
    case guardValue(UInt64)
    case guardSize(UInt64)
    case badge(UInt64)
    case core(UInt64)
    case reply
    case masterReply
    case asid(UInt64, UInt64)
    case cached(Bool)
    case mapping(NameRefSyntax, UInt64)
  }

  var value: Value
  var position: SourcePosition
}

/// `(container, slot)` or a cap name.
enum SlotRefSyntax: Equatable {
  case explicit(NameRefSyntax, UInt64, SourcePosition)
  case named(NameRefSyntax)

  var position: SourcePosition {
    switch self {
    case .explicit(_, _, let p): p
    case .named(let n): n.position
    }
  }
}

/// One entry in a container's cap list.
struct CapMappingSyntax: Equatable {
  enum Source: Equatable {
    /// A cap to an object (or a reserved target such as `irq_control`).
    case target(NameRefSyntax)
    /// `<name>`: a copy of the named cap(s).
    case copy(NameRefSyntax)
  }

  var slot: UInt64?
  var name: NameRefSyntax?
  var source: Source
  var params: [CapParamSyntax]
  var parent: SlotRefSyntax?
  var position: SourcePosition
}

struct IRQMappingSyntax: Equatable {
  var slot: UInt64?
  var target: NameRefSyntax
  var position: SourcePosition
}

/// `parent { child child (nested) { ... } }`
struct CDTDeclSyntax: Equatable {
  var parent: SlotRefSyntax
  var children: [CDTChildSyntax]
}

indirect enum CDTChildSyntax: Equatable {
  case leaf(SlotRefSyntax)
  case subtree(CDTDeclSyntax)
}

enum DomainItemSyntax: Equatable {
  case schedule([(domain: UInt64, time: UInt64)], SourcePosition)
  case start(UInt64?, SourcePosition)
  case indexShift(UInt64, SourcePosition)

  static func == (a: DomainItemSyntax, b: DomainItemSyntax) -> Bool {
    switch (a, b) {
    case (.schedule(let x, let p), .schedule(let y, let q)):
      p == q && x.count == y.count && zip(x, y).allSatisfy { $0.domain == $1.domain && $0.time == $1.time }
    case (.start(let x, let p), .start(let y, let q)): x == y && p == q
    case (.indexShift(let x, let p), .indexShift(let y, let q)): x == y && p == q
    default: false
    }
  }
}

/// A top-level declaration, in file order.
enum DeclarationSyntax: Equatable {
  case object(ObjectDeclSyntax)
  case caps(container: NameRefSyntax, mappings: [CapMappingSyntax])
  case capName(name: String, container: NameRefSyntax, slot: UInt64, position: SourcePosition)
  case irqMaps([IRQMappingSyntax], SourcePosition)
  case cdt(CDTDeclSyntax)
  case domains([DomainItemSyntax], SourcePosition)
}

struct FileSyntax: Equatable {
  var arch: String
  var archPosition: SourcePosition
  var declarations: [DeclarationSyntax]
}
