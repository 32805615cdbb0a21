import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// The business operations behind every page and API call: each validates its typed input
/// (field-level errors), enforces the lifecycle, writes in one audited transaction and
/// returns. Pages and the JSON API are thin layers over these.
public enum Operations {}

extension Operations {
    /// REQ-001-01: creates the case, its children and the initial discussion. `formErrors` are
    /// the problems found reading the form or body (an unreadable date): with any, nothing is
    /// created and the request's own problems are named with them, one message per field.
    public static func createRequest(_ ctx: LifecycleContext, request: DiscussionRequest, teamID: UUID?, formErrors: [InputError] = [])
        async throws -> UUID
    {
        let user = try requireRequester(ctx)
        let pack = try await ctx.ownPack()
        if !formErrors.isEmpty {
            var seen = Set<String>()
            throw ValidationFailure(errors: (formErrors + request.validate(pack: pack, now: ctx.now)).filter {
                seen.insert($0.field.description).inserted
            })
        }
        var checks = FieldChecks()
        checks.merge(request.validate(pack: pack, now: ctx.now))
        let team = try await teamID.asyncMap { try await Team.find($0, on: ctx.db) }
        guard let team = team ?? nil, team.$organisation.id == user.organisationID, let teamID = team.id else {
            checks.fail("team", "Choose the team the child is allocated to")
            throw ValidationFailure(errors: checks.errors)
        }
        // REQ-003-01: a child closed within the last 8 weeks goes back to the previous team.
        var routed: (team: UUID, reason: String)?
        if let previousID = request.previousTeamID {
            let previous = try await Team.find(previousID, on: ctx.db)
            if let previous, previous.$organisation.id == user.organisationID {
                let teams = try await routingTeams(organisationID: user.organisationID, on: ctx.db)
                if let decision = pack.routing?.atRequest(closedOn: request.closedToSocialCareOn,
                                                          previousTeam: teams.first { $0.id == previousID.slug },
                                                          requestedOn: EuropeLondon.localDate(of: ctx.now)),
                   previousID != teamID {
                    routed = (previousID, decision.reason)
                }
            } else {
                checks.fail("previousTeam", "Choose the team the child was closed by")
            }
        }
        try checks.finish()
        let now = ctx.now
        let routedTo = routed
        let base = ctx.publicAddress
        return try await ctx.db.audited(by: ctx.actor, now: now) { db in
            let year = EuropeLondon.localDate(of: now).year
            let count = try await Case.query(on: db).filter(\.$organisation.$id == user.organisationID).count()
            let reference = String(format: "SD-%d-%05d", year, count + 1)
            let caseRecord = Case(organisationID: user.organisationID, teamID: teamID, reference: reference, request: request)
            try await caseRecord.create(on: db)
            let caseID = try caseRecord.requireID()
            for (i, child) in request.children.enumerated() {
                try await CaseChild(caseID: caseID, organisationID: user.organisationID, position: i, details: child).create(on: db)
            }
            let discussion = Discussion(organisationID: user.organisationID, teamID: teamID, caseID: caseID, sequence: 1,
                                        parentID: nil, reference: reference + "/1", request: request, requestedBy: user.id,
                                        requestedAt: now)
            RecordSeal.reseal(discussion, key: try db.keyRing().sealKey)
            try await discussion.create(on: db)
            let id = try discussion.requireID()
            var records = [AuditRecord("create", "discussion", id: id, caseID: caseID, childIDs: request.children.map(\.id),
                                       detail: "request \(reference)/1, urgency \(request.urgency.rawValue)")]
            if let routed = routedTo, let record = try await applyTransfer(caseID: caseID, to: routed.team, reason: routed.reason, by: nil,
                                                                byName: "Convene (\(pack.routing!.rule))", at: now,
                                                                current: nil, on: db) {
                records.append(record)
            }
            var due: Date?
            if let timeline = try await CaseTimeline.load(caseID: caseID, on: db) {
                let duties = try await timeline.refreshNextDue(pack: pack, asOf: now, on: db)
                try await timeline.refreshOversightFacts(pack: pack, asOf: now, assessments: duties, on: db)
                due = timeline.duties(pack: pack, asOf: now).first { $0.duty == .strategyDiscussion }?.due
            }
            // REQ-001-02: the team's managers decide; they hear of it at once (issue 11).
            let current = try await Case.find(caseID, on: db)?.$team.id ?? teamID
            try await Outbox.notifyTeamManagers(
                Notice.newRequest(reference: reference + "/1", urgency: request.urgency, due: due,
                                  link: base + SiteURL.discussionPart(id, .decision).path),
                teamID: current, organisationID: user.organisationID, discussionID: id, base: base, on: db)
            return (id, records)
        }
    }

