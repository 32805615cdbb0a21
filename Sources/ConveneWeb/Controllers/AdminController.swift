import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// Administration of an authority: its procedure pack, teams and people (issue 4 tenancy,
/// issue 5 accounts). Administrators manage accounts; they do not read case records.
enum AdminController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", use: show)
        routes.post("admin", "organisation", use: saveOrganisation)
        routes.post("admin", "teams", use: addTeam)
        routes.post("admin", "people", use: addPerson)
        routes.post("admin", "people", ":person", use: updatePerson)
        routes.get("admin", "outbox", use: outbox)
        routes.post("admin", "outbox", ":message", "resend", use: resend)
        routes.get("admin", "retention", use: retention)
        routes.post("admin", "retention", use: saveRetention)
    }

    static let pageSize = 50

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, state: FormState())
    }

    static func render(_ req: Request, state: FormState, errors: [InputError] = [], temporaryPassword: String = "",
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        let admin = try await Operations.administration(req.lifecycle, page: window)
        let page = AdminPage(admin, packs: req.convene.packs, window: window, state: state, temporaryPassword: temporaryPassword,
                             now: req.now)
        return try await req.page("admin", title: "Administration", page, errors: errors, notification: notification)
    }

    @Sendable static func saveOrganisation(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.saveOrganisation(req.lifecycle, packID: form["pack"], name: form["orgName"])
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return try await render(req, state: FormState(), notification: .success("Saved"))
    }

    @Sendable static func addTeam(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.addTeam(req.lifecycle, name: form["teamName"], locality: form["teamLocality"])
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return try await render(req, state: FormState(), notification: .success("Team added"))
    }

    @Sendable static func addPerson(req: Request) async throws -> Response {
        let form = try FormData(req)
        let created: (email: String, password: String)
        do {
            created = try await Operations.addPerson(req.lifecycle, .init(
                name: form["name"], email: form["email"], role: Role(rawValue: form["role"]), agency: form["agency"],
                agencyRole: form["agencyRole"], teamID: UUID(uuidString: form["team"])))
        } catch let failure as ValidationFailure {
            return try await render(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return try await render(req, state: FormState(), temporaryPassword: "\(created.email): \(created.password)",
                                notification: .important("Account created", "Give them this temporary password by a secure route; it is shown once."))
    }

    /// Disable (ending every session, ASVS-5.0-7.4.2), enable, unlock or reset a password.
    @Sendable static func updatePerson(req: Request) async throws -> Response {
        let form = try FormData(req)
        let id = try req.uuid("person")
        guard let action = Operations.AccountAction(rawValue: form["action"]) else {
            _ = try Operations.requireAdministrator(req.lifecycle)
            throw Abort(.badRequest, reason: "Choose what to do.")
        }
        let result = try await Operations.updatePerson(req.lifecycle, personID: id, action)
        return try await render(req, state: FormState(), temporaryPassword: result.password.map { "\(result.email): \($0)" } ?? "",
                                notification: .success(action == .reset ? "Password reset" : "Done"))
    }

    /// The messages Convene has written and what became of each (issue 11): failed ones first,
    /// with their last error and a way to send them again. Their bodies (with personal links)
    /// are shown only on a demonstration site, so testers can follow an invitee's link.
    @Sendable static func outbox(req: Request) async throws -> Response {
        let (failed, recent) = try await Operations.outboxWithFailures(req.lifecycle)
        let page = OutboxPage(failed: failed, recent: recent, demo: req.convene.options.demo)
        return try await req.page("outbox", title: "Outbox", page)
    }

    /// Sends a failed message again (its tries start over), audited.
    @Sendable static func resend(req: Request) async throws -> Response {
        try await Operations.resendMessage(req.lifecycle, messageID: try req.uuid("message"))
        return req.redirect(to: "/admin/outbox", redirectType: .normal)
    }

    @Sendable static func retention(req: Request) async throws -> Response {
        try await renderRetention(req, state: nil)
    }

    static func renderRetention(_ req: Request, state: FormState?, errors: [InputError] = []) async throws -> Response {
        let (org, report) = try await Operations.retention(req.lifecycle)
        let page = RetentionPage(org, report, state: state)
        return try await req.page("retention", title: "Retention", page, errors: errors)
    }

    @Sendable static func saveRetention(req: Request) async throws -> Response {
        let form = try FormData(req)
        do {
            try await Operations.saveRetention(req.lifecycle, recordsUntilAge: Int(form["recordsUntilAge"].trimmed),
                                               auditYears: Int(form["auditYears"].trimmed),
                                               notConvenedYears: Int(form["notConvenedYears"].trimmed))
        } catch let failure as ValidationFailure {
            return try await renderRetention(req, state: FormState(form: form, errors: failure.errors), errors: failure.errors)
        }
        return req.redirect(to: SiteURL.adminPart(.retention).path)
    }
}
