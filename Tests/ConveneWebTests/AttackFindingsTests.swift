import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import SQLKit
import Testing
import VaporTesting

/// Issue 9: what an attacker found from outside, one test (or more) per numbered finding. Each
/// failed (or crashed the process) before the fix. The audit trail's tamper evidence is in
/// AuditTamperTests.
@Suite("Security: the attack findings of issue 9")
struct AttackFindingsTests {
    static let hostileNumbers = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-1", "0", "100001",
                                 "99999999999999999999999", "1e9", "abc", "", "%EF%BC%91", "1.5", "0x10", " 7"]

    // MARK: 1. One request must never crash the server

    @Test("Finding 1: huge, negative and non-numeric page numbers on every paginated page are answered, never crash",
          arguments: [("/team", Who.teamManager), ("/audit", Who.auditor), ("/admin", Who.administrator)])
    func hostilePageNumbersOnPages(_ path: String, _ who: Who) async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(who)
            for value in Self.hostileNumbers {
                let response = try await browser.get(path + "?page=" + value)
                #expect(response.status == .ok, "\(path)?page=\(value): \(response.status)")
            }
            #expect(try await world.app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test("Finding 1: every paginated API list refuses an out-of-range page or per with 400 naming the field, never crashes")
    func hostilePageNumbersOnAPI() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let chair = try await world.api(.teamManager)
            let lists = ["/discussions", "/discussions/\(id.slug)/invitations", "/discussions/\(id.slug)/actions",
                         "/discussions/\(id.slug)/versions", "/discussions/\(id.slug)/corrections"]
            for list in lists {
                for parameter in ["page", "per"] {
                    for value in Self.hostileNumbers {
                        let reply = try await chair.get(list + "?\(parameter)=" + value)
                        let inRange = parameter == "page" ? (Int(value).map { (1...ListPage.maxNumber).contains($0) } ?? false)
                            : (Int(value).map { (1...ListPage.maxSize).contains($0) } ?? false)
                        if inRange {
                            #expect(reply.status == .ok, "\(list)?\(parameter)=\(value): \(reply.status) \(reply.text)")
                        } else {
                            #expect(reply.status == .badRequest, "\(list)?\(parameter)=\(value): \(reply.status) \(reply.text)")
                            #expect(reply.isProblem && reply.fields == [parameter], "\(list)?\(parameter)=\(value): \(reply.text)")
                        }
                    }
                }
                let last = try await chair.get(list + "?page=\(ListPage.maxNumber)&per=\(ListPage.maxSize)")
                #expect(last.status == .ok, "\(list) at the last page: \(last.text)")
            }
            #expect(try await world.app.testing().sendRequest(.GET, "/healthz").status == .ok)
        }
    }

    @Test("ListPage: every number a request can send gives an offset without overflow")
    func listPageBounds() {
        for number in [Int.min, -1, 0, 1, 2, ListPage.maxNumber, ListPage.maxNumber + 1, Int.max] {
            for size in [Int.min, 0, 1, 25, ListPage.maxSize, Int.max] {
                let page = ListPage(number: number, size: size)
                #expect(page.range.upperBound <= ListPage.maxNumber * ListPage.maxSize)
                #expect(page.offset >= 0)
            }
        }
        #expect(ListPage.lenient("9223372036854775808", size: 25).number == ListPage.maxNumber)
        #expect(ListPage.lenient("abc", size: 25).number == 1)
        #expect(ListPage(number: 1, size: 25).pages(total: Int.max) == ListPage.maxNumber)
    }

    // MARK: 2. The second factor cannot be brute-forced

    func adminSecret(_ world: TestWorld) async throws -> String {
        let browser = try await world.browser(.administrator)
        try await browser.post("/sign-out", [])
        return try #require(try await world.person(.administrator).totpSecret)
    }

    func passwordStep(_ world: TestWorld, _ who: Who) async throws -> Browser {
        let browser = world.anonymous()
        try await browser.get("/sign-in")
        let response = try await browser.post("/sign-in", [("email", who.email), ("password", TestWorld.password)])
        #expect(response.location == "/sign-in/second-factor", "\(response.status) \(response.location)")
        try await browser.get("/sign-in/second-factor")
        return browser
    }

    @Test("Finding 2, ASVS-5.0-6.3.1: a correct password does not reset the count of wrong codes: password, 4 wrong codes, password, 1 wrong code locks")
    func passwordDoesNotResetCodeFailures() async throws {
        try await TestWorld.run { world in
            _ = try await adminSecret(world)
            let first = try await passwordStep(world, .administrator)
            for _ in 1...4 { try await first.post("/sign-in/second-factor", [("code", "000000")]) }
            #expect(try await world.person(.administrator).lockedUntil == nil)
            let second = try await passwordStep(world, .administrator)
            try await second.post("/sign-in/second-factor", [("code", "000000")])
            let admin = try await world.person(.administrator)
            #expect(admin.lockedUntil != nil, "five wrong codes around a correct password did not lock the account")
            #expect(try await world.audit("account-locked").count == 1)
            // Each wrong code counted against the address too.
            let throttle = try await LoginThrottle.query(on: world.app.db).first()
            #expect((throttle?.count ?? 0) >= 5, "wrong codes did not count against the address")
        }
    }

    @Test("Finding 2, ASVS-5.0-6.3.3: a security code is accepted once only, on the page and for an API token")
    func codeAcceptedOnce() async throws {
        try await TestWorld.run { world in
            let secret = try await adminSecret(world)
            world.clock.advance(60)
            let code = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            let first = try await passwordStep(world, .administrator)
            #expect(try await first.post("/sign-in/second-factor", [("code", code)]).location == "/my-work")
            let replay = try await passwordStep(world, .administrator)
            let refused = try await replay.post("/sign-in/second-factor", [("code", code)])
            #expect(refused.status != .seeOther, "the same code worked twice")
            #expect(try await world.requestToken(email: Who.administrator.email, code: code).status == .unauthorized)
            world.clock.advance(30)
            let next = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            #expect(try await world.requestToken(email: Who.administrator.email, code: next).status == .created)
            #expect(try await world.requestToken(email: Who.administrator.email, code: next).status == .unauthorized)
        }
    }

    // MARK: 3. API tokens end with what ends a person's sessions

    enum Ending: String, CaseIterable, Sendable {
        case signOutEverywhere, passwordChange, administratorReset, disabled
    }

    @Test("Finding 3, ASVS-5.0-7.4.2: sign out everywhere, a password change, an administrator's reset and disabling revoke every API token",
          arguments: Ending.allCases)
    func tokensRevoked(_ ending: Ending) async throws {
        try await TestWorld.run { world in
            let token = try await world.api(.socialWorker)
            #expect(try await token.get("/discussions").status == .ok)
            switch ending {
            case .signOutEverywhere:
                let browser = try await world.browser(.socialWorker)
                try world.step(try await browser.post("/sign-out-everywhere", []))
            case .passwordChange:
                let browser = try await world.browser(.socialWorker)
                try await browser.get("/account")
                let response = try await browser.post("/account/password", [
                    ("current", TestWorld.password), ("new", "a-brand-new-passphrase-for-me"), ("confirm", "a-brand-new-passphrase-for-me"),
                ])
                #expect(response.status == .ok, "\(response.summary)")
            case .administratorReset, .disabled:
                let admin = try await world.browser(.administrator)
                try await admin.get("/admin")
                let done = try await admin.post("/admin/people/\(world.people[.socialWorker]!.slug)",
                                                [("action", ending == .disabled ? "disable" : "reset")])
                #expect(done.status == .ok, "\(done.summary)")
            }
            let after = try await token.get("/discussions")
            #expect(after.status == .unauthorized, "the token still works after \(ending.rawValue): \(after.status)")
        }
    }

    // MARK: 5. Sign-in does the same work whether or not the address has an account

    @Test("Finding 5, ASVS-5.0-6.3.1: an unknown address is checked against a password hash too (the same bcrypt work)")
    func sameWorkForUnknownAddress() async throws {
        try await TestWorld.run { world in
            func verifications(_ email: String) async throws -> Int {
                let before = Passwords.verifications
                let browser = world.anonymous()
                try await browser.get("/sign-in")
                _ = try await browser.post("/sign-in", [("email", email), ("password", "wrong-password-123")])
                return Passwords.verifications - before
            }
            // Tests run in parallel: the counter is shared, so only a lower bound holds.
            #expect(try await verifications("nobody@nowhere.example") >= 1, "no password hash was checked for an unknown address")
            #expect(try await verifications(Who.socialWorker.email) >= 1)
            let disabled = try await world.addPerson(email: "gone@northtown.example", password: TestWorld.password)
            disabled.disabledAt = world.clock.now
            try await disabled.save(on: world.app.db)
            #expect(try await verifications("gone@northtown.example") >= 1)
        }
    }

    @Test("Finding 5: an administrator cannot learn that another authority knows an email address; both accounts sign in")
    func emailExistenceNotLeaked() async throws {
        try await TestWorld.run { world in
            let admin = try await world.browser(.administrator)
            try await admin.get("/admin")
            let created = try await admin.post("/admin/people", [
                ("name", "Felix Foreign"), ("email", Who.foreignSocialWorker.email), ("role", "partner-agency"),
                ("agency", "police"), ("agencyRole", "jcpit-officer"), ("team", ""),
            ])
            #expect(created.status == .ok, "\(created.summary)")
            #expect(!created.text.contains("already has this email"), "the other authority's account was revealed")
            let password = try #require(Browser.firstMatch(#"elsewhere\.example: ([a-z]+(?:-[a-z]+)*-\d\d)"#, in: created.text))
            // Each account signs in with its own password, into its own authority.
            let local = world.anonymous()
            try await local.signIn(email: Who.foreignSocialWorker.email, password: password)
            #expect(try await local.get("/account").text.contains("Felix Foreign"))
            let foreign = try await world.browser(.foreignSocialWorker)
            #expect(try await foreign.get("/account").status == .ok)
            // The same address twice in one authority is still refused.
            let again = try await admin.post("/admin/people", [
                ("name", "Felix Again"), ("email", Who.foreignSocialWorker.email), ("role", "partner-agency"),
                ("agency", "police"), ("agencyRole", "jcpit-officer"), ("team", ""),
            ])
            #expect(again.errorLinks == ["#email"], "\(again.errorTexts)")
        }
    }

    // MARK: 6. Every read of a child's details is logged

    @Test("Finding 6, ASVS-5.0-16.3 (L3): the agenda, checklist, decisions, actions, attendance, booking and invitations pages each log the read",
          arguments: ["agenda", "checklist", "decisions/{child}", "actions", "attendance", "invitations"])
    func meetingPagesLogged(_ page: String) async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .inMeeting)
            let chair = try await world.browser(.teamManager)
            let child = try await world.firstChild(id)
            let path = "/discussions/\(id.slug)/" + page.replacingOccurrences(of: "{child}", with: child.id!.slug)
            let before = try await world.audit("view").count
            let response = try await chair.get(path)
            #expect(response.status == .ok, "\(path): \(response.status)")
            let views = try await world.audit("view").dropFirst(before)
            #expect(views.contains { $0.objectID == id && $0.childIDs.contains(child.id!.slug) && $0.actorID == world.people[.teamManager] },
                    "\(path) logged no read: \(views.map(\.detail))")
        }
    }

    @Test("Finding 6: the children's names on My work and the team page are logged as reads of those children")
    func listsLogged() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .requested)
            let child = try await world.firstChild(id)
            let manager = try await world.browser(.teamManager)
            for path in ["/my-work", "/team"] {
                let before = try await world.audit("view").count
                let page = try await manager.get(path)
                #expect(page.text.contains("Amira Khan"), "\(path)")
                let views = try await world.audit("view").dropFirst(before)
                #expect(views.contains { $0.childIDs.contains(child.id!.slug) }, "\(path) showed the child's name without logging it")
            }
        }
    }

    // MARK: 7. Access as the procedures say

    @Test("Finding 7, REC-ALL-02: invitees read the minutes on circulation, not on authorisation")
    func minutesOnCirculation() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .authorised)
            let police = try await world.browser(.police)
            let before = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(!before.text.contains("Version 2"), "authorised minutes were shown to an invitee before circulation")
            #expect(try await police.get("/discussions/\(id.slug)/record").status == .forbidden)
            try await world.advance(id, to: .circulated, cast: .ownTeam)
            let after = try await police.get("/discussions/\(id.slug)/minutes")
            #expect(after.status == .ok && after.text.contains("Version"), "\(after.summary)")
        }
    }

    @Test("Finding 7: an invitee reads an action they do not own only once the minutes are circulated")
    func actionsForInvitees() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .authorised)
            let action = try #require(try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == id)
                .filter(\.$kind == .action).first())
            let police = try await world.browser(.police)
            #expect(try await world.invitations(id).contains { $0.personID == world.people[.police] })
            let before = try await police.get("/actions/\(action.id!.slug)")
            #expect(before.status == .forbidden, "an invitee read someone else's action before circulation: \(before.status)")
            let api = try await world.api(.police)
            #expect(try await api.get("/actions/\(action.id!.slug)").status == .forbidden)
            try await world.advance(id, to: .circulated, cast: .ownTeam)
            #expect(try await police.get("/actions/\(action.id!.slug)").status == .ok)
            // The person responsible reads their action at any stage.
            let owner = try await world.browser(.socialWorker)
            #expect(try await owner.get("/actions/\(action.id!.slug)").status == .ok)
        }
    }

    @Test("Finding 7: the record versions follow the view-record rule: the team's social worker, an invitee (circulated versions only), a grant")
    func versionsFollowViewRecord() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let worker = try await world.browser(.socialWorker)
            let own = try await worker.get("/discussions/\(id.slug)/versions")
            #expect(own.status == .ok, "a social worker could not see their own team's record versions: \(own.status)")
            #expect(own.text.contains("Final"))
            let police = try await world.browser(.police)
            let invitee = try await police.get("/discussions/\(id.slug)/versions")
            #expect(invitee.status == .ok, "\(invitee.status)")
            #expect(invitee.text.contains("Authorised") && !invitee.text.contains("Final"), "an invitee saw uncirculated versions")
            let api = try await world.api(.police)
            let listed = try await api.get("/discussions/\(id.slug)/versions")
            #expect(listed.status == .ok)
            let kinds = (listed["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(!kinds.isEmpty && kinds.allSatisfy { $0 == "authorised" || $0 == "corrected" }, "\(kinds)")
        }
    }

    // MARK: 8. Smaller findings

    @Test("Finding 8: `next` never leaves the site: tabs, newlines, backslashes, encoded slashes", arguments: [
        "/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example", "/%2F/evil.example", "/\n/evil.example",
        "https://evil.example", "/%5Cevil.example", "/ /evil.example",
    ])
    func nextStaysOnSite(_ next: String) {
        #expect(SiteURL.safeNext(next) == "", "\(next.debugDescription) was accepted")
    }

    @Test("Finding 8: a plain local `next` is still followed after sign-in")
    func nextLocal() {
        #expect(SiteURL.safeNext("/discussions/abc?x=1") == "/discussions/abc?x=1")
    }

    @Test("Finding 8: a temporary password must be changed before anything else, on the page and for an API token")
    func temporaryPasswordForced() async throws {
        try await TestWorld.run { world in
            let admin = try await world.browser(.administrator)
            try await admin.get("/admin")
            let created = try await admin.post("/admin/people", [
                ("name", "Nina New"), ("email", "nina@northtown.example"), ("role", "social-worker"),
                ("agency", "childrens-social-care"), ("agencyRole", "social-worker"), ("team", world.teamID.slug),
            ])
            let password = try #require(Browser.firstMatch(#"nina@northtown\.example: ([a-z]+(?:-[a-z]+)*-\d\d)"#, in: created.text))
            #expect(try await world.requestToken(email: "nina@northtown.example", password: password).status == .forbidden)
            let nina = world.anonymous()
            try await nina.get("/sign-in")
            let signedIn = try await nina.post("/sign-in", [("email", "nina@northtown.example"), ("password", password)])
            #expect(signedIn.location == "/account", "\(signedIn.location)")
            let work = try await nina.get("/my-work")
            #expect(work.status == .seeOther && work.location == "/account", "My work opened with a temporary password")
            #expect(try await nina.post("/discussions", []).status == .forbidden)
            try await nina.get("/account")
            let changed = try await nina.post("/account/password", [
                ("current", password), ("new", "kestrel-orchard-thistle-42"), ("confirm", "kestrel-orchard-thistle-42"),
            ])
            #expect(changed.status == .ok, "\(changed.summary)")
            #expect(try await nina.get("/my-work").status == .ok)
        }
    }

    @Test("Finding 8, ASVS-5.0-6.2.12: runs of digits, letters and keys are refused as passwords", arguments: [
        "123456789012", "098765432109", "abcdefghijklm", "qwertyuiopasd", "111111111111", "1qaz2wsx3edc4rfv",
    ])
    func weakPasswordsRefused(_ password: String) {
        #expect(!Passwords.problems(with: password, email: "sam@northtown.example", name: "Sam").isEmpty, "\(password)")
    }

    @Test("Finding 8: random words are still a good password")
    func goodPasswordAccepted() {
        #expect(Passwords.problems(with: "kestrel-orchard-thistle-42", email: "sam@northtown.example", name: "Sam").isEmpty)
    }

    @Test("Finding 8, ASVS-5.0-6.3.1: behind a blocked office address, a browser that signed in to an account before still signs in to it")
    func knownDevicePassesThrottle() async throws {
        try await TestWorld.run { world in
            let known = try await world.browser(.teamManager)
            try await known.post("/sign-out", [])
            for i in 0..<30 {
                let guesser = world.anonymous()
                try await guesser.get("/sign-in")
                _ = try await guesser.post("/sign-in", [("email", "guess\(i)@northtown.example"), ("password", "wrong-password-123")])
            }
            let stranger = world.anonymous()
            try await stranger.get("/sign-in")
            let blocked = try await stranger.post("/sign-in", [("email", Who.teamManager.email), ("password", TestWorld.password)])
            #expect(blocked.status == .tooManyRequests)
            try await known.get("/sign-in")
            let through = try await known.post("/sign-in", [("email", Who.teamManager.email), ("password", TestWorld.password)])
            #expect(through.status == .seeOther, "the manager's own browser was locked out with the office: \(through.status)")
            // The cookie names one account: it does not open another.
            try await known.post("/sign-out", [])
            try await known.get("/sign-in")
            let other = try await known.post("/sign-in", [("email", Who.socialWorker.email), ("password", TestWorld.password)])
            #expect(other.status == .tooManyRequests)
        }
    }

    @Test("Finding 8: a change without the version it was read at is refused (pages and API), and nothing is overwritten")
    func expectedVersionRequired() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .requested)
            let manager = try await world.browser(.teamManager)
            let api = try await world.api(.teamManager)
            try await manager.get("/discussions/\(id.slug)/decision")
            let before = try await world.storeState(listAudit: false)
            let page = try await manager.post("/discussions/\(id.slug)/decision", [("convene", "yes")])
            #expect(page.status == .conflict, "\(page.status)")
            #expect(try await world.storeState(listAudit: false) == before)
            for body in [#"{"convene": true}"#, #"{"convene": true, "expectedVersion": null}"#, #"{"convene": true, "expectedVersion": "1"}"#] {
                let reply = try await api.send(.POST, "/discussions/\(id.slug)/decision", body: body)
                #expect(reply.status == .badRequest, "\(body): \(reply.status) \(reply.text)")
            }
            let huge = try await api.send(.POST, "/discussions/\(id.slug)/decision",
                                          body: #"{"convene": true, "expectedVersion": 9223372036854775807}"#)
            #expect(huge.status == .conflict || huge.status == .badRequest, "\(huge.status)")
            let record = try await api.send(.POST, "/discussions/\(id.slug)/finalise", body: "{}")
            #expect(record.status == .badRequest, "\(record.text)")
            #expect(try await world.storeState(listAudit: false) == before)
        }
    }

    @Test("Finding 8: 5,000 children, dates in year 1 or 9999 and a form without a Content-Type are refused, naming the field")
    func oddRequestsRefused() async throws {
        try await TestWorld.run { world in
            let api = try await world.api(.socialWorker)
            let worker = try await world.browser(.socialWorker)
            try await worker.get("/discussions/new")
            let before = try await world.storeState(listAudit: false)
            var body = world.requestBody()
            body["children"] = Array(repeating: (body["children"] as! [[String: Any]])[0], count: 5000)
            let many = try await api.post("/discussions", body)
            #expect(many.status == .badRequest && many.fields.contains("children"), "\(many.status) \(many.fields)")
            for date in ["0001-01-01", "9999-12-31"] {
                var odd = world.requestBody()
                odd["incidentDate"] = date
                let reply = try await api.post("/discussions", odd)
                #expect(reply.status == .badRequest && reply.fields.contains("incidentDate"), "\(date): \(reply.text)")
            }
            for instant in ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"] {
                var odd = world.requestBody()
                odd["concernReceivedAt"] = instant
                let reply = try await api.post("/discussions", odd)
                #expect(reply.status == .badRequest && reply.fields.contains("concernReceivedAt"), "\(instant): \(reply.text)")
            }
            let untyped = try await world.app.testing().sendRequest(.POST, "/discussions", headers: [
                "Cookie": worker.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
            ], body: .init(string: worker.formBody(world.requestFields())))
            #expect(untyped.status == .unsupportedMediaType, "\(untyped.status)")
            #expect(try await world.storeState(listAudit: false) == before)
        }
    }

    @Test("Links in messages come from the configured public address, never from the request's Host header")
    func linksFromPublicAddress() async throws {
        try await TestWorld.run { world in
            world.setOptions { $0.publicURL = "https://convene.northtown.gov.uk/" }
            let id = try await world.makeDiscussion(at: .booked)
            let minutes = try await world.browser(.minuteTaker)
            try await minutes.get("/discussions/\(id.slug)/invitations")
            try world.step(try await minutes.post("/discussions/\(id.slug)/invitations", [
                ("name", "Erin External"), ("email", "erin@partner.example"), ("agency", "education"),
            ]))
            try world.step(try await minutes.post("/discussions/\(id.slug)/send", [], headers: ["Host": "evil.example"]))
            let message = try #require(try await OutboxMessage.query(on: world.app.db).filter(\.$toEmail == "erin@partner.example").first())
            #expect(message.body.contains("https://convene.northtown.gov.uk/access/"), "\(message.body)")
            #expect(!message.body.contains("evil.example"))
        }
    }

    @Test("Finding 8: TRACE, TRACK and CONNECT are refused with 405, not 404", arguments: ["TRACE", "TRACK"])
    func traceRefused(_ method: String) async throws {
        try await TestWorld.run { world in
            let response = try await world.app.testing().sendRequest(HTTPMethod(rawValue: method), "/my-work")
            #expect(response.status == .methodNotAllowed)
        }
    }

    @Test("Finding 8: booking a slot someone else has just booked answers 409 naming the slot, as the API document says")
    func bookingConflictIs409() async throws {
        try await TestWorld.run { world in
            let first = try await world.makeDiscussion(at: .awaitingBooking)
            let second = try await world.makeDiscussion(at: .awaitingBooking, childName: "Ben Okoro")
            let minutes = try await world.api(.minuteTaker)
            let slots = try await minutes.get("/discussions/\(first.slug)/slots?per=1")
            let start = try #require((slots["items"] as? [[String: Any]])?.first?["start"] as? String)
            for (id, expected) in [(first, HTTPResponseStatus.ok), (second, .conflict)] {
                let state = try await minutes.get("/discussions/\(id.slug)")
                let version = (state["discussion"] as? [String: Any])?["version"] as? Int ?? 0
                let reply = try await minutes.post("/discussions/\(id.slug)/booking", [
                    "slotStart": start, "format": "virtual", "chairId": world.people[.teamManager]!.slug, "expectedVersion": version,
                ])
                #expect(reply.status == expected, "\(reply.status) \(reply.text)")
                if expected == .conflict { #expect(reply.fields == ["slotStart"] || reply.fields == ["slot"], "\(reply.fields)") }
            }
        }
    }
}
