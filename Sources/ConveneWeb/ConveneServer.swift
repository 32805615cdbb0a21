import ConveneCore
import ConveneStore
import Fluent
import Vapor

/// `convene serve`, and the application for the other commands.
public enum ConveneServer {
    /// Configures the application (database migrated) without serving, runs `body`, shuts down.
    /// Writes a checkpoint of the audit chain at the end unless `checkpoint` is false (verifying).
    public static func withApp<T>(options: ConveneOptions, checkpoint: Bool = true, _ body: (Application) async throws -> T)
        async throws -> T
    {
        let env = Environment(name: ProcessInfo.processInfo.environment["CONVENE_ENV"] ?? "production", arguments: ["convene"])
        let app = try await Application.make(env)
        app.logger.logLevel = .warning
        do {
            try await configure(app, options: options)
            let result = try await body(app)
            if checkpoint { try await AuditCheckpointing.checkpoint(app) }
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// The chain, the head against every signed checkpoint, and the seals (`convene audit verify`).
    public static func verifyAudit(_ app: Application) async throws -> AuditTrail.Verification {
        try await AuditTrail.verify(on: app.db, checkpoints: app.convene.checkpoints?.read() ?? [])
    }

    public static func retention(_ app: Application) async throws -> [(String, RetentionReport)] {
        var reports: [(String, RetentionReport)] = []
        for org in try await Organisation.query(on: app.db).sort(\.$name).all() {
            reports.append((org.name, try await RetentionReport.build(organisation: org, now: app.convene.now, on: app.db)))
        }
        return reports
    }

    /// Creates an authority and its first administrator (deployment without the demo data).
    public static func createAdministrator(_ app: Application, organisation name: String, pack: String, adminName: String,
                                           email: String) async throws -> String {
        guard app.convene.packs.pack(pack) != nil else {
            throw ConfigurationError(message: "unknown pack \(pack); known: " + app.convene.packs.packs.map(\.id).joined(separator: ", "))
        }
        guard EmailAddress.isPlausible(email) else { throw ConfigurationError(message: "not an email address: \(email)") }
        // An authority runs one procedure: an existing one on another pack is refused, not silently kept.
        if let existing = try await Organisation.query(on: app.db).filter(\.$name == name).first(), existing.packID != pack {
            throw InputError(field: "pack", "\(name) already exists on the procedure pack \"\(existing.packID)\", not \"\(pack)\"; "
                + "an authority has one pack: give --pack \(existing.packID) to add an administrator to it")
        }
        let password = AdminController.temporaryPassword()
        let hash = try Passwords.hash(password, cost: app.convene.options.passwordCost)
        try await app.db.audited(by: .system("convene admin create")) { db in
            var found = try await Organisation.query(on: db).filter(\.$name == name).first()
            if found == nil {
                let created = Organisation(name: name, packID: pack)
                try await created.create(on: db)
                found = created
            }
            let org = found!
            let person = Person(organisationID: org.id!, teamID: nil, name: adminName, email: email, role: .administrator,
                                agency: "childrens-social-care", agencyRole: "administrator", passwordHash: hash)
            person.mustChangePassword = true
            try await person.create(on: db)
            return ((), [AuditRecord("create", "person", id: person.id, detail: "administrator")])
        }
        return password
    }

    /// A booking calendar of an authority (capacity belongs to a calendar, SLOT-*).
    public static func createCalendar(_ app: Application, organisation name: String, name calendarName: String,
                                      locality: String) async throws {
        guard let org = try await Organisation.query(on: app.db).filter(\.$name == name).first(), let orgID = org.id else {
            throw InputError(field: "organisation", "there is no authority called \(name)")
        }
        guard let pack = app.convene.packs.pack(org.packID) else {
            throw InputError(field: "organisation", "\(name)'s procedure pack \(org.packID) is missing")
        }
        guard pack.slots.bookedAgainst == .calendar else {
            throw InputError(field: "organisation", "\(name)'s procedure (\(pack.id)) books each discussion against its chair, not a calendar")
        }
        let trimmed = calendarName.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw InputError(field: "name", "give the calendar a name") }
        if try await BookingCalendar.query(on: app.db).filter(\.$organisationID == orgID).filter(\.$name == trimmed).first() != nil {
            throw InputError(field: "name", "\(name) already has a calendar called \(trimmed)")
        }
        try await app.db.audited(by: .system("convene admin calendar")) { db in
            let calendar = BookingCalendar(organisationID: orgID, name: trimmed, locality: locality.trimmingCharacters(in: .whitespaces))
            try await calendar.create(on: db)
            return ((), [AuditRecord("create", "calendar", id: calendar.id, detail: "\(trimmed) (\(calendar.locality))")])
        }
    }

    /// The areas a team covers (REQ-003-01).
    public static func setTeamAreas(_ app: Application, organisation name: String, team teamName: String, areas: String) async throws {
        guard let org = try await Organisation.query(on: app.db).filter(\.$name == name).first(), let orgID = org.id else {
            throw InputError(field: "organisation", "there is no authority called \(name)")
        }
        guard let team = try await Team.query(on: app.db).filter(\.$organisation.$id == orgID).filter(\.$name == teamName).first() else {
            throw InputError(field: "team", "\(name) has no team called \(teamName)")
        }
        let list = areas.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty, list.allSatisfy({ $0.count <= 200 }) else { throw InputError(field: "areas", "list at least one area") }
        try await app.db.audited(by: .system("convene admin team-areas")) { db in
            team.areas = list
            try await team.save(on: db)
            return ((), [AuditRecord("update", "team", id: team.id, detail: "areas: " + list.joined(separator: ", "))])
        }
    }

    public static func run(options: ConveneOptions) async throws {
        // Vapor's own command line must not see ours: it runs `serve` with the options above.
        let env = Environment(name: ProcessInfo.processInfo.environment["CONVENE_ENV"] ?? "production",
                              arguments: ["convene", "serve"])
        let app = try await Application.make(env)
        app.http.server.configuration.hostname = options.hostname
        app.http.server.configuration.port = options.port
        do {
            try await configure(app, options: options)
            app.lifecycle.use(AuditCheckpointing())
            let url = "http://\(options.hostname):\(options.port)/"
            app.logger.notice("Convene: \(options.database), \(url)")
            if options.demo {
                try await DemoData.seedIfEmpty(app)
                DemoData.printWelcome(app, url: url)
            }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
