// The one error a capDL front end reports: where in which file, and what was expected or wrong.
//
// Every failure of the lexer, the parser and the model builder is a `CapDLError`; none of them
// crashes or returns a partial model. The loader reports constructs a `SystemPlan` cannot
// express with the same type (at the position of the construct's object or cap, when known).

/// A position in capDL text: 1-based line and column (columns count Unicode scalars).
public struct CapDLPosition: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var line: Int
  public var column: Int

  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  public static func < (a: CapDLPosition, b: CapDLPosition) -> Bool {
    (a.line, a.column) < (b.line, b.column)
  }

  public var description: String { "\(line):\(column)" }
}

/// A syntax or semantic error in capDL text, or a construct the loader cannot express.
public struct CapDLError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The file name given to the parser (for messages only).
  public var file: String
  public var position: CapDLPosition
  public var message: String

  public init(file: String, position: CapDLPosition, message: String) {
    self.file = file
    self.position = position
    self.message = message
  }

  public var line: Int { position.line }
  public var column: Int { position.column }

  /// `file:line:column: message`, as compilers print it.
  public var description: String { "\(file):\(position.line):\(position.column): \(message)" }
}
