// Endpoints: the twin of `AbstractSpec/Endpoint.swift`, only `cancelIPC`'s notification branch so
// far (the twin has no endpoints or replies). A thread blocked on an endpoint or a reply (the
// twin's `other` state) is outside the twin: `cancelIPC` marks the path `objectBoundReached`, and
// the proofs leave it out. (`seL4:src/object/endpoint.c` `cancelIPC`; `l4v:spec/abstract/IpcCancel_A.thy`.)

extension TwinState {
  /// `cancel_ipc`: the thread stops waiting, here on a notification (`cancelSignal`). Clearing a
  /// fault is outside the twin (threads have no fault word).
  public mutating func cancelIPC(_ thread: Word) {
    let tcb = self.thread(thread)
    if domain.decide(tcb.is(.blockedOnNotification)) {
      cancelSignal(thread, tcb.waitingOn)
    } else if domain.decide(tcb.is(.other)) {
      objectBoundReached = true
    }
  }
}
