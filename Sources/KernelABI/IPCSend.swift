// What a thread blocked on an endpoint send keeps for the receiver that will take its message
// (seL4 `thread_state_t`'s `blockingIPCBadge`, `blockingIPCCanGrant`, `blockingIPCCanGrantReply`,
// `blockingIPCIsCall`; l4v `sender_payload`): the three layers share the record, each keeping it
// its own way (the kernel as words of the TCB).

/// The fields of a BlockedOnSend thread state (l4v `sender_payload`).
public struct IPCSendFields: Hashable, Sendable, Codable {
  /// The badge of the cap the thread sends through (`sender_badge`).
  public var badge: UInt64
  /// The cap has Grant (`sender_can_grant`).
  public var canGrant: Bool
  /// The cap has GrantReply (`sender_can_grant_reply`).
  public var canGrantReply: Bool
  /// The send is a Call's (`sender_is_call`).
  public var isCall: Bool

  public init(badge: UInt64, canGrant: Bool, canGrantReply: Bool, isCall: Bool) {
    self.badge = badge
    self.canGrant = canGrant
    self.canGrantReply = canGrantReply
    self.isCall = isCall
  }
}

/// Which way an endpoint's queue goes (seL4 `EPState_Send`, `EPState_Recv`).
public enum EndpointQueueKind: Hashable, Sendable {
  /// Senders wait.
  case send
  /// Receivers wait.
  case recv
}
