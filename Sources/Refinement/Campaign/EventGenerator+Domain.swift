// The generator's DomainSet events (`Domain.swift` in each layer, docs/scheduler.md "Domains"):
// DomainSet_Set, DomainSet_ScheduleConfigure and DomainSet_ScheduleSetStart on a DomainSet cap the
// thread can invoke.
//
// Set moves a thread (another thread's, seven times in ten) to a domain: domain 0 about half the
// time, so that a thread sent away comes back, else one of the other fifteen, sometimes one the
// kernel has not (InvalidArgument(0)), a cap that is no thread cap (InvalidArgument(1)) or none
// (TruncatedMessage). With the boot schedule only domain 0 ever runs, so a thread of another
// domain waits in its queue. The schedule methods change that: Configure writes an entry (mostly
// one of the first four, of domain 0 or 1, for 500 to 5,000 ticks, else each check's failure in
// seL4's order: the index, the domain, the duration, no time for a domain other than 0, an end
// marker at the start index), SetStart ends the current domain now and restarts the schedule at
// an entry (an end marker or an index beyond it sometimes: InvalidArgument(0), RangeError), so
// domains take turns as time passes. A turn of a domain with no thread to run leaves the idle
// thread running, which ends the trace; both are rare (three in twenty of the DomainSet events).
// Kernel paths: `domain.DomainSet_Set.KIND` (the extra cap's kind), `domain.DomainSet_ScheduleConfigure`,
// `domain.DomainSet_ScheduleSetStart`. (`seL4:src/object/domain.c`.)

import AbstractSpec
import KernelABI

extension EventGenerator {
  /// The DomainSet methods, in label order, and how often each is chosen (of 20): Set 14,
  /// ScheduleConfigure 3, ScheduleSetStart 3.
  static let domainMethods: [(label: InvocationLabel, weight: UInt64)] = [
    (.domainSetSet, 14), (.domainScheduleConfigure, 3), (.domainScheduleSetStart, 3),
  ]

  /// One DomainSet method (the file's header); garbage when the thread can invoke no DomainSet cap.
  mutating func domainInvocation(_ view: View) -> Event {
    guard let domainCap = rng.pick(view.full.filter { $0.cap == .domain && $0.invocationCptr != nil }),
      let cptr = domainCap.invocationCptr
    else { return garbage(view) }
    var pick = rng.below(20)
    var label = InvocationLabel.domainSetSet
    for method in Self.domainMethods {
      if pick < method.weight {
        label = method.label
        break
      }
      pick -= method.weight
    }
    let numDomains = KernelConstants.numDomains
    let length = DomainConfig.domScheduleLength
    let state = view.state
    switch label {
    case .domainScheduleConfigure:
      let index = rng.chance(85) ? rng.below(4) : (rng.chance(50) ? length - 1 + rng.below(3) : rng.below(length))
      let domain = rng.chance(85) ? rng.below(2) : (rng.chance(50) ? numDomains + rng.below(4) : rng.below(numDomains))
      let duration: UInt64
      switch rng.below(20) {
      case 0: duration = DomainConfig.maxDuration + 1
      case 1, 2: duration = 0
      default: duration = 500 + rng.below(4_501)
      }
      lastPath = "domain.\(label.libsel4Name)"
      return call(cptr, label: label.rawValue, [index, domain, duration])
    case .domainScheduleSetStart:
      let markers = (0..<length).filter { state.domainList[Int($0)].isEndMarker }
      let index: UInt64
      switch rng.below(10) {
      case 0: index = length + rng.below(4)
      case 1: index = rng.pick(markers) ?? length
      default: index = rng.chance(70) ? 0 : rng.below(4)
      }
      lastPath = "domain.\(label.libsel4Name)"
      return call(cptr, label: label.rawValue, [index])
    default:
      let threads = threadCaps(view)
      let others = threads.filter { $0.cap != .thread(state.currentThread) }
      var target = (rng.chance(70) ? rng.pick(others) : nil) ?? rng.pick(threads)
      switch rng.below(20) {
      case 0: target = rng.pick(view.full.filter { $0.invocationCptr != nil })
      case 1: target = nil
      default: break
      }
      let domain = rng.chance(50) ? 0 : (rng.chance(90) ? 1 + rng.below(numDomains - 1) : numDomains + rng.below(8))
      let extraCaps = (target?.invocationCptr).map { [$0] } ?? []
      lastPath = "domain.\(label.libsel4Name).\(Self.kind(extraCaps.isEmpty ? .null : target?.cap ?? .null))"
      return call(cptr, label: label.rawValue, [domain], extraCaps: extraCaps)
    }
  }
}
