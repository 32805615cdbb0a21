import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Every change to a discussion goes through here: one transaction with its audit entries
/// (ASVS-5.0-2.3.3), an optimistic-lock check so two editors never both succeed silently, and
/// the deadlines and the oversight facts (OVS-ALL-01) refreshed.
public enum DiscussionWriter {
    public static let conflictMessage = "Someone else changed this discussion while you were working on it, so your changes were not saved. Go back, reload the page to see their changes, and try again."

    /// What a form without a readable `version` is told (ASVS-5.0-2.3.3: no silent overwrite).
    public static let staleFormMessage = "This page is out of date. Go back, reload the page and try again."

    /// Runs `body` on a fresh copy of the discussion inside the transaction.
    @discardableResult
    static func update<T: Sendable>(_ loaded: LoadedDiscussion, _ ctx: LifecycleContext, expectedVersion: Int?,
                                    _ body: @escaping @Sendable (Discussion, any Database) async throws -> (T, [AuditRecord]))
        async throws -> T
    {
        let pack = loaded.pack
        let now = ctx.now
        return try await ctx.db.audited(by: ctx.actor, now: now) { db in
            // All audited writes are serialised by the audit chain's lock, so this read-check-write
            // cannot interleave with another writer.
            guard let discussion = try await Discussion.find(loaded.id, on: db) else { throw LifecycleError.notFound() }
            let sealKey = try db.keyRing().sealKey
            // A row edited outside Convene is never built on (its seal would be renewed over
            // the edit): the change is refused and `audit verify` reports the row.
            guard RecordSeal.isIntact(discussion, key: sealKey) else { throw IntegrityError.discussion(discussion.reference) }
            if let expectedVersion, discussion.lockVersion != expectedVersion {
                throw LifecycleError.conflict(conflictMessage)
            }
            let (result, records) = try await body(discussion, db)
            discussion.lockVersion += 1
            RecordSeal.reseal(discussion, key: sealKey)
            try await discussion.save(on: db)
            if let timeline = try await CaseTimeline.load(caseID: discussion.$case.id, on: db) {
                let duties = try await timeline.refreshNextDue(pack: pack, asOf: now, on: db)
                try await timeline.refreshOversightFacts(pack: pack, asOf: now, assessments: duties, on: db)
            }
            return (result, records)
        }
    }

    /// The version a form was built from (its `version` field): required of every form that
    /// changes a discussion, so two editors never silently overwrite each other.
    public static func expectedVersion(_ text: String) throws(LifecycleError) -> Int {
        guard let version = Int(text.trimmed), version >= 0 else { throw .conflict(staleFormMessage) }
        return version
    }
}
