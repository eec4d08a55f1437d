// The real capDL corpus (`Corpus`: CAPDL_CORPUS or ../shared/capdl; skipped without it): each parses, prints and re-parses to an equal model,
// and each `.cdl` gives the same model as the tool's own pretty-printed `.right`.

import CapDL
import Foundation
import TestSupport
import Testing

enum SharedFiles {
  static func model(_ name: String) throws -> CapDLModel {
    try CapDLModel.parse(try Corpus.text(name), file: name)
  }
}

@Suite(Corpus.enabled) struct SharedFilesTests {
  @Test func everySharedFileIsListed() throws {
    let directory = try #require(Corpus.directory)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
      .filter { $0.hasSuffix(".cdl") || $0.hasSuffix(".right") }
    #expect(Set(names) == Set(Corpus.files))
  }

  @Test(arguments: Corpus.files)
  func roundTrip(_ name: String) throws {
    let model = try SharedFiles.model(name)
    #expect(!model.objects.isEmpty)
    let printed = model.description
    let again = try CapDLModel.parse(printed, file: name + ".printed")
    #expect(again == model, "\(name) printed:\n\(printed)")
    // Printing is a fixed point after one round.
    #expect(again.description == printed)
  }

  /// The tool's printer (`PrintUtils.hs` `maybeCapParams`) prints `asid:` only on frame, PT and PD
  /// caps, so a `.right` loses the ASID of PML4/PDPT/PUD/PGD caps (`example-aarch64`'s `rm_pd`).
  /// Both sides are compared without those ASIDs.
  static func normalised(_ model: CapDLModel) -> CapDLModel {
    var m = model
    for (container, slots) in m.caps {
      for (slot, cap) in slots {
        guard let id = cap.object, let t = m.objects[id]?.type, [.pml4, .pdpt, .pud, .pgd].contains(t) else { continue }
        m.caps[container]?[slot]?.asid = nil
      }
    }
    return m
  }

  @Test func printerLosesOnlyTopLevelPagingASIDs() throws {
    let source = try SharedFiles.model("example-aarch64.cdl")
    let right = try SharedFiles.model("example-aarch64.right")
    #expect(source != right)
    #expect(Self.normalised(source) == right)
  }

  @Test(arguments: Corpus.stems)
  func sourceMatchesToolOutput(_ stem: String) throws {
    let source = Self.normalised(try SharedFiles.model("\(stem).cdl"))
    let right = Self.normalised(try SharedFiles.model("\(stem).right"))
    #expect(source == right, "\(stem): .cdl\n\(source)\n.right\n\(right)")
  }
}
