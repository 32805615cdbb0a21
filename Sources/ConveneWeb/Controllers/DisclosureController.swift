import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Disclosure control (REC-ALL-02, REC-002-02): someone outside a discussion asks to see its
/// minutes; a service manager decides, with reasons recorded, and access is granted for a
/// stated purpose and period. Managers may take a break-glass read, which needs a reason, is
/// flagged in the audit trail and is listed for review.
enum DisclosureController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("disclosures", use: list)
        routes.get("disclosures", "new", use: new)
        routes.post("disclosures", use: create)
        routes.post("disclosures", ":request", use: decide)
        routes.post("break-glass", use: breakGlass)
        routes.post("grants", ":grant", "review", use: review)
        routes.get("discussions", ":id", "export", use: export)
    }

    static let breakGlassHours = 4.0

    struct RequestRow: Encodable {
        let reference: String
        let requester: String
        let purpose: String
        let days: Int
        let status: String
        let decision: String
        let created: String
        let action: String
        let pending: Bool
        var form: DecisionForm
    }

    struct GrantRow: Encodable {
        let reference: String
        let person: String
        let purpose: String
        let period: String
        let action: String
        let href: String
    }

    struct ListPage: Encodable {
        let isManager: Bool
        let canBreakGlass: Bool
        let requests: [RequestRow]
        let noRequests: Bool
        let grants: [GrantRow]
        let noGrants: Bool
        let newHref: String
        let reference: FieldContext
        let reason: FieldContext
    }

    static func context(_ user: CurrentUser) -> AccessContext {
        AccessContext(role: user.role, sameOrganisation: user.invitationScope == nil)
    }

    @Sendable static func list(req: Request) async throws -> Response {
        try await renderList(req, state: FormState(), errors: [])
    }

    /// The list; after a refused decision or break-glass read, with each error on its field.
    static func renderList(_ req: Request, state: FormState, errors: [InputError], decided: UUID? = nil) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.requestDisclosure, context(user)) else { throw Abort(.forbidden) }
        let isManager = AccessPolicy.allows(.decideDisclosure, context(user))
        var query = DisclosureRequest.query(on: req.db).filter(\.$organisationID == user.organisationID)
        if !isManager { query = query.filter(\.$requesterID == user.id) }
        let requests = try await query.sort(\.$createdAt, .descending).limit(100).all()
        let grants = isManager ? try await AccessGrant.query(on: req.db).filter(\.$organisationID == user.organisationID)
            .filter(\.$kind == .breakGlass).filter(\.$reviewedAt == nil).sort(\.$createdAt, .descending).limit(100).all() : []
        let discussionIDs = requests.map(\.discussionID) + grants.map(\.discussionID)
        let discussions = discussionIDs.isEmpty ? [] : try await Discussion.query(on: req.db).filter(\.$id ~~ discussionIDs).all()
        let names = try await RecordBuilder.personNames(requests.map(\.requesterID) + grants.map(\.personID), on: req.db)
        func reference(_ id: UUID) -> String { discussions.first { $0.id == id }?.reference ?? "" }
        let page = ListPage(
            isManager: isManager, canBreakGlass: AccessPolicy.allows(.breakGlass, context(user)),
            requests: requests.map { r in
                var row = RequestRow(reference: reference(r.discussionID), requester: names[r.requesterID] ?? "", purpose: r.purpose,
                                     days: r.days, status: r.status.rawValue.capitalizedFirst, decision: r.decisionReason,
                                     created: r.createdAt.map { UKDisplay.compact($0) } ?? "", action: SiteURL.disclosure(r.id!).path,
                                     pending: r.status == .pending && isManager,
                                     form: DecisionForm(decisionName: "decision", reasonName: "reason",
                                                        decisionID: "decision-" + r.id!.slug, reasonID: "reason-" + r.id!.slug,
                                                        choices: [("grant", "Grant"), ("refuse", "Refuse")], reasonLabel: "Reason"))
                if r.id == decided { row.form = row.form.filled(from: state) }
                return row
            },
            noRequests: requests.isEmpty,
            grants: grants.map { g in
                GrantRow(reference: reference(g.discussionID), person: names[g.personID] ?? "", purpose: g.purpose,
                         period: UKDisplay.compact(g.startsAt) + " to " + UKDisplay.compact(g.expiresAt),
                         action: SiteURL.grant(g.id!).path + "/review", href: SiteURL.discussion(g.discussionID).path)
            },
            noGrants: grants.isEmpty, newHref: SiteURL.disclosures.path + "/new",
            reference: (decided == nil ? state : FormState()).field("reference", "Discussion reference", hint: "For example, SD-2026-00042/1").with(width: "20"),
            reason: (decided == nil ? state : FormState()).field("reason", "Why you need to read it now"))
        return try await req.page("disclosures", title: "Disclosure requests", page, errors: errors,
                                  status: errors.isEmpty ? nil : .badRequest)
    }

    struct NewPage: Encodable {
        let reference: FieldContext
        let purpose: FieldContext
        let days: FieldContext
    }

    @Sendable static func new(req: Request) async throws -> Response {
        try await renderNew(req, state: FormState(values: ["days": "14"]))
    }

    static func renderNew(_ req: Request, state: FormState, errors: [InputError] = []) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.requestDisclosure, context(user)) else { throw Abort(.forbidden) }
        let page = NewPage(
            reference: state.field("reference", "Discussion reference", hint: "For example, SD-2026-00042/1").with(width: "20"),
            purpose: state.field("purpose", "Why you need the minutes", hint: "For example, a court report, or a child protection conference").with(rows: 3),
            days: state.field("days", "For how many days", hint: "From 1 to 90").with(width: "2"))
        return try await req.page("disclosure-new", title: "Ask to see the minutes", page, errors: errors,
                                  backLink: SiteURL.disclosures.path)
    }

    static func findDiscussion(reference: String, organisationID: UUID, on db: any Database) async throws -> Discussion? {
        try await Discussion.query(on: db).filter(\.$organisationID == organisationID)
            .filter(\.$reference == reference.trimmed.uppercased()).first()
    }

    @Sendable static func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.requestDisclosure, context(user)) else { throw Abort(.forbidden) }
        let form = try FormData(req)
        var checks = FieldChecks()
        let discussion = try await findDiscussion(reference: form["reference"], organisationID: user.organisationID, on: req.db)
        if discussion == nil { checks.fail("reference", "No discussion has this reference") }
        checks.text(form["purpose"], "purpose", "Say why you need the minutes", max: 2000)
        let days = Int(form["days"].trimmed)
        if days == nil || !(1...90).contains(days!) { checks.fail("days", "Enter a number of days from 1 to 90") }
        if let discussion {
            let ctx = try await req.accessContext(for: discussion, user: user)
            if AccessPolicy.allows(.viewRecord, ctx) { checks.fail("reference", "You can already read this discussion’s record") }
        }
        guard checks.isValid, let discussion, let days else {
            return try await renderNew(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        try await req.db.audited(by: req.actor, now: req.now) { db in
            let request = DisclosureRequest(organisationID: user.organisationID, discussionID: discussion.id!, requesterID: user.id,
                                            purpose: form["purpose"].trimmed, days: days)
            try await request.create(on: db)
            return ((), [AuditRecord("disclosure-request", "disclosure", id: discussion.id, caseID: discussion.$case.id,
                                     reason: request.purpose, detail: "\(days) days")])
        }
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// A service manager grants access for the stated purpose and period, or refuses, with reasons.
    @Sendable static func decide(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.decideDisclosure, context(user)) else { throw Abort(.forbidden) }
        let form = try FormData(req)
        let id = try req.uuid("request")
        let grant = form["decision"] == "grant"
        guard let found = try await DisclosureRequest.find(id, on: req.db), found.organisationID == user.organisationID else {
            throw Abort(.notFound)
        }
        var checks = FieldChecks()
        if !grant && form["decision"] != "refuse" {
            checks.fail(FieldPath("decision-" + id.slug), "Choose whether to grant or refuse access")
        }
        checks.text(form["reason"], FieldPath("reason-" + id.slug), "Give the reason for your decision", max: 2000)
        guard checks.isValid else {
            return try await renderList(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors, decided: found.id)
        }
        let now = req.now
        try await req.db.audited(by: req.actor, now: now) { db in
            guard let request = try await DisclosureRequest.find(id, on: db), request.organisationID == user.organisationID else {
                throw Abort(.notFound)
            }
            guard request.status == .pending else { throw ConflictError("This request has already been decided.") }
            request.decidedBy = user.id
            request.decidedAt = now
            request.decisionReason = form["reason"].trimmed
            var records = [AuditRecord(grant ? "disclosure-grant" : "disclosure-refuse", "disclosure", id: request.discussionID,
                                       reason: request.decisionReason, detail: "for \(request.days) days")]
            if grant {
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
            return ((), records)
        }
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// A manager reads a discussion outside their team now, giving a reason; flagged for review.
    @Sendable static func breakGlass(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.breakGlass, context(user)) else { throw Abort(.forbidden) }
        let form = try FormData(req)
        var checks = FieldChecks()
        let discussion = try await findDiscussion(reference: form["reference"], organisationID: user.organisationID, on: req.db)
        if discussion == nil { checks.fail("reference", "No discussion has this reference") }
        checks.text(form["reason"], "reason", "Give the reason you need access now", max: 2000)
        guard checks.isValid, let discussion else {
            return try await renderList(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let now = req.now
        try await req.db.audited(by: req.actor, now: now) { db in
            let grant = AccessGrant(organisationID: user.organisationID, personID: user.id, discussionID: discussion.id!,
                                    kind: .breakGlass, purpose: form["reason"].trimmed, grantedBy: user.id, startsAt: now,
                                    expiresAt: now.addingTimeInterval(breakGlassHours * 3600))
            try await grant.create(on: db)
            return ((), [AuditRecord("break-glass", "discussion", id: discussion.id, caseID: discussion.$case.id,
                                     reason: grant.purpose, detail: "\(Int(breakGlassHours)) hours", flagged: true)])
        }
        return req.redirect(to: SiteURL.discussion(discussion.id!).path)
    }

    @Sendable static func review(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard AccessPolicy.allows(.decideDisclosure, context(user)) else { throw Abort(.forbidden) }
        let form = try FormData(req)
        let id = try req.uuid("grant")
        try await req.db.audited(by: req.actor, now: req.now) { db in
            guard let grant = try await AccessGrant.find(id, on: db), grant.organisationID == user.organisationID else {
                throw Abort(.notFound)
            }
            grant.reviewedBy = user.id
            grant.reviewedAt = req.now
            grant.reviewNote = form["note"].trimmed
            try await grant.save(on: db)
            return ((), [AuditRecord("break-glass-review", "grant", id: id, reason: grant.reviewNote)])
        }
        return req.redirect(to: SiteURL.disclosures.path)
    }

    /// The record as JSON, with its versions' digests, for court bundles; always audited.
    @Sendable static func export(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .exportRecord)
        let versions = try await RecordVersion.query(on: req.db).filter(\.$discussion.$id == loaded.id).sort(\.$number).all()
        try RecordSeal.requireIntact(versions, reference: loaded.discussion.reference, on: req.db)
        struct Export: Encodable {
            struct Version: Encodable {
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
        let snapshot = try await RecordBuilder.snapshot(loaded, on: req.db)
        let body = Export(reference: loaded.discussion.reference, exportedAt: RFC3339.format(req.now), exportedBy: loaded.user.name,
                          current: snapshot, versions: versions.map {
                              .init(number: $0.number, kind: $0.kind.rawValue, sha256: $0.sha256,
                                    createdAt: $0.createdAt.map(RFC3339.format) ?? "")
                          })
        try await req.db.audit([loaded.audit("export", detail: "record as JSON")], by: req.actor, now: req.now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let response = Response(status: .ok, body: .init(data: try encoder.encode(body)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"\(loaded.discussion.reference.replacingOccurrences(of: "/", with: "-")).json\"")
        return response
    }
}
