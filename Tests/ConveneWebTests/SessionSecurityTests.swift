import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import NIOHTTP1
import Testing
import VaporTesting

/// Signing in and sessions (docs: /work/shared/security.md): cookies, fixation, timeouts,
/// signing out, disabled accounts, lock-out, long passwords, the administrators' second
/// factor and the audit of every attempt.
@Suite("Security: sign-in and sessions")
struct SessionSecurityTests {
    static let sessionCookie = "convene-session"

    func setCookie(_ response: TestingHTTPResponse, _ name: String) -> String? {
        response.headers[.setCookie].first { $0.hasPrefix(name + "=") }
    }

    func signInResponse(_ world: TestWorld, _ who: Who, headers: HTTPHeaders = [:]) async throws -> (Browser, TestingHTTPResponse) {
        let browser = world.anonymous()
        try await browser.get("/sign-in", headers: headers)
        let response = try await browser.post("/sign-in", [("email", who.email), ("password", TestWorld.password)], headers: headers)
        return (browser, response)
    }

    /// A fresh client that presents only this session cookie.
    func replay(_ world: TestWorld, cookie: (String, String), path: String = "/my-work") async throws -> TestingHTTPResponse {
        let client = world.anonymous()
        client.cookies = [cookie.0: cookie.1]
        return try await client.get(path)
    }

    func refusedAsSignedOut(_ response: TestingHTTPResponse) -> Bool {
        response.status == .seeOther && response.location.hasPrefix("/sign-in")
    }

    // MARK: Cookies (ASVS-5.0-3.3.1, 3.3.4)

    @Test("ASVS-5.0-3.3.4: the session cookie is HttpOnly, SameSite=Strict, Path=/, for this host only and for this browser session only")
    func sessionCookieFlags() async throws {
        try await TestWorld.run { world in
            let (_, response) = try await signInResponse(world, .socialWorker)
            let cookie = try #require(setCookie(response, Self.sessionCookie), "no session cookie: \(response.headers[.setCookie])")
            let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            #expect(attributes.contains("httponly"), "\(cookie)")
            #expect(attributes.contains("samesite=strict"), "\(cookie)")
            #expect(attributes.contains("path=/"), "\(cookie)")
            #expect(!attributes.contains { $0.hasPrefix("domain=") }, "\(cookie)")
            #expect(!attributes.contains { $0.hasPrefix("expires=") || $0.hasPrefix("max-age=") }, "a persistent cookie: \(cookie)")
            #expect(!cookie.contains("vapor-session"))
        }
    }

    @Test("ASVS-5.0-3.3.1: with cookie security “always”, the session cookie is Secure with the __Host- prefix, and HSTS is sent")
    func secureCookieAlways() async throws {
        try await TestWorld.run { world in
            world.setOptions { $0.cookieSecurity = .always }
            let (browser, response) = try await signInResponse(world, .socialWorker)
            #expect(response.status == .seeOther)
            let cookie = try #require(setCookie(response, "__Host-" + Self.sessionCookie), "\(response.headers[.setCookie])")
            let attributes = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            #expect(attributes.contains("secure") && attributes.contains("httponly") && attributes.contains("path=/"), "\(cookie)")
            #expect(!attributes.contains { $0.hasPrefix("domain=") })
            #expect(setCookie(response, Self.sessionCookie) == nil, "a cookie without the prefix was also set")
            for header in response.headers[.setCookie] where !header.contains("Expires=Thu, 01 Jan 1970") {
                #expect(header.lowercased().contains("; secure"), "a cookie without Secure: \(header)")
            }
            #expect(response.headers.first(name: "Strict-Transport-Security")?.contains("max-age=") == true)
            #expect(try await browser.get("/my-work").status == .ok, "the __Host- cookie is not read back")
        }
    }

