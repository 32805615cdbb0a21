import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import Crypto
import FluentKit
import Foundation
import Logging
import NIOPosix
import SQLKit
import Synchronization
import Testing

/// A clock the tests move by hand.
final class Clock: Sendable {
    private let value: Mutex<Date>

    init(_ start: Date) {
        value = Mutex(start)
    }

    var now: Date { value.withLock { $0 } }

    func advance(_ seconds: TimeInterval) {
        value.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func set(_ date: Date) {
        value.withLock { $0 = date }
    }
}

/// The people of every world: one of each role in the authority, someone in another team,
/// and people of a second authority.
enum Who: String, CaseIterable, Sendable {
    case socialWorker, teamManager, serviceManager, minuteTaker, police, health, education, administrator, auditor
    case otherTeamSocialWorker, otherTeamManager
    case foreignSocialWorker, foreignManager

    var email: String { rawValue.lowercased() + "@" + (isForeign ? "elsewhere.example" : "northtown.example") }
    var isForeign: Bool { self == .foreignSocialWorker || self == .foreignManager }
}

/// A database with its migrations, one authority on a chosen pack and a second authority:
/// the lifecycle run directly, no server. In-memory SQLite, or a schema of its own on the
/// PostgreSQL server named by CONVENE_TEST_POSTGRES_URL.
final class LifecycleWorld: Sendable {
    static let password = "correct-horse-battery-9"
    static let address = "192.0.2.10"

    let db: any Database
    let clock: Clock
    let packCache = PackCache()
    let organisationID: UUID
    let foreignOrganisationID: UUID
    let teamID: UUID
    let otherTeamID: UUID
    let people: [Who: Person]

    private init(db: any Database, clock: Clock, organisationID: UUID, foreignOrganisationID: UUID, teamID: UUID, otherTeamID: UUID,
                 people: [Who: Person]) {
        self.db = db
        self.clock = clock
        self.organisationID = organisationID
        self.foreignOrganisationID = foreignOrganisationID
        self.teamID = teamID
        self.otherTeamID = otherTeamID
        self.people = people
    }

    /// A fast stand-in for bcrypt: the lifecycle's rules, not the hash, are under test.
    static let passwords = PasswordHashing(
        hash: { "sha256:" + Data(SHA256.hash(data: Data($0.utf8))).base64EncodedString() },
        verify: { password, hash in hash == "sha256:" + Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString() },
        unknownAccountHash: { "sha256:unknown" })

    static func run(pack: String = "bradford", start: String = "2026-11-23T09:00:00Z",
                    _ body: (LifecycleWorld) async throws -> Void) async throws {
        let logger = Logger(label: "convene.lifecycle-tests")
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        let postgresURL = TestDatabase.postgresURL
        // A bounded number of worlds at once (file descriptors; PostgreSQL's max_connections).
        let gate = WorldGate.forThisRun
        await gate.enter()
        var location: DatabaseLocation
        var schema: String?
        var directory: URL?
        if let url = postgresURL {
            schema = "l_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            location = .postgresSchema(url: url, schema: schema!)
            databases.use(try DatabaseLocation.postgres(url: url).configuration(), as: .init(string: "setup"))
            let setup = databases.database(.init(string: "setup"), logger: logger, on: databases.eventLoopGroup.any())!
            do {
                try await (setup as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: schema!)").run()
            } catch {
                await databases.shutdownAsync()
                await gate.leave()
                throw error
            }
        } else {
            do {
                directory = try TestDatabase.makeDirectory()
            } catch {
                await gate.leave()
                throw error
            }
            location = .sqlite(path: directory!.appendingPathComponent("convene.sqlite").path)
        }
        // Three connections to a SQLite file: enough to run reads and writes side by side.
        databases.use(try location.configuration(connections: 3).keyed(.ephemeral()), as: .init(string: "main"), isDefault: true)
        let db = databases.database(logger: logger, on: databases.eventLoopGroup.any())!
        func finish() async {
            if let schema {
                try? await (db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
            }
            await databases.shutdownAsync()
            if let directory { TestDatabase.remove(directory) }
            await gate.leave()
        }
        do {
            // As `serve` runs it: write-ahead log, so readers and the writer go side by side.
            try await DatabaseTuning.prepare(db)
            let migrations = FluentKit.Migrations()
            migrations.add(ConveneStore.Migrations.all)
            let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: databases.eventLoopGroup.any())
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
            let world = try await seed(db, clock: Clock(at(start)), pack: pack)
            try await body(world)
        } catch {
            await finish()
            throw error
        }
        await finish()
    }

