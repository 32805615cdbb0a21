import ArgumentParser
import ConveneStore
import ConveneWeb
import Foundation

/// Options every command that opens the database shares.
struct DatabaseOption: ParsableArguments {
    @Option(help: "Database: a postgres:// URL, or a SQLite file path (sqlite:PATH or PATH; DATABASE_URL; default convene.sqlite).")
    var database: String?

    func options() throws -> ConveneOptions {
        var options = try ConveneOptions.fromEnvironment()
        if let database {
            options.database = DatabaseLocation.parse(database)
        }
        return options
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var db: DatabaseOption

    func run() async throws {
        try await ConveneServer.withApp(options: try db.options()) { _ in }
        print("Database is up to date.")
    }
}

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Generate synthetic authorities, people and discussions at every stage, for load tests.")

    @OptionGroup var db: DatabaseOption

    @Option(help: "How many discussions to generate.")
    var discussions = 1_000

    @Option(help: "Discussions per synthetic authority.")
    var perAuthority = 10_000

    func validate() throws {
        guard (1...5_000_000).contains(discussions) else { throw ValidationError("--discussions must be from 1 to 5,000,000") }
        guard (1...1_000_000).contains(perAuthority) else { throw ValidationError("--per-authority must be from 1 to 1,000,000") }
    }

    func run() async throws {
        var options = try db.options()
        options.passwordCost = 10
        let summary = try await ConveneServer.withApp(options: options) { app in
            try await ConveneServer.seed(app, discussions: discussions, perOrganisation: perAuthority)
        }
        print(String(format: "Seeded %d authorities, %d people and %d discussions in %.1f s (%.0f discussions/s).",
                     summary.organisations, summary.people, summary.discussions, summary.seconds,
                     Double(summary.discussions) / max(summary.seconds, 0.001)))
        print("Everyone's password is \(SeedCommand.password).")
    }

    static var password: String { "Strategy-Demo-2026" }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "The audit trail.", subcommands: [Verify.self, Checkpoint.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the keyed chain, the signed checkpoints and every record's seal; exit 1 if anything was changed or removed.")

        @OptionGroup var db: DatabaseOption

        func run() async throws {
            var options = try db.options()
            // Verifying never creates a key: without the real one nothing can be verified.
            options.createKeyFile = false
            let result = try await ConveneServer.withApp(options: options, checkpoint: false) { app in
                try await ConveneServer.verifyAudit(app)
            }
            if result.ok {
                print("Audit trail intact: \(result.entries) entries, \(result.checkpoints) signed checkpoints, "
                    + "\(result.recordVersions) record versions and \(result.discussions) discussions verified.")
            } else {
                print("AUDIT TRAIL TAMPERED WITH:")
                for problem in result.problems { print("- \(problem.message)") }
                print("\(result.entries) entries verified before the first problem.")
                throw ExitCode(1)
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint", abstract: "Append a signed checkpoint of the audit chain's head (serve does this by itself).")

        @OptionGroup var db: DatabaseOption

        func run() async throws {
            try await ConveneServer.withApp(options: try db.options()) { _ in }
            print("Checkpoint written.")
        }
    }
}

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Dry run: what the retention policy says may be reviewed for deletion. Deletes nothing.")

    @OptionGroup var db: DatabaseOption

    func run() async throws {
        let reports = try await ConveneServer.withApp(options: try db.options()) { app in try await ConveneServer.retention(app) }
        for (name, report) in reports {
            print("\(name): \(report.cases.count) case(s) past retention; \(report.auditEntries) audit entries past retention")
            for item in report.cases.prefix(50) { print("  \(item.reference): \(item.reason)") }
        }
        print("Nothing was deleted.")
    }
}

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Set up an authority.", subcommands: [Create.self, AddCalendar.self, TeamAreas.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an authority (if new) and an administrator; prints a temporary password.")

        @OptionGroup var db: DatabaseOption
        @Option(help: "The authority's name.") var organisation: String
        @Option(help: "Its procedure pack (see `convene packs`).") var pack: String
        @Option(help: "The administrator's name.") var name: String
        @Option(help: "The administrator's email address.") var email: String

        func run() async throws {
            let password = try await ConveneServer.withApp(options: try db.options()) { app in
                try await ConveneServer.createAdministrator(app, organisation: organisation, pack: pack, adminName: name, email: email)
            }
            print("Administrator \(email) created. Temporary password: \(password)")
            print("They set up a security code (TOTP) when they first sign in.")
        }
    }

    struct AddCalendar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "calendar",
            abstract: "Add a booking calendar to an authority whose pack books against calendars (e.g. one per locality).")

        @OptionGroup var db: DatabaseOption
        @Option(help: "The authority's name.") var organisation: String
        @Option(help: "The calendar's name, e.g. \"South mailbox\" or \"Teleconference line\".") var name: String
        @Option(help: "The locality whose teams book here by default (leave out for any).") var locality: String = ""

        func run() async throws {
            try await ConveneServer.withApp(options: try db.options()) { app in
                try await ConveneServer.createCalendar(app, organisation: organisation, name: name, locality: locality)
            }
            print("Calendar \(name) added to \(organisation).")
        }
    }

    struct TeamAreas: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "team-areas",
            abstract: "Set the areas a team covers (REQ-003-01: an s47 enquiry goes to the team of the child's area).")

        @OptionGroup var db: DatabaseOption
        @Option(help: "The authority's name.") var organisation: String
        @Option(help: "The team's name.") var team: String
        @Option(help: "The areas it covers, separated by commas.") var areas: String

        func run() async throws {
            try await ConveneServer.withApp(options: try db.options()) { app in
                try await ConveneServer.setTeamAreas(app, organisation: organisation, team: team, areas: areas)
            }
            print("\(team) covers: \(areas).")
        }
    }
}

struct OversightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oversight", abstract: "The facts behind the performance figures (issue 13).", subcommands: [Rebuild.self])

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild", abstract: "Work out and store the facts of every discussion again from its case's timeline.")

        @OptionGroup var db: DatabaseOption

        func run() async throws {
            let summary = try await ConveneServer.withApp(options: try db.options()) { app in try await ConveneServer.rebuildOversight(app) }
            print(String(format: "Wrote the facts of %d discussions in %d cases in %.1f s.", summary.discussions, summary.cases,
                         summary.seconds))
        }
    }
}
