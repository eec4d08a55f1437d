// The IPC round-trip figures of `refine-check bench` (issue 14, "Performance"): a Call and a
// ReplyRecv between two threads in different CSpaces, on the Kernel's fastpath, on its slowpath
// (the fastpath switched off for the measurement only), and on the ExecutableSpec.
//
// The system is the sample with the `second` thread given a CNode of its own holding only an
// endpoint cap (slot 3) and a cap to the main thread (slot 1): main waits on the endpoint with its
// reply object and loses its scheduling context (TCB_SetSchedParams by `second`), a passive server;
// `second` calls it with two message registers, main answers with one by ReplyRecv. The figure
// has no trap, no TLB and no cache effect of a real kernel entry: it is the model's own work.

import ExecutableSpec
import Kernel
public import KernelABI

/// The client/server system and the events of the round-trip benchmark.
public enum RoundTripBench {
  /// Where the client's CNode lies (free in the sample: 8 KiB from 0x10_6000).
  public static let clientCNode: ObjectRef = 0x10_6000
  /// The client's endpoint cap (slot 3 of its own CNode) and the server's (root slot 3), reply
  /// cap (root slot 5) and the null cap the setup names (slot 200).
  static let endpointCptr = SystemPlan.Sample.cptr(root: 3)
  static let replyCptr = SystemPlan.Sample.cptr(root: 5)
  static let nullCptr = SystemPlan.Sample.cptr(root: 200)

  /// The sample, `second` in a CSpace of its own.
  public static var plan: SystemPlan {
    typealias S = SystemPlan.Sample
    var plan = SystemPlan.sample
    plan.objects.append(.init(name: "client_cnode", address: clientCNode, kind: .cnode(radix: 8)))
    let clientRoot = Capability.cnode(clientCNode, radix: 8, guardSize: 48, guard: 0)
    let clientSlot = SlotRef(S.secondTCB, TCBSlot.cspace.rawValue)
    plan.caps[clientSlot] = clientRoot
    plan.cdtParent[clientSlot] = nil
    plan.originals.insert(clientSlot)
    plan.caps[SlotRef(clientCNode, 3)] = .endpoint(S.endpoint, badge: 0, rights: .all)
    plan.cdtParent[SlotRef(clientCNode, 3)] = S.root(3)
    plan.caps[SlotRef(clientCNode, 1)] = .thread(S.mainTCB)
    plan.cdtParent[SlotRef(clientCNode, 1)] = S.root(1)
    return plan
  }

  /// Main waits with its reply object; `second` takes main's scheduling context away.
  public static var setup: [Event] {
    [
      .syscall(.recv, SyscallArguments(capRegister: endpointCptr, messageInfo: 0, replyRegister: replyCptr)),
      .syscall(
        .call,
        SyscallArguments(
          capRegister: SystemPlan.Sample.cptr(root: 1),
          messageInfo: MessageInfo(label: InvocationLabel.tcbSetSchedParams.rawValue, extraCaps: 3, length: 2).word,
          messageRegisters: [255, 100], extraCaps: [SystemPlan.Sample.cptr(root: 1), nullCptr, nullCptr])),
    ]
  }

  /// `second`'s Call (label 1, two registers).
  public static let call = Event.syscall(
    .call,
    SyscallArguments(
      capRegister: endpointCptr, messageInfo: MessageInfo(label: 1, length: 2).word, messageRegisters: [11, 12]))

  /// Main's ReplyRecv (one register).
  public static let replyRecv = Event.syscall(
    .replyRecv,
    SyscallArguments(
      capRegister: endpointCptr, messageInfo: MessageInfo(label: 0, length: 1).word, messageRegisters: [21],
      replyRegister: replyCptr))

  /// The kernel after the setup, with or without the fastpath.
  static func kernel(fastpath: Bool) -> KernelState {
    var kernel = KernelState(plan: plan)
    kernel.fastpathEnabled = fastpath
    for event in setup { _ = kernel.step(event) }
    kernel.clearWriteLog()
    return kernel
  }

  /// Nanoseconds per round trip of the kernel, median of `repetitions` runs of `roundTrips` each.
  public static func kernelNanoseconds(fastpath: Bool, roundTrips: Int, repetitions: Int) -> Double {
    let clock = ContinuousClock()
    var runs: [Double] = []
    var sink: UInt64 = 0
    for _ in 0..<max(1, repetitions) {
      var kernel = kernel(fastpath: fastpath)
      let start = clock.now
      for i in 0..<max(1, roundTrips) {
        if kernel.step(call).current != nil { sink &+= 1 }
        if kernel.step(replyRecv).current != nil { sink &+= 1 }
        // The write log grows with every store; the checker clears it after each step.
        if i & 1023 == 0 { kernel.clearWriteLog() }
      }
      runs.append(seconds(clock.now - start) * 1e9 / Double(max(1, roundTrips)))
    }
    if sink == UInt64.max { print("") }
    return median(runs)
  }

  /// Nanoseconds per round trip of the ExecutableSpec, as `kernelNanoseconds`.
  public static func execNanoseconds(roundTrips: Int, repetitions: Int) -> Double {
    let clock = ContinuousClock()
    var runs: [Double] = []
    var sink: UInt64 = 0
    for _ in 0..<max(1, repetitions) {
      var exec = ExecState(plan: plan)
      for event in setup { _ = exec.step(event) }
      let start = clock.now
      for _ in 0..<max(1, roundTrips) {
        if exec.step(call).current != nil { sink &+= 1 }
        if exec.step(replyRecv).current != nil { sink &+= 1 }
      }
      runs.append(seconds(clock.now - start) * 1e9 / Double(max(1, roundTrips)))
    }
    if sink == UInt64.max { print("") }
    return median(runs)
  }
}
