import ConveneLifecycle
import ConveneStore
import Foundation
import Vapor

/// `convene serve` runs the lifecycle's jobs in-process (the audit checkpoint, and the
/// background work that comes): each once at boot, then on its interval, and the last
/// checkpoint at shutdown.
struct RunningJobs: LifecycleHandler {
    let jobs: LifecycleJobs

    func didBootAsync(_ app: Application) async throws {
        try await jobs.start()
    }

    func shutdownAsync(_ app: Application) async {
        await jobs.stop()
    }
}

extension Application {
    /// The installation's jobs, each run acting as the system with the application's clock.
    public var lifecycleJobs: LifecycleJobs {
        let options = convene.options
        return LifecycleJobs(LifecycleJobs.installation(checkpoints: convene.checkpoints, checkpointInterval: options.checkpointInterval),
                             logger: logger) { [self] in self.lifecycleContext(acting: .system("convene jobs")) }
    }

    /// A signed checkpoint of the audit chain's head now (every command that writes ends with one).
    func checkpointAudit() async throws {
        guard let checkpoints = convene.checkpoints else { return }
        try await AuditCheckpointJob(checkpoints: checkpoints, interval: convene.options.checkpointInterval)
            .run(lifecycleContext(acting: .system("convene")))
    }
}
