import KernelABI
import Testing

@Suite struct SystemPlanTests {
  @Test func sampleIsValid() {
    #expect(SystemPlan.sample.validate() == [])
  }

  /// The default run's system is valid; a thread started in Recv must wait on an endpoint with a
  /// reply object no other receiver holds, and must not be the current thread.
  @Test func aThreadStartedInRecvIsValidated() {
    #expect(SystemPlan.sampleWithServer.validate() == [])
    var server = SystemPlan.sampleWithServer
    let index = server.threads.count - 1
    server.threads[index].receive?.endpoint = SystemPlan.Sample.notification
    #expect(server.validate().contains { $0.contains("which is no endpoint") })
    var twice = SystemPlan.sampleWithServer
    twice.threads[1].receive = twice.threads[index].receive
    #expect(twice.validate().contains { $0.contains("tied to two receivers") })
    var current = SystemPlan.sampleWithServer
    current.threads[0].receive = .init(endpoint: SystemPlan.Sample.endpoint)
    #expect(current.validate().contains { $0.contains("not a running thread other than the current one") })
  }

  @Test func validationCatchesBrokenPlans() {
    var overlapping = SystemPlan.sample
    overlapping.objects.append(.init(name: "clash", address: SystemPlan.Sample.mainTCB + 0x100, kind: .endpoint))
    #expect(overlapping.validate().contains { $0.contains("overlaps") })

    var misaligned = SystemPlan.sample
    misaligned.objects.append(.init(name: "odd", address: 0x10_3008 + 0x1000, kind: .tcb))
    #expect(misaligned.validate().contains { $0.contains("not aligned") })

    var wrongKind = SystemPlan.sample
    wrongKind.caps[SystemPlan.Sample.root(20)] = .thread(SystemPlan.Sample.endpoint)
    #expect(wrongKind.validate().contains { $0.contains("should name a TCB") })

    var inFreeMemory = SystemPlan.sample
    inFreeMemory.objects.append(.init(name: "squatter", address: SystemPlan.Sample.bigUntyped, kind: .endpoint))
    #expect(inFreeMemory.validate().contains { $0.contains("free memory") })

    var cyclic = SystemPlan.sample
    cyclic.cdtParent[SystemPlan.Sample.root(3)] = SystemPlan.Sample.root(14)
    #expect(cyclic.validate().contains { $0.contains("cycle") })
  }

  @Test func sampleCptrsAddressTheDocumentedSlots() {
    #expect(SystemPlan.Sample.cptr(root: 3) == 0x300)
    #expect(SystemPlan.Sample.cptr(aux: 1) == 0xD01)
  }

  /// A configured scheduling context SchedControl_ConfigureFlags would refuse is refused, with its
  /// reason, in ConfigureFlags' order; the limits themselves are accepted.
  @Test(arguments: [
    (
      SystemPlan.SchedContextConfiguration(budget: 3_600_000_001, period: 3_600_000_001),
      "budget 3600000001 µs is above MAX_PERIOD_US"
    ),
    (
      SystemPlan.SchedContextConfiguration(budget: 1_000, period: 3_600_000_001),
      "period 3600000001 µs is above MAX_PERIOD_US"
    ),
    (SystemPlan.SchedContextConfiguration(budget: 1, period: 1_000), "budget 1 µs is below MIN_BUDGET_US"),
    (SystemPlan.SchedContextConfiguration(budget: 0, period: 0), "budget 0 µs is below MIN_BUDGET_US"),
    (SystemPlan.SchedContextConfiguration(budget: 2, period: 1), "period 1 µs is below MIN_BUDGET_US"),
    (SystemPlan.SchedContextConfiguration(budget: 1_001, period: 1_000), "budget 1001 µs is above its period 1000 µs"),
    (SystemPlan.SchedContextConfiguration(budget: 100, period: 1_000, refillMax: 11), "refillMax 11 is outside 2...10"),
    (SystemPlan.SchedContextConfiguration(budget: 100, period: 1_000, refillMax: 1), "refillMax 1 is outside 2...10"),
  ])
  func configurationsConfigureFlagsRefusesAreRefused(
    configuration: SystemPlan.SchedContextConfiguration, reason: String
  ) {
    var plan = SystemPlan.sample
    plan.schedContexts[SystemPlan.Sample.secondSC] = configuration
    let problems = plan.validate()
    #expect(problems.count == 1)
    #expect(problems.first?.contains(reason) == true, "\(problems)")
    #expect(problems.first?.contains("SchedControl_ConfigureFlags would refuse it") == true)
  }

  @Test func theLimitsConfigureFlagsAcceptsAreAccepted() {
    for configuration in [
      SystemPlan.SchedContextConfiguration(budget: 2, period: 2),
      SystemPlan.SchedContextConfiguration(budget: 2, period: 3_600_000_000, refillMax: 10),
      SystemPlan.SchedContextConfiguration(budget: 3_600_000_000, period: 3_600_000_000),
    ] {
      var plan = SystemPlan.sample
      plan.schedContexts[SystemPlan.Sample.secondSC] = configuration
      #expect(plan.validate() == [], "\(configuration)")
    }
  }

  /// Boot's `refill_new` arguments: round robin when budget = period (two refills, period 0),
  /// otherwise the plan's refill limit and period; both in ticks.
  @Test func refillNewArgumentsAreInTicks() {
    let rr = SystemPlan.refillNewArguments(.init(budget: 1_000, period: 1_000, refillMax: 5))
    #expect(rr == (2, 10_000, 0))
    let sporadic = SystemPlan.refillNewArguments(.init(budget: 250, period: 1_000, refillMax: 5))
    #expect(sporadic == (5, 2_500, 10_000))
    #expect(SystemPlan.idleRefillNewArguments == (2, TimeConfig.maxPeriod, 0))
  }
}
