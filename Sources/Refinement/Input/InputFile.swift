// Reading a file a user hands the workbench (a system, a trace, a report, a proof record, a
// scenario): one wording per cause, naming the path, for every command that reads one. A refusal
// reads `PATH: cannot read the WHAT: CAUSE`, where CAUSE is one of "no such file", "it is a
// directory", "permission denied" (or the system's own reason for another failure), or "not
// UTF-8 text (invalid byte at offset N)".

public import Foundation

/// Why a file cannot be used as input: the path, what it was to be, and the cause.
public struct InputFileError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Why the file cannot be read.
  public enum Cause: Hashable, Sendable {
    /// Nothing is at the path (or a dangling link).
    case missing
    /// The path names a directory.
    case directory
    /// The file exists but the process may not read it.
    case permissionDenied
    /// Another failure to read, with the system's reason.
    case unreadable(String)
    /// The bytes are not UTF-8; the offset of the first invalid byte.
    case notUTF8(offset: Int)

    /// The cause in words.
    public var words: String {
      switch self {
      case .missing: "no such file"
      case .directory: "it is a directory"
      case .permissionDenied: "permission denied"
      case .unreadable(let why): why
      case .notUTF8(let offset): "not UTF-8 text (invalid byte at offset \(offset))"
      }
    }
  }

  public var path: String
  /// What the file was to be: "system file", "trace file", "campaign report", ...
  public var what: String
  public var cause: Cause

  public init(path: String, what: String, cause: Cause) {
    self.path = path
    self.what = what
    self.cause = cause
  }

  /// The message without the path: `cannot read the WHAT: CAUSE` (for errors that name the
  /// path in their own way, as `file:line:column:`).
  public var reason: String { "cannot read the \(what): \(cause.words)" }

  public var description: String { "\(path): \(reason)" }
}

/// Reading input files with one wording per cause (see `InputFileError`).
public enum InputFile {
  /// The bytes of the file at `path`, which is to be a `what` (named in errors).
  /// - Throws: `InputFileError` when nothing is there, it is a directory, or it cannot be read.
  public static func data(_ path: String, what: String) throws(InputFileError) -> Data {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw InputFileError(path: path, what: what, cause: .missing)
    }
    if isDirectory.boolValue { throw InputFileError(path: path, what: what, cause: .directory) }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw InputFileError(path: path, what: what, cause: .permissionDenied)
    }
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch let error as CocoaError where error.code == .fileReadNoPermission {
      throw InputFileError(path: path, what: what, cause: .permissionDenied)
    } catch {
      throw InputFileError(path: path, what: what, cause: .unreadable(error.localizedDescription))
    }
  }

  /// The text of the file at `path`, which is to be a `what`: its bytes as UTF-8, a leading
  /// byte-order mark dropped.
  /// - Throws: `InputFileError` as `data(_:what:)`, and for bytes that are not UTF-8.
  public static func text(_ path: String, what: String) throws(InputFileError) -> String {
    let bytes = try data(path, what: what)
    return try text(of: bytes, path: path, what: what)
  }

  /// The bytes of a UTF-8 file at `path` (JSON, which is UTF-8 by definition), a leading
  /// byte-order mark dropped.
  /// - Throws: `InputFileError` as `text(_:what:)`.
  public static func utf8Data(_ path: String, what: String) throws(InputFileError) -> Data {
    Data(try text(path, what: what).utf8)
  }

  /// `bytes` as UTF-8 text (a leading byte-order mark dropped); `path` and `what` name it in errors.
  public static func text(of bytes: Data, path: String, what: String) throws(InputFileError) -> String {
    if let offset = firstInvalidUTF8Offset(bytes) {
      throw InputFileError(path: path, what: what, cause: .notUTF8(offset: offset))
    }
    let text = String(decoding: bytes, as: UTF8.self)
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }

  /// The offset of the first byte that does not start (or continue) a valid UTF-8 sequence; nil
  /// when all of `bytes` is UTF-8.
  public static func firstInvalidUTF8Offset(_ bytes: Data) -> Int? {
    var parser = Unicode.UTF8.ForwardParser()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let scalar): offset += scalar.count
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }
}
