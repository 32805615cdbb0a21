import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import Synchronization
import SQLKit
import ConveneTestSupport
import Testing
import VaporTesting

/// A clock the tests move by hand (sessions expire, deadlines pass).
final class TestClock: Sendable {
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

/// The people every test world has: one of each role in the authority, someone in another
/// team, and people of a second authority.
enum Who: String, CaseIterable, Sendable {
    case socialWorker, teamManager, serviceManager, minuteTaker, police, health, education, administrator, auditor
    case otherTeamSocialWorker, otherTeamManager
    case foreignSocialWorker, foreignManager

    var email: String { rawValue.lowercased() + "@" + (isForeign ? "elsewhere.example" : "northtown.example") }
    var isForeign: Bool { self == .foreignSocialWorker || self == .foreignManager }
}

/// A running Convene with a fixed clock, one authority on a chosen pack, a second authority,
/// and helpers to act as any of its people through real HTTP requests.
final class TestWorld: Sendable {
    let app: Application
    let clock: TestClock
    let organisationID: UUID
    let teamID: UUID
    let otherTeamID: UUID
    let people: [Who: UUID]
    static let password = "correct-horse-battery-9"

    private init(app: Application, clock: TestClock, organisationID: UUID, teamID: UUID, otherTeamID: UUID, people: [Who: UUID]) {
        self.app = app
        self.clock = clock
        self.organisationID = organisationID
        self.teamID = teamID
        self.otherTeamID = otherTeamID
        self.people = people
    }

    /// Runs `body` against a fresh database: in-memory SQLite, or a schema of its own on the
    /// PostgreSQL server named by CONVENE_TEST_POSTGRES_URL (as CI runs them).
    static func run(pack: String = "bradford", start: String = "2026-11-23T09:00:00Z",
                    _ body: (TestWorld) async throws -> Void) async throws {
        let postgresURL = TestDatabase.postgresURL
        // A bounded number of worlds at once (file descriptors; PostgreSQL's max_connections).
        let gate = WorldGate.forThisRun
        await gate.enter()
        let clock = TestClock(at(start))
        var database: DatabaseLocation
        var schema: String?
        var directory: URL?
        if let url = postgresURL {
            schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            database = .postgresSchema(url: url, schema: schema!)
        } else {
            do {
                directory = try TestDatabase.makeDirectory()
            } catch {
                await gate.leave()
                throw error
            }
            database = .sqlite(path: directory!.appendingPathComponent("convene.sqlite").path)
        }
        func finished() async {
            if let directory { TestDatabase.remove(directory) }
            await gate.leave()
        }
        let app: Application
        do {
            app = try await Application.make(.testing)
        } catch {
            await finished()
            throw error
        }
        var options = ConveneOptions(database: database, passwordCost: 4, clock: { clock.now },
                                     rootDirectory: ConveneOptions.detectRoot())
        options.sqliteConnections = 3
        do {
            if let schema {
                // The schema must exist before the migrations run in it.
                app.databases.use(try database.configuration(), as: .init(string: "setup"))
                try await (app.db(.init(string: "setup")) as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            }
            try await configure(app, options: options)
            let world = try await seed(app, clock: clock, pack: pack)
            try await body(world)
        } catch {
            try? await drop(app, schema)
            try? await app.asyncShutdown()
            await finished()
            throw error
        }
        try? await drop(app, schema)
        do {
            try await app.asyncShutdown()
        } catch {
            await finished()
            throw error
        }
        await finished()
    }

    private static func drop(_ app: Application, _ schema: String?) async throws {
        guard let schema else { return }
        try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
    }

    private static func seed(_ app: Application, clock: TestClock, pack: String) async throws -> TestWorld {
        let hash = try Passwords.hash(password, cost: 4)
        let db = app.db
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
        var people: [Who: UUID] = [:]
        for (who, role, agency, agencyRole, team) in specs {
            let person = Person(organisationID: who.isForeign ? foreign.id! : org.id!, teamID: team?.id,
                                name: who.rawValue.capitalizedFirst, email: who.email, role: role, agency: agency,
                                agencyRole: agencyRole, passwordHash: hash)
            try await person.create(on: db)
            people[who] = person.id!
        }
        return TestWorld(app: app, clock: clock, organisationID: org.id!, teamID: team.id!, otherTeamID: other.id!, people: people)
    }

    /// A browser signed in as `who` (administrators with their second factor).
    func browser(_ who: Who) async throws -> Browser {
        let browser = Browser(world: self)
        try await browser.signIn(email: who.email, password: Self.password)
        return browser
    }

    func anonymous() -> Browser {
        Browser(world: self)
    }

    func person(_ who: Who) async throws -> Person {
        try #require(try await Person.find(people[who], on: app.db))
    }
}

/// Cookies and the CSRF token of one signed-in person, over Vapor's in-memory tester.
final class Browser: @unchecked Sendable {
    let world: TestWorld
    var cookies: [String: String] = [:]
    var csrf = ""
    var origin: String? = nil

