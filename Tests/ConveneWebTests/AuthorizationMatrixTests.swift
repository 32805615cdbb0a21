import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

/// ASVS-5.0-8.2.1, 8.2.2, 8.3.1: every page route (GET and POST) × every person × a discussion
/// owned by the person's team, by another team of the authority, or by another authority.
/// The expected answer comes from `AccessPolicy.rules` (and the stage each route needs), never
/// from observed behaviour: allowed is 2xx/3xx (for a POST with a deliberately incomplete or
/// stale form also 400/409, which prove the access check was passed), denied is 404 when the
/// person may not know the discussion exists and 403 when they may see it but not do this.
/// Denied POSTs must change nothing. Default deny: zero unexpected allows.
@Suite("Authorisation matrix")
struct AuthorizationMatrixTests {
    enum Owner: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case ownTeam = "own team", otherTeam = "other team", otherAuthority = "other authority"
        var testDescription: String { rawValue }
        var cast: Cast {
            switch self {
            case .ownTeam: .ownTeam
            case .otherTeam: .otherTeam
            case .otherAuthority: .otherAuthority
            }
        }
    }

    /// The discussions each route is tried on, one per stage the routes need.
    enum Target: String, Sendable { case requested = "R", awaiting = "AB", meeting = "M", circulated = "C" }

    enum Verdict: Equatable, CustomStringConvertible {
        case allow, deny(UInt), signIn
        var description: String {
            switch self {
            case .allow: "allow"
            case let .deny(code): "deny \(code)"
            case .signIn: "sign in"
            }
        }
    }

    /// Who is asking, as the policy sees them.
    struct Actor {
        let name: String
        let browser: Browser
        let personID: UUID?
        let role: Role
        let organisationID: UUID?
        let teamID: UUID?
        /// A session opened by an invitee's personal link reaches only this discussion.
        let linkDiscussion: UUID?
        var isAnonymous: Bool { personID == nil && linkDiscussion == nil }
        var isLink: Bool { linkDiscussion != nil }
    }

    struct Object {
        let organisationID: UUID
        let teamID: UUID
        let stage: DiscussionStage
        let invitees: Set<UUID>
    }

    /// What a rule decides on: the policy context for the object (nil for routes on no object).
    struct Subject {
        let actor: Actor
        let context: AccessContext?
        var plain: AccessContext { AccessContext(role: actor.role, sameOrganisation: !actor.isLink) }
    }

    struct Route {
        let method: HTTPMethod
        let template: String
        let target: Target?
        let body: [(String, String)]
        let rule: (Subject) -> Verdict
        var name: String { "\(method.rawValue) \(template)" }
    }

    // MARK: Rules, from AccessPolicy

    static func needs(_ permission: Permission) -> (Subject) -> Verdict {
        { s in
            let ctx = s.context!
            return AccessPolicy.allows(permission, ctx) ? .allow : .deny(AccessPolicy.allows(.viewDiscussion, ctx) ? 403 : 404)
        }
    }

    static func global(_ permission: Permission?, notForLinks: Bool = true) -> (Subject) -> Verdict {
        { s in
            if notForLinks && s.actor.isLink { return .deny(403) }
            guard let permission else { return .allow }
            return AccessPolicy.allows(permission, s.plain) ? .allow : .deny(403)
        }
    }

    /// Issue 9: the versions follow the documented view-record rule (invitees see only the
    /// circulated ones, as the list's filter); an action is the view-action rule.
    static var versionsRule: (Subject) -> Verdict { needs(.viewRecord) }

    static var viewActionRule: (Subject) -> Verdict { needs(.viewAction) }

    static var updateActionRule: (Subject) -> Verdict { { s in
        let c = s.context!
        if AccessPolicy.allows(.updateActionStatus, c) { return .allow }
        return .deny(AccessPolicy.allows(.viewDiscussion, c) ? 403 : 404)
    } }

    static let stale = [("version", "0")]

    static var objectRoutes: [Route] { [
        Route(method: .GET, template: "/discussions/{M}", target: .meeting, body: [], rule: needs(.viewDiscussion)),
        Route(method: .GET, template: "/discussions/{M}/request", target: .meeting, body: [], rule: needs(.viewDiscussion)),
        Route(method: .GET, template: "/discussions/{R}/decision", target: .requested, body: [], rule: needs(.decideConvene)),
        Route(method: .POST, template: "/discussions/{R}/decision", target: .requested, body: stale, rule: needs(.decideConvene)),
        Route(method: .GET, template: "/discussions/{AB}/booking", target: .awaiting, body: [], rule: needs(.book)),
        Route(method: .POST, template: "/discussions/{AB}/booking", target: .awaiting, body: stale, rule: needs(.book)),
        Route(method: .POST, template: "/discussions/{M}/cancel", target: .meeting, body: stale, rule: needs(.rebookOrCancel)),
        Route(method: .GET, template: "/discussions/{M}/invitations", target: .meeting, body: [], rule: needs(.manageInvitations)),
        Route(method: .POST, template: "/discussions/{M}/invitations", target: .meeting, body: [], rule: needs(.manageInvitations)),
        Route(method: .POST, template: "/discussions/{M}/invitations/{inv}/remove", target: .meeting, body: [],
              rule: needs(.manageInvitations)),
        Route(method: .POST, template: "/discussions/{M}/send", target: .meeting, body: [], rule: needs(.manageInvitations)),
        Route(method: .GET, template: "/discussions/{M}/meeting", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/meeting", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/attendance", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/attendance", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/agenda", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/agenda", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/checklist", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/checklist", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/decisions/{child}", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/decisions/{child}", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/actions", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/actions", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{C}/actions/{cAction}/cancel", target: .circulated, body: [],
              rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/actions/monitoring", target: .meeting, body: stale, rule: needs(.recordMeeting)),
        Route(method: .POST, template: "/discussions/{M}/actions/summary", target: .meeting, body: [], rule: needs(.recordMeeting)),
        Route(method: .GET, template: "/discussions/{M}/record", target: .meeting, body: [], rule: needs(.viewRecord)),
        Route(method: .GET, template: "/discussions/{C}/record", target: .circulated, body: [], rule: needs(.viewRecord)),
        Route(method: .POST, template: "/discussions/{M}/finalise", target: .meeting, body: stale, rule: needs(.finaliseRecord)),
        Route(method: .POST, template: "/discussions/{M}/reopen", target: .meeting, body: stale, rule: needs(.finaliseRecord)),
        Route(method: .POST, template: "/discussions/{M}/authorise", target: .meeting, body: stale, rule: needs(.authoriseRecord)),
        Route(method: .POST, template: "/discussions/{M}/circulate", target: .meeting, body: stale, rule: needs(.circulateRecord)),
        Route(method: .GET, template: "/discussions/{C}/versions", target: .circulated, body: [], rule: versionsRule),
        Route(method: .GET, template: "/discussions/{C}/versions/2", target: .circulated, body: [], rule: needs(.viewRecord)),
        Route(method: .GET, template: "/discussions/{M}/minutes", target: .meeting, body: [], rule: needs(.viewDiscussion)),
        Route(method: .GET, template: "/discussions/{C}/minutes", target: .circulated, body: [], rule: needs(.viewDiscussion)),
        Route(method: .POST, template: "/discussions/{C}/corrections", target: .circulated, body: [("text", "")],
              rule: needs(.submitCorrection)),
        Route(method: .GET, template: "/discussions/{C}/corrections", target: .circulated, body: [], rule: needs(.decideCorrection)),
        Route(method: .POST, template: "/discussions/{C}/corrections/{corr}", target: .circulated, body: [],
              rule: needs(.decideCorrection)),
        Route(method: .GET, template: "/discussions/{C}/export", target: .circulated, body: [], rule: needs(.exportRecord)),
        Route(method: .GET, template: "/cases/{case}", target: .meeting, body: [], rule: needs(.viewDiscussion)),
        Route(method: .POST, template: "/cases/{case}/events", target: .meeting, body: [], rule: needs(.recordFollowUp)),
        Route(method: .POST, template: "/cases/{case}/reviews", target: .meeting, body: [], rule: needs(.recordFollowUp)),
        Route(method: .POST, template: "/cases/{case}/notes", target: .meeting, body: [], rule: needs(.recordFollowUp)),
        Route(method: .GET, template: "/cases/{case}/immediate-protection", target: .meeting, body: [],
              rule: needs(.recordImmediateProtection)),
        Route(method: .POST, template: "/cases/{case}/immediate-protection", target: .meeting, body: [],
              rule: needs(.recordImmediateProtection)),
        Route(method: .GET, template: "/actions/{action}", target: .meeting, body: [], rule: viewActionRule),
        Route(method: .POST, template: "/actions/{action}", target: .meeting, body: [("status", "open")], rule: updateActionRule),
    ] }

    static var globalRoutes: [Route] { [
        Route(method: .GET, template: "/my-work", target: nil, body: [], rule: global(nil, notForLinks: false)),
        Route(method: .GET, template: "/packs", target: nil, body: [], rule: global(nil, notForLinks: false)),
        Route(method: .GET, template: "/team", target: nil, body: [], rule: global(.viewTeamWork)),
        Route(method: .GET, template: "/discussions/new", target: nil, body: [], rule: global(.createRequest)),
        Route(method: .POST, template: "/discussions", target: nil, body: [], rule: global(.createRequest)),
        Route(method: .GET, template: "/account", target: nil, body: [], rule: global(nil)),
        Route(method: .GET, template: "/admin", target: nil, body: [], rule: global(.administer)),
        Route(method: .GET, template: "/admin/outbox", target: nil, body: [], rule: global(.administer)),
        Route(method: .GET, template: "/admin/retention", target: nil, body: [], rule: global(.administer)),
        Route(method: .POST, template: "/admin/teams", target: nil, body: [], rule: global(.administer)),
        Route(method: .GET, template: "/audit", target: nil, body: [], rule: global(.viewAudit)),
        Route(method: .GET, template: "/disclosures", target: nil, body: [], rule: global(.requestDisclosure)),
        Route(method: .GET, template: "/disclosures/new", target: nil, body: [], rule: global(.requestDisclosure)),
        Route(method: .POST, template: "/disclosures", target: nil, body: [], rule: global(.requestDisclosure)),
        Route(method: .POST, template: "/break-glass", target: nil, body: [], rule: global(.breakGlass)),
    ] }

    // MARK: The fixture

    struct Fixture {
        var ids: [Target: UUID] = [:]
        var objects: [UUID: Object] = [:]
        var placeholders: [String: String] = [:]
        var actionOwner: UUID?

        func path(_ template: String) -> String {
            placeholders.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
    }

    func build(_ world: TestWorld, _ owner: Owner) async throws -> Fixture {
        let cast = owner.cast
        var f = Fixture()
        f.ids[.requested] = try await world.makeDiscussion(cast, at: .requested)
        f.ids[.awaiting] = try await world.makeDiscussion(cast, at: .awaitingBooking, childName: "Ben Okoro")
        let meeting = try await world.makeDiscussion(cast, at: .inMeeting, childName: "Cara Doyle")
        f.ids[.meeting] = meeting
        let circulated = try await world.makeDiscussion(cast, at: .circulated, childName: "Dev Patel")
        f.ids[.circulated] = circulated
        let requester = try await world.browser(cast.requester)
        try await requester.get("/discussions/\(circulated.slug)/minutes")
        try world.step(try await requester.post("/discussions/\(circulated.slug)/corrections",
                                                [("section", "Attendance"), ("text", "I joined by phone")]))
        let m = try await world.discussion(meeting)
        let action = try #require(try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == meeting)
            .filter(\.$kind == .action).first())
        let cAction = try #require(try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == circulated).first())
        let attended = try #require(try await world.invitations(meeting).first { $0.attendance != nil })
        let correction = try #require(try await Correction.query(on: world.app.db).first())
        f.actionOwner = action.ownerPersonID
        f.placeholders = [
            "R": f.ids[.requested]!.slug, "AB": f.ids[.awaiting]!.slug, "M": meeting.slug, "C": circulated.slug,
            "child": try await world.firstChild(meeting).id!.slug, "case": m.$case.id.slug, "action": action.id!.slug,
            "cAction": cAction.id!.slug, "inv": attended.id!.slug, "corr": correction.id!.slug,
        ]
        return f
    }

    /// The objects as they are now (stage and invitees), read from the database.
    func objects(_ world: TestWorld, _ f: Fixture) async throws -> [UUID: Object] {
        var out: [UUID: Object] = [:]
        for id in f.ids.values {
            let d = try await world.discussion(id)
            let invitees = Set(try await world.invitations(id).compactMap(\.personID))
            out[id] = Object(organisationID: d.organisationID, teamID: d.teamID, stage: d.stage, invitees: invitees)
        }
        return out
    }

    func actors(_ world: TestWorld, linkTo meeting: UUID?) async throws -> [Actor] {
        var actors: [Actor] = []
        for who in Who.allCases {
            let person = try await world.person(who)
            actors.append(Actor(name: who.rawValue, browser: try await world.browser(who), personID: person.id, role: person.role,
                                organisationID: person.$organisation.id, teamID: person.$team.id, linkDiscussion: nil))
        }
        if let meeting {
            // An invitee without an account, signed in by their personal link (REQ-001-03).
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get("/discussions/\(meeting.slug)/invitations")
            try world.step(try await minutes.post("/discussions/\(meeting.slug)/invitations", [
                ("name", "Erin External"), ("email", "erin@partner.example"), ("agency", "education"),
            ]))
            try world.step(try await minutes.post("/discussions/\(meeting.slug)/send", []))
            let message = try #require(try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == "erin@partner.example").first())
            let token = try #require(Browser.firstMatch(#"/access/([A-Za-z0-9_-]+)"#, in: message.body))
            let link = world.anonymous()
            try await link.get("/access/\(token)")
            try world.step(try await link.post("/access/\(token)", []))
            let invitation = try #require(try await world.invitations(meeting).first { $0.name == "Erin External" })
            actors.append(Actor(name: "linkInvitee", browser: link, personID: invitation.personID, role: .partnerAgency,
                                organisationID: nil, teamID: nil, linkDiscussion: meeting))
        }
        let anonymous = world.anonymous()
        try await anonymous.get("/sign-in")
        actors.append(Actor(name: "anonymous", browser: anonymous, personID: nil, role: .partnerAgency, organisationID: nil, teamID: nil,
                            linkDiscussion: nil))
        return actors
    }

    func context(_ actor: Actor, _ id: UUID, _ object: Object, actionOwner: UUID?) -> AccessContext {
        if actor.isLink {
            return AccessContext(role: .partnerAgency, sameOrganisation: false, invitee: actor.linkDiscussion == id,
                                 minutesReleased: object.stage.minutesReleased, actionOwner: actor.personID == actionOwner)
        }
        return AccessContext(role: actor.role, sameOrganisation: actor.organisationID == object.organisationID,
                             sameTeam: actor.teamID != nil && actor.teamID == object.teamID,
                             invitee: actor.personID.map(object.invitees.contains) ?? false,
                             minutesReleased: object.stage.minutesReleased, actionOwner: actor.personID != nil && actor.personID == actionOwner)
    }

    // MARK: The test

    @Test("ASVS-5.0-8.2.1, 8.2.2: every page route × every person × own team / other team / other authority answers as AccessPolicy says",
          arguments: Owner.allCases)
    func matrix(_ owner: Owner) async throws {
        try await TestWorld.run { world in
            let fixture = try await build(world, owner)
            let people = try await actors(world, linkTo: owner == .ownTeam ? fixture.ids[.meeting] : nil)
            let objects = try await objects(world, fixture)
            let routes = Self.objectRoutes + (owner == .ownTeam ? Self.globalRoutes : [])
            var rows: [(route: String, cells: [String])] = []
            var problems: [String] = []
            var unexpectedAllows = 0
            for route in routes {
                var cells: [String] = []
                for actor in people {
                    let expected: Verdict
                    if actor.isAnonymous {
                        expected = .signIn
                    } else if let target = route.target {
                        let id = fixture.ids[target]!
                        let ctx = context(actor, id, objects[id]!, actionOwner: fixture.actionOwner)
                        expected = route.rule(Subject(actor: actor, context: ctx))
                    } else {
                        expected = route.rule(Subject(actor: actor, context: nil))
                    }
                    let path = fixture.path(route.template)
                    let denyingPost = route.method == .POST && expected != .allow
                    let before = denyingPost ? try await world.storeState(listAudit: false) : nil
                    let response = route.method == .GET ? try await actor.browser.get(path) : try await actor.browser.post(path, route.body)
                    let observed = Self.classify(response, post: route.method == .POST)
                    var cell = Self.symbol(expected)
                    if observed != expected {
                        cell = observed == .allow ? "A!" : "X!"
                        if observed == .allow { unexpectedAllows += 1 }
                        problems.append("\(route.name) as \(actor.name): expected \(expected), got \(response.status.code) \(response.location)")
                    }
                    if let before {
                        let after = try await world.storeState(listAudit: false)
                        if after != before {
                            cell = "C!"
                            problems.append("\(route.name) as \(actor.name) was refused but changed \(before.changes(to: after))")
                        }
                    }
                    cells.append(cell)
                }
                rows.append((route.name, cells))
            }
            #expect(unexpectedAllows == 0, "\(unexpectedAllows) requests were allowed that AccessPolicy denies (\(owner.rawValue))")
            if !problems.isEmpty {
                Issue.record("\(Self.table(owner, people.map(\.name), rows))\n\(problems.joined(separator: "\n"))")
            }
        }
    }

    /// What a response amounts to: allowed, refused (with its code), or sent to sign in.
    static func classify(_ response: TestingHTTPResponse, post: Bool) -> Verdict {
        let code = response.status.code
        if code == 303 && response.location.hasPrefix("/sign-in") { return .signIn }
        if code == 403 || code == 404 { return .deny(code) }
        if (200..<400).contains(code) || (post && (code == 400 || code == 409)) { return .allow }
        return .deny(code)
    }

    static func symbol(_ verdict: Verdict) -> String {
        switch verdict {
        case .allow: "✓"
        case let .deny(code): code == 403 ? "3" : "4"
        case .signIn: "s"
        }
    }

    /// Only the rows with a problem, one column per person.
    static func table(_ owner: Owner, _ names: [String], _ rows: [(route: String, cells: [String])]) -> String {
        let bad = rows.filter { $0.cells.contains { $0.hasSuffix("!") } }
        let width = (bad.map(\.route.count).max() ?? 10) + 1
        let header = "".padding(toLength: width, withPad: " ", startingAt: 0)
            + names.map { String($0.prefix(4)).padding(toLength: 5, withPad: " ", startingAt: 0) }.joined()
        let lines = bad.map { row in
            row.route.padding(toLength: width, withPad: " ", startingAt: 0)
                + row.cells.map { $0.padding(toLength: 5, withPad: " ", startingAt: 0) }.joined()
        }
        return (["Authorisation matrix, \(owner.rawValue) objects (✓ allowed, 3/4 refused 403/404, s sign in; A! unexpected allow, "
                 + "X! wrong refusal, C! refused but changed state):", header] + lines).joined(separator: "\n")
    }
}
