// The one error the text front ends report: where in which file, and what was expected or wrong.
//
// capDL and scenario scripts share it (`CapDLError` and `ScenarioError` are its names there), so
// a capDL error inside a scenario's system is reported as it is, and both print
// `file:line:column: message` as compilers do. Every failure of the capDL lexer, parser and model
// builder is one; none of them crashes or returns a partial model. The loader reports constructs
// a `SystemPlan` cannot express with the same type (at the position of the construct's object or
// cap, when known).

/// A position in a text: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// No place in the text: the problem is with the file as a whole (it cannot be read).
  public static let wholeFile = SourcePosition(line: 0, column: 0)

  public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// A syntax or semantic error in a text, or a construct the loader cannot express.
public struct SourceError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file name given to the parser (for messages only).
  public var file: String
  public var position: SourcePosition
  public var message: String

  public init(file: String, position: SourcePosition, message: String) {
    self.file = file
    self.position = position
    self.message = message
  }

  public var line: Int { position.line }
  public var column: Int { position.column }

  /// `file:line:column: message`, as compilers print it, or `file: message` for a problem with
  /// the file as a whole.
  public var description: String {
    position == .wholeFile ? "\(file): \(message)" : "\(file):\(position.line):\(position.column): \(message)"
  }
}

/// The error of a capDL front end.
public typealias CapDLError = SourceError
