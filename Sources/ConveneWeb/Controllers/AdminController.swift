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
        routes.get("admin", "retention", use: retention)
        routes.post("admin", "retention", use: saveRetention)
    }

    static func requireAdmin(_ req: Request) throws -> CurrentUser {
        let user = try req.requireUser()
        guard user.invitationScope == nil,
              AccessPolicy.allows(.administer, AccessContext(role: user.role, sameOrganisation: true)) else {
            throw Abort(.forbidden, reason: "Only administrators can do that.")
        }
        return user
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
        let user = try requireAdmin(req)
        guard let org = try await Organisation.find(user.organisationID, on: req.db) else { throw Abort(.notFound) }
        let teams = try await Team.query(on: req.db).filter(\.$organisation.$id == org.id!).sort(\.$name).all()
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        let pageNumber = window.number
        let query = Person.query(on: req.db).filter(\.$organisation.$id == org.id!)
        let total = try await query.count()
        let people = try await query.sort(\.$name).range(window.range).all()
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
                          status: p.disabledAt != nil ? "Disabled" : ((p.lockedUntil ?? .distantPast) > now ? "Locked" : "Active"),
                          disabled: p.disabledAt != nil, locked: (p.lockedUntil ?? .distantPast) > now,
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
        let user = try requireAdmin(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        if req.convene.packs.pack(form["pack"]) == nil { checks.fail("pack", "Choose a procedure pack") }
        checks.text(form["orgName"], "orgName", "Enter the authority's name", max: 200)
        guard checks.isValid else { return try await render(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors) }
        try await req.db.audited(by: req.actor, now: req.now) { db in
            guard let org = try await Organisation.find(user.organisationID, on: db) else { throw Abort(.notFound) }
            let detail = org.packID == form["pack"] ? "" : "pack \(org.packID) → \(form["pack"])"
            org.packID = form["pack"]
            org.name = form["orgName"].trimmed
            try await org.save(on: db)
            return ((), [AuditRecord("update", "organisation", id: org.id, detail: detail)])
        }
        req.convene.packCache.forget(user.organisationID)
        return try await render(req, state: FormState(), notification: .success("Saved"))
    }

    @Sendable static func addTeam(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        checks.text(form["teamName"], "teamName", "Enter the team's name", max: 200)
        checks.text(form["teamLocality"], "teamLocality", "Enter the team's locality", max: 200)
        guard checks.isValid else { return try await render(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors) }
        try await req.db.audited(by: req.actor, now: req.now) { db in
            let team = Team(organisationID: user.organisationID, name: form["teamName"].trimmed, locality: form["teamLocality"].trimmed)
            try await team.create(on: db)
            return ((), [AuditRecord("create", "team", id: team.id, detail: team.name)])
        }
        return try await render(req, state: FormState(), notification: .success("Team added"))
    }

    /// A temporary password the person changes after signing in.
    static func temporaryPassword() -> String {
        let words = ["amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "harbour", "island", "juniper", "kestrel",
                     "lantern", "meadow", "nettle", "orchard", "pebble", "quarry", "river", "saffron", "thistle", "upland",
                     "valley", "willow", "yarrow"]
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in words.randomElement(using: &generator)! }.joined(separator: "-") + "-\(Int.random(in: 10...99, using: &generator))"
    }

    @Sendable static func addPerson(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        checks.text(form["name"], "name", "Enter their full name", max: 200)
        let email = form["email"].trimmed.lowercased()
        if !EmailAddress.isPlausible(email) { checks.fail("email", "Enter an email address in the correct format, like name@example.org") }
        // Unique within the authority only: whether another authority knows the address is
        // none of this one's business (issue 9), and a partner agency's officer may work with both.
        if try await Person.query(on: req.db).filter(\.$organisation.$id == user.organisationID).filter(\.$email == email)
            .count() > 0 {
            checks.fail("email", "Someone in your authority already has this email address")
        }
        let role = Role(rawValue: form["role"])
        if role == nil { checks.fail("role", "Choose their role") }
        let pack = try await req.ownPack()
        if !pack.agencies.contains(where: { $0.id == form["agency"] }) { checks.fail("agency", "Choose their agency") }
        checks.limit(form["agencyRole"], "agencyRole", max: 100)
        let teamID = UUID(uuidString: form["team"])
        if let teamID, try await Team.find(teamID, on: req.db)?.$organisation.id != user.organisationID {
            checks.fail("team", "Choose a team of this authority")
        }
        if (role == .socialWorker || role == .teamManager) && teamID == nil {
            checks.fail("team", "Social workers and team managers belong to a team")
        }
        guard checks.isValid, let role else {
            return try await render(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        let password = temporaryPassword()
        let hash = try Passwords.hash(password, cost: req.convene.options.passwordCost)
        try await req.db.audited(by: req.actor, now: req.now) { db in
            let person = Person(organisationID: user.organisationID, teamID: teamID, name: form["name"].trimmed, email: email,
                                role: role, agency: form["agency"],
                                agencyRole: form["agencyRole"].trimmed.lowercased().replacingOccurrences(of: " ", with: "-"),
                                passwordHash: hash)
            // A temporary password: changed at the first sign-in, before anything else.
            person.mustChangePassword = true
            try await person.create(on: db)
            return ((), [AuditRecord("create", "person", id: person.id, detail: "\(role.rawValue)")])
        }
        return try await render(req, state: FormState(), temporaryPassword: "\(email): \(password)",
                                notification: .important("Account created", "Give them this temporary password by a secure route; it is shown once."))
    }

    /// Disable (ending every session, ASVS-5.0-7.4.2), enable, unlock or reset a password.
    @Sendable static func updatePerson(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        let form = try FormData(req)
        let id = try req.uuid("person")
        guard let person = try await Person.find(id, on: req.db), person.$organisation.id == user.organisationID else {
            throw Abort(.notFound)
        }
        let action = form["action"]
        guard ["disable", "enable", "unlock", "reset"].contains(action) else { throw Abort(.badRequest, reason: "Choose what to do.") }
        if action == "disable" && id == user.id { throw Abort(.conflict, reason: "You cannot disable your own account.") }
        let now = req.now
        var password = ""
        if action == "reset" { password = temporaryPassword() }
        let hash = action == "reset" ? try Passwords.hash(password, cost: req.convene.options.passwordCost) : nil
        try await req.db.audited(by: req.actor, now: now) { db in
            switch action {
            case "disable":
                person.disabledAt = now
                try await Sessions.revokeAll(personID: id, now: now, db: db)
            case "enable":
                person.disabledAt = nil
            case "unlock":
                person.lockedUntil = nil
                person.failedLogins = 0
            default:
                person.passwordHash = hash
                person.mustChangePassword = true
                person.lockedUntil = nil
                person.failedLogins = 0
                try await Sessions.revokeAll(personID: id, now: now, db: db)
            }
            try await person.save(on: db)
            return ((), [AuditRecord("person-" + action, "person", id: id)])
        }
        return try await render(req, state: FormState(), temporaryPassword: action == "reset" ? "\(person.email): \(password)" : "",
                                notification: .success(action == "reset" ? "Password reset" : "Done"))
    }

    struct OutboxRow: Encodable {
        let to: String
        let subject: String
        let body: String
        let at: String
    }

    struct OutboxPage: Encodable {
        let rows: [OutboxRow]
        let demo: Bool
        let none: Bool
    }

    /// The messages Convene has queued. Their bodies (with personal links) are shown only on
    /// a demonstration site, so testers can follow an invitee's link.
    @Sendable static func outbox(req: Request) async throws -> Response {
        let user = try requireAdmin(req)
        let rows = try await OutboxMessage.query(on: req.db).filter(\.$organisationID == user.organisationID)
            .sort(\.$createdAt, .descending).limit(100).all()
        let demo = req.convene.options.demo
        try await req.db.audit([AuditRecord("view", "outbox", detail: "\(rows.count) messages")], by: req.actor, now: req.now)
        return try await req.page("outbox", title: "Outbox", OutboxPage(rows: rows.map {
            OutboxRow(to: "\($0.toName) <\($0.toEmail)>", subject: $0.subject, body: demo ? $0.body : "",
                      at: $0.createdAt.map { UKDisplay.compact($0) } ?? "")
        }, demo: demo, none: rows.isEmpty))
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
        let user = try requireAdmin(req)
        guard let org = try await Organisation.find(user.organisationID, on: req.db) else { throw Abort(.notFound) }
        let report = try await RetentionReport.build(organisation: org, now: req.now, on: req.db)
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
        let user = try requireAdmin(req)
        let form = try FormData(req)
        var checks = FieldChecks()
        let age = Int(form["recordsUntilAge"].trimmed), audit = Int(form["auditYears"].trimmed), notConvened = Int(form["notConvenedYears"].trimmed)
        if age == nil || age! < 18 || age! > 120 { checks.fail("recordsUntilAge", "Enter an age from 18 to 120") }
        if audit == nil || audit! < 6 || audit! > 100 { checks.fail("auditYears", "Enter a number of years from 6 to 100") }
        if notConvened == nil || notConvened! < 1 || notConvened! > 100 { checks.fail("notConvenedYears", "Enter a number of years from 1 to 100") }
        guard checks.isValid, let age, let audit, let notConvened else {
            return try await renderRetention(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        try await req.db.audited(by: req.actor, now: req.now) { db in
            guard let org = try await Organisation.find(user.organisationID, on: db) else { throw Abort(.notFound) }
            org.retention = RetentionPolicy(recordsUntilAge: age, auditYears: audit, notConvenedYears: notConvened)
            try await org.save(on: db)
            return ((), [AuditRecord("update", "retention", id: org.id, detail: "\(age)/\(audit)/\(notConvened)")])
        }
        return req.redirect(to: SiteURL.adminPart(.retention).path)
    }
}
