// Tests for what the layers report as not modelled: the names traces and reports carry, and their JSON form.

import Foundation
import KernelABI
import Testing

@Suite struct InvocationOutcomeTests {
  /// The names trace files and reports carry, fixed before `NotModelled` had a type.
  static let names: [(NotModelled, String)] = [
    (.interrupt, "interrupt"), (.time, "time"), (.syscall(.recv), "seL4_Recv"),
    (.syscall(.replyRecv), "seL4_ReplyRecv"), (.ipc, "IPC"), (.faultIPC, "fault IPC"),
    (.tcbInvocation, "TCB invocation"), (.schedContextInvocation, "SchedContext invocation"),
    (.schedControlInvocation, "SchedControl invocation"), (.irqControlInvocation, "IRQControl invocation"),
    (.irqHandlerInvocation, "IRQHandler invocation"), (.domainSetInvocation, "DomainSet invocation"),
  ]

  @Test func eachNameIsTheStringReportsUsed() {
    for (value, name) in Self.names {
      #expect(value.description == name)
      #expect(NotModelled(name: name) == value)
    }
    #expect(Set(NotModelled.allCases.map(\.description)).count == NotModelled.allCases.count)
  }

  @Test func anObservationEncodesTheNameAsAString() throws {
    let observation = Observation(caller: 0x1000, current: 0x1000, notModelled: .syscall(.nbRecv))
    let json = try #require(String(data: try JSONEncoder().encode(observation), encoding: .utf8))
    #expect(json.contains(#""notModelled":"seL4_NBRecv""#))
    #expect(try JSONDecoder().decode(Observation.self, from: Data(json.utf8)) == observation)
    let none = Observation(caller: nil, current: nil)
    #expect(try JSONDecoder().decode(Observation.self, from: JSONEncoder().encode(none)) == none)
  }

  @Test func anUnknownNameIsADecodingError() {
    let json = #"{"caller":4096,"current":4096,"notModelled":"teleport"}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(Observation.self, from: Data(json.utf8)) }
    #expect(NotModelled(name: "teleport") == nil)
  }
}
