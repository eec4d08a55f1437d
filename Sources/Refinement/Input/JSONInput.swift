// Reading a JSON input file as a user needs its errors: which field (the path from the top, as
// `violations[0].failure.step`) and what was wrong with it. "Not valid JSON" is said only of text
// that is not JSON, with the parser's own reason; valid JSON whose number does not fit its field
// (out of range, or not whole) names the field, although `JSONDecoder` reports that case as "not
// valid JSON" with no path on some platforms.

public import Foundation

/// A JSON document that does not decode: the field to blame (nil: the text as a whole) and why.
public struct JSONProblem: Error, Hashable, Sendable, CustomStringConvertible {
  /// The path of the field from the top (`violations[0].failure.step`); nil for the whole text.
  public var field: String?
  public var message: String

  public init(field: String?, message: String) {
    self.field = field
    self.message = message
  }

  /// `field violations[0].step: expected Int ...`, or `not valid JSON (...)`.
  public var description: String { field.map { "field \($0): \(message)" } ?? message }

  /// Decode a `T` from `data`.
  /// - Throws: `JSONProblem` naming the field to blame, or saying that the text is not JSON.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(JSONProblem) -> T {
    do {
      return try JSONDecoder().decode(type, from: data)
    } catch {
      throw JSONProblem(error, decoding: type, from: data)
    }
  }

  /// The problem `error`, thrown by `JSONDecoder` decoding a `T` from `data`, describes.
  public init<T: Decodable>(_ error: any Error, decoding type: T.Type, from data: Data) {
    self = Self.diagnose(error, decoding: type, from: data)
  }

  private static func diagnose<T: Decodable>(_ error: any Error, decoding type: T.Type, from data: Data)
    -> JSONProblem
  {
    let problem = JSONProblem(error)
    guard problem.field == nil, let decoding = error as? DecodingError, case .dataCorrupted = decoding else {
      return problem
    }
    // The decoder says "not valid JSON" without a path: either the text is not JSON (the
    // serialization parser says why), or a number does not fit its field (found by replacing
    // each suspect number with 0 until the decoder gets past it).
    let tree: Any
    do {
      tree = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      return JSONProblem(field: nil, message: "not valid JSON (\(sentence(reason ?? "\(error)")))")
    }
    guard let (path, number) = misfit(in: tree, decoding: type, failure: problem) else { return problem }
    return JSONProblem(
      field: path, message: "the number \(number) does not fit this field (out of range, or not a whole number)")
  }

  /// The problem `error` (thrown by `JSONDecoder`) describes, from the error alone.
  public init(_ error: any Error) {
    guard let error = error as? DecodingError else {
      self.init(field: nil, message: "not valid JSON (\(error.localizedDescription))")
      return
    }
    switch error {
    case .keyNotFound(let key, let context):
      self.init(field: Self.path(context.codingPath + [key]), message: "is missing")
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      self.init(field: Self.path(context.codingPath), message: Self.sentence(context.debugDescription))
    case .dataCorrupted(let context):
      if let field = Self.path(context.codingPath) {
        self.init(field: field, message: Self.sentence(context.debugDescription))
      } else {
        let reason = context.underlyingError.map { "\($0)" } ?? context.debugDescription
        self.init(field: nil, message: "not valid JSON (\(Self.sentence(reason)))")
      }
    @unknown default:
      self.init(field: nil, message: "\(error)")
    }
  }

  // MARK: Finding the number that does not fit

  /// One step of a path into a JSON tree.
  private enum Step {
    case key(String)
    case index(Int)
  }

  /// The path and value of a number in `tree` whose replacement by 0 changes how decoding a `T`
  /// fails (so it is a number the decoder could not take); nil when none does. Numbers
  /// that are not whole or beyond `Int64` are tried first, then negative ones, at most 256 in all.
  private static func misfit<T: Decodable>(in tree: Any, decoding type: T.Type, failure: JSONProblem)
    -> (String, String)?
  {
    var numbers: [([Step], NSNumber)] = []
    func collect(_ node: Any, _ path: [Step]) {
      if let object = node as? [String: Any] {
        for key in object.keys.sorted() { collect(object[key] as Any, path + [.key(key)]) }
      } else if let array = node as? [Any] {
        for (i, element) in array.enumerated() { collect(element, path + [.index(i)]) }
      } else if let number = node as? NSNumber {
        numbers.append((path, number))
      }
    }
    collect(tree, [])
    let suspects =
      numbers.filter { Int64(exactly: $0.1.doubleValue) == nil }
      + numbers.filter { Int64(exactly: $0.1.doubleValue).map { $0 < 0 } ?? false }
    // Suspects are replaced one after another, each replacement kept: with several misfits, the
    // one whose replacement lets decoding get past is named (0 fits every number type).
    var patched = tree
    for (path, number) in suspects.prefix(256) {
      patched = replacing(path[...], in: patched)
      guard let data = try? JSONSerialization.data(withJSONObject: patched, options: [.fragmentsAllowed]) else {
        continue
      }
      do {
        _ = try JSONDecoder().decode(type, from: data)
      } catch {
        if JSONProblem(error) == failure { continue }
      }
      let text = path.reduce("") { text, step in
        switch step {
        case .key(let key): text.isEmpty ? key : text + "." + key
        case .index(let i): text + "[\(i)]"
        }
      }
      return (text, number.stringValue)
    }
    return nil
  }

  /// `tree` with the number at `path` replaced by 0.
  private static func replacing(_ path: ArraySlice<Step>, in tree: Any) -> Any {
    guard let step = path.first else { return NSNumber(value: 0) }
    switch step {
    case .key(let key):
      guard var object = tree as? [String: Any], let child = object[key] else { return tree }
      object[key] = replacing(path.dropFirst(), in: child)
      return object
    case .index(let i):
      guard var array = tree as? [Any], array.indices.contains(i) else { return tree }
      array[i] = replacing(path.dropFirst(), in: array[i])
      return array
    }
  }

  /// `a.b[2].c`; nil for the empty path.
  static func path(_ keys: [any CodingKey]) -> String? {
    guard !keys.isEmpty else { return nil }
    return keys.reduce("") { text, key in
      if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == "\(index)" {
        return text + "[\(index)]"
      }
      return text.isEmpty ? key.stringValue : text + "." + key.stringValue
    }
  }

  /// `reason` without a trailing full stop, on one line.
  static func sentence(_ reason: String) -> String {
    var s = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
    while s.hasSuffix(".") { s.removeLast() }
    return s
  }
}
