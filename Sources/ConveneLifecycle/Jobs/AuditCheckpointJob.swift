import ConveneStore
import Foundation

/// Writes a signed checkpoint of the audit chain's head (issue 9): when the job starts, every
/// `interval` seconds when the head has moved, and when it stops. Entries appended after the
/// last checkpoint are the only ones whose removal `audit verify` cannot see; docs/security.md
/// states that window.
public struct AuditCheckpointJob: LifecycleJob {
    public let checkpoints: AuditCheckpoints
    public let interval: TimeInterval

    public init(checkpoints: AuditCheckpoints, interval: TimeInterval) {
        self.checkpoints = checkpoints
        self.interval = interval
    }

    public var name: String { "audit checkpoint" }
    public var runsAtStop: Bool { true }

    public func run(_ ctx: LifecycleContext) async throws {
        _ = try await checkpoints.write(on: ctx.db, now: ctx.now)
    }
}
