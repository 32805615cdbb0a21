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
            if checkpoint { try await app.checkpointAudit() }
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
        try await Operations.retentionReports(app.lifecycleContext(acting: .system("convene retention")))
    }

    /// Creates an authority and its first administrator (deployment without the demo data).
    public static func createAdministrator(_ app: Application, organisation name: String, pack: String, adminName: String,
                                           email: String) async throws -> String {
        try await Operations.createAdministrator(app.lifecycleContext(acting: .system("convene admin create")), organisation: name,
                                                 pack: pack, adminName: adminName, email: email)
    }

    /// A booking calendar of an authority (capacity belongs to a calendar, SLOT-*).
    public static func createCalendar(_ app: Application, organisation name: String, name calendarName: String,
                                      locality: String) async throws {
        try await Operations.createCalendar(app.lifecycleContext(acting: .system("convene admin calendar")), organisation: name,
                                            name: calendarName, locality: locality)
    }

    /// The areas a team covers (REQ-003-01).
    public static func setTeamAreas(_ app: Application, organisation name: String, team teamName: String, areas: String) async throws {
        try await Operations.setTeamAreas(app.lifecycleContext(acting: .system("convene admin team-areas")), organisation: name,
                                          team: teamName, areas: areas)
    }

    /// `convene oversight rebuild`: every discussion's oversight facts written again (issue 13).
    public static func rebuildOversight(_ app: Application) async throws -> OversightRebuild.Summary {
        try await OversightRebuild.run(app.lifecycleContext(acting: .system("convene oversight rebuild")))
    }

    /// `convene seed`: synthetic authorities and discussions (everyone's password is the demonstration's).
    public static func seed(_ app: Application, discussions: Int, perOrganisation: Int) async throws -> Seeder.Summary {
        try await Seeder.seed(app.lifecycleContext(acting: .system("convene seed")), discussions: discussions, perOrganisation: perOrganisation)
    }

    /// `convene deliver`: writes due reminders and sends the outbox until stopped (or once, with
    /// `once`), without serving (issue 11). Each round is the lifecycle's reminder and delivery jobs.
    public static func deliver(options: ConveneOptions, once: Bool) async throws {
        try await withApp(options: options) { app in
            let jobs = try await options.mail.jobs(logger: app.logger)
            repeat {
                for job in jobs { try await job.run(app.lifecycleContext(acting: .system("convene deliver"))) }
                if once { break }
                try await Task.sleep(nanoseconds: UInt64(options.mail.interval * 1_000_000_000))
            } while !Task.isCancelled
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
            app.lifecycle.use(RunningJobs())
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
