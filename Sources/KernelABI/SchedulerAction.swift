// The scheduler's vocabulary shared by every layer: what the scheduler will do at the end of the
// current kernel entry (`ksSchedulerAction`), and where a ready queue lies (domain, priority).
//
// seL4 keeps the action as a word: 0 ResumeCurrentThread, 1 ChooseNewThread, otherwise the TCB
// pointer of SwitchToThread (`seL4:include/model/statedata.h`); l4v-rt says it as
// `scheduler_action = resume_cur_thread | choose_new_thread | switch_thread obj_ref`
// (`l4v-rt:spec/abstract/Deterministic_A.thy`). The two spec layers use this enum, the kernel the
// word (`Kernel/Scheduler.swift`).

/// What `schedule` does at the end of the kernel entry (`ksSchedulerAction`).
public enum SchedulerAction: Hashable, Sendable, CustomStringConvertible {
  /// Keep running the current thread (the action at every kernel entry).
  case resumeCurrentThread
  /// Pick the highest-priority ready thread (`chooseThread`).
  case chooseNewThread
  /// Switch to this thread, unless `schedule` finds a better one.
  case switchToThread(ObjectRef)

  public var description: String {
    switch self {
    case .resumeCurrentThread: "ResumeCurrentThread"
    case .chooseNewThread: "ChooseNewThread"
    case .switchToThread(let t): "SwitchToThread(0x\(String(t, radix: 16)))"
    }
  }
}

/// A ready queue: the threads of one domain at one priority (`ready_queues d p`; seL4 indexes
/// `ksReadyQueues` by `dom * CONFIG_NUM_PRIORITIES + prio`).
public struct ReadyQueueIndex: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var domain: UInt64
  public var priority: UInt64

  public init(domain: UInt64, priority: UInt64) {
    self.domain = domain
    self.priority = priority
  }

  public static func < (a: ReadyQueueIndex, b: ReadyQueueIndex) -> Bool {
    (a.domain, a.priority) < (b.domain, b.priority)
  }

  public var description: String { "(domain \(domain), priority \(priority))" }
}
