import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The audit trail for auditors (issue 5): search it, see who viewed a child's records, and
/// verify the hash chain. Searches by name are POSTed: no personal data in URLs
/// (ASVS-5.0-14.2.1).
enum AuditController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("audit", use: show)
        routes.post("audit", use: search)
        routes.post("audit", "verify", use: verify)
    }

    static func requireAuditor(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.invitationScope == nil,
              AccessPolicy.allows(.viewAudit, AccessContext(role: user.role, sameOrganisation: true)) else {
            throw Abort(.forbidden, reason: "Only auditors can read the audit trail.")
        }
        return user
    }

    struct Row: Encodable {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let object: String
        let reason: String
        let detail: String
        let ip: String
        let flagged: Bool
    }

    struct ChildMatch: Encodable {
        let name: String
        let born: String
        let reference: String
        let href: String
    }

    struct Page: Encodable {
        let rows: [Row]
        let none: Bool
        let heading: String
        let action: ChoiceContext
        let childName: FieldContext
        let from: DateFieldContext
        let to: DateFieldContext
        let flaggedOnly: ChoiceContext
        let children: [ChildMatch]
        let hasChildren: Bool
        let verification: String
        let previous: String
        let next: String
    }

    static let pageSize = 50
    static let actions = ["", "view", "create", "update", "record-edit", "login", "login-failed", "access-denied", "export",
                          "decide", "book", "rebook", "cancel", "finalise", "authorise", "circulate", "break-glass",
                          "disclosure-grant", "disclosure-refuse", "correction-submit", "person-disable"]

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try requireAuditor(req)
        let child = req.query[String.self, at: "child"].flatMap(UUID.init(uuidString:))
        let page = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize).number
        return try await render(req, filter: Filter(child: child, page: page), state: FormState())
    }

    struct Filter {
        var child: UUID?
        var action = ""
        var from: Date?
        var to: Date?
        var flaggedOnly = false
        var page = 1
    }

    static func render(_ req: Request, filter: Filter, state: FormState, children: [ChildMatch] = [], verification: String = "",
                       errors: [InputError] = []) async throws -> Response {
        let user = try requireAuditor(req)
        var query = AuditEntry.query(on: req.db).filter(\.$organisationID == user.organisationID)
        var heading = "Recent activity"
        if let child = filter.child {
            query = query.filter(\.$childIDs, .contains(inverse: false, .anywhere), child.slug)
            let record = try await CaseChild.find(child, on: req.db)
            heading = "Who viewed or changed " + (record.map { $0.organisationID == user.organisationID ? $0.name + "’s records" : "this child’s records" } ?? "this child’s records")
        }
        if !filter.action.isEmpty { query = query.filter(\.$action == filter.action) }
        if let from = filter.from { query = query.filter(\.$at >= from) }
        if let to = filter.to { query = query.filter(\.$at < to) }
        if filter.flaggedOnly { query = query.filter(\.$flagged == true) }
        let entries = try await query.sort(\.$seq, .descending).range(ListPage(number: filter.page, size: pageSize).range).all()
        let ids = entries.compactMap(\.objectID) + entries.compactMap(\.caseID)
        let discussions = ids.isEmpty ? [] : try await Discussion.query(on: req.db).filter(\.$id ~~ ids).all()
        let cases = ids.isEmpty ? [] : try await Case.query(on: req.db).filter(\.$id ~~ ids).all()
        func object(_ e: AuditEntry) -> String {
            if let id = e.objectID, let d = discussions.first(where: { $0.id == id }) { return "\(e.objectType) \(d.reference)" }
            if let id = e.caseID, let c = cases.first(where: { $0.id == id }) { return "\(e.objectType) (case \(c.reference))" }
            return e.objectType
        }
        try await req.db.audit([AuditRecord("view", "audit-trail", detail: filter.child.map { "child \($0.slug)" } ?? "search")],
                               by: req.actor, now: req.now)
        var state = state
        if state.values["action"] == nil { state.values["action"] = filter.action }
        let base = SiteURL.audit.path + "?" + (filter.child.map { "child=\($0.slug)&" } ?? "")
        let page = Page(
            rows: entries.map {
                Row(seq: $0.seq, at: UKDisplay.compact($0.at), actor: $0.actorName, action: $0.action, object: object($0),
                    reason: $0.reason, detail: $0.detail, ip: $0.ip, flagged: $0.flagged)
            },
            none: entries.isEmpty, heading: heading,
            action: state.radios("action", "Action", options: actions.map { ($0, $0.isEmpty ? "Any action" : $0) }),
            childName: state.field("childName", "Child’s name", hint: "Find who viewed or changed a child’s records").with(width: "20"),
            from: state.date("from", "From"), to: state.date("to", "To (inclusive)"),
            flaggedOnly: state.checkboxes("flagged", "Flagged", options: [("yes", "Only break-glass access, flagged for review")]),
            children: children, hasChildren: !children.isEmpty, verification: verification,
            previous: filter.page > 1 && filter.child != nil ? base + "page=\(filter.page - 1)" : "",
            next: entries.count == pageSize && filter.child != nil ? base + "page=\(filter.page + 1)" : "")
        return try await req.page("audit", title: "Audit trail", page, errors: errors)
    }

    @Sendable static func search(req: Request) async throws -> Response {
        let user = try requireAuditor(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        let from = form.date("from", label: "From", &checks)
        let to = form.date("to", label: "To", &checks)
        guard checks.isValid else {
            return try await render(req, filter: Filter(), state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        var matches: [ChildMatch] = []
        let name = form["childName"].trimmed.lowercased()
        if !name.isEmpty {
            let children = try await CaseChild.query(on: req.db).filter(\.$organisationID == user.organisationID)
                .filter(\.$searchName, .contains(inverse: false, .anywhere), name).limit(50).all()
            let cases = try await Case.query(on: req.db).filter(\.$id ~~ children.map { $0.$case.id }).all()
            matches = children.map { child in
                ChildMatch(name: child.name, born: child.dateOfBirth.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "",
                           reference: cases.first { $0.id == child.$case.id }?.reference ?? "",
                           href: SiteURL.audit.path + "?child=\(child.id!.slug)")
            }
        }
        let filter = Filter(action: actions.contains(form["action"]) ? form["action"] : "",
                            from: from.map { EuropeLondon.instant(on: $0, secondsIntoDay: 0) },
                            to: to.map { EuropeLondon.instant(on: $0.adding(days: 1), secondsIntoDay: 0) },
                            flaggedOnly: form.all("flagged").contains("yes"))
        return try await render(req, filter: filter, state: FormState(form: form, errors: []), children: matches)
    }

    @Sendable static func verify(req: Request) async throws -> Response {
        _ = try requireAuditor(req)
        let result = try await AuditTrail.verify(on: req.db, checkpoints: req.convene.checkpoints?.read() ?? [])
        let text = result.ok ? "The audit trail is intact: \(result.entries) entries verified."
            : "The audit trail has been tampered with: " + result.problems.map(\.message).joined(separator: "; ") + "."
        try await req.db.audit([AuditRecord("audit-verify", "audit-trail", detail: result.ok ? "intact" : "broken at \(result.brokenAt ?? 0)")],
                               by: req.actor, now: req.now)
        return try await render(req, filter: Filter(), state: FormState(), verification: text)
    }
}
