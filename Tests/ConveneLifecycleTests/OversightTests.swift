import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

/// Expects `body` to fail with an input problem (as the command line reports one) naming `field`.
func expectInputError(_ field: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("an input error on \(field)", sourceLocation: sourceLocation, body) { error in
        (error as? InputError)?.field.description == field
    }
}

func expectNotSignedIn(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("not signed in", sourceLocation: sourceLocation, body) { error in
        if case LifecycleError.notSignedIn = error { return true }
        return false
    }
}

@Suite("Oversight and setup: the audit trail, the team page, signing out, the security code and the command line's setup")
struct OversightTests {
    @Test("ASVS-5.0-16.3: only auditors search, verify or find children in the audit trail; nobody signed out does")
    func auditTrailRefusals() async throws {
        try await LifecycleWorld.run { world in
            for who in [Who.teamManager, .serviceManager, .administrator, .socialWorker] {
                await expectNotAllowed { _ = try await Operations.auditTrail(world.ctx(who), .init()) }
                await expectNotAllowed { _ = try await Operations.findChildren(world.ctx(who), name: "Amira") }
                await expectNotAllowed { _ = try await Operations.verifyAuditTrail(world.ctx(who), checkpoints: nil) }
            }
            await expectNotSignedIn { _ = try await Operations.auditTrail(world.ctx(nil), .init()) }
            _ = try await world.request()
            let found = try await Operations.findChildren(world.ctx(.auditor), name: "amira")
            #expect(found.count == 1 && found.first?.child.name == "Amira Khan")
            let result = try await Operations.verifyAuditTrail(world.ctx(.auditor), checkpoints: nil)
            #expect(result.ok)
            #expect(try await world.audit("audit-verify").count == 1)
        }
    }

    @Test("An audit search by an action the trail does not record is no filter, not a query for it")
    func auditFilterActions() {
        #expect(Operations.AuditFilter(action: "login").action == "login")
        #expect(Operations.AuditFilter(action: "' OR 1=1 --").action == "")
        #expect(!Operations.AuditFilter.searchableActions.contains(""))
    }

    @Test("The team page: a partner agency is not allowed; a team manager sees their own team whatever team is asked for")
    func teamWork() async throws {
        try await LifecycleWorld.run { world in
            let window = ListPage(number: 1, size: 25)
            await expectNotAllowed { _ = try await Operations.teamWork(world.ctx(.police), team: nil, stage: nil, page: window) }
            await expectNotSignedIn { _ = try await Operations.teamWork(world.ctx(nil), team: nil, stage: nil, page: window) }
            _ = try await world.request()
            let own = try await Operations.teamWork(world.ctx(.teamManager), team: world.otherTeamID, stage: nil, page: window)
            #expect(own.team == world.teamID && !own.organisationWide && own.total == 1)
            let service = try await Operations.teamWork(world.ctx(.serviceManager), team: world.otherTeamID, stage: nil, page: window)
            #expect(service.organisationWide && service.team == world.otherTeamID && service.total == 0)
        }
    }

    @Test("ASVS-5.0-7.4: signing out everywhere needs someone signed in; personal links have no account")
    func signOutAndAccount() async throws {
        try await LifecycleWorld.run { world in
            await expectNotSignedIn { try await Operations.signOutEverywhere(world.ctx(nil)) }
            await expectNotSignedIn { _ = try Operations.accountHolder(world.ctx(nil)) }
            _ = try await Operations.createToken(world.ctx(.socialWorker), name: "Mine")
            try await Operations.signOutEverywhere(world.ctx(.socialWorker))
            #expect(try await APIToken.query(on: world.db).filter(\.$revokedAt == nil).count() == 0)
            #expect(try await world.audit("logout-everywhere").count == 1)
        }
    }

    @Test("ASVS-5.0-6.3: a wrong security code is refused and may be retried; a disabled account's pending sign-in ends")
    func securityCode() async throws {
        try await LifecycleWorld.run { world in
            func pending() async throws -> UserSession {
                let session = UserSession(tokenHash: Tokens.random(), personID: world.id(.administrator), csrfToken: "c",
                                          secondFactorPending: true, now: world.clock.now, expiresAt: world.clock.now + 600,
                                          ip: LifecycleWorld.address, userAgent: "tests")
                try await session.create(on: world.db)
                return session
            }
            let admin = try #require(world.people[.administrator])
            let secret = try await Operations.securityCodeSecret(world.ctx(nil), for: admin)
            #expect(!secret.isEmpty)
            #expect(try await Operations.securityCodeSecret(world.ctx(nil), for: admin) == secret)
            let right = TOTP.code(secret: try #require(Base32.decode(secret)), at: world.clock.now)
            let first = try await pending()
            guard case .wrongCode = try await Operations.confirmSecurityCode(world.ctx(nil), pending: first,
                                                                             code: right == "000000" ? "111111" : "000000",
                                                                             knownDevice: { _ in false }, openSession: { _, _, _ in }) else {
                Issue.record("a wrong code was not refused")
                return
            }
            #expect(try await UserSession.find(first.id, on: world.db) != nil)
            admin.disabledAt = world.clock.now
            try await admin.save(on: world.db)
            guard case .ended(throttled: false) = try await Operations.confirmSecurityCode(
                world.ctx(nil), pending: try await pending(), code: right,
                knownDevice: { _ in false }, openSession: { _, _, _ in Issue.record("a disabled account signed in") }) else {
                Issue.record("a disabled account's sign-in did not end")
                return
            }
        }
    }

    @Test("Setting up from the command line: an unknown authority or team, no areas, a chair-booked pack and a duplicate calendar are named")
    func setup() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(nil)
            await expectInputError("organisation") { try await Operations.setTeamAreas(ctx, organisation: "Nowhere", team: "Any", areas: "North") }
            await expectInputError("team") { try await Operations.setTeamAreas(ctx, organisation: "Northtown", team: "Nobody", areas: "North") }
            await expectInputError("areas") {
                try await Operations.setTeamAreas(ctx, organisation: "Northtown", team: "Assessment North", areas: " , ")
            }
            try await Operations.setTeamAreas(ctx, organisation: "Northtown", team: "Assessment North", areas: "Keighley, Shipley")
            #expect(try await Team.find(world.teamID, on: world.db)?.areas == ["Keighley", "Shipley"])
            await expectInputError("organisation") { try await Operations.createCalendar(ctx, organisation: "Nowhere", name: "North", locality: "") }
            await expectInputError("name") { try await Operations.createCalendar(ctx, organisation: "Northtown", name: " ", locality: "") }
            try await Operations.createCalendar(ctx, organisation: "Northtown", name: "North mailbox", locality: "North")
            await expectInputError("name") {
                try await Operations.createCalendar(ctx, organisation: "Northtown", name: "North mailbox", locality: "North")
            }
        }
        try await LifecycleWorld.run(pack: "north-yorkshire") { world in
            await expectInputError("organisation") {
                try await Operations.createCalendar(world.ctx(nil), organisation: "Northtown", name: "North", locality: "")
            }
        }
    }
}
