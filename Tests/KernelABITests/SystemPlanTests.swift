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
}
