// The ABI known answers hold of the shared code, and each catches a planted mistake in it: a
// mistake every layer would make alike, which lockstep comparison cannot see.

import KernelABI
import Refinement
import Testing

@Suite struct ABIConformanceTests {
  @Test func everyFactHoldsOfTheSharedCode() {
    let report = ABIFact.evaluate()
    #expect(report.facts.count == ABIFact.catalogue.count)
    #expect(report.facts.count >= 10)
    #expect(report.failed.map(\.name) == [], "\(report.failed.map { "\($0.name): \($0.failure ?? "")" })")
    #expect(report.passed)
  }

  @Test func namesAreUniqueAndEveryFactCitesSeL4() {
    let names = ABIFact.catalogue.map(\.name)
    #expect(Set(names).count == names.count)
    for fact in ABIFact.catalogue { #expect(fact.source.contains("seL4:"), "\(fact.name)") }
  }

  /// A broken version of one shared function, and the fact that must catch it.
  struct Plant: Sendable, CustomTestStringConvertible {
    var name: String
    var caughtBy: String
    var code: ABICode
    var testDescription: String { name }
  }

  static var plants: [Plant] {
    var ignoresMask = ABICode.shared
    ignoresMask.maskRights = { rights, _ in CapRights(rawValue: rights).rawValue }
    var notificationKeepsGrant = ABICode.shared
    notificationKeepsGrant.maskRights = { rights, mask in (rights & mask) | (rights & 0b0100) }
    var dropsSource = ABICode.shared
    dropsSource.errorReply = { error in
      let reply = ReplyMessage(error: error)
      if case .failedLookup = error {
        return (reply.info.label, reply.info.length - 1, Array(reply.registers.dropFirst()))
      }
      return (reply.info.label, reply.info.length, reply.registers)
    }
    var lookupTypeFromZero = ABICode.shared
    lookupTypeFromZero.decodeErrorReply = { label, registers in
      var shifted = registers
      if label == 6, shifted.count > 1 { shifted[1] &+= 1 }
      return SyscallError(label: label, messageRegisters: shifted)
    }
    var classicNotification = ABICode.shared
    classicNotification.objectSizeBits = { type, bits in
      type == 3 ? 5 : ObjectType.objectSizeBits(type: type, userSizeBits: bits)
    }
    var lengthUnclamped = ABICode.shared
    lengthUnclamped.decodeMessageInfo = { word in
      let info = MessageInfo(word: word)
      return [info.label, info.capsUnwrapped, info.extraCaps, word & 0x7F]
    }
    var classicLabels = ABICode.shared
    classicLabels.invocationLabelNumber = { $0.rawValue >= 18 ? $0.rawValue - 1 : $0.rawValue }
    var classicSyscalls = ABICode.shared
    classicSyscalls.syscallNumber = { $0 == .send ? -3 : $0.rawValue }
    return [
      Plant(name: "mask ignored", caughtBy: "rights.maskIsIntersection", code: ignoresMask),
      Plant(name: "grant kept through any mask", caughtBy: "rights.maskIsIntersection", code: notificationKeepsGrant),
      Plant(name: "FailedLookup without its source register", caughtBy: "errorReply.encoding", code: dropsSource),
      Plant(name: "lookup failure type read from 0", caughtBy: "errorReply.decoding", code: lookupTypeFromZero),
      Plant(name: "classic notification size", caughtBy: "objects.sizes", code: classicNotification),
      Plant(name: "length not clamped", caughtBy: "messageInfo.lengthClamped", code: lengthUnclamped),
      Plant(name: "classic invocation labels", caughtBy: "numbering.invocationLabels", code: classicLabels),
      Plant(name: "classic Send number", caughtBy: "numbering.syscalls", code: classicSyscalls),
    ]
  }

  @Test(arguments: plants)
  func aPlantedMistakeInSharedCodeFailsItsFact(_ plant: Plant) {
    let report = ABIFact.evaluate(plant.code)
    #expect(!report.passed)
    #expect(report.failed.map(\.name).contains(plant.caughtBy), "failed: \(report.failed.map(\.name))")
    #expect(report.failed.allSatisfy { $0.failure?.contains("seL4 gives") == true })
  }

  @Test func anEmptyCatalogueIsNotAPass() {
    #expect(!ABIFact.evaluate(facts: []).passed)
  }
}
