// The scheduler's thread operations: the twin of `AbstractSpec/Scheduler.swift`, only `suspend`'s
// effect on the twin's threads and notifications so far. `updateRestartPC` (registers),
// `tcbSchedDequeue` and `tcbReleaseRemove` (the ready and release queues) and
// `schedContextCancelYieldTo` (`yieldTo`) write nothing the twin holds.
// (`seL4:src/object/tcb.c` `suspend`; `l4v-rt:spec/abstract/Schedule_A.thy`, `Tcb_A.thy`.)

extension TwinState {
  /// `suspend`: the thread stops waiting (`cancelIPC`) and is Inactive.
  public mutating func suspend(_ thread: Word) {
    if seams.objectMutant != .suspendSkipsCancelIPC { cancelIPC(thread) }
    setThreadState(thread, seams.objectMutant == .suspendWritesIdleState ? .idleThreadState : .inactive)
  }
}
