// Tests for the MCS syscall numbers, libsel4 names and the per-syscall dispatch table.

import Foundation
import KernelABI
import Testing

@Suite("Syscall")
struct SyscallTests {
  @Test("MCS numbers run from -1 to -11 in libsel4 order")
  func numbers() {
    #expect(Syscall.call.rawValue == -1)
    #expect(Syscall.replyRecv.rawValue == -2)
    #expect(Syscall.nbSendRecv.rawValue == -3)
    #expect(Syscall.nbSendWait.rawValue == -4)
    #expect(Syscall.send.rawValue == -5)
    #expect(Syscall.nbSend.rawValue == -6)
    #expect(Syscall.recv.rawValue == -7)
    #expect(Syscall.nbRecv.rawValue == -8)
    #expect(Syscall.wait.rawValue == -9)
    #expect(Syscall.nbWait.rawValue == -10)
    #expect(Syscall.yield.rawValue == -11)
    #expect(Syscall.allCases.map(\.rawValue) == Array((-11 ... -1).reversed()))
    #expect(Syscall(rawValue: 0) == nil)
    #expect(Syscall(rawValue: -12) == nil)
  }

  @Test("libsel4 names")
  func names() {
    #expect(Syscall.call.libsel4Name == "seL4_Call")
    #expect(Syscall.nbSendRecv.libsel4Name == "seL4_NBSendRecv")
    #expect(Syscall.nbSendWait.libsel4Name == "seL4_NBSendWait")
    #expect(Syscall.replyRecv.libsel4Name == "seL4_ReplyRecv")
    #expect(Syscall.nbWait.libsel4Name == "seL4_NBWait")
    #expect(Syscall.yield.libsel4Name == "seL4_Yield")
    for call in Syscall.allCases {
      #expect(Syscall(libsel4Name: call.libsel4Name) == call)
    }
    #expect(Set(Syscall.allCases.map(\.libsel4Name)).count == Syscall.allCases.count)
    #expect(Syscall(libsel4Name: "seL4_Reply") == nil)
  }

  // MARK: Send phase

  /// The send-phase row of the MCS dispatch table: (isCall, isBlocking, canDonate, firstPhase, destination).
  static let sendTable: [(Syscall, (Bool, Bool, Bool, Bool, SendDestination)?)] = [
    (.send, (false, true, false, false, .capRegister)),
    (.nbSend, (false, false, false, false, .capRegister)),
    (.call, (true, true, true, false, .capRegister)),
    (.replyRecv, (false, false, true, true, .replyRegister)),
    (.nbSendRecv, (false, false, true, true, .nbSendRecvDestRegister)),
    (.nbSendWait, (false, false, true, true, .replyRegister)),
    (.recv, nil), (.nbRecv, nil), (.wait, nil), (.nbWait, nil), (.yield, nil),
  ]

  @Test("send-phase flags and destination match the MCS dispatch table")
  func sendPhases() {
    #expect(Self.sendTable.count == Syscall.allCases.count)
    for (call, row) in Self.sendTable {
      guard let row else {
        #expect(call.sendPhase == nil, "\(call)")
        #expect(call.sendDestination == nil, "\(call)")
        continue
      }
      let expected = SendPhase(
        isCall: row.0, isBlocking: row.1, canDonate: row.2, firstPhase: row.3, destination: row.4)
      #expect(call.sendPhase == expected, "\(call)")
      #expect(call.sendDestination == row.4, "\(call)")
    }
  }

  @Test("only Call is a call; only Send and Call block when sending")
  func sendFlagSummary() {
    #expect(Syscall.allCases.filter { $0.sendPhase?.isCall == true } == [.call])
    #expect(Set(Syscall.allCases.filter { $0.sendPhase?.isBlocking == true }) == [.call, .send])
    #expect(
      Set(Syscall.allCases.filter { $0.sendPhase?.firstPhase == true }) == [.replyRecv, .nbSendRecv, .nbSendWait])
  }

  // MARK: Receive phase

  static let receiveTable: [(Syscall, ReceiveMode, Bool)] = [
    (.call, .none, false), (.send, .none, false), (.nbSend, .none, false), (.yield, .none, false),
    (.recv, .blocking, true), (.nbRecv, .polling, true),
    (.wait, .blocking, false), (.nbWait, .polling, false),
    (.replyRecv, .blocking, true), (.nbSendRecv, .blocking, true), (.nbSendWait, .blocking, false),
  ]

  @Test("receive mode and reply-cap use match the MCS dispatch table")
  func receivePhases() {
    #expect(Self.receiveTable.count == Syscall.allCases.count)
    for (call, mode, usesReply) in Self.receiveTable {
      #expect(call.receiveMode == mode, "\(call)")
      #expect(call.receiveUsesReplyCap == usesReply, "\(call)")
      #expect(call.hasReceivePhase == (mode != .none), "\(call)")
    }
  }

  @Test("Yield neither sends nor receives")
  func yieldIsBare() {
    #expect(Syscall.yield.sendPhase == nil)
    #expect(Syscall.yield.receiveMode == .none)
  }

  // MARK: Coding

  @Test("Codable writes the raw syscall number")
  func codable() throws {
    let data = try JSONEncoder().encode([Syscall.nbSendWait, .yield])
    #expect(String(decoding: data, as: UTF8.self) == "[-4,-11]")
    #expect(try JSONDecoder().decode([Syscall].self, from: data) == [.nbSendWait, .yield])
    #expect(throws: (any Error).self) { try JSONDecoder().decode(Syscall.self, from: Data("-12".utf8)) }
  }
}
