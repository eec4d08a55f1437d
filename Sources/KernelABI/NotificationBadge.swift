// The notification word's one piece of arithmetic: a signal to an Active notification ORs its
// badge into the word it holds (seL4:src/object/notification.c `sendSignal`, the
// `NtfnState_Active` case: `ntfn_set_active(ntfnPtr, badge | notification_ptr_get_ntfnMsgIdentifier(ntfnPtr))`),
// so that the waiter that finally receives sees every badge signalled since the last receive.
//
// Written once, generic over `MachineWord`: the executable spec and the kernel run it on `UInt64`,
// and `refine-check prove` runs the same code on symbolic words (`kernel.notification.badgeOr.*`,
// `Notification+Obligations.swift` in Refinement): no signalled bit is lost, the badge's bits are
// all added and nothing else, the order and grouping of signals do not matter, and a zero badge
// changes nothing.

public import Bitwise

/// The notification badge word's update.
public enum NotificationBadge {
  /// The word of an Active notification holding `word` after a signal with `badge`.
  @inlinable
  public static func accumulate<W: MachineWord>(_ word: W, badge: W) -> W {
    word | badge
  }
}
