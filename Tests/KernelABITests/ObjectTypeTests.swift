// Tests for object type numbers, names, object sizes and the size_bits floor, on UInt64 and through
// the generic word functions.

import Bitwise
import KernelABI
import Testing

@Suite("ObjectType")
struct ObjectTypeTests {
  @Test("MCS type numbers without architecture objects")
  func numbers() {
    #expect(ObjectType.untyped.rawValue == 0)
    #expect(ObjectType.tcb.rawValue == 1)
    #expect(ObjectType.endpoint.rawValue == 2)
    #expect(ObjectType.notification.rawValue == 3)
    #expect(ObjectType.capTable.rawValue == 4)
    #expect(ObjectType.schedContext.rawValue == 5)
    #expect(ObjectType.reply.rawValue == 6)
    #expect(ObjectType.count == 7)
    #expect(ObjectType.allCases.map(\.rawValue) == Array(0..<ObjectType.count))
    #expect(ObjectType(rawValue: 7) == nil)
  }

  @Test("libsel4 names")
  func names() {
    #expect(ObjectType.untyped.libsel4Name == "seL4_UntypedObject")
    #expect(ObjectType.tcb.libsel4Name == "seL4_TCBObject")
    #expect(ObjectType.endpoint.libsel4Name == "seL4_EndpointObject")
    #expect(ObjectType.notification.libsel4Name == "seL4_NotificationObject")
    #expect(ObjectType.capTable.libsel4Name == "seL4_CapTableObject")
    #expect(ObjectType.schedContext.libsel4Name == "seL4_SchedContextObject")
    #expect(ObjectType.reply.libsel4Name == "seL4_ReplyObject")
    for type in ObjectType.allCases {
      #expect(ObjectType(libsel4Name: type.libsel4Name) == type)
    }
    #expect(ObjectType(libsel4Name: "seL4_FrameObject") == nil)
  }

  // MARK: Sizes

  @Test("fixed-size objects ignore size_bits", arguments: [UInt64(0), 1, 7, 20, 63, UInt64.max])
  func fixedSizes(userSizeBits: UInt64) {
    #expect(ObjectType.tcb.objectSizeBits(userSizeBits: userSizeBits) == 11)
    #expect(ObjectType.endpoint.objectSizeBits(userSizeBits: userSizeBits) == 4)
    #expect(ObjectType.notification.objectSizeBits(userSizeBits: userSizeBits) == 6)
    #expect(ObjectType.reply.objectSizeBits(userSizeBits: userSizeBits) == 5)
  }

  @Test("variable-size objects follow size_bits")
  func variableSizes() {
    #expect(ObjectType.untyped.objectSizeBits(userSizeBits: 20) == 20)
    #expect(ObjectType.untyped.objectSizeBits(userSizeBits: 4) == 4)
    #expect(ObjectType.capTable.objectSizeBits(userSizeBits: 4) == 9)
    #expect(ObjectType.capTable.objectSizeBits(userSizeBits: 1) == 6)
    #expect(ObjectType.schedContext.objectSizeBits(userSizeBits: 8) == 8)
    for bits in UInt64(0)..<64 {
      #expect(ObjectType.capTable.objectSizeBits(userSizeBits: bits) == bits + KernelConstants.slotBits)
      #expect(ObjectType.untyped.objectSizeBits(userSizeBits: bits) == bits)
      #expect(ObjectType.schedContext.objectSizeBits(userSizeBits: bits) == bits)
    }
  }

  @Test("the generic size function gives 0 for type words outside 0...6")
  func unknownTypeWord() {
    #expect(ObjectType.objectSizeBits(type: UInt64(7), userSizeBits: 12) == 0)
    #expect(ObjectType.objectSizeBits(type: UInt64.max, userSizeBits: 12) == 0)
    #expect(ObjectType.objectSizeBits(type: UInt64(4), userSizeBits: 12) == 17)
  }

  @Test("only Untyped, CapTable and SchedContext take their size from the caller")
  func hasUserSize() {
    #expect(ObjectType.allCases.filter(\.hasUserSize) == [.untyped, .capTable, .schedContext])
  }

  // MARK: size_bits floor

  @Test("minimum size_bits where the table gives one")
  func minimums() {
    #expect(ObjectType.untyped.minimumUserSizeBits == 4)
    #expect(ObjectType.capTable.minimumUserSizeBits == 1)
    #expect(ObjectType.schedContext.minimumUserSizeBits == 7)
    #expect(ObjectType.tcb.minimumUserSizeBits == nil)
    #expect(ObjectType.endpoint.minimumUserSizeBits == nil)
    #expect(ObjectType.notification.minimumUserSizeBits == nil)
    #expect(ObjectType.reply.minimumUserSizeBits == nil)
  }

  @Test("the size_bits floor rejects exactly the values below the minimum")
  func floorCheck() {
    #expect(ObjectType.untyped.userSizeBitsBelowMinimum(3))
    #expect(!ObjectType.untyped.userSizeBitsBelowMinimum(4))
    #expect(ObjectType.capTable.userSizeBitsBelowMinimum(0))
    #expect(!ObjectType.capTable.userSizeBitsBelowMinimum(1))
    #expect(ObjectType.schedContext.userSizeBitsBelowMinimum(6))
    #expect(!ObjectType.schedContext.userSizeBitsBelowMinimum(7))
    #expect(!ObjectType.tcb.userSizeBitsBelowMinimum(0))
    #expect(!ObjectType.userSizeBitsBelowMinimum(type: UInt64(9), userSizeBits: 0))
    for type in ObjectType.allCases {
      for bits in UInt64(0)..<16 {
        let expected = type.minimumUserSizeBits.map { bits < $0 } ?? false
        #expect(type.userSizeBitsBelowMinimum(bits) == expected, "\(type) \(bits)")
      }
    }
  }
}