    private static func seed(_ db: any Database, clock: Clock, pack: String) async throws -> LifecycleWorld {
        let hash = try passwords.hash(password)
        let org = Organisation(name: "Northtown", packID: pack)
        try await org.create(on: db)
        let foreign = Organisation(name: "Elsewhere", packID: pack)
        try await foreign.create(on: db)
        let team = Team(organisationID: org.id!, name: "Assessment North", locality: "North")
        let other = Team(organisationID: org.id!, name: "Children and Families South", locality: "South")
        let foreignTeam = Team(organisationID: foreign.id!, name: "Elsewhere Team", locality: "Elsewhere")
        for t in [team, other, foreignTeam] { try await t.create(on: db) }
        let specs: [(Who, Role, String, String, Team?)] = [
            (.socialWorker, .socialWorker, "childrens-social-care", "social-worker", team),
            (.teamManager, .teamManager, "childrens-social-care", "team-manager", team),
            (.serviceManager, .serviceManager, "childrens-social-care", "service-manager", nil),
            (.minuteTaker, .minuteTaker, "childrens-social-care", "business-support", nil),
            (.police, .partnerAgency, "police", "jcpit-manager", nil),
            (.health, .partnerAgency, "health", "named-nurse", nil),
            (.education, .partnerAgency, "education", "designated-safeguarding-lead", nil),
            (.administrator, .administrator, "childrens-social-care", "administrator", nil),
            (.auditor, .auditor, "childrens-social-care", "auditor", nil),
            (.otherTeamSocialWorker, .socialWorker, "childrens-social-care", "social-worker", other),
            (.otherTeamManager, .teamManager, "childrens-social-care", "team-manager", other),
            (.foreignSocialWorker, .socialWorker, "childrens-social-care", "social-worker", foreignTeam),
            (.foreignManager, .teamManager, "childrens-social-care", "team-manager", foreignTeam),
        ]
        var people: [Who: Person] = [:]
        for (who, role, agency, agencyRole, team) in specs {
            let person = Person(organisationID: who.isForeign ? foreign.id! : org.id!, teamID: team?.id,
                                name: who.rawValue.capitalizedFirst, email: who.email, role: role, agency: agency,
                                agencyRole: agencyRole, passwordHash: hash)
            try await person.create(on: db)
            people[who] = person
        }
        return LifecycleWorld(db: db, clock: clock, organisationID: org.id!, foreignOrganisationID: foreign.id!, teamID: team.id!,
                              otherTeamID: other.id!, people: people)
    }

    func id(_ who: Who) -> UUID { people[who]!.id! }

    /// The context of `who` acting now (nil: the system).
    func ctx(_ who: Who?) -> LifecycleContext {
        let user = who.map { try! CurrentUser(person: people[$0]!, session: nil) }
        return LifecycleContext(db: db, user: user, clientAddress: Self.address, actor: who == nil ? .system("tests") : nil,
                                now: clock.now, packs: Packs.library, publicAddress: "https://convene.test", packCache: packCache,
                                passwords: Self.passwords)
    }

    /// A context for `user` as given (a personal-link session, a session id).
    func ctx(user: CurrentUser) -> LifecycleContext {
        LifecycleContext(db: db, user: user, clientAddress: Self.address, now: clock.now, packs: Packs.library,
                         publicAddress: "https://convene.test", packCache: packCache, passwords: Self.passwords)
    }

    func load(_ id: UUID, as who: Who, for permission: Permission = .viewDiscussion) async throws -> LoadedDiscussion {
        try await DiscussionAccess.load(id, for: permission, ctx(who))
    }

    func discussion(_ id: UUID) async throws -> Discussion {
        try #require(try await Discussion.find(id, on: db))
    }

    func audit(_ action: String) async throws -> [AuditEntry] {
        try await AuditEntry.query(on: db).filter(\.$action == action).sort(\.$seq).all()
    }
}

