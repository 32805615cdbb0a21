import FluentKit
import Foundation

/// Group commit for entries that record something without changing anything else (every
/// read of a child's record, failed sign-ins, refusals): the entries of concurrent requests
/// are appended in one transaction and one flush to disk, and each request goes on only once
/// its entry is committed. A read is never answered before its entry is durable, and reads no
/// longer queue one disk flush each behind the chain's lock (issue 12).
actor AuditBatcher {
    private struct Pending {
        let records: [AuditRecord]
        let actor: Actor
        let at: Date
        let done: CheckedContinuation<Void, any Error>
    }

    private var pending: [Pending] = []
    private var flushing = false
    /// At most this many entries per transaction (a very busy moment is split).
    private let limit = 500

    func append(_ records: [AuditRecord], by actor: Actor, at: Date, using db: any Database) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append(Pending(records: records, actor: actor, at: at, done: done))
            if !flushing {
                flushing = true
                Task { await self.flush(using: db) }
            }
        }
    }

    private func flush(using db: any Database) async {
        while !pending.isEmpty {
            var count = 0
            let cut = pending.firstIndex { item in
                count += item.records.count
                return count > limit
            } ?? pending.count
            let batch = Array(pending.prefix(max(cut, 1)))
            pending.removeFirst(batch.count)
            do {
                try await db.transaction { tx in
                    try await AuditTrail.lock(tx)
                    for item in batch {
                        try await AuditTrail.append(item.records, by: item.actor, at: item.at, on: tx)
                    }
                }
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
        flushing = false
    }
}
