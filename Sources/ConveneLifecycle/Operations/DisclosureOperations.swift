import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Disclosure control (REC-ALL-02, REC-002-02): someone outside a discussion asks to see its
/// minutes; a service manager decides, with reasons recorded, and access is granted for a
/// stated purpose and period. Managers may take a break-glass read, which needs a reason, is
/// flagged in the audit trail and is listed for review.
extension Operations {
    public static let breakGlassHours = 4.0

    /// What the disclosures page lists: the requests (a manager's whole authority's, anyone
    /// else's own) and the break-glass reads awaiting review.
    public struct Disclosures: Sendable {
        public let isManager: Bool
        public let canBreakGlass: Bool
        public let requests: [DisclosureRequest]
        public let grants: [AccessGrant]
        /// Discussion references and people's names, by id.
        public let references: [UUID: String]
        public let names: [UUID: String]
    }

    public static func disclosures(_ ctx: LifecycleContext) async throws -> Disclosures {
        let user = try ctx.requireUser()
        guard user.may(.requestDisclosure) else { throw LifecycleError.notAllowed() }
        let isManager = user.may(.decideDisclosure)
        var query = DisclosureRequest.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
        if !isManager { query = query.filter(\.$requesterID == user.id) }
        let requests = try await query.sort(\.$createdAt, .descending).limit(100).all()
        let grants = isManager ? try await AccessGrant.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
            .filter(\.$kind == .breakGlass).filter(\.$reviewedAt == nil).sort(\.$createdAt, .descending).limit(100).all() : []
        let discussionIDs = requests.map(\.discussionID) + grants.map(\.discussionID)
        let discussions = discussionIDs.isEmpty ? [] : try await Discussion.query(on: ctx.db).filter(\.$id ~~ discussionIDs).all()
        return Disclosures(
            isManager: isManager, canBreakGlass: user.may(.breakGlass), requests: requests, grants: grants,
            references: Dictionary(discussions.compactMap { d in d.id.map { ($0, d.reference) } }) { first, _ in first },
            names: try await RecordBuilder.personNames(requests.map(\.requesterID) + grants.map(\.personID), on: ctx.db))
    }

    /// May the person acting ask for disclosure at all (the form's own check).
    public static func requireDisclosureRequester(_ ctx: LifecycleContext) throws {
        guard try ctx.requireUser().may(.requestDisclosure) else { throw LifecycleError.notAllowed() }
    }

    static func discussion(reference: String, organisationID: UUID, on db: any Database) async throws -> Discussion? {
        try await Discussion.query(on: db).filter(\.$organisationID == organisationID)
            .filter(\.$reference == reference.trimmed.uppercased()).first()
    }