    /// REQ-001-02: the team manager's decision to convene.
    public static func decide(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, convene: Bool?, reason: String, expectedVersion: Int)
        async throws
    {
        var checks = FieldChecks()
        if convene == nil { checks.fail("convene", "Select whether the discussion is needed") }
        if convene == false { checks.text(reason, "reason", "Give the reason it is not needed") }
        checks.limit(reason, "reason")
        try checks.finish()
        let user = loaded.user
        let now = ctx.now
        let reason = reason.trimmed
        let base = ctx.publicAddress
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.decide, at: d.stage)
            // REQ-001-02: the decision to the person who asked (issue 11).
            try await Outbox.send(Notice.requestDecision(reference: d.reference, convened: convene == true,
                                                         link: base + SiteURL.discussion(loaded.id).path),
                                  toPerson: d.requestedBy, organisationID: d.organisationID, discussionID: loaded.id, base: base, on: db)
            d.stage = convene == true ? .awaitingBooking : .declined
            d.decidedBy = user.id
            d.decidedAt = now
            d.decisionReason = reason
            if convene == true && d.chairID == nil && (user.role == .teamManager || user.role == .serviceManager) {
                d.chairID = user.id
            }
            return ((), [loaded.audit("decide", reason: reason, detail: convene == true ? "convene" : "not needed")])
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Operations {
    /// TIME-000-02: the SARC contact made before convening (when, by whom, forensic timescales).
    public static func recordSarcContact(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, at: Date?, by: String, advice: String,
                                  formErrors: [InputError] = []) async throws {
        var checks = FieldChecks()
        checks.merge(formErrors)
        if loaded.discussion.request.sarcContact != nil {
            throw LifecycleError.conflict("The SARC contact is already recorded.")
        }
        guard loaded.discussion.stage.isOpen else { throw LifecycleError.conflict("This discussion is closed.") }
        for error in SarcContact.validate(contactedAt: at, contactedBy: by, forensicAdvice: advice, now: ctx.now)
        where !checks.errors.contains(where: { $0.field == error.field }) {
            checks.merge([error])
        }
        try checks.finish()
        let contact = SarcContact(contactedAt: at!, contactedBy: by.trimmed, forensicAdvice: advice.trimmed,
                                  recordedBy: loaded.user.name)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, _ in
            guard d.request.sarcContact == nil else { throw LifecycleError.conflict("The SARC contact is already recorded.") }
            var request = d.request
            request.sarcContact = contact
            d.request = request
            return ((), [loaded.audit("sarc-contact", reason: contact.forensicAdvice,
                                      detail: "SARC contacted \(RFC3339.format(contact.contactedAt)) by \(contact.contactedBy)")])
        }
    }
}

extension Operations {
    /// What the request form starts from (REQ-001-01): the authority's pack and teams, and the
    /// usual people filled in, which the requester can change.
    public struct RequestStart: Sendable {
        public let pack: ProcedurePack
        public let teams: [Team]
        public let team: Team?
        public let allocatedSocialWorker: String
        public let teamManager: String
        public let serviceManager: String
        /// The authority's people the social worker and managers are chosen from (issue 14).
        public let people: [Person]
    }

    public static func startRequest(_ ctx: LifecycleContext) async throws -> RequestStart {
        let user = try requireRequester(ctx)
        let teams = try await Operations.teams(ctx, organisationID: user.organisationID)
        let staff = try await people(ctx, organisationID: user.organisationID, roles: [.socialWorker, .teamManager, .serviceManager])
        let managers = staff.filter { $0.role != .socialWorker }
        return RequestStart(
            pack: try await ctx.ownPack(), teams: teams, team: teams.first { $0.id == user.teamID },
            allocatedSocialWorker: user.role == .socialWorker ? user.name : "",
            teamManager: user.role == .teamManager ? user.name
                : managers.first { $0.role == .teamManager && $0.$team.id == user.teamID && user.teamID != nil }?.name ?? "",
            serviceManager: user.role == .serviceManager ? user.name : managers.first { $0.role == .serviceManager }?.name ?? "",
            people: staff)
    }

    /// Only social workers and their managers request a strategy discussion.
    @discardableResult
    public static func requireRequester(_ ctx: LifecycleContext) throws -> CurrentUser {
        let user = try ctx.requireUser()
        guard user.may(.createRequest) else {
            throw LifecycleError.notAllowed("Only social workers and their managers can request a strategy discussion.")
        }
        return user
    }
}
