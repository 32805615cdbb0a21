import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import SQLKit
import Synchronization
import Testing
import VaporTesting

// Helpers shared by the page, security and authorisation tests. Additive only: TestWorld and
// Journey stay as they are.

// MARK: - Options and the database

extension TestWorld {
    /// Changes the running application's options (cookie security, proxy trust, timeouts)
    /// for the requests that follow.
    func setOptions(_ change: (inout ConveneOptions) -> Void) {
        let services = app.convene
        var options = services.options
        change(&options)
        app.convene = ConveneServices(options: options, installation: services.installation)
    }

    var sql: any SQLDatabase { app.db as! any SQLDatabase }

    func count<M: Model>(_ model: M.Type) async throws -> Int {
        try await M.query(on: app.db).count()
    }

    /// Every audit entry's action, oldest first.
    func auditActions() async throws -> [String] {
        try await AuditEntry.query(on: app.db).sort(\.$seq).all().map(\.action)
    }

    func audit(_ action: String) async throws -> [AuditEntry] {
        try await AuditEntry.query(on: app.db).filter(\.$action == action).sort(\.$seq).all()
    }

    /// What a refused or invalid request must not change: the rows of every business table,
    /// each discussion's stage and lock version, and the audit trail apart from reads and
    /// refusals.
    func storeState(listAudit: Bool = true) async throws -> StoreState {
        var counts: [String: Int] = [:]
        for table in StoreState.tables {
            struct Row: Decodable { let n: Int }
            counts[table] = try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decoding: Row.self)?.n ?? -1
        }
        let discussions = try await Discussion.query(on: app.db).all()
            .map { "\($0.id!.slug) \($0.stage.rawValue) v\($0.lockVersion)" }.sorted()
        let audit: [String]
        if listAudit {
            audit = try await auditActions().filter { !StoreState.readActions.contains($0) }
        } else {
            // Cheaper when called hundreds of times: how many entries other than reads.
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action !~ Array(StoreState.readActions)).count()
            audit = ["\(entries) entries"]
        }
        return StoreState(counts: counts, discussions: discussions, audit: audit)
    }

    /// A person of the authority (or of the second authority) made directly in the database.
    @discardableResult
    func addPerson(email: String, password: String, role: Role = .socialWorker, agency: String = "childrens-social-care",
                   agencyRole: String = "social-worker", team: UUID? = nil) async throws -> Person {
        let person = Person(organisationID: organisationID, teamID: team ?? teamID, name: "Pat Example", email: email, role: role,
                            agency: agency, agencyRole: agencyRole, passwordHash: try Passwords.hash(password, cost: 4))
        try await person.create(on: app.db)
        return person
    }

    func teamOf(_ who: Who) async throws -> UUID {
        try #require(try await person(who).$team.id)
    }

    func organisationOf(_ who: Who) async throws -> UUID {
        try await person(who).$organisation.id
    }
}

struct StoreState: Equatable, CustomStringConvertible {
    static let tables = [
        "organisations", "teams", "people", "cases", "case_children", "discussions", "invitations", "child_decisions", "actions",
        "corrections", "record_versions", "case_events", "duty_notes", "slot_cells", "outbox", "access_grants",
        "disclosure_requests", "api_tokens",
    ]
    static let readActions: Set<String> = ["view", "access-denied", "export"]

    var counts: [String: Int]
    var discussions: [String]
    var audit: [String]

    var description: String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + " | " + discussions.joined(separator: ", ") + " | audit: " + audit.suffix(6).joined(separator: ",")
    }

    /// The differences, in words, for a failure message.
    func changes(to other: StoreState) -> String {
        var out: [String] = []
        for (table, n) in counts.sorted(by: { $0.key < $1.key }) where other.counts[table] != n {
            out.append("\(table) \(n)→\(other.counts[table] ?? -1)")
        }
        if discussions != other.discussions { out.append("discussions \(discussions) → \(other.discussions)") }
        if audit != other.audit { out.append("audit +\(other.audit.dropFirst(min(audit.count, other.audit.count)))") }
        return out.isEmpty ? "nothing" : out.joined(separator: "; ")
    }
}

// MARK: - Reading pages

extension TestingHTTPResponse {
    var text: String { body.string }

