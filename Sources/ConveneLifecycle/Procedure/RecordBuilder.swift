import ConveneCore
import ConveneStore
import Crypto
import FluentKit
import Foundation

/// Assembles the record of a discussion from what is stored, and freezes versions of it.
public enum RecordBuilder {
    public static func decisions(_ discussionID: UUID, on db: any Database) async throws -> [ChildDecisionRecord] {
        try await ChildDecisionRecord.query(on: db).filter(\.$discussion.$id == discussionID).all()
    }

    public static func actions(_ discussionID: UUID, on db: any Database) async throws -> [ActionRecord] {
        try await ActionRecord.query(on: db).filter(\.$discussion.$id == discussionID).sort(\.$createdAt).all()
    }

    public static func snapshot(_ loaded: LoadedDiscussion, discussion: Discussion? = nil, on db: any Database) async throws
        -> RecordSnapshot
    {
        let d = discussion ?? loaded.discussion
        let id = try d.requireID()
        async let decisionRows = decisions(id, on: db)
        async let actionRows = actions(id, on: db)
        // The loaded discussion's invitations were read with it (in the same order); a fresh copy
        // of the discussion (inside a change) reads them again.
        let invitations = discussion == nil ? loaded.invitations
            : try await Invitation.query(on: db).filter(\.$discussion.$id == id).sort(\.$createdAt).all()
        let names = try await personNames([d.chairID, d.minuteTakerID].compactMap { $0 }, on: db)
        return snapshot(of: d, pack: loaded.pack, children: loaded.childDetails, chair: d.chairID.flatMap { names[$0] } ?? "",
                        minuteTaker: d.minuteTakerID.flatMap { names[$0] } ?? "", invitations: invitations,
                        decisions: try await decisionRows, actions: try await actionRows)
    }

    /// The record as it stands, from rows already in hand (also used by the synthetic data).
    public static func snapshot(of d: Discussion, pack: ProcedurePack, children: [ChildDetails], chair: String, minuteTaker: String,
                         invitations: [Invitation], decisions: [ChildDecisionRecord], actions: [ActionRecord]) -> RecordSnapshot {
        RecordSnapshot(
            packID: pack.id, reference: d.reference, meetingStart: d.startedAt ?? d.slotStart, chair: chair, minuteTaker: minuteTaker,
            children: children, presentingIssue: d.request.presentingIssue, rationale: d.request.rationale,
            attendance: invitations.map(\.entry), quoracy: d.quoracy, content: d.content,
            decisions: decisions.map { ChildDecisionEntry(childID: $0.childID, decision: $0.decision) },
            actions: actions.map(\.smartAction))
    }

    /// Staff of the discussion's team or service, and holders of a grant, see every version;
    /// invitees only the versions circulated to them (REC-ALL-02).
    public static func seesEveryVersion(_ loaded: LoadedDiscussion) -> Bool {
        loaded.context.sameOrganisation && loaded.context.role.isSocialCare && loaded.allows(.viewRecord) || loaded.context.grant
    }

    /// The versions the person may read, oldest first, each checked against its seal.
    public static func visibleVersions(_ loaded: LoadedDiscussion, on db: any Database) async throws -> [RecordVersion] {
        var query = RecordVersion.query(on: db).filter(\.$discussion.$id == loaded.id)
        if !seesEveryVersion(loaded) { query = query.filter(\.$kind ~~ RecordVersion.Kind.allCases.filter(\.circulated)) }
        let rows = try await query.sort(\.$number).all()
        try RecordSeal.requireIntact(rows, reference: loaded.discussion.reference, on: db)
        return rows
    }

    /// One version, if the person may read it (invitees only the versions circulated to
    /// them), checked against its seal.
    public static func version(_ number: Int, of loaded: LoadedDiscussion, on db: any Database) async throws -> RecordVersion {
        guard let row = try await RecordVersion.query(on: db).filter(\.$discussion.$id == loaded.id)
            .filter(\.$number == number).first() else { throw LifecycleError.notFound() }
        try RecordSeal.requireIntact([row], reference: loaded.discussion.reference, on: db)
        if !seesEveryVersion(loaded) && !row.kind.circulated { throw LifecycleError.notAllowed() }
        return row
    }

    public static func personNames(_ ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let people = try await Person.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p.name) } })
    }

    public static func digest(_ snapshot: RecordSnapshot) -> String {
        RecordSeal.digest(snapshot)
    }

    /// Appends a version (REC-002-02); versions are never changed afterwards.
    @discardableResult
    public static func saveVersion(_ snapshot: RecordSnapshot, kind: RecordVersion.Kind, discussion: Discussion, by person: UUID,
                            note: String = "", on db: any Database) async throws -> Int {
        try await nextVersion(snapshot, kind: kind, discussion: discussion, by: person, note: note, sealKey: db.keyRing().sealKey)
            .create(on: db)
        return discussion.recordVersion
    }

    /// The discussion's next record version, numbered after its last (which it becomes), sealed;
    /// the caller writes it. `sha256` may be given when the same snapshot was already digested.
    public static func nextVersion(_ snapshot: RecordSnapshot, sha256: String? = nil, kind: RecordVersion.Kind, discussion: Discussion,
                            by person: UUID, note: String = "", at createdAt: Date? = nil, sealKey: SymmetricKey) throws
        -> RecordVersion
    {
        let number = discussion.recordVersion + 1
        let version = RecordVersion(discussionID: try discussion.requireID(), number: number, kind: kind, snapshot: snapshot,
                                    sha256: sha256 ?? digest(snapshot), createdBy: person, note: note)
        if let createdAt { version.createdAt = createdAt }
        version.seal = RecordSeal.seal(version, key: sealKey)
        discussion.recordVersion = number
        return version
    }
}
