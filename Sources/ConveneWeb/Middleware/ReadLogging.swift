import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// Every read of a child's details is logged (ASVS-5.0-16.3, at level 3; issue 9), the same way
/// for pages and the API: a handler that shows a discussion names what it showed
/// (`logView`); any discussion loaded for a successful GET that no handler logged is logged
/// here, with the page's path, before the response leaves. No read is answered without its entry.
struct ReadLogging: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        guard req.method == .GET || req.method == .HEAD, response.status.code < 400 else { return response }
        let pending = req.readLog.unlogged()
        if !pending.isEmpty {
            let where_ = (req.isAPI ? "api: " : "page ") + req.url.path
            try await req.db.audit(pending.map { record in
                var record = record
                record.detail = where_
                return record
            }, by: req.actor, now: req.now)
        }
        return response
    }
}

extension Request {
    private struct ReadLogKey: StorageKey {
        typealias Value = ReadLog
    }

    var readLog: ReadLog {
        if let log = storage[ReadLogKey.self] { return log }
        let log = ReadLog()
        storage[ReadLogKey.self] = log
        return log
    }

    /// Logs a read of the discussion's personal data, saying what was shown.
    func logView(_ loaded: LoadedDiscussion, _ objectType: String = "discussion", detail: String) async throws {
        // A read under an access grant (break-glass, disclosure) is flagged for review.
        try await logRead(loaded.audit("view", objectType, detail: detail, flagged: loaded.context.grant), discussion: loaded.id)
    }

    /// Logs a read (of one discussion, or of a list naming several children).
    func logRead(_ record: AuditRecord, discussion: UUID? = nil) async throws {
        try await db.audit([record], by: actor, now: now)
        if let discussion { readLog.markLogged(discussion) }
    }
}