    /// The links of the GOV.UK error summary, e.g. `#children-0-name`.
    var errorLinks: [String] {
        guard let list = Browser.firstMatch(#"(?s)cv-error-summary__list">(.*?)</ul>"#, in: body.string) else { return [] }
        return Browser.allMatches(#"href="([^"]*)""#, in: list)
    }

    /// The texts of the error summary.
    var errorTexts: [String] {
        guard let list = Browser.firstMatch(#"(?s)cv-error-summary__list">(.*?)</ul>"#, in: body.string) else { return [] }
        return Browser.allMatches(#"<a [^>]*>([^<]*)</a>"#, in: list).map(Self.unescape)
    }

    /// The page's text with tags removed and entities decoded, for "the page says …" checks.
    var plainText: String {
        let stripped = body.string.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
        return Self.unescape(stripped).replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
    }

    /// Whether the page has an element with this id (an error link's target).
    func hasElement(id: String) -> Bool {
        body.string.contains("id=\"\(id)\"")
    }

    /// Every href, action and src on the page.
    var urls: [String] {
        Browser.allMatches(#"(?:href|action|src)="([^"]*)""#, in: body.string).map(Self.unescape)
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A short description for failure messages.
    var summary: String {
        let errors = errorTexts
        let detail = errors.isEmpty ? String(plainText.prefix(200)) : errors.joined(separator: " | ")
        return "\(status.code) \(location) \(detail)"
    }
}

/// Expects a 400 page whose error summary links to `#id`, and whose page has that element.
func expectFieldError(_ response: TestingHTTPResponse, _ id: String, containing message: String? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == .badRequest, "expected 400, got \(response.summary)", sourceLocation: sourceLocation)
    #expect(response.errorLinks.contains("#" + id), "no error link to #\(id) in \(response.errorLinks)",
            sourceLocation: sourceLocation)
    #expect(response.hasElement(id: id), "the error link #\(id) points at no element of the page", sourceLocation: sourceLocation)
    if let message {
        #expect(response.errorTexts.contains { $0.contains(message) }, "no error saying “\(message)” in \(response.errorTexts)",
                sourceLocation: sourceLocation)
    }
}

// MARK: - Forms

extension Array where Element == (String, String) {
    /// The fields without any whose name is `name` or starts with `name.` (date parts).
    func removing(_ names: String...) -> [(String, String)] {
        filter { field in !names.contains { field.0 == $0 || field.0.hasPrefix($0 + ".") } }
    }

    /// The fields with `name` set to `value` (replacing any earlier value).
    func setting(_ name: String, _ value: String) -> [(String, String)] {
        filter { $0.0 != name } + [(name, value)]
    }

    func setting(date name: String, _ date: LocalDate, time: String? = nil) -> [(String, String)] {
        var fields = removing(name).setting(name + ".day", String(date.day)).setting(name + ".month", String(date.month))
            .setting(name + ".year", String(date.year))
        if let time { fields = fields.setting(name + ".time", time) }
        return fields
    }
}

extension TestWorld {
    var today: LocalDate { EuropeLondon.localDate(of: clock.now) }

    /// The discussion's first child.
    func firstChild(_ id: UUID) async throws -> CaseChild {
        let d = try await discussion(id)
        return try #require(try await CaseChild.query(on: app.db).filter(\.$case.$id == d.$case.id).sort(\.$position).first())
    }

    func invitations(_ id: UUID) async throws -> [Invitation] {
        try await Invitation.query(on: app.db).filter(\.$discussion.$id == id).all()
    }

    /// The first slot the booking page offers.
    func firstOfferedSlot(_ id: UUID, as browser: Browser) async throws -> String {
        let page = try await browser.get("/discussions/\(id.slug)/booking")
        return try #require(Browser.firstMatch(#"name="slot" type="radio" value="([^"]+)""#, in: page.text),
                            "no slot offered: \(page.summary)")
    }

    /// All the slots the booking page offers.
    func offeredSlots(_ id: UUID, as browser: Browser) async throws -> [String] {
        let page = try await browser.get("/discussions/\(id.slug)/booking")
        return Browser.allMatches(#"name="slot" type="radio" value="([^"]+)""#, in: page.text).filter { $0 != "custom" }
    }
}

// MARK: - Redirects seen by the helpers

/// The Location of every redirect the helpers followed, per world (ASVS-5.0-14.2.1 checks them).
private let redirectLog = Mutex<[ObjectIdentifier: [String]]>([:])

extension TestWorld {
    /// Expects a redirect (as `expectRedirect`) and remembers where it led.
    func step(_ response: TestingHTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        redirectLog.withLock { $0[ObjectIdentifier(self), default: []].append(response.location) }
        try expectRedirect(response, sourceLocation: sourceLocation)
    }

    var redirectsSeen: [String] {
        redirectLog.withLock { $0[ObjectIdentifier(self)] ?? [] }
    }
}

// MARK: - Discussions owned by any team, at any stage

/// Who requests, chairs, books and owns the actions of a discussion: the own team, the
/// authority's other team, or the second authority (which has only a social worker and a
/// team manager, so its manager books and its meetings go ahead without police and health on
/// the chair's recorded reason).
struct Cast: Sendable {
    let requester: Who
    let chair: Who
    let booker: Who
    let owner: Who

    static let ownTeam = Cast(requester: .socialWorker, chair: .teamManager, booker: .minuteTaker, owner: .socialWorker)
    static let otherTeam = Cast(requester: .otherTeamSocialWorker, chair: .otherTeamManager, booker: .minuteTaker,
                                owner: .otherTeamSocialWorker)
    static let otherAuthority = Cast(requester: .foreignSocialWorker, chair: .foreignManager, booker: .foreignManager,
                                     owner: .foreignSocialWorker)
}

extension TestWorld {
    static let stageOrder: [DiscussionStage] = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised,
                                                .circulated]

    /// A discussion requested by the cast's requester for their own team, taken to `stage`
    /// through the pages by the cast.
    func makeDiscussion(_ cast: Cast = .ownTeam, at stage: DiscussionStage = .requested, childName: String = "Amira Khan")
        async throws -> UUID
    {
        let team = try await teamOf(cast.requester)
        let fields = requestFields(childName: childName).setting("team", team.slug)
        let id = try await requestDiscussion(as: cast.requester, fields: fields)
        try await advance(id, to: stage, cast: cast)
        return id
    }

    /// Moves a discussion forward to `stage` through the pages, as the cast would.
    func advance(_ id: UUID, to stage: DiscussionStage, cast: Cast) async throws {
        let target = try #require(Self.stageOrder.firstIndex(of: stage))
        let path = "/discussions/\(id.slug)"
        let chair = try await browser(cast.chair)
        while let current = Self.stageOrder.firstIndex(of: try await discussion(id).stage), current < target {
            switch Self.stageOrder[current] {
            case .requested:
                try await chair.get(path + "/decision")
                try step(try await chair.post(path + "/decision", [("convene", "yes"), ("version", try await version(id))]))
            case .awaitingBooking:
                let booker = cast.booker == cast.chair ? chair : try await browser(cast.booker)
                let slot = try await firstOfferedSlot(id, as: booker)
                try step(try await booker.post(path + "/booking", [
                    ("slot", slot), ("format", "virtual"), ("details", "Video link"), ("chair", people[cast.chair]!.slug),
                    ("version", try await version(id)), ("duration", "30"), ("dialIn", "0800 123 4567"), ("accessCode", "4821"),
                ]))
                try await booker.get(path + "/invitations")
                try step(try await booker.post(path + "/send", []))
            case .booked:
                try await holdMeeting(id, chair: chair, owner: cast.owner)
            case .inMeeting:
                try await chair.get(path + "/record")
                try step(try await chair.post(path + "/finalise", [("version", try await version(id))]))
            case .recordFinal:
                try await chair.get(path + "/record")
                try step(try await chair.post(path + "/authorise", [("version", try await version(id))]))
            case .authorised:
                let booker = cast.booker == cast.chair ? chair : try await browser(cast.booker)
                try await booker.get(path + "/record")
                try step(try await booker.post(path + "/circulate", [("version", try await version(id))]))
            default:
                return
            }
        }
    }

    /// Attendance (everyone by video; if not quorate, the chair's reason for going ahead), every
    /// agenda note, every checklist item, complete decisions for each child, one action owned by
    /// `owner`, one safety plan item and the monitoring line.
    func holdMeeting(_ id: UUID, chair: Browser, owner: Who) async throws {
        let path = "/discussions/\(id.slug)"
        try await attend(id, chair: chair)
        let agenda = try await chair.get(path + "/agenda")
        var notes = Set(Browser.allMatches(#"name="(sections\.[^"]+)""#, in: agenda.text)).map { ($0, "Notes for \($0)") }
        notes.append(("version", try await version(id)))
        try step(try await chair.post(path + "/agenda", notes))
        let checklist = try await chair.get(path + "/checklist")
        var answers = Set(Browser.allMatches(#"name="(checklist\.[a-z0-9-]+)" type="radio""#, in: checklist.text)).map { ($0, "yes") }
        answers.append(("version", try await version(id)))
        try step(try await chair.post(path + "/checklist", answers))
        let children = try await CaseChild.query(on: app.db).filter(\.$case.$id == (try await discussion(id)).$case.id).all()
        for child in children {
            try await chair.get(path + "/decisions/\(child.id!.slug)")
            try step(try await chair.post(path + "/decisions/\(child.id!.slug)",
                                                    completeDecision(child.id!) + [("version", try await version(id))]))
        }
        try await chair.get(path + "/actions")
        try step(try await chair.post(path + "/actions", actionFields(owner: owner)))
        try step(try await chair.post(path + "/actions", [
            ("kind", "safety-plan"), ("term", "immediate"), ("what", "Child stays with her grandmother"), ("ownerName", "Nadia Khan"),
            ("agency", "childrens-social-care"), ("purpose", "Keep the child safe"),
        ].setting(date: "due", today.adding(days: 3))))
        try await chair.get(path + "/actions")
        try step(try await chair.post(path + "/actions/monitoring", [
            ("monitoredBy", "The team manager, at weekly supervision"), ("safetyPlanNotRequiredReason", ""),
            ("version", try await version(id)),
        ]))
    }

    /// Everyone invited took part by video (or `modes` by invitee name); the chair's reason is
    /// kept only when the meeting is not quorate.
    func attend(_ id: UUID, chair: Browser, modes: [String: String] = [:], proceedReason: String = "Police gave directions by phone")
        async throws
    {
        let path = "/discussions/\(id.slug)"
        try await chair.get(path + "/attendance")
        var fields: [(String, String)] = [("proceedReason", proceedReason), ("version", try await version(id)),
                                          ("earlyStartReason", "Everyone was free before the booked time")]
            .setting(date: "startedAt", today, time: Self.hhmm(clock.now))
        for invitation in try await invitations(id) {
            fields.append(("mode." + invitation.id!.slug, modes[invitation.name] ?? "virtual"))
        }
        try step(try await chair.post(path + "/attendance", fields))
    }

    static func hhmm(_ date: Date) -> String {
        let local = EuropeLondon.local(date)
        return RFC3339.pad2(local.secondsIntoDay / 3600) + ":" + RFC3339.pad2(local.secondsIntoDay / 60 % 60)
    }

    /// Every decision for one child, complete (DEC-ALL-01, 02, 03).
    func completeDecision(_ child: UUID) -> [(String, String)] {
        let p = "decisions.\(child.slug)."
        return [
            (p + "significantHarm", "yes"), (p + "significantHarmEvidence", "Pattern of bruising"), (p + "outcome", "s47-joint"),
            (p + "criminalInvestigation", "yes"), (p + "criminalInvestigationPlan", "Police lead; ABE interview on Thursday"),
            (p + "medicalNeeded", "yes"), (p + "medicalReason", "Child protection medical today"), (p + "legalAction", "no"),
            (p + "ladoReferral", "no"), (p + "consentSought", "no"),
            (p + "consentRationale", "Seeking consent would undermine the police investigation"), (p + "parentsInformed", "yes"),
            (p + "familyInformation", "That enquiries are being made"), (p + "familyInformationRationale", "To keep the child safe"),
            (p + "differingViews", "no"),
        ]
    }

    /// A complete SMART action (ACT-ALL-01) owned by `owner`, due in three days.
    func actionFields(owner: Who) -> [(String, String)] {
        [
            ("kind", "action"), ("what", "Visit and see the child alone"), ("owner", people[owner]!.slug),
            ("agency", "childrens-social-care"), ("purpose", "Hear the child's wishes and feelings"),
            ("review", "At the review discussion"),
        ].setting(date: "due", today.adding(days: 3))
    }
}

// MARK: - Through a real HTTP server

extension Browser {
    /// Sends a request through a real HTTP server on a free port, so NIO's request decoder and
    /// the body size limit take part (the in-memory tester hands the body over whole).
    func live(_ method: HTTPMethod, _ path: String, body: String = "", headers extra: HTTPHeaders = [:]) async throws
        -> TestingHTTPResponse
    {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        if method == .POST && headers.contentType == nil { headers.contentType = .urlEncodedForm }
        let tester = try world.app.testing(method: .running(hostname: "127.0.0.1", port: 0))
        // performTest, not sendRequest: a dropped connection is the caller's to judge, not an automatic issue.
        return try await tester.performTest(request: TestingHTTPRequest(method: method, url: .init(path: path), headers: headers,
                                                                       body: ByteBuffer(string: body)))
    }

    /// A form body as a browser encodes it, with this browser's CSRF token.
    func formBody(_ fields: [(String, String)], csrf withToken: Bool = true) -> String {
        (fields + (withToken ? [("_csrf", csrf)] : [])).map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
    }
}

extension Browser {
    /// Posts a body exactly as given (junk included), with this browser's cookies.
    func postRaw(_ path: String, body: String, contentType: HTTPMediaType = .urlEncodedForm, headers extra: HTTPHeaders = [:])
        async throws -> TestingHTTPResponse
    {
        var headers = extra
        headers.contentType = contentType
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        return try await world.app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }
}
