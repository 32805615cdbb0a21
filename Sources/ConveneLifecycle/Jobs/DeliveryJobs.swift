import ConveneDelivery
import ConveneStore
import Foundation
import Logging

/// Sends the outbox (issue 11): every run sends what is due at the context's `now` through the
/// configured transport (`DeliveryWorker`). `convene serve` runs it every
/// `CONVENE_DELIVERY_SECONDS` unless `CONVENE_DELIVERY=off`; `convene deliver` runs it on its
/// own. Stopping waits for the message in hand; a kill leaves it `sending` under its lease, sent
/// again once the lease ends (docs/deploy.md: the at-most-one duplicate window).
public struct DeliveryJob: LifecycleJob {
    public let worker: DeliveryWorker
    public let interval: TimeInterval

    public init(worker: DeliveryWorker, interval: TimeInterval) {
        self.worker = worker
        self.interval = interval
    }

    public var name: String { "delivery" }
    public var runsAtStart: Bool { false }

    public func run(_ ctx: LifecycleContext) async throws {
        let now = ctx.now
        try await worker.run(on: ctx.db) { now }
    }
}

/// Writes the reminders, escalations and digests that are due (issue 11), once a minute.
public struct ReminderJob: LifecycleJob {
    public let scheduler: ReminderScheduler
    public let interval: TimeInterval

    public init(scheduler: ReminderScheduler = ReminderScheduler(), interval: TimeInterval = 60) {
        self.scheduler = scheduler
        self.interval = interval
    }

    public var name: String { "reminders" }
    public var runsAtStart: Bool { false }

    public func run(_ ctx: LifecycleContext) async throws {
        try await scheduler.run(ctx)
    }
}

extension MailSettings {
    /// This process's delivery worker: the configured transport, leased as host:pid.
    public func worker(logger: Logger) async throws -> DeliveryWorker {
        let name = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
        return DeliveryWorker(queue: OutboxQueue(worker: name, lease: lease), transport: try await makeTransport(logger: logger),
                              from: from, logger: logger)
    }

    /// The reminder job and the delivery job, in that order (a reminder written is sent in the same round).
    public func jobs(logger: Logger) async throws -> [any LifecycleJob] {
        [ReminderJob(), DeliveryJob(worker: try await worker(logger: logger), interval: interval)]
    }
}
