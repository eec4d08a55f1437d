// Tests for the MCS invocation-label numbering, libsel4 names and the object kind of each label.

import KernelABI
import Testing

@Suite("InvocationLabel")
struct InvocationLabelTests {
  @Test("spot checks against the MCS numbering")
  func numbers() {
    #expect(InvocationLabel.invalidInvocation.rawValue == 0)
    #expect(InvocationLabel.untypedRetype.rawValue == 1)
    #expect(InvocationLabel.tcbReadRegisters.rawValue == 2)
    #expect(InvocationLabel.tcbSetSchedParams.rawValue == 8)
    #expect(InvocationLabel.tcbSetTimeoutEndpoint.rawValue == 9)
    #expect(InvocationLabel.tcbSetIPCBuffer.rawValue == 10)
    #expect(InvocationLabel.tcbSetTLSBase.rawValue == 16)
    #expect(InvocationLabel.tcbSetFlags.rawValue == 17)
    #expect(InvocationLabel.cnodeRevoke.rawValue == 18)
    #expect(InvocationLabel.cnodeCopy.rawValue == 21)
    #expect(InvocationLabel.cnodeMint.rawValue == 22)
    #expect(InvocationLabel.cnodeRotate.rawValue == 25)
    #expect(InvocationLabel.irqIssueIRQHandler.rawValue == 26)
    #expect(InvocationLabel.irqClearIRQHandler.rawValue == 29)
    #expect(InvocationLabel.domainSetSet.rawValue == 30)
    #expect(InvocationLabel.domainScheduleSetStart.rawValue == 32)
    #expect(InvocationLabel.schedControlConfigureFlags.rawValue == 33)
    #expect(InvocationLabel.schedContextBind.rawValue == 34)
    #expect(InvocationLabel.schedContextConsumed.rawValue == 37)
    #expect(InvocationLabel.schedContextYieldTo.rawValue == 38)
  }

  @Test("labels are exactly 0...38 with no gaps")
  func contiguous() {
    #expect(InvocationLabel.allCases.count == 39)
    #expect(InvocationLabel.allCases.map(\.rawValue) == Array(0...38))
    #expect(InvocationLabel(rawValue: 39) == nil)
  }

  @Test("libsel4 names")
  func names() {
    #expect(InvocationLabel.cnodeCopy.libsel4Name == "CNode_Copy")
    #expect(InvocationLabel.untypedRetype.libsel4Name == "Untyped_Retype")
    #expect(InvocationLabel.tcbSetPriority.libsel4Name == "TCB_SetPriority")
    #expect(InvocationLabel.schedControlConfigureFlags.libsel4Name == "SchedControl_ConfigureFlags")
    #expect(InvocationLabel.schedContextYieldTo.libsel4Name == "SchedContext_YieldTo")
    #expect(InvocationLabel.irqIssueIRQHandler.libsel4Name == "IRQ_IssueIRQHandler")
    #expect(InvocationLabel.irqAckIRQ.libsel4Name == "IRQ_AckIRQ")
    #expect(InvocationLabel.tcbSetIPCBuffer.libsel4Name == "TCB_SetIPCBuffer")
    #expect(InvocationLabel.domainSetSet.libsel4Name == "DomainSet_Set")
    #expect(InvocationLabel.invalidInvocation.libsel4Name == "InvalidInvocation")
  }

  @Test("names are unique and decode back")
  func nameRoundTrip() {
    #expect(Set(InvocationLabel.allCases.map(\.libsel4Name)).count == InvocationLabel.allCases.count)
    for label in InvocationLabel.allCases {
      #expect(InvocationLabel(libsel4Name: label.libsel4Name) == label)
    }
    #expect(InvocationLabel(libsel4Name: "CNode_SaveCaller") == nil)
    #expect(InvocationLabel(libsel4Name: "cnode_copy") == nil)
  }

  // MARK: Targets

  @Test("each object kind owns a contiguous block of labels")
  func targets() {
    #expect(InvocationLabel.labels(for: .none).map(\.rawValue) == [0])
    #expect(InvocationLabel.labels(for: .untyped).map(\.rawValue) == [1])
    #expect(InvocationLabel.labels(for: .tcb).map(\.rawValue) == Array(2...17))
    #expect(InvocationLabel.labels(for: .cnode).map(\.rawValue) == Array(18...25))
    #expect(InvocationLabel.labels(for: .irqControl).map(\.rawValue) == [26])
    #expect(InvocationLabel.labels(for: .irqHandler).map(\.rawValue) == [27, 28, 29])
    #expect(InvocationLabel.labels(for: .domain).map(\.rawValue) == [30, 31, 32])
    #expect(InvocationLabel.labels(for: .schedControl).map(\.rawValue) == [33])
    #expect(InvocationLabel.labels(for: .schedContext).map(\.rawValue) == Array(34...38))
    let covered = InvocationTarget.allCases.reduce(0) { $0 + InvocationLabel.labels(for: $1).count }
    #expect(covered == InvocationLabel.allCases.count)
  }

  @Test("the name prefix agrees with the target")
  func prefixMatchesTarget() {
    let prefixes: [InvocationTarget: [String]] = [
      .untyped: ["Untyped_"], .tcb: ["TCB_"], .cnode: ["CNode_"], .irqControl: ["IRQ_"],
      .irqHandler: ["IRQ_"], .domain: ["DomainSet_"], .schedControl: ["SchedControl_"],
      .schedContext: ["SchedContext_"], .none: ["InvalidInvocation"],
    ]
    for label in InvocationLabel.allCases {
      let allowed = prefixes[label.target] ?? []
      #expect(allowed.contains { label.libsel4Name.hasPrefix($0) }, "\(label)")
    }
  }
}
