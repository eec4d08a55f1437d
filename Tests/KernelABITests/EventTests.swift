// Tests for kernel events: syscall-number decoding, argument access, descriptions, and JSON round trips.

import Foundation
import KernelABI
import Testing

@Suite("Event")
struct EventTests {
  static let arguments = SyscallArguments(
    capRegister: 0x10, messageInfo: MessageInfo(label: 22, extraCaps: 1, length: 6).word,
    messageRegisters: [1, 2, 3, 4, 5, 6], extraCaps: [0x20], replyRegister: 0x30,
    nbSendRecvDestination: 0x40, receiveSlot: ReceiveSlot(cnode: 2, index: 7, depth: 64))

  @Test("a known syscall number becomes a syscall event")
  func knownNumbers() {
    for call in Syscall.allCases {
      #expect(Event.syscall(number: call.rawValue, arguments: Self.arguments) == .syscall(call, Self.arguments))
    }
    #expect(Event.syscall(number: -4, arguments: Self.arguments) == .syscall(.nbSendWait, Self.arguments))
  }

  @Test(
    "an unknown syscall number becomes an UnknownSyscall event", arguments: [Int64(0), 1, -12, Int64.min, Int64.max])
  func unknownNumbers(number: Int64) {
    #expect(Event.syscall(number: number, arguments: Self.arguments) == .unknownSyscall(number: number))
  }

  // MARK: Arguments

  @Test("each send destination reads its own register")
  func destinations() {
    #expect(Self.arguments.cptr(for: .capRegister) == 0x10)
    #expect(Self.arguments.cptr(for: .replyRegister) == 0x30)
    #expect(Self.arguments.cptr(for: .nbSendRecvDestRegister) == 0x40)
    let nbSendWait = Syscall.nbSendWait.sendDestination.map { Self.arguments.cptr(for: $0) }
    #expect(nbSendWait == 0x30)
    let nbSendRecv = Syscall.nbSendRecv.sendDestination.map { Self.arguments.cptr(for: $0) }
    #expect(nbSendRecv == 0x40)
  }

  @Test("the message-info word is decoded as the kernel does")
  func info() {
    #expect(Self.arguments.info == MessageInfo(label: 22, extraCaps: 1, length: 6))
    let clamped = SyscallArguments(capRegister: 0, messageInfo: (5 << 12) | 127)
    #expect(clamped.info.length == 120)
    #expect(clamped.info.label == 5)
  }

  @Test("defaults: no registers, no caps, zero reply, no receive slot")
  func defaults() {
    let plain = SyscallArguments(capRegister: 1, messageInfo: 0)
    #expect(plain.messageRegisters.isEmpty)
    #expect(plain.extraCaps.isEmpty)
    #expect(plain.replyRegister == 0)
    #expect(plain.nbSendRecvDestination == 0)
    #expect(plain.receiveSlot == nil)
  }

  // MARK: Identity and text

  @Test("events with different contents differ")
  func distinct() {
    var other = Self.arguments
    other.receiveSlot = nil
    #expect(Event.syscall(.call, Self.arguments) != .syscall(.call, other))
    #expect(Event.syscall(.call, Self.arguments) != .syscall(.send, Self.arguments))
    #expect(Event.interrupt(irq: 3) != .timerTick(ticks: 3))
    #expect(Set<Event>([.interrupt(irq: 1), .interrupt(irq: 1), .timerTick(ticks: 1)]).count == 2)
  }

  @Test("descriptions")
  func descriptions() {
    #expect(Event.interrupt(irq: 27).description == "Interrupt(27)")
    #expect(Event.timerTick(ticks: 5).description == "TimerTick(5)")
    #expect(Event.unknownSyscall(number: -12).description == "UnknownSyscall(-12)")
    #expect(Event.userException(number: 3, code: 4).description == "UserException(3, 4)")
    let call = Event.syscall(.call, SyscallArguments(capRegister: 3, messageInfo: 1 << 12))
    #expect(call.description.hasPrefix("seL4_Call(cptr: 3, "))
    #expect(call.description.contains("label: 1"))
    #expect(Self.arguments.description.contains("receiveSlot: (cnode: 2, index: 7, depth: 64)"))
  }

  // MARK: Coding

  @Test("every kind of event round-trips through JSON")
  func jsonRoundTrip() throws {
    var rng = SplitMix64(seed: 0xE7E7_0001)
    var events: [Event] = [
      .syscall(.call, Self.arguments),
      .syscall(.yield, SyscallArguments(capRegister: 0, messageInfo: 0)),
      .unknownSyscall(number: -12),
      .userException(number: 0x200_0000, code: UInt64.max),
      .interrupt(irq: 31),
      .timerTick(ticks: UInt64.max),
    ]
    for call in Syscall.allCases {
      let count = Int(rng.next() % 8)
      let slot = rng.next() & 1 == 0 ? nil : ReceiveSlot(cnode: rng.next(), index: rng.next(), depth: rng.next() % 65)
      let args = SyscallArguments(
        capRegister: rng.next(), messageInfo: rng.next(), messageRegisters: (0..<count).map { _ in rng.next() },
        extraCaps: (0..<(count % 4)).map { _ in rng.next() }, replyRegister: rng.next(),
        nbSendRecvDestination: rng.next(), receiveSlot: slot)
      events.append(.syscall(call, args))
    }
    let data = try JSONEncoder().encode(events)
    let decoded = try JSONDecoder().decode([Event].self, from: data)
    #expect(decoded == events)
    #expect(decoded.count == 17)
  }

  @Test("a single event decodes from its own encoding")
  func singleEvent() throws {
    let event = Event.interrupt(irq: 9)
    let data = try JSONEncoder().encode(event)
    #expect(try JSONDecoder().decode(Event.self, from: data) == event)
    #expect(try JSONDecoder().decode(Event.self, from: data) != .interrupt(irq: 10))
  }
}