    @Test("ASVS-5.0-3.3.1: behind a trusted proxy, X-Forwarded-Proto https gives the Secure __Host- cookie; an untrusted header is ignored")
    func secureCookieBehindProxy() async throws {
        try await TestWorld.run { world in
            let https: HTTPHeaders = ["X-Forwarded-Proto": "https"]
            let (_, untrusted) = try await signInResponse(world, .socialWorker, headers: https)
            #expect(setCookie(untrusted, Self.sessionCookie) != nil, "the header was trusted without trustProxy")
            #expect(setCookie(untrusted, "__Host-" + Self.sessionCookie) == nil)

            world.setOptions { $0.trustProxy = true }
            let (_, trusted) = try await signInResponse(world, .teamManager, headers: https)
            let cookie = try #require(setCookie(trusted, "__Host-" + Self.sessionCookie), "\(trusted.headers[.setCookie])")
            #expect(cookie.contains("Secure"))
        }
    }

    // MARK: Session lifecycle (ASVS-5.0-7.2.4, 7.3.1, 7.3.2, 7.4.1, 7.4.2)

    @Test("ASVS-5.0-7.2.4: signing in issues a new session token and ends the one the browser had (no session fixation)")
    func newTokenAtSignIn() async throws {
        try await TestWorld.run { world in
            // An attacker signs in and plants their session cookie in the victim's browser.
            let attacker = try await world.browser(.otherTeamSocialWorker)
            let planted = try #require(attacker.cookies[Self.sessionCookie])
            let victim = world.anonymous()
            victim.cookies = attacker.cookies
            try await victim.get("/sign-in")
            victim.csrf = attacker.csrf
            let response = try await victim.post("/sign-in", [("email", Who.socialWorker.email), ("password", TestWorld.password)])
            #expect(response.status == .seeOther, "\(response.summary)")
            let issued = try #require(victim.cookies[Self.sessionCookie])
            #expect(issued != planted, "the planted token was kept")
            #expect(refusedAsSignedOut(try await replay(world, cookie: (Self.sessionCookie, planted))), "the old session still works")
            #expect(try await replay(world, cookie: (Self.sessionCookie, issued)).status == .ok)

            // A cookie value the server never issued is not adopted either.
            let forged = world.anonymous()
            forged.cookies = [Self.sessionCookie: "chosen-by-the-attacker-0123456789abcdef"]
            try await forged.get("/sign-in")
            try await forged.post("/sign-in", [("email", Who.teamManager.email), ("password", TestWorld.password)])
            #expect(forged.cookies[Self.sessionCookie] != "chosen-by-the-attacker-0123456789abcdef")
        }
    }

