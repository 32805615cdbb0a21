import ConveneStore
import Foundation
import Logging
import Synchronization

/// Runs the lifecycle's jobs: each on its own interval while started, every one once on
/// demand. Each run gets a fresh context (the clock moves on), acting as the system.
public final class LifecycleJobs: Sendable {
    public let jobs: [any LifecycleJob]
    private let context: @Sendable () -> LifecycleContext
    private let logger: Logger
    private let loops = Mutex<[Task<Void, Never>]>([])

    /// `context` makes the context a run acts in: the system as actor, the clock's `now`.
    public init(_ jobs: [any LifecycleJob], logger: Logger = Logger(label: "convene.jobs"),
                context: @escaping @Sendable () -> LifecycleContext) {
        self.jobs = jobs
        self.context = context
        self.logger = logger
    }

    /// The jobs of an installation. Checkpoints are written only where a directory for them is
    /// configured (not for an in-memory database).
    /// Reminders and delivery (issue 11) are added by whoever runs them (`delivery`), so a
    /// process that does not send (`CONVENE_DELIVERY=off`) leaves them to `convene deliver`.
    public static func installation(checkpoints: AuditCheckpoints?, checkpointInterval: TimeInterval,
                                    delivery: [any LifecycleJob] = []) -> [any LifecycleJob] {
        var jobs: [any LifecycleJob] = []
        if let checkpoints { jobs.append(AuditCheckpointJob(checkpoints: checkpoints, interval: checkpointInterval)) }
        return jobs + delivery
    }

    /// Every job once, in order; the first failure is thrown after the others have run.
    public func runOnce() async throws {
        var failure: (any Error)?
        for job in jobs {
            do {
                try await job.run(context())
            } catch {
                logger.critical("\(job.name) failed: \(String(reflecting: error))")
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// Runs every job once (a failure stops the start: `serve` does not come up without its
    /// first checkpoint), then each on its interval until `stop()`.
    public func start() async throws {
        for job in jobs where job.runsAtStart { try await job.run(context()) }
        let tasks = jobs.map { job in
            Task { [context, logger] in
                while !Task.isCancelled {
                    try? await Task.sleep(nanoseconds: UInt64(job.interval * 1_000_000_000))
                    if Task.isCancelled { break }
                    do {
                        try await job.run(context())
                    } catch {
                        logger.critical("\(job.name) failed: \(String(reflecting: error))")
                    }
                }
            }
        }
        loops.withLock { $0 = tasks }
    }

    /// Stops the loops, waits for a run in progress to end, then runs the jobs that run at stop.
    public func stop() async {
        let tasks = loops.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        for job in jobs where job.runsAtStop {
            do {
                try await job.run(context())
            } catch {
                logger.critical("\(job.name) failed at stop: \(String(reflecting: error))")
            }
        }
    }
}
