// The three layers mirror each other (docs/architecture.md): an operation has one identifier in
// AbstractSpec, ExecutableSpec and Kernel, in the file of the same name, and the three versions
// sit in the same order in the three files; `Observation` is made only in the `Observe.swift`
// files. These tests read the sources, so that a rename in one layer, or an operation moved
// ahead of another in one file, fails here rather than in a reader's search.

import Foundation
import Testing

@Suite struct LayerMirrorTests {
  /// The package's `Sources`, from this file's path.
  static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Sources")

  static let layers = ["AbstractSpec", "ExecutableSpec", "Kernel"]

  /// The operations of each file, in their order. The abstract spec's derivation tree is
  /// `CDT.swift` where the other two layers keep the MDB list in `MDB.swift`.
  static let operations: [(file: String, abstractFile: String, names: [String])] = [
    ("CSpace.swift", "CSpace.swift", ["resolveAddressBits", "lookupSlot", "lookupSlotForCNodeOp"]),
    (
      "Capability.swift", "Capability.swift",
      ["sameRegionAs", "sameObjectAs", "maskCapRights", "updateCapData", "isCapRevocable", "deriveCap"]
    ),
    (
      "MDB.swift", "CDT.swift",
      [
        "hasChildren", "ensureNoChildren", "ensureEmptySlot", "setUntypedCapAsFull", "cteInsert", "insertNewCap",
        "cteMove", "cteSwap", "emptySlot",
      ]
    ),
    (
      "CNode.swift", "CNode.swift",
      ["decodeCNodeInvocation", "decodeCNodeCopyOrMove", "decodeCNodeRotate", "invokeCNode"]
    ),
    ("Untyped.swift", "Untyped.swift", ["decodeUntypedInvocation", "invokeUntyped"]),
    (
      "TCB.swift", "TCB.swift",
      [
        "decodeTCBInvocation", "decodeSetPriority", "decodeSetMCPriority", "checkPrio", "invokeTCB", "setMCPriority",
        "setPriority",
      ]
    ),
    ("Delete.swift", "Delete.swift", ["isFinalCapability", "cteDelete", "finaliseCap", "cteRevoke"]),
    (
      "SchedContext.swift", "SchedContext.swift",
      [
        "decodeSchedContextInvocation", "decodeSchedContextBind", "decodeSchedContextUnbindObject",
        "decodeSchedContextYieldTo", "invokeSchedContext", "invokeSchedContextBind", "invokeSchedContextUnbind",
        "invokeSchedContextUnbindObject", "invokeSchedContextConsumed", "invokeSchedContextYieldTo",
        "schedContextBindNtfn", "schedContextUnbindNtfn", "schedContextMaybeUnbindNtfn", "schedContextUnbindAllTCBs",
        "schedContextCompleteYieldTo", "schedContextCancelYieldTo", "schedContextUpdateConsumed", "setConsumed",
      ]
    ),
    ("Invocation.swift", "Invocation.swift", ["decodeInvocation", "performInvocation"]),
    (
      "Syscall.swift", "Syscall.swift",
      [
        "callKernel", "handleEvent", "handleSyscall", "handleRecv", "handleYield",
        "handleInvocation", "callerStillRuns", "replyFromKernel", "handleFault",
      ]
    ),
    (
      "Scheduler.swift", "Scheduler.swift",
      [
        "tcbSchedEnqueue", "tcbSchedAppend", "tcbSchedDequeue", "isSchedulable", "rescheduleRequired",
        "possibleSwitchTo", "scheduleTCB", "isHighestPrio", "chooseThread", "switchToThread", "switchToIdleThread",
        "postpone", "awaken", "switchSchedContext", "refillUnblockCheck", "schedule", "activateThread",
        "schedContextBindTCB", "schedContextResume", "scReleased", "schedContextUnbindTCB", "schedContextDonate",
        "schedContextUnbindReply",
        "suspend", "isStopped", "restart",
      ]
    ),
    (
      "Invariants+Sched.swift", "Invariants+Sched.swift",
      ["schedInvariantViolations", "symRefsSchedContexts", "symRefsSCReplies"]
    ),
    (
      "Invariants+Idle.swift", "Invariants+Idle.swift",
      ["isIdle", "isIdleObject", "validIdle", "onlyIdle", "idleInvariantsHold"]
    ),
    (
      "Notification.swift", "Notification.swift",
      [
        "tcbEPAppend", "tcbEPDequeue", "sendSignal", "receiveSignal", "completeSignal", "doNBRecvFailedTransfer",
        "cancelSignal", "cancelAllSignals", "unbindNotification", "unbindMaybeNotification", "reorderNTFN",
      ]
    ),
    (
      "Endpoint.swift", "Endpoint.swift",
      [
        "tcbAppend", "tcbEPAppend", "tcbEPDequeue", "storeSentMessage", "storeReceiveSlot", "sendIPC",
        "receiveIPC", "doIPCTransfer", "lookupExtraCaps", "getReceiveSlots",
        "transferCaps", "blockedCancelIPC", "cancelIPC", "cancelAllIPC", "cancelBadgedSends", "reorderEP",
      ]
    ),
    ("Reply.swift", "Reply.swift", ["replyUnlink", "replyPush", "replyRemove", "replyRemoveTCB", "doReplyTransfer"]),
    (
      "Fault.swift", "Fault.swift",
      [
        "sendFaultIPC", "handleNoFaultHandler", "doFaultTransfer", "handleFaultReply",
        "copyMRsFaultReply", "restartThreadIfNoFault",
      ]
    ),
    ("Observe.swift", "Observe.swift", ["observe", "replyMessage"]),
    (
      "Budget.swift", "Budget.swift",
      [
        "updateTimestamp", "checkBudget", "checkBudgetRestart", "commitTime", "chargeBudget", "endTimeslice",
        "setNextInterrupt", "timerTick",
      ]
    ),
  ]

