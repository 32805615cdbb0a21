import ConveneStore
import Foundation
import Synchronization
import Vapor

/// Writes a signed checkpoint of the audit chain's head while `convene serve` runs: at start,
/// whenever the head has moved (every `checkpointInterval` seconds) and at shutdown. Entries
/// appended after the last checkpoint are the only ones whose removal `audit verify` cannot
/// see; docs/security.md states that window.
struct AuditCheckpointing: LifecycleHandler {
    final class Running: Sendable {
        let task = Mutex<Task<Void, Never>?>(nil)
    }

    let running = Running()

    static func checkpoint(_ app: Application) async throws {
        guard let checkpoints = app.convene.checkpoints else { return }
        try await checkpoints.write(on: app.db, now: app.convene.now)
    }

    func didBootAsync(_ app: Application) async throws {
        try await Self.checkpoint(app)
        let interval = app.convene.options.checkpointInterval
        let task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
                if Task.isCancelled { break }
                do {
                    try await Self.checkpoint(app)
                } catch {
                    app.logger.critical("Could not write an audit checkpoint: \(String(reflecting: error))")
                }
            }
        }
        running.task.withLock { $0 = task }
    }

    func shutdownAsync(_ app: Application) async {
        running.task.withLock { $0?.cancel() }
        do {
            try await Self.checkpoint(app)
        } catch {
            app.logger.critical("Could not write the final audit checkpoint: \(String(reflecting: error))")
        }
    }
}