    @Test("ASVS-5.0-7.3.1: a session idle for 31 minutes is refused and the person is sent to sign in; 29 minutes is fine")
    func idleTimeout() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            world.clock.advance(29 * 60)
            #expect(try await browser.get("/my-work").status == .ok)
            world.clock.advance(31 * 60)
            let response = try await browser.get("/my-work")
            #expect(refusedAsSignedOut(response), "\(response.summary)")
            #expect(response.location == "/sign-in?next=/my-work")
            #expect(response.headers[.setCookie].contains { $0.hasPrefix(Self.sessionCookie + "=") && $0.contains("1970") },
                    "the expired session's cookie is not cleared")
            // It stays ended even if the clock were put back.
            world.clock.advance(-31 * 60)
            #expect(refusedAsSignedOut(try await browser.get("/my-work")))
        }
    }

    @Test("ASVS-5.0-7.3.2: a session used every 25 minutes still ends 12 hours after sign-in")
    func absoluteLifetime() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            var elapsed: TimeInterval = 0
            while elapsed + 25 * 60 < 12 * 3600 {
                world.clock.advance(25 * 60)
                elapsed += 25 * 60
                let response = try await browser.get("/my-work")
                #expect(response.status == .ok, "refused after \(elapsed / 3600) hours of activity")
                if response.status != .ok { return }
            }
            world.clock.advance(12 * 3600 - elapsed + 1)
            #expect(refusedAsSignedOut(try await browser.get("/my-work")), "still signed in after 12 hours")
        }
    }

    @Test("ASVS-5.0-7.4.1: after signing out, the old session cookie is refused")
    func signedOutSessionRefused() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            let token = try #require(browser.cookies[Self.sessionCookie])
            let out = try await browser.post("/sign-out", [])
            #expect(out.status == .seeOther && out.location.hasPrefix("/sign-in"))
            #expect(refusedAsSignedOut(try await replay(world, cookie: (Self.sessionCookie, token))))
            #expect(try await world.audit("logout").count == 1)
        }
    }

    @Test("ASVS-5.0-7.4.1: “sign out everywhere” ends the person's sessions in every browser")
    func signOutEverywhere() async throws {
        try await TestWorld.run { world in
            let laptop = try await world.browser(.teamManager)
            let phone = try await world.browser(.teamManager)
            let colleague = try await world.browser(.socialWorker)
            try world.expectRedirect(try await laptop.post("/sign-out-everywhere", []))
            #expect(refusedAsSignedOut(try await phone.get("/my-work")))
            #expect(try await colleague.get("/my-work").status == .ok, "another person's session ended too")
        }
    }

    @Test("ASVS-5.0-7.4.2: disabling an account ends its sessions at once, and it cannot sign in again")
    func disabledAccount() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            let person = try await world.person(.socialWorker)
            person.disabledAt = world.clock.now
            try await person.save(on: world.app.db)
            #expect(refusedAsSignedOut(try await browser.get("/my-work")))
            let again = world.anonymous()
            try await again.get("/sign-in")
            let response = try await again.post("/sign-in", [("email", Who.socialWorker.email), ("password", TestWorld.password)])
            #expect(response.status == .badRequest, "a disabled account signed in: \(response.summary)")
            #expect(response.errorTexts == [SignInAttempts.failureMessage])
        }
    }

    // MARK: Passwords and lock-out (ASVS-5.0-6.2.8, 6.2.9, 6.3.1)

    func attempt(_ world: TestWorld, email: String, password: String) async throws -> TestingHTTPResponse {
        let browser = world.anonymous()
        try await browser.get("/sign-in")
        return try await browser.post("/sign-in", [("email", email), ("password", password)])
    }

    @Test("ASVS-5.0-6.3.1: after 5 wrong passwords even the right one is refused for 15 minutes, then accepted")
    func lockOut() async throws {
        try await TestWorld.run { world in
            for _ in 1...5 {
                #expect(try await attempt(world, email: Who.socialWorker.email, password: "wrong-password-123").status == .badRequest)
            }
            let locked = try await attempt(world, email: Who.socialWorker.email, password: TestWorld.password)
            #expect(locked.status != .seeOther, "signed in while locked")
            #expect(locked.errorTexts == [SignInAttempts.failureMessage], "\(locked.errorTexts)")
            world.clock.advance(14 * 60)
            #expect(try await attempt(world, email: Who.socialWorker.email, password: TestWorld.password).status != .seeOther)
            world.clock.advance(61)
            #expect(try await attempt(world, email: Who.socialWorker.email, password: TestWorld.password).status == .seeOther)
            // Other accounts were never affected.
            #expect(try await world.person(.teamManager).lockedUntil == nil)
        }
    }

    @Test("ASVS-5.0-6.3.1: the refusal does not reveal whether the email address has an account")
    func genericFailureMessage() async throws {
        try await TestWorld.run { world in
            let unknown = try await attempt(world, email: "nobody@northtown.example", password: "wrong-password-123")
            let wrong = try await attempt(world, email: Who.socialWorker.email, password: "wrong-password-123")
            #expect(unknown.status == wrong.status)
            #expect(unknown.errorTexts == wrong.errorTexts)
            #expect(unknown.errorLinks == wrong.errorLinks)
            #expect(unknown.errorTexts == [SignInAttempts.failureMessage])
        }
    }

    @Test("ASVS-5.0-6.3.1: 30 failures from one address within 15 minutes block that address (429), whatever the account")
    func addressThrottle() async throws {
        try await TestWorld.run { world in
            for i in 0..<30 {
                _ = try await attempt(world, email: "guess\(i)@northtown.example", password: "wrong-password-123")
            }
            let blocked = try await attempt(world, email: Who.teamManager.email, password: TestWorld.password)
            #expect(blocked.status == .tooManyRequests, "\(blocked.summary)")
            #expect(try await world.audit("login-throttled").count == 1)
        }
    }

    @Test("ASVS-5.0-6.3.1: behind a trusted proxy, a client cannot dodge the address limit by writing its own X-Forwarded-For")
    func addressThrottleNotSpoofable() async throws {
        try await TestWorld.run { world in
            world.setOptions { $0.trustProxy = true }
            // The load balancer appends the address it saw; whatever comes before it is the client's own text.
            func headers(_ i: Int) -> HTTPHeaders { ["X-Forwarded-For": "10.9.\(i % 250).\(i / 250), 203.0.113.7"] }
            for i in 0..<30 {
                let browser = world.anonymous()
                try await browser.get("/sign-in", headers: headers(i))
                _ = try await browser.post("/sign-in", [("email", "guess\(i)@northtown.example"), ("password", "wrong-password-123")],
                                           headers: headers(i))
            }
            let browser = world.anonymous()
            try await browser.get("/sign-in", headers: headers(999))
            let blocked = try await browser.post("/sign-in", [("email", Who.teamManager.email), ("password", TestWorld.password)],
                                                 headers: headers(999))
            #expect(blocked.status == .tooManyRequests, "30 failures from 203.0.113.7 went unnoticed: \(blocked.summary)")
        }
    }

    @Test("ASVS-5.0-6.2.8, 6.2.9: a 100-character password is verified in full: one differing only after byte 80 is refused")
    func longPasswordsExact() async throws {
        try await TestWorld.run { world in
            let stem = String(repeating: "correct horse battery staple ", count: 3).prefix(80)
            let real = stem + "the-real-ending-of-a-long-passphrase"
            let other = stem + "a-different-ending-of-the-same-stem!"
            #expect(real.utf8.count > 100 && other.utf8.count > 100 && real.prefix(80) == other.prefix(80))
            try await world.addPerson(email: "long@northtown.example", password: String(real))
            let refused = try await attempt(world, email: "long@northtown.example", password: String(other))
            #expect(refused.status == .badRequest, "a password differing after byte 80 was accepted (bcrypt's 72-byte limit)")
            let truncated = try await attempt(world, email: "long@northtown.example", password: String(real.prefix(72)))
            #expect(truncated.status == .badRequest, "the first 72 bytes alone were accepted")
            #expect(try await attempt(world, email: "long@northtown.example", password: String(real)).status == .seeOther)
        }
    }

    @Test("ASVS-5.0-6.2.9: a 200-character password with non-ASCII characters is accepted exactly as typed")
    func unicodePassword() async throws {
        try await TestWorld.run { world in
            let password = String(repeating: "ßåfeguårding-čhîld-🛡️-", count: 9)
            try await world.addPerson(email: "unicode@northtown.example", password: password)
            #expect(try await attempt(world, email: "unicode@northtown.example", password: password).status == .seeOther)
            #expect(try await attempt(world, email: "unicode@northtown.example", password: password + " ").status == .badRequest)
        }
    }

    // MARK: Second factor (ASVS-5.0-6.3.3)

    @Test("ASVS-5.0-6.3.3: an administrator must pass the security code: a wrong code is refused and nothing is reachable before it")
    func administratorsNeedTOTP() async throws {
        try await TestWorld.run { world in
            let (browser, response) = try await signInResponse(world, .administrator)
            #expect(response.location == "/sign-in/second-factor")
            #expect(refusedAsSignedOut(try await browser.get("/admin")), "the admin page opened before the second factor")
            #expect(refusedAsSignedOut(try await browser.get("/my-work")))
            let page = try await browser.get("/sign-in/second-factor")
            let secret = try #require(Browser.firstMatch(#"cv-u-font-weight-bold">([A-Z2-7]+)<"#, in: page.text))
            let right = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            let wrong = String(format: "%06d", (Int(right)! + 1) % 1_000_000)
            let refused = try await browser.post("/sign-in/second-factor", [("code", wrong)])
            #expect(refused.status != .seeOther, "a wrong code was accepted")
            #expect(refused.errorLinks == ["#code"])
            #expect(refusedAsSignedOut(try await browser.get("/admin")))
            let accepted = try await browser.post("/sign-in/second-factor", [("code", right)])
            #expect(accepted.status == .seeOther && accepted.location == "/my-work")
            #expect(try await browser.get("/admin").status == .ok)
            #expect(try await world.person(.administrator).totpEnabled)

            // Next time the code is asked for again, and the secret is not shown again.
            let (later, second) = try await signInResponse(world, .administrator)
            #expect(second.location == "/sign-in/second-factor")
            let again = try await later.get("/sign-in/second-factor")
            #expect(!again.text.contains(secret), "the enrolled secret is shown again")
        }
    }

    @Test("ASVS-5.0-6.3.1, 6.3.3: five wrong security codes end the half-signed-in session and lock the account")
    func wrongCodesLock() async throws {
        try await TestWorld.run { world in
            let (browser, _) = try await signInResponse(world, .administrator)
            try await browser.get("/sign-in/second-factor")
            for _ in 1...5 { try await browser.post("/sign-in/second-factor", [("code", "000000")]) }
            #expect(try await world.person(.administrator).lockedUntil != nil)
            let (_, retry) = try await signInResponse(world, .administrator)
            #expect(retry.status != .seeOther, "signed in while locked")
        }
    }

    // MARK: Audit of sign-in (ASVS-5.0-16.3.1)

    @Test("ASVS-5.0-16.3.1: every sign-in, failed sign-in (with its reason) and sign-out is in the audit trail")
    func signInsAudited() async throws {
        try await TestWorld.run { world in
            let start = try await world.auditActions().count
            _ = try await attempt(world, email: "nobody@northtown.example", password: "wrong-password-123")
            _ = try await attempt(world, email: Who.socialWorker.email, password: "wrong-password-123")
            let browser = try await world.browser(.socialWorker)
            try await browser.post("/sign-out", [])
            let (admin, _) = try await signInResponse(world, .administrator)
            try await admin.get("/sign-in/second-factor")
            try await admin.post("/sign-in/second-factor", [("code", "000000")])
            let entries = try await AuditEntry.query(on: world.app.db).filter(\.$seq > start).sort(\.$seq).all()
            let summary = entries.map { "\($0.action):\($0.reason)" }
            #expect(summary.contains("login-failed:unknown email"), "\(summary)")
            #expect(summary.contains("login-failed:wrong password"), "\(summary)")
            #expect(summary.contains("login-failed:wrong security code"), "\(summary)")
            #expect(summary.contains("login-password:"), "\(summary)")
            #expect(entries.contains { $0.action == "login" && $0.actorID == world.people[.socialWorker] }, "\(summary)")
            #expect(entries.contains { $0.action == "logout" && $0.actorID == world.people[.socialWorker] }, "\(summary)")
            // The unknown address is kept as typed, so guessing is visible, but no password is ever logged.
            #expect(!entries.contains { $0.detail.contains("wrong-password-123") || $0.reason.contains("wrong-password-123") })
            #expect(try await AuditTrail.verify(on: world.app.db).ok)
        }
    }
}
