import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Signing in for the API under the sign-in page's rules (ASVS-5.0-6.3.1, 6.3.3, 16.3.1).
@Suite("API tokens")
struct APITokenTests {
    @Test("A social worker signs in for a 12-hour token and lists their team's discussions with it")
    func signIn() async throws {
        try await TestWorld.run { world in
            let reply = try await world.requestToken(email: Who.socialWorker.email)
            #expect(reply.status == .created)
            let expires = try #require(RFC3339.parse(reply.string("expiresAt")))
            #expect(expires == world.clock.now.addingTimeInterval(12 * 3600))
            let client = APIClient(world: world, token: reply.string("token"))
            #expect(try await client.get("/discussions").status == .ok)
            // Only the token's hash is kept.
            let stored = try await APIToken.query(on: world.app.db).all()
            #expect(stored.count == 1 && stored[0].tokenHash == Tokens.sha256(reply.string("token")))
        }
    }

    @Test("A wrong password is refused with the page's message, audited, and counts towards the lock")
    func wrongPassword() async throws {
        try await TestWorld.run { world in
            let reply = try await world.requestToken(email: Who.socialWorker.email, password: "not-the-password")
            #expect(reply.status == .unauthorized)
            #expect(reply.isProblem)
            #expect(reply.string("detail") == SignInAttempts.failureMessage)
            #expect(try await world.person(.socialWorker).failedLogins == 1)
            let failures = try await AuditEntry.query(on: world.app.db).filter(\.$action == "login-failed").count()
            #expect(failures == 1)
        }
    }

    @Test("Five wrong passwords lock the account for 15 minutes, even against the right password")
    func lockout() async throws {
        try await TestWorld.run { world in
            for _ in 1...5 {
                _ = try await world.requestToken(email: Who.teamManager.email, password: "wrong-password-123")
            }
            #expect(try await world.requestToken(email: Who.teamManager.email).status == .unauthorized)
            world.clock.advance(15 * 60 + 1)
            #expect(try await world.requestToken(email: Who.teamManager.email).status == .created)
        }
    }

    @Test("An administrator must send the code from their authenticator app; a wrong code counts as a failure")
    func secondFactor() async throws {
        try await TestWorld.run { world in
            // The administrator sets up the security code on the website first.
            _ = try await world.browser(.administrator)
            let secret = try #require(try await world.person(.administrator).totpSecret)
            let missing = try await world.requestToken(email: Who.administrator.email)
            #expect(missing.status == .badRequest)
            #expect(missing.fields == ["code"])
            let wrong = try await world.requestToken(email: Who.administrator.email, code: "000000")
            #expect(wrong.status == .unauthorized)
            #expect(try await world.person(.administrator).failedLogins == 1)
            // The code the website sign-in used works once only (issue 9): the next one.
            world.clock.advance(TOTP.step)
            let code = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            #expect(try await world.requestToken(email: Who.administrator.email, code: code).status == .created)
        }
    }

    @Test("An administrator without a security code cannot get a token")
    func secondFactorNotSetUp() async throws {
        try await TestWorld.run { world in
            let reply = try await world.requestToken(email: Who.administrator.email)
            #expect(reply.status == .forbidden)
        }
    }

    @Test("A revoked token, and an expired one, are refused")
    func revokeAndExpire() async throws {
        try await TestWorld.run { world in
            let client = try await world.api(.teamManager)
            #expect(try await client.delete("/tokens/current").status == .noContent)
            let after = try await client.get("/discussions")
            #expect(after.status == .unauthorized)
            #expect(after.headers.first(name: .wwwAuthenticate) == "Bearer")
            let second = try await world.api(.teamManager)
            world.clock.advance(12 * 3600 + 1)
            #expect(try await second.get("/discussions").status == .unauthorized)
        }
    }

    @Test("Without a token the API answers 401 with problem details")
    func anonymous() async throws {
        try await TestWorld.run { world in
            let reply = try await world.anonymousAPI().get("/discussions")
            #expect(reply.status == .unauthorized)
            #expect(reply.isProblem)
            #expect(reply.int("status") == 401)
        }
    }

    @Test("A browser session may call the API, but a change without X-CSRF-Token is refused (ASVS-5.0-3.5.1)")
    func cookieSession() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            let browser = try await world.browser(.teamManager)
            var headers = HTTPHeaders()
            headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            let api = world.anonymousAPI()
            #expect(try await api.send(.GET, "/discussions/\(id.slug)", headers: headers).status == .ok)
            let body = APIClient.encode(["convene": true, "expectedVersion": 1])
            let refused = try await api.send(.POST, "/discussions/\(id.slug)/decision", body: body, headers: headers)
            #expect(refused.status == .forbidden)
            headers.replaceOrAdd(name: "X-CSRF-Token", value: browser.csrf)
            let accepted = try await api.send(.POST, "/discussions/\(id.slug)/decision", body: body, headers: headers)
            #expect(accepted.status == .ok, "\(accepted.text)")
        }
    }
}
