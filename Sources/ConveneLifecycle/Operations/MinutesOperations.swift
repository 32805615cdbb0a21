import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The invitees' side of the record: the authorised minutes (REC-ALL-01, REC-ALL-02) and
/// corrections within the pack's window (REC-001-01).
public enum Minutes {
    /// Corrections may be sent within the pack's window after the invitee received the minutes.
    public static func correctionsOpen(_ loaded: LoadedDiscussion, invitation: Invitation?, now: Date) -> Bool {
        guard loaded.discussion.stage == .circulated, let received = invitation?.circulatedAt else { return false }
        return loaded.pack.circulation.correctionsOpen(receivedAt: received, now: now)
    }

    /// The latest version the invitees were sent (or, for staff, the latest authorised one).
    /// Checked against its seal every time (issue 9): an altered version is refused, never shown.
    public static func releasedVersion(_ loaded: LoadedDiscussion, on db: any Database) async throws -> RecordVersion? {
        let version = try await RecordVersion.query(on: db).filter(\.$discussion.$id == loaded.id)
            .filter(\.$kind ~~ [.authorised, .corrected]).sort(\.$number, .descending).first()
        if let version { try RecordSeal.requireIntact([version], reference: loaded.discussion.reference, on: db) }
        return version
    }
}

extension Operations {
    public struct MinutesRead: Sendable {
        /// The released version, if the person may read it yet.
        public let version: RecordVersion?
        /// "authorised by Tara Whitfield on …" (issue 14): who made this version the record, and when.
        public let authorised: String
        public let canCorrect: Bool
        /// When the person's window for corrections closes, if the pack sets one.
        public let correctionsUntil: Date?
        /// The person's own corrections, oldest first.
        public let ownCorrections: [Correction]
    }

    /// The minutes as the person may read them; an invitee's first reading is recorded.
    public static func readMinutes(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> MinutesRead {
        let own = loaded.ownInvitation
        let released = loaded.allows(.viewRecord) && loaded.discussion.stage.minutesReleased
        let version = released ? try await Minutes.releasedVersion(loaded, on: ctx.db) : nil
        if version != nil, let own, own.openedAt == nil {
            let now = ctx.now
            try await ctx.db.audited(by: ctx.actor, now: now) { db in
                own.openedAt = now
                try await own.save(on: db)
                return ((), [])
            }
        }
        var authorised = ""
        if let version {
            let by = try await Person.find(version.createdBy, on: ctx.db)?.name ?? "a manager no longer listed"
            authorised = (version.kind == .corrected ? "corrected and authorised by " : "authorised by ") + by
                + (version.createdAt.map { " on " + UKDisplay.dateTime($0) } ?? "") + "."
        }
        let window = loaded.pack.circulation.correctionsWindowSeconds
        let corrections = own == nil ? [] : try await Correction.query(on: ctx.db).filter(\.$discussion.$id == loaded.id)
            .filter(\.$invitationID == own!.id!).sort(\.$createdAt).all()
        return MinutesRead(
            version: version, authorised: authorised,
            canCorrect: version != nil && loaded.allows(.submitCorrection) && Minutes.correctionsOpen(loaded, invitation: own, now: ctx.now),
            correctionsUntil: window.flatMap { seconds in own?.circulatedAt.map { $0.addingTimeInterval(TimeInterval(seconds)) } },
            ownCorrections: corrections)
    }

    /// Every correction sent on a discussion, oldest first (the chair's list), one page of them
    /// and how many there are.
    public static func corrections(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, range: Range<Int>? = nil) async throws
        -> (rows: [Correction], total: Int)
    {
        let query = Correction.query(on: ctx.db).filter(\.$discussion.$id == loaded.id)
        let total = try await query.count()
        let sorted = query.sort(\.$createdAt)
        return (try await (range.map { sorted.range($0) } ?? sorted).all(), total)
    }
}
