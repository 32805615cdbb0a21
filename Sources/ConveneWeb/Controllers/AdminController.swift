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

    struct PersonRow: Encodable {
        let name: String
        let email: String
        let role: String
        let agency: String
        let team: String
        let status: String
        let disabled: Bool
        let locked: Bool
        let action: String
    }

    struct Page: Encodable {
        let organisation: String
        let packName: String
        let pack: ChoiceContext
        let orgName: FieldContext
        let teams: [String]
        let teamName: FieldContext
        let teamLocality: FieldContext
        let people: [PersonRow]
        let page: Int
        let pages: Int
        let previous: String
        let next: String
        let personName: FieldContext
        let personEmail: FieldContext
        let personRole: ChoiceContext
        let personAgency: ChoiceContext
        let personAgencyRole: FieldContext
        let personTeam: ChoiceContext
        let temporaryPassword: String
    }

    static let pageSize = 50

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, state: FormState())
    }

    static func render(_ req: Request, state: FormState, errors: [InputError] = [], temporaryPassword: String = "",
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        let pageNumber = window.number
        let admin = try await Operations.administration(req.lifecycle, page: window)
        let (org, teams, people, total) = (admin.organisation, admin.teams, admin.people, admin.total)
        let pack = req.convene.packs.pack(org.packID)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        var state = state
        if state.values["pack"] == nil { state.values["pack"] = org.packID }
        if state.values["orgName"] == nil { state.values["orgName"] = org.name }
        let now = req.now
        let pages = window.pages(total: total)
        let page = Page(
            organisation: org.name, packName: pack?.name ?? org.packID,
            pack: state.radios("pack", "Procedure pack", hint: "The procedure this authority follows",
                               options: req.convene.packs.packs.map { ($0.id, "\($0.name) (\($0.id))") }),
            orgName: state.field("orgName", "Name of the authority"),
            teams: teams.map { "\($0.name) (\($0.locality))" },
            teamName: state.field("teamName", "Team name").with(width: "20"),
            teamLocality: state.field("teamLocality", "Locality").with(width: "20"),
            people: people.map { p in
                PersonRow(name: p.name, email: p.email, role: p.role.label, agency: pack?.agencyName(p.agency) ?? p.agency,
                          team: p.$team.id.flatMap { teamNames[$0] } ?? "",
                          status: p.accountStatus(at: now), disabled: p.disabledAt != nil, locked: p.isLocked(at: now),
                          action: SiteURL.person(p.id!).path)
            },
            page: pageNumber, pages: pages,
            previous: pageNumber > 1 ? SiteURL.admin.path + "?page=\(pageNumber - 1)" : "",
            next: pageNumber < pages ? SiteURL.admin.path + "?page=\(pageNumber + 1)" : "",
            personName: state.field("name", "Full name").with(width: "20"),
            personEmail: state.field("email", "Email address").with(type: "email", width: "30"),
            personRole: state.radios("role", "Role", options: Role.allCases.map { ($0.rawValue, $0.label) }),
            personAgency: state.radios("agency", "Agency", options: (pack?.agencies ?? Vocabulary.agencies).map { ($0.id, $0.name) }),
            personAgencyRole: state.field("agencyRole", "Role in their agency", hint: "For example, social-worker or jcpit-manager").with(width: "20"),
            personTeam: state.radios("team", "Team", options: [("", "No team")] + teams.map { ($0.id!.slug, $0.name) }),
            temporaryPassword: temporaryPassword)
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

    struct OutboxRow: Encodable {
        let id: String
        let to: String
        let subject: String
        let body: String
        let at: String
        let kind: String
        let status: String
        let failed: Bool
        let detail: String
    }

    struct OutboxPage: Encodable {
        let rows: [OutboxRow]
        let demo: Bool
        let none: Bool
        let failures: Int
    }

    /// The messages Convene has written and what became of each (issue 11): failed ones first,
    /// with their last error and a way to send them again. Their bodies (with personal links)
    /// are shown only on a demonstration site, so testers can follow an invitee's link.
    @Sendable static func outbox(req: Request) async throws -> Response {
        let (failed, recent) = try await Operations.outboxWithFailures(req.lifecycle)
        let rows = failed + recent
        let demo = req.convene.options.demo
        return try await req.page("outbox", title: "Outbox", OutboxPage(rows: rows.map { m in
            var detail: [String] = []
            if let sent = m.sentAt { detail.append("sent \(UKDisplay.compact(sent)) by \(m.transport ?? "")") }
            if m.status == .queued, let next = m.nextAttemptAt { detail.append("next try \(UKDisplay.compact(next))") }
            if m.attempts > 0 { detail.append("\(m.attempts) tr\(m.attempts == 1 ? "y" : "ies")") }
            if let error = m.lastError, m.status != .sent { detail.append(error) }
            return OutboxRow(id: m.id!.slug, to: "\(m.toName) <\(m.toEmail)>", subject: m.subject, body: demo ? m.body : "",
                             at: m.createdAt.map { UKDisplay.compact($0) } ?? "", kind: m.kind, status: m.status.label,
                             failed: m.status == .failed, detail: detail.joined(separator: " · "))
        }, demo: demo, none: rows.isEmpty, failures: failed.count))
    }

    /// Sends a failed message again (its tries start over), audited.
    @Sendable static func resend(req: Request) async throws -> Response {
        try await Operations.resendMessage(req.lifecycle, messageID: try req.uuid("message"))
        return req.redirect(to: "/admin/outbox", redirectType: .normal)
    }

    struct RetentionRow: Encodable {
        let reference: String
        let reason: String
    }

    struct RetentionPage: Encodable {
        let recordsUntilAge: FieldContext
        let auditYears: FieldContext
        let notConvenedYears: FieldContext
        let due: [RetentionRow]
        let dueCount: Int
        let auditDue: Int
        let none: Bool
    }

    @Sendable static func retention(req: Request) async throws -> Response {
        try await renderRetention(req, state: nil)
    }

    static func renderRetention(_ req: Request, state: FormState?, errors: [InputError] = []) async throws -> Response {
        let (org, report) = try await Operations.retention(req.lifecycle)
        var values = state ?? FormState()
        if state == nil {
            values.values["recordsUntilAge"] = String(org.retention.recordsUntilAge)
            values.values["auditYears"] = String(org.retention.auditYears)
            values.values["notConvenedYears"] = String(org.retention.notConvenedYears)
        }
        let page = RetentionPage(
            recordsUntilAge: values.field("recordsUntilAge", "Keep discussion records until the youngest child is this old").with(width: "2"),
            auditYears: values.field("auditYears", "Keep the audit trail for this many years").with(width: "2"),
            notConvenedYears: values.field("notConvenedYears", "Keep requests never convened for this many years").with(width: "2"),
            due: report.cases.prefix(100).map { RetentionRow(reference: $0.reference, reason: $0.reason) },
            dueCount: report.cases.count, auditDue: report.auditEntries, none: report.cases.isEmpty)
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
