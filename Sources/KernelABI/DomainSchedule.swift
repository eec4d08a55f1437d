// The domain schedule's shape, shared by the three layers (each keeps its own copy of the state:
// `AbstractSpec/Domain.swift`, `ExecutableSpec/Domain.swift`, `Kernel/Domain.swift`).
//
// seL4 HEAD keeps `ksDomSchedule`, an array of `CONFIG_NUM_DOMAIN_SCHEDULES` words, each the
// domain in its top 8 bits and the duration (ticks on MCS) in its low 56 (`dschedule_make`,
// `include/object/domain.h`). An all-zero word is an end marker; the last entry always is one.
// Boot writes entry 0 as (domain 0, the largest duration) and leaves the rest zero, with start and
// current index 0 (`src/kernel/boot.c`), so with that schedule the current domain never ends in
// any run this package can make. (`seL4:src/object/domain.c`, `include/object/domain.h`,
// `src/model/statedata.c`; l4v `proof/refine/Invariants_H.thy` `valid_dom_schedule'`.)

/// One entry of the domain schedule: run `domain` for `duration` ticks. (0, 0) is the end marker.
public struct DomainScheduleEntry: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The domain (`dschedule_domain`).
  public var domain: UInt64
  /// The length in ticks (`dschedule_duration`).
  public var duration: UInt64

  public init(domain: UInt64, duration: UInt64) {
    self.domain = domain
    self.duration = duration
  }

  /// The end marker (`dschedule_is_end_marker`: the whole word is 0).
  public static let endMarker = DomainScheduleEntry(domain: 0, duration: 0)

  /// Whether this entry is an end marker.
  public var isEndMarker: Bool { domain == 0 && duration == 0 }

  /// The entry as seL4 stores it (`dschedule_make`): domain in the top 8 bits, duration below.
  public var word: UInt64 {
    (domain << DomainConfig.domainShift) | (duration & DomainConfig.maxDuration)
  }

  /// The entry a stored word holds (`dschedule_domain`, `dschedule_duration`).
  public init(word: UInt64) {
    self.init(domain: word >> DomainConfig.domainShift, duration: word & DomainConfig.maxDuration)
  }

  public var description: String { isEndMarker ? "(end)" : "(domain \(domain), \(duration) ticks)" }
}

/// The domain scheduler's configuration.
public enum DomainConfig {
  /// `CONFIG_NUM_DOMAIN_SCHEDULES` (`domScheduleLength`): seL4's default when there is more than one
  /// domain (`config.cmake`: 100).
  public static let domScheduleLength: UInt64 = 100
  /// `DSCHED_DOMAIN_SHIFT`: the domain lies in the top 8 bits.
  public static let domainShift: UInt64 = 56
  /// `DSCHED_MAX_DURATION`: 2^56 − 1 ticks.
  public static let maxDuration: UInt64 = (1 << 56) - 1

  /// The schedule seL4's boot leaves (`src/kernel/boot.c`): entry 0 is (domain 0, the largest
  /// duration), every other entry an end marker.
  public static let bootSchedule: [DomainScheduleEntry] =
    [DomainScheduleEntry(domain: 0, duration: maxDuration)]
    + Array(repeating: .endMarker, count: Int(domScheduleLength) - 1)

  /// The full schedule a plan's entries stand for: the entries, then end markers to the length
  /// (nil: the boot schedule).
  public static func schedule(_ entries: [DomainScheduleEntry]?) -> [DomainScheduleEntry] {
    guard let entries else { return bootSchedule }
    return entries + Array(repeating: .endMarker, count: max(0, Int(domScheduleLength) - entries.count))
  }

  /// What is wrong with a plan's domain schedule (`valid_dom_schedule'` at step 0, plus what the
  /// loader needs): at most `domScheduleLength − 1` entries (the last is always an end marker),
  /// each of a domain the kernel has, with a duration that fits in 56 bits, a zero duration only
  /// with domain 0 (an end marker), the first entry (where the schedule starts) of domain 0 with a
  /// positive duration: the plan's current thread is one of domain 0 (`SystemPlan.firstToRun`).
  /// Requiring domain 0 there is this model's rule, not seL4's: seL4 refuses only a zero duration
  /// for the entry the schedule starts at (DomainSet_ScheduleConfigure, ScheduleSetStart: no end
  /// marker), and starts a schedule in any domain; the model refuses another domain because its
  /// plans start with the current thread already chosen from domain 0 (`seL4:src/object/domain.c`).
  public static func problems(_ entries: [DomainScheduleEntry]) -> [String] {
    var problems: [String] = []
    if entries.count > Int(domScheduleLength) - 1 {
      problems.append("the domain schedule has \(entries.count) entries (at most \(domScheduleLength - 1))")
    }
    if let first = entries.first {
      if first.domain != 0 || first.duration == 0 {
        problems.append("the domain schedule starts with \(first), not a positive time of domain 0")
      }
    } else {
      problems.append("the domain schedule is empty")
    }
    for (index, entry) in entries.enumerated() {
      if entry.domain >= KernelConstants.numDomains {
        problems.append(
          "domain schedule entry \(index) is of domain \(entry.domain) (the kernel has \(KernelConstants.numDomains))")
      }
      if entry.duration > maxDuration {
        problems.append("domain schedule entry \(index) lasts \(entry.duration) ticks (at most 2^56 − 1)")
      }
      if entry.duration == 0 && entry.domain != 0 {
        problems.append("domain schedule entry \(index) has domain \(entry.domain) and no time")
      }
    }
    return problems
  }
}

/// The conditions of `valid_dom_schedule'` (l4v `proof/refine/Invariants_H.thy`, with seL4 HEAD's
/// start index), one sentence per broken one, shared by the three layers' invariants (each reads
/// its own state: `Invariants+Domain.swift`).
public enum DomainScheduleCheck {
  /// What is wrong with `schedule` at current index `index` and start index `start`.
  public static func problems(_ schedule: [DomainScheduleEntry], index: UInt64, start: UInt64) -> [String] {
    var problems: [String] = []
    let length = UInt64(schedule.count)
    if length != DomainConfig.domScheduleLength {
      problems.append("the schedule has \(length) entries, not \(DomainConfig.domScheduleLength)")
    }
    for (i, entry) in schedule.enumerated() {
      if entry.domain >= KernelConstants.numDomains {
        problems.append("entry \(i) is of domain \(entry.domain) (the kernel has \(KernelConstants.numDomains))")
      }
      if entry.duration > DomainConfig.maxDuration {
        problems.append("entry \(i) lasts \(entry.duration) ticks, more than 2^56 − 1")
      }
      if entry.duration == 0 && entry.domain != 0 {
        problems.append("entry \(i) is of domain \(entry.domain) and lasts no time")
      }
    }
    if let last = schedule.last, !last.isEndMarker {
      problems.append("the last entry \(last) is no end marker")
    }
    if length == 0 || index >= length - 1 {
      problems.append("the current index \(index) is not before the last entry")
    }
    if start >= length {
      problems.append("the start index \(start) lies past the schedule")
    } else if schedule[Int(start)].isEndMarker {
      problems.append("the start index \(start) names an end marker")
    }
    return problems
  }
}