    init(world: TestWorld) {
        self.world = world
    }

    @discardableResult
    func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        addCookies(&headers)
        let response = try await world.app.testing().sendRequest(.GET, path, headers: headers)
        absorb(response)
        return response
    }

    /// Posts a form with the CSRF token (unless `csrf: false`).
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf withToken: Bool = true, headers extra: HTTPHeaders = [:])
        async throws -> TestingHTTPResponse
    {
        var headers = extra
        headers.contentType = .urlEncodedForm
        if let origin { headers.replaceOrAdd(name: .origin, value: origin) }
        addCookies(&headers)
        var pairs = fields
        if withToken { pairs.append(("_csrf", csrf)) }
        let body = pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        let response = try await world.app.testing().sendRequest(.POST, path, headers: headers, body: .init(string: body))
        absorb(response)
        return response
    }

    func post(_ path: String, _ fields: [String: String], csrf withToken: Bool = true) async throws -> TestingHTTPResponse {
        try await post(path, fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, csrf: withToken)
    }

    func signIn(email: String, password: String) async throws {
        try await get("/sign-in")
        let response = try await post("/sign-in", [("email", email), ("password", password)])
        #expect(response.status == .seeOther, "sign-in of \(email) failed: \(response.body.string.prefix(300))")
        if response.headers.first(name: .location) == "/sign-in/second-factor" {
            let page = try await get("/sign-in/second-factor")
            let secret: String
            if let shown = Self.firstMatch(#"cv-u-font-weight-bold">([A-Z2-7]+)<"#, in: page.body.string) {
                secret = shown
            } else {
                // Enrolled already: the secret is not shown again.
                let person = try #require(try await Person.query(on: world.app.db).filter(\.$email == email).first())
                secret = try #require(person.totpSecret)
            }
            // A code works once only: a second sign-in in the same 30 seconds waits for the next one.
            if let last = try await Person.query(on: world.app.db).filter(\.$email == email).first()?.totpLastStep,
               last >= TOTP.stepNumber(world.clock.now) {
                world.clock.advance(TOTP.step * Double(last - TOTP.stepNumber(world.clock.now) + 1))
            }
            let code = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            let done = try await post("/sign-in/second-factor", [("code", code)])
            #expect(done.status == .seeOther)
        }
        try await get("/my-work")
    }

    private func addCookies(_ headers: inout HTTPHeaders) {
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
    }

    private func absorb(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { continue }
            if header.contains("Expires=Thu, 01 Jan 1970") || parts[1].isEmpty {
                cookies[parts[0]] = nil
            } else {
                cookies[parts[0]] = parts[1]
            }
        }
        if let token = Self.firstMatch(#"name="_csrf" value="([^"]+)""#, in: response.body.string) {
            csrf = token
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    static func allMatches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

extension TestingHTTPResponse {
    var location: String { headers.first(name: .location) ?? "" }
}

