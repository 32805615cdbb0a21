import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// REQ-003-01: moving a case between teams, by the pack's routing or by a manager. The new
/// team gains access (every discussion of the case moves with it); the old team keeps read
/// access to the discussions it held (the `former-team` scope); each move is audited.
extension Operations {
    /// The authority's teams as the routing rule sees them.
    public static func routingTeams(organisationID: UUID, on db: any Database) async throws -> [TeamRouting.Team] {
        try await Team.query(on: db).filter(\.$organisation.$id == organisationID).sort(\.$name).all().map {
            TeamRouting.Team(id: $0.id!.slug, name: $0.name, areas: $0.areas ?? [])
        }
    }

    /// Writes a move inside the caller's transaction; `current` is the discussion being saved by
    /// the caller, kept in step with the rows written here.
    public static func applyTransfer(caseID: UUID, to teamID: UUID, reason: String, by person: UUID?, byName: String, at: Date,
                              current: Discussion?, on db: any Database) async throws -> AuditRecord? {
        guard let caseRecord = try await Case.find(caseID, on: db) else { throw LifecycleError.notFound() }
        let from = caseRecord.$team.id
        guard from != teamID else { return nil }
        caseRecord.$team.id = teamID
        try await caseRecord.save(on: db)
        let sealKey = try db.keyRing().sealKey
        for discussion in try await Discussion.query(on: db).filter(\.$case.$id == caseID).all()
        where discussion.id != current?.id {
            // Never reseal over an edit made outside Convene (issue 9).
            guard RecordSeal.isIntact(discussion, key: sealKey) else { throw IntegrityError.discussion(discussion.reference) }
            discussion.teamID = teamID
            RecordSeal.reseal(discussion, key: sealKey)
            try await discussion.save(on: db)
        }
        current?.teamID = teamID
        try await CaseTransfer(caseID: caseID, fromTeamID: from, toTeamID: teamID, reason: reason, transferredBy: person,
                               transferredByName: byName, at: at).create(on: db)
        return AuditRecord("case-transfer", "case", id: caseID, caseID: caseID, reason: reason,
                           detail: "from team \(from.slug) to team \(teamID.slug)")
    }

    /// A manager moves the case to another team of the authority, with a reason.
    public static func transferCase(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, toTeam: UUID?, reason: String) async throws {
        guard loaded.allows(.transferCase) else {
            throw LifecycleError.notAllowed("Only the team's manager or a service manager can move a case to another team.")
        }
        var checks = FieldChecks()
        let team = try await toTeam.asyncMap { try await Team.find($0, on: ctx.db) } ?? nil
        if team == nil || team?.$organisation.id != loaded.discussion.organisationID {
            checks.fail("toTeam", "Choose the team the case moves to")
        } else if team?.id == loaded.caseRecord.$team.id {
            checks.fail("toTeam", "The case is already with this team")
        }
        checks.text(reason, "transferReason", "Give the reason for moving the case", max: 2000)
        try checks.finish()
        let caseID = loaded.caseRecord.id!
        let user = loaded.user
        let now = ctx.now
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            let record = try await applyTransfer(caseID: caseID, to: team!.id!, reason: "\(reason.trimmed) (\(team!.name))",
                                                 by: user.id, byName: user.name, at: now, current: d, on: db)
            return ((), record.map { [$0] } ?? [])
        }
    }
}