    /// Asks a service manager for the minutes of a discussion, for a purpose and 1 to 90 days.
    @discardableResult
    public static func requestDisclosure(_ ctx: LifecycleContext, reference: String, purpose: String, days: Int?) async throws -> UUID {
        let user = try ctx.requireUser()
        guard user.may(.requestDisclosure) else { throw LifecycleError.notAllowed() }
        var checks = FieldChecks()
        let discussion = try await discussion(reference: reference, organisationID: user.organisationID, on: ctx.db)
        if discussion == nil { checks.fail("reference", "No discussion has this reference") }
        checks.text(purpose, "purpose", "Say why you need the minutes", max: 2000)
        if days == nil || !(1...90).contains(days!) { checks.fail("days", "Enter a number of days from 1 to 90") }
        if let discussion {
            let standing = try await DiscussionAccess.standing(of: user, towards: discussion, ctx)
            if AccessPolicy.allows(.viewRecord, standing) { checks.fail("reference", "You can already read this discussion’s record") }
        }
        try checks.finish()
        guard let discussion, let days else { throw ValidationFailure(errors: checks.errors) }
        return try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            let request = DisclosureRequest(organisationID: user.organisationID, discussionID: discussion.id!, requesterID: user.id,
                                            purpose: purpose.trimmed, days: days)
            try await request.create(on: db)
            return (request.id!, [AuditRecord("disclosure-request", "disclosure", id: discussion.id, caseID: discussion.$case.id,
                                              reason: request.purpose, detail: "\(days) days")])
        }
    }

    /// A service manager grants access for the stated purpose and period, or refuses, with
    /// reasons. `grant` is nil when neither was chosen.
    public static func decideDisclosure(_ ctx: LifecycleContext, requestID id: UUID, grant: Bool?, reason: String) async throws {
        let user = try ctx.requireUser()
        guard user.may(.decideDisclosure) else { throw LifecycleError.notAllowed() }
        guard let found = try await DisclosureRequest.find(id, on: ctx.db), found.organisationID == user.organisationID else {
            throw LifecycleError.notFound()
        }
        var checks = FieldChecks()
        if grant == nil { checks.fail(FieldPath("decision-" + id.slug), "Choose whether to grant or refuse access") }
        checks.text(reason, FieldPath("reason-" + id.slug), "Give the reason for your decision", max: 2000)
        try checks.finish()
        let now = ctx.now
        let base = ctx.publicAddress
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            guard let request = try await DisclosureRequest.find(id, on: db), request.organisationID == user.organisationID else {
                throw LifecycleError.notFound()
            }
            guard request.status == .pending else { throw LifecycleError.conflict("This request has already been decided.") }
            request.decidedBy = user.id
            request.decidedAt = now
            request.decisionReason = reason.trimmed
            var records = [AuditRecord(grant == true ? "disclosure-grant" : "disclosure-refuse", "disclosure", id: request.discussionID,
                                       reason: request.decisionReason, detail: "for \(request.days) days")]
            if grant == true {
                let accessGrant = AccessGrant(organisationID: user.organisationID, personID: request.requesterID,
                                              discussionID: request.discussionID, kind: .disclosure, purpose: request.purpose,
                                              grantedBy: user.id, startsAt: now,
                                              expiresAt: now.addingTimeInterval(Double(request.days) * 86_400))
                try await accessGrant.create(on: db)
                request.grantID = accessGrant.id
                request.status = .granted
                records.append(AuditRecord("access-grant", "grant", id: accessGrant.id, reason: request.purpose))
            } else {
                request.status = .refused
            }
            try await request.save(on: db)
            // REC-ALL-02: the decision to the person who asked (issue 11).
            if let discussion = try await Discussion.find(request.discussionID, on: db) {
                try await Outbox.send(Notice.disclosureDecision(reference: discussion.reference, granted: grant == true,
                                                                link: base + SiteURL.disclosures.path),
                                      toPerson: request.requesterID, organisationID: request.organisationID,
                                      discussionID: request.discussionID, base: base, on: db)
            }
            return ((), records)
        }
    }

    /// A manager reads a discussion outside their team now, giving a reason: 4 hours' access,
    /// flagged for a service manager's review. Returns the discussion's id.
    public static func breakGlass(_ ctx: LifecycleContext, reference: String, reason: String) async throws -> UUID {
        let user = try ctx.requireUser()
        guard user.may(.breakGlass) else { throw LifecycleError.notAllowed() }
        var checks = FieldChecks()
        let discussion = try await discussion(reference: reference, organisationID: user.organisationID, on: ctx.db)
        if discussion == nil { checks.fail("reference", "No discussion has this reference") }
        checks.text(reason, "reason", "Give the reason you need access now", max: 2000)
        try checks.finish()
        guard let discussion, let discussionID = discussion.id else { throw ValidationFailure(errors: checks.errors) }
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            let grant = AccessGrant(organisationID: user.organisationID, personID: user.id, discussionID: discussionID,
                                    kind: .breakGlass, purpose: reason.trimmed, grantedBy: user.id, startsAt: now,
                                    expiresAt: now.addingTimeInterval(breakGlassHours * 3600))
            try await grant.create(on: db)
            return ((), [AuditRecord("break-glass", "discussion", id: discussionID, caseID: discussion.$case.id,
                                     reason: grant.purpose, detail: "\(Int(breakGlassHours)) hours", flagged: true)])
        }
        return discussionID
    }

    /// A service manager records having reviewed a break-glass read.
    public static func reviewBreakGlass(_ ctx: LifecycleContext, grantID id: UUID, note: String) async throws {
        let user = try ctx.requireUser()
        guard user.may(.decideDisclosure) else { throw LifecycleError.notAllowed() }
        let now = ctx.now
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            guard let grant = try await AccessGrant.find(id, on: db), grant.organisationID == user.organisationID else {
                throw LifecycleError.notFound()
            }
            grant.reviewedBy = user.id
            grant.reviewedAt = now
            grant.reviewNote = note.trimmed
            try await grant.save(on: db)
            return ((), [AuditRecord("break-glass-review", "grant", id: id, reason: grant.reviewNote)])
        }
    }

    /// The record for a court bundle: as it stands, with every version's digest.
    public struct RecordExport: Encodable, Sendable {
        public struct Version: Encodable, Sendable {
            let number: Int
            let kind: String
            let sha256: String
            let createdAt: String
        }

        let reference: String
        let exportedAt: String
        let exportedBy: String
        let current: RecordSnapshot
        let versions: [Version]
    }

    /// The record exported (every export is audited); each version is checked against its seal.
    public static func exportRecord(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> RecordExport {
        let versions = try await RecordVersion.query(on: ctx.db).filter(\.$discussion.$id == loaded.id).sort(\.$number).all()
        try RecordSeal.requireIntact(versions, reference: loaded.discussion.reference, on: ctx.db)
        let snapshot = try await RecordBuilder.snapshot(loaded, on: ctx.db)
        let export = RecordExport(
            reference: loaded.discussion.reference, exportedAt: RFC3339.format(ctx.now), exportedBy: loaded.user.name,
            current: snapshot, versions: versions.map {
                .init(number: $0.number, kind: $0.kind.rawValue, sha256: $0.sha256, createdAt: $0.createdAt.map(RFC3339.format) ?? "")
            })
        try await ctx.db.audit([loaded.audit("export", detail: "record as JSON")], by: ctx.actor, now: ctx.now)
        return export
    }
}