  /// Operations two layers have and the third does not, with why.
  static let notMirrored: [String: String] = [
    "lookupCap": "the kernel reads the cap from the CTE that lookupSlot finds",
    "cspaceRoot": "the kernel reads the root CNode cap from the TCB's CTE words where it needs it",
    "createObject": "the abstract spec makes an object as l4v's default_object does (`defaultObject`)",
    "deleteContents": "the kernel's finaliseCap frees an object's memory through `destroy`",
    "replyPop": "l4v-rt's reply_remove pops the head of a call stack itself (`reply_unlink_sc`)",
  ]

  static func text(_ layer: String, _ file: String) throws -> String {
    try String(contentsOf: sources.appendingPathComponent(layer).appendingPathComponent(file), encoding: .utf8)
  }

  /// Where `func name` first appears in `text`, if it does.
  static func position(of name: String, in text: String) -> String.Index? {
    var from = text.startIndex
    while let found = text.range(of: "func \(name)", range: from..<text.endIndex) {
      let after = found.upperBound
      if after == text.endIndex || !(text[after].isLetter || text[after].isNumber || text[after] == "_") {
        return found.lowerBound
      }
      from = after
    }
    return nil
  }

  @Test(arguments: operations.map(\.file))
  func eachOperationIsInEveryLayerInTheSameOrder(_ file: String) throws {
    let entry = try #require(LayerMirrorTests.operations.first { $0.file == file })
    for layer in LayerMirrorTests.layers {
      let name = layer == "AbstractSpec" ? entry.abstractFile : entry.file
      let text = try LayerMirrorTests.text(layer, name)
      var last: String.Index? = nil
      for operation in entry.names {
        let at = LayerMirrorTests.position(of: operation, in: text)
        #expect(at != nil, "\(layer)/\(name) has no func \(operation)")
        if let at, let before = last {
          #expect(before < at, "\(layer)/\(name): \(operation) comes before the operation listed ahead of it")
        }
        last = at ?? last
      }
    }
  }

  /// The operations listed as not mirrored are indeed missing from exactly one layer (an entry
  /// that became mirrored, or vanished, should leave the list).
  @Test func theExceptionsAreStillExceptions() throws {
    for (operation, _) in LayerMirrorTests.notMirrored {
      var count = 0
      for layer in LayerMirrorTests.layers {
        let files = try FileManager.default.contentsOfDirectory(
          atPath: LayerMirrorTests.sources.appendingPathComponent(layer).path)
        let found = try files.filter { $0.hasSuffix(".swift") }.contains {
          LayerMirrorTests.position(of: operation, in: try LayerMirrorTests.text(layer, $0)) != nil
        }
        if found { count += 1 }
      }
      #expect(count == 2, "\(operation) is in \(count) layers")
    }
  }

  /// Whether `text` calls `Observation(` itself (not a longer name ending in it, such as
  /// `AvailabilityObservation(`).
  static func makesObservation(_ text: String) -> Bool {
    let pieces = text.components(separatedBy: "Observation(")
    return pieces.dropLast().contains { piece in
      guard let last = piece.last else { return true }
      return !(last.isLetter || last.isNumber || last == "_")
    }
  }

  /// `Observation(` appears in the sources only in the layers' `Observe.swift` files.
  @Test func observationsAreMadeOnlyInObserve() throws {
    let enumerator = try #require(FileManager.default.enumerator(atPath: LayerMirrorTests.sources.path))
    var makers: [String] = []
    for case let path as String in enumerator where path.hasSuffix(".swift") {
      let text = try String(contentsOf: LayerMirrorTests.sources.appendingPathComponent(path), encoding: .utf8)
      if Self.makesObservation(text) && !path.hasSuffix("/Observe.swift") {
        makers.append(path)
      }
    }
    #expect(makers.isEmpty, "Observation( outside Observe.swift: \(makers)")
  }
}
