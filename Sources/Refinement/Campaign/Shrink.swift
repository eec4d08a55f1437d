// Delta debugging (Zeller's ddmin) over a list of events: the smallest sub-list that still fails
// the same way. `fails` re-runs the layers from the initial state on a candidate list.

/// The shortest sub-sequence of `events` (keeping order) for which `fails` still holds, found by
/// removing chunks of halving size and then single events until nothing more can go.
/// - Complexity: O(n²) calls of `fails` in the worst case; typically far fewer.
public func shrinkEvents<E>(_ events: [E], fails: ([E]) -> Bool) -> [E] {
  var current = events
  var chunk = max(1, current.count / 2)
  while !current.isEmpty {
    var removedAny = false
    var start = 0
    while start < current.count {
      let end = min(current.count, start + chunk)
      let candidate = Array(current[..<start] + current[end...])
      if fails(candidate) {
        current = candidate
        removedAny = true
      } else {
        start = end
      }
    }
    if chunk == 1 && !removedAny { break }
    chunk = removedAny ? chunk : max(1, chunk / 2)
  }
  return current
}
