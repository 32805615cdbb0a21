import ConveneLifecycle
import ConveneStore
import Foundation
import Synchronization
import Vapor

/// `convene serve` runs the lifecycle's jobs in-process (the audit checkpoint, and reminders
/// and delivery unless `CONVENE_DELIVERY=off`): each at boot if it runs at start, then on its
/// interval, and the last checkpoint at shutdown.
struct RunningJobs: LifecycleHandler {
    final class Running: Sendable {
        let jobs = Mutex<LifecycleJobs?>(nil)
    }

    let running = Running()

    func didBootAsync(_ app: Application) async throws {
        let jobs = try await app.lifecycleJobs(delivery: app.convene.options.mail.inProcess)
        running.jobs.withLock { $0 = jobs }
        try await jobs.start()
    }

    func shutdownAsync(_ app: Application) async {
        let jobs = running.jobs.withLock { $0 }
        await jobs?.stop()
    }
}

extension Application {
    /// The installation's jobs, each run acting as the system with the application's clock;
    /// with `delivery`, the reminders and the delivery worker over the configured transport.
    public func lifecycleJobs(delivery: Bool) async throws -> LifecycleJobs {
        let options = convene.options
        let sending = delivery ? try await options.mail.jobs(logger: logger) : []
        return LifecycleJobs(LifecycleJobs.installation(checkpoints: convene.checkpoints, checkpointInterval: options.checkpointInterval,
                                                        delivery: sending),
                             logger: logger) { [self] in self.lifecycleContext(acting: .system("convene jobs")) }
    }

    /// A signed checkpoint of the audit chain's head now (every command that writes ends with one).
    func checkpointAudit() async throws {
        guard let checkpoints = convene.checkpoints else { return }
        try await AuditCheckpointJob(checkpoints: checkpoints, interval: convene.options.checkpointInterval)
            .run(lifecycleContext(acting: .system("convene")))
    }
}
