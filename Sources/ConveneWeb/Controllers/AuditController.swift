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
    static let actions = [""] + Operations.AuditFilter.searchableActions

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try Operations.requireAuditor(req.lifecycle)
        let child = req.query[String.self, at: "child"].flatMap(UUID.init(uuidString:))
        let page = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        return try await render(req, filter: .init(child: child, page: page), state: FormState())
    }

    static func render(_ req: Request, filter: Operations.AuditFilter, state: FormState, children: [ChildMatch] = [],
                       verification: String = "", errors: [InputError] = []) async throws -> Response {
        let trail = try await Operations.auditTrail(req.lifecycle, filter)
        let entries = trail.entries
        let heading = filter.child == nil ? "Recent activity"
            : "Who viewed or changed " + (trail.childName.map { $0 + "’s records" } ?? "this child’s records")
        var state = state
        if state.values["action"] == nil { state.values["action"] = filter.action }
        let base = SiteURL.audit.path + "?" + (filter.child.map { "child=\($0.slug)&" } ?? "")
        let number = filter.page.number
        let page = Page(
            rows: entries.map {
                Row(seq: $0.seq, at: UKDisplay.compact($0.at), actor: $0.actorName, action: $0.action, object: trail.objects[$0.seq] ?? "",
                    reason: $0.reason, detail: $0.detail, ip: $0.ip, flagged: $0.flagged)
            },
            none: entries.isEmpty, heading: heading,
            action: state.radios("action", "Action", options: actions.map { ($0, $0.isEmpty ? "Any action" : $0) }),
            childName: state.field("childName", "Child’s name", hint: "Find who viewed or changed a child’s records").with(width: "20"),
            from: state.date("from", "From"), to: state.date("to", "To (inclusive)"),
            flaggedOnly: state.checkboxes("flagged", "Flagged", options: [("yes", "Only break-glass access, flagged for review")]),
            children: children, hasChildren: !children.isEmpty, verification: verification,
            previous: number > 1 && filter.child != nil ? base + "page=\(number - 1)" : "",
            next: entries.count == pageSize && filter.child != nil ? base + "page=\(number + 1)" : "")
        return try await req.page("audit", title: "Audit trail", page, errors: errors)
    }

    @Sendable static func search(req: Request) async throws -> Response {
        _ = try Operations.requireAuditor(req.lifecycle)
        let form = try FormData(req)
        var checks = FieldChecks()
        let from = form.date("from", label: "From", &checks)
        let to = form.date("to", label: "To", &checks)
        guard checks.isValid else {
            return try await render(req, filter: .init(), state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let matches = try await Operations.findChildren(req.lifecycle, name: form["childName"]).map { child, reference in
            ChildMatch(name: child.name, born: child.dateOfBirth.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "",
                       reference: reference, href: SiteURL.audit.path + "?child=\(child.id!.slug)")
        }
        let filter = Operations.AuditFilter(action: form["action"],
                                            from: from.map { EuropeLondon.instant(on: $0, secondsIntoDay: 0) },
                                            to: to.map { EuropeLondon.instant(on: $0.adding(days: 1), secondsIntoDay: 0) },
                                            flaggedOnly: form.all("flagged").contains("yes"))
        return try await render(req, filter: filter, state: FormState(form: form, errors: []), children: matches)
    }

    @Sendable static func verify(req: Request) async throws -> Response {
        let result = try await Operations.verifyAuditTrail(req.lifecycle, checkpoints: req.convene.checkpoints)
        let text = result.ok ? "The audit trail is intact: \(result.entries) entries verified."
            : "The audit trail has been tampered with: " + result.problems.map(\.message).joined(separator: "; ") + "."
        return try await render(req, filter: .init(), state: FormState(), verification: text)
    }
}
