import FluentKit
import Foundation
import SQLKit

/// The outbox as the delivery worker's queue (issue 11): claim due rows with a lease, then
/// record what happened to each. Several servers on one PostgreSQL claim with
/// `FOR UPDATE SKIP LOCKED`, so no row is claimed by two of them; on SQLite the claim is one
/// `UPDATE … RETURNING` statement, which SQLite runs as a single writer.
///
/// The lease is what makes a killed server's messages go out: a row stays `sending` only
/// until `claimed_until`, after which any worker claims it again. That is also the one window
/// for a duplicate: a server killed after the mail server accepted a message but before it
/// recorded `sent` leaves the row to be sent once more when the lease ends (the same
/// Message-ID, so mail systems may fold the two). At most one duplicate per kill, never a loss.
/// A worker whose lease ran out while it was still sending finds its result refused (the row
/// is no longer its own) and says so in the log; the lease is set well above the transports'
/// timeouts so that does not happen in practice.
public struct OutboxQueue: Sendable {
    /// Who claims: host name and process id, so a row in `sending` names its holder.
    public let worker: String
    public let lease: TimeInterval

    public init(worker: String, lease: TimeInterval = 300) {
        self.worker = worker
        self.lease = lease
    }

    /// Claims up to `limit` rows that are due: queued and past their backoff, or sending
    /// under a lease that has ended. Each claim counts as an attempt.
    public func claim(limit: Int, now: Date, on db: any Database) async throws -> [OutboxMessage] {
        let sql = db as! any SQLDatabase
        let lockClause: SQLQueryString = sql.dialect.name == "postgresql" ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await sql.raw("""
            UPDATE outbox SET status = 'sending', claimed_by = \(bind: worker), claimed_until = \(bind: now.addingTimeInterval(lease)),
                attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM outbox
                WHERE (status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= \(bind: now)))
                   OR (status = 'sending' AND claimed_until < \(bind: now))
                ORDER BY created_at, id
                LIMIT \(bind: limit)
                \(lockClause))
            RETURNING id
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: UUID.self) }
        guard !ids.isEmpty else { return [] }
        return try await OutboxMessage.query(on: db).filter(\.$id ~~ ids).sort(\.$createdAt).sort(\.$id).all()
    }

    /// The next hop accepted the message. False when the row is no longer this worker's.
    @discardableResult
    public func markSent(_ id: UUID, transport: String, providerReference: String?, now: Date, on db: any Database) async throws -> Bool {
        try await finish(id, on: db, """
            status = 'sent', sent_at = \(bind: now), transport = \(bind: transport), provider_reference = \(bind: providerReference),
            last_error = NULL, claimed_by = NULL, claimed_until = NULL
            """)
    }

    /// A failure a retry may cure: queued again, not before `retryAt`.
    @discardableResult
    public func retry(_ id: UUID, error: String, retryAt: Date, on db: any Database) async throws -> Bool {
        try await finish(id, on: db, """
            status = 'queued', next_attempt_at = \(bind: retryAt), last_error = \(bind: error), claimed_by = NULL, claimed_until = NULL
            """)
    }

    /// The last try failed, or the failure is permanent: `failed`, for an administrator.
    @discardableResult
    public func fail(_ id: UUID, error: String, now: Date, on db: any Database) async throws -> Bool {
        try await finish(id, on: db, """
            status = 'failed', failed_at = \(bind: now), last_error = \(bind: error), claimed_by = NULL, claimed_until = NULL
            """)
    }

    private func finish(_ id: UUID, on db: any Database, _ assignments: SQLQueryString) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            UPDATE outbox SET \(assignments)
            WHERE id = \(bind: id) AND status = 'sending' AND claimed_by = \(bind: worker)
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// An administrator sends a failed message again: queued at once, with its tries reset.
    /// False when the row is not `failed` (already sent, or queued).
    public static func resend(_ id: UUID, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = NULL, failed_at = NULL
            WHERE id = \(bind: id) AND status = 'failed'
            RETURNING id
            """).all()
        return !rows.isEmpty
    }
}
