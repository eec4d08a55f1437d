import KernelABI
import Refinement
import TestSupport
import Testing

@testable import Kernel

@Suite struct FuzzTests {
  @Test func splitMix64MatchesItsReferenceOutput() {
    var rng = SplitMix64(seed: 0)
    #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
    #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  /// 20,000 Calls with random labels, arguments and cptrs, biased towards the sample's real slots
  /// so that deep states are reached; the kernel restarts from the plan when its thread stops.
  @Test func randomCallsNeverTrapAndKeepInvariants() {
    var rng = SplitMix64(seed: 0x5EED_CAFE)
    var s = KernelState.sample
    var outcomes: [String: Int] = [:]
    var restarts = 0
    func pick(_ values: [UInt64]) -> UInt64 { values[Int(rng.next() % UInt64(values.count))] }
    func slotCptr() -> UInt64 {
      switch rng.next() % 8 {
      case 0: return rng.next() % 4 == 0 ? rng.next() : S.cptr(root: 10 + rng.next() % 3)
      case 1: return S.cptr(aux: rng.next() % 16)
      default: return S.cptr(root: rng.next() % 40)
      }
    }
    // The labels from the operations table: Untyped's Retype and CNode's eight methods.
    let retype = InvocationLabel.untypedRetype.rawValue
    let cnodeLabels = Operations.labels(of: .cnode).map(\.rawValue)
    #expect(Operations.labels(of: .untyped).map(\.rawValue) == [retype] && cnodeLabels.count == 8)
    func arg() -> UInt64 {
      switch rng.next() % 6 {
      case 0: return rng.next()
      case 1: return pick([0, 1, 4, 8, 56, 58, 60, 64, 65])
      default: return rng.next() % 40
      }
    }
    for i in 0..<20_000 {
      // Half the calls invoke the root CNode, a third an untyped, the rest anything.
      let cptr: UInt64
      switch rng.next() % 6 {
      case 0, 1, 2: cptr = rootCNodeCptr
      case 3, 4: cptr = S.cptr(root: 10 + rng.next() % 3)
      default: cptr = slotCptr()
      }
      let isUntyped = cptr >= S.cptr(root: 10) && cptr <= S.cptr(root: 12)
      let label: UInt64 =
        rng.next() % 10 == 0
        ? rng.next() % 64 : isUntyped && rng.next() % 5 != 0 ? retype : pick(cnodeLabels)
      var mrs: [UInt64] = (0..<Int(rng.next() % 10)).map { _ in arg() }
      if label == retype, mrs.count >= 6, rng.next() % 4 != 0 {
        // A plausible retype: small type and size, depth 0, a few objects.
        mrs[0] = rng.next() % 8
        mrs[1] = pick([0, 2, 4, 7, 8, 12, 20])
        mrs[3] = pick([0, 0, 0, 56])
        mrs[4] = rng.next() % 64
        mrs[5] = pick([1, 2, 3, 300])
      } else if mrs.count >= 2, rng.next() % 2 == 0 {
        mrs[0] = rng.next() % 48
        mrs[1] = 56
        if mrs.count >= 4 {
          mrs[2] = rng.next() % 48
          mrs[3] = pick([56, 56, 64])
        }
      }
      let extra = (0..<Int(rng.next() % 4)).map { _ in rng.next() % 4 == 0 ? slotCptr() : rootCNodeCptr }
      let o = s.step(invoke(cptr, label: label, mrs, caps: extra))
      let key: String
      if let reply = o.reply {
        key = "label \(reply.info.label)"
      } else if o.fault != nil {
        key = "fault"
      } else {
        key = o.notModelled?.description ?? "no reply"
      }
      outcomes[key, default: 0] += 1
      if i % 200 == 0 || s.ksCurThread == KernelConstants.idleThreadPtr {
        let violations = s.invariantViolations()
        #expect(violations == [], "after event \(i)")
        if !violations.isEmpty { return }
      }
      if s.ksCurThread == KernelConstants.idleThreadPtr {
        s = KernelState.sample
        restarts += 1
      }
    }
    #expect(s.invariantViolations() == [])
    // Every error code and a good number of successes were reached.
    for code in 0...10 where code != 5 {
      #expect(outcomes["label \(code)", default: 0] > 0, "error \(code) never seen")
    }
    #expect(outcomes["label 0", default: 0] > 200)
    #expect(restarts > 0)
  }
}
