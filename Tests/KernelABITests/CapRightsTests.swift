// Tests for capability rights: the bit assignment, reading a user word, masking, and capDL letters.

import Bitwise
import KernelABI
import Testing

@Suite("CapRights")
struct CapRightsTests {
  @Test("bit 0 Write, bit 1 Read, bit 2 Grant, bit 3 GrantReply")
  func bits() {
    #expect(CapRights.write.rawValue == 1)
    #expect(CapRights.read.rawValue == 2)
    #expect(CapRights.grant.rawValue == 4)
    #expect(CapRights.grantReply.rawValue == 8)
    #expect(CapRights.all.rawValue == 0xF)
    #expect(CapRights.none.rawValue == 0)
  }

  @Test("the abstract spec's AllowSend and AllowRecv are Write and Read")
  func abstractAliases() {
    #expect(CapRights.allowSend == .write)
    #expect(CapRights.allowRecv == .read)
  }

  @Test("a user word keeps only its low four bits")
  func fromWord() {
    #expect(CapRights(word: 0xFFF5).rawValue == 0x5)
    #expect(CapRights(word: UInt64.max) == .all)
    #expect(CapRights(word: 0x10) == .none)
    #expect(CapRights(rawValue: 0x1F).rawValue == 0xF)
  }

  @Test("seL4_CapRights_new takes grantReply, grant, read, write in that order")
  func packOrder() {
    #expect(CapRights.pack(grantReply: UInt64(1), grant: 0, read: 1, write: 0) == 0b1010)
    #expect(CapRights.pack(grantReply: UInt64(0), grant: 1, read: 0, write: 1) == 0b0101)
    #expect(CapRights.pack(grantReply: UInt64(3), grant: 2, read: 2, write: 3) == 0b1001)
  }

  @Test("masking is the intersection")
  func masking() {
    let rights: CapRights = [.read, .write, .grant]
    #expect(rights.masked(by: [.write, .grantReply]) == [.write])
    #expect(CapRights.all.masked(by: .none) == .none)
    var rng = SplitMix64(seed: 0xCA95)
    for _ in 0..<500 {
      let a = rng.next()
      let b = rng.next()
      #expect(CapRights.mask(a, with: b) == a & b & 0xF)
      #expect(CapRights(word: a).masked(by: CapRights(word: b)).rawValue == a & b & 0xF)
    }
  }

  @Test("capDL letters come out as R, W, G, P")
  func letters() {
    #expect(CapRights.all.description == "RWGP")
    #expect(CapRights.none.description == "")
    #expect(CapRights([.write, .read]).description == "RW")
    #expect(CapRights([.grantReply, .write]).description == "WP")
  }

  @Test("the layout names four one-bit fields and leaves the rest unused")
  func layout() {
    #expect(CapRights.layout.unusedMask == ~UInt64(0xF))
    #expect(CapRights.layout.field("grantReply")?.offset == 3)
  }
}
