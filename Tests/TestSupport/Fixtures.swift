// Small capDL systems written for this package (Tests/TestSupport/CapDL), so the parser, printer,
// loader and authority tests keep their coverage without the real corpus. Together they use every
// syntax feature the corpus uses; each file's header says what it is for.

public import Foundation

public enum Fixtures {
  /// `Tests/TestSupport/CapDL`, found from this file's path.
  public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("CapDL")

  /// The capDL systems, by file stem (`<stem>.cdl`).
  public static let capDLStems = ["arm-untyped-tree", "camkes-echo", "mcs-server", "x86-io"]

  /// The text of `<stem>.cdl`.
  public static func capDL(_ stem: String) throws -> String { try text("\(stem).cdl") }

  /// The text of any file in the fixture folder (systems and policies).
  public static func text(_ file: String) throws -> String {
    let url = directory.appendingPathComponent(file)
    do {
      return try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw CorpusError("cannot read the fixture \(url.path): \(error.localizedDescription)")
    }
  }
}
