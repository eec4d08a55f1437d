// The real capDL corpus (capDL tool and CAmkES output) is external data, never copied into the
// package. Tests find it through `CAPDL_CORPUS=DIR` or, failing that, `../shared/capdl` beside the
// package. With neither, the tests that need it are skipped (`Corpus.enabled`) with a reason that
// says how to run them; with `CAPDL_CORPUS` set, a missing or unreadable file is a failure.

public import Foundation
public import Testing

public enum Corpus {
  /// The package root, found from this file's path (`Tests/TestSupport/Corpus.swift`).
  public static let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Where the corpus was looked for and found: `CAPDL_CORPUS` when set (even if it is empty or
  /// missing: then the tests run and fail), else `../shared/capdl` when that folder exists, else nil.
  public static var directory: URL? {
    if let path = ProcessInfo.processInfo.environment["CAPDL_CORPUS"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    let sibling = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/capdl")
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: sibling.path, isDirectory: &isDirectory), isDirectory.boolValue {
      return sibling
    }
    return nil
  }

  /// The condition trait for a test that needs the corpus.
  public static var enabled: ConditionTrait {
    .enabled(
      if: directory != nil,
      "needs the real capDL corpus: set CAPDL_CORPUS=DIR (the folder holding camkes-adder-arm.cdl and the other capDL files) or place it at ../shared/capdl beside the package"
    )
  }

  /// The files the corpus is expected to hold (each `.cdl` with the capDL tool's printed `.right`).
  public static let stems = [
    "camkes-adder-arm", "cap-dist-elf-simpleserver", "example-aarch64", "example-arm", "example-ia32",
  ]
  public static var files: [String] { stems.flatMap { ["\($0).cdl", "\($0).right"] } }

  /// A corpus file's URL; throws when the corpus was not found at all.
  public static func url(_ name: String) throws -> URL {
    guard let directory else { throw CorpusError("no capDL corpus: set CAPDL_CORPUS or place it at ../shared/capdl") }
    return directory.appendingPathComponent(name)
  }

  /// A corpus file's text; throws, naming the file, when it is missing or unreadable.
  public static func text(_ name: String) throws -> String {
    let file = try url(name)
    do {
      return try String(contentsOf: file, encoding: .utf8)
    } catch {
      throw CorpusError("cannot read the corpus file \(file.path): \(error.localizedDescription)")
    }
  }
}

public struct CorpusError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
