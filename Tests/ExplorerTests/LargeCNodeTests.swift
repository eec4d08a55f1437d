// A CNode of 2^20 slots: the explorer's views hold only the slots that are not empty, so listing
// it is as short as what it holds and each command is quick; any one slot can still be looked up.

import Foundation
import Testing

@testable import Explorer

@Suite struct LargeCNodeTests {
  /// One thread whose CSpace root has 2^20 slots, with an endpoint cap in the last one.
  static let system = """
    arch aarch64
    objects {
      main = tcb (addr: 0x1000, ip: 0x400000, sp: 0x800000, prio: 100, max_prio: 255, affinity: 0)
      root_cnode = cnode (20 bits)
      ep = ep
    }
    caps {
      root_cnode {
        1: main
        2: root_cnode (guard: 0, guard_size: 44)
        1048575: ep (RWGP)
      }
      main { cspace: root_cnode (guard: 0, guard_size: 44) }
    }
    cdt {
      (root_cnode, 2) { (main, 0) }
    }
    """

  /// Every layer built a list of all 2^20 slots for each command (seconds each on the lower
  /// layers, and the abstract layer showed such a CNode as having no slots at all).
  @Test(arguments: Layer.allCases)
  func aHugeCNodeListsOnlyItsFilledSlots(_ layer: Layer) throws {
    let directory = try scratchDirectory("large-cnode-\(layer.rawValue)")
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("large.cdl").path
    try Self.system.write(toFile: path, atomically: true, encoding: .utf8)
    let clock = ContinuousClock()
    let start = clock.now
    var session = try Session.open(system: path)
    #expect(session.say(layer.rawValue) == "layer \(layer.rawValue)")

    let object = session.say("show object root_cnode")
    let lines = object.split(separator: "\n")
    #expect(lines.count < 10, "\(object)")
    #expect(object.contains("3 of 1048576 slots filled"), "\(object)")
    #expect(object.contains("[1048575]"), "\(object)")
    #expect(object.contains("(1048573 empty slots not listed"), "\(object)")

    let cspace = session.say("show cspace main")
    #expect(cspace.split(separator: "\n").count < 10, "\(cspace)")
    #expect(cspace.contains("[1048575] endpoint(ep)"), "\(cspace)")

    // Single slots, empty or not, are still there to look up; the range is still checked.
    #expect(session.say("show slot root_cnode[1048575]").hasPrefix("slot(root_cnode, 1048575) = endpoint(ep)"))
    #expect(session.say("show slot root_cnode[500000]").hasPrefix("slot(root_cnode, 500000) = null"))
    #expect(session.say("show slot root_cnode[1048576]") == "root_cnode has slots 0...1048575, not 1048576")
    #expect(session.say("show cap ep") == "slot(root_cnode, 1048575) = endpoint(ep) rights RWGP badge 0")
    // About 40 ms in a debug build; listing every slot took about 12 s a layer.
    #expect(clock.now - start < .seconds(5))
  }
}
