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

    @Sendable static func show(req: Request) async throws -> Response {
        _ = try Operations.requireAuditor(req.lifecycle)
        let child = req.query[String.self, at: "child"].flatMap(UUID.init(uuidString:))
        let page = ListPage.lenient(req.query[String.self, at: "page"], size: AuditPage.pageSize)
        return try await render(req, filter: .init(child: child, page: page), state: FormState())
    }

    static func render(_ req: Request, filter: Operations.AuditFilter, state: FormState, children: [AuditPage.ChildMatch] = [],
                       verification: String = "", errors: [InputError] = []) async throws -> Response {
        let trail = try await Operations.auditTrail(req.lifecycle, filter)
        let page = AuditPage(trail, filter: filter, state: state, children: children, verification: verification)
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
        let matches = try await Operations.findChildren(req.lifecycle, name: form["childName"]).map(AuditPage.ChildMatch.init)
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
