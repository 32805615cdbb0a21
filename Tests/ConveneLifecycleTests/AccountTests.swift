import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

@Suite("Accounts: password, security code and API tokens (ASVS-5.0-6.2, 6.3.3, 7.4)")
struct AccountTests {
    @Test("A new password needs the current one and the policy; changing it revokes every API token")
    func changePassword() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(.socialWorker)
            let token = try await Operations.createToken(ctx, name: "Case system")
            await expectInvalid("current") {
                try await Operations.changePassword(ctx, current: "wrong", new: "kestrel-orchard-thistle-42", confirm: "kestrel-orchard-thistle-42")
            }
            await expectInvalid("new") {
                try await Operations.changePassword(ctx, current: LifecycleWorld.password, new: "password1", confirm: "password1")
            }
            await expectInvalid("confirm") {
                try await Operations.changePassword(ctx, current: LifecycleWorld.password, new: "kestrel-orchard-thistle-42", confirm: "other")
            }
            try await Operations.changePassword(ctx, current: LifecycleWorld.password, new: "kestrel-orchard-thistle-42",
                                                confirm: "kestrel-orchard-thistle-42")
            #expect(try await APIToken.query(on: world.db).filter(\.$tokenHash == Tokens.sha256(token)).first()?.revokedAt != nil)
            #expect(try await world.audit("password-change").count == 1)
        }
    }

    @Test("Personal-link sessions have no account; an administrator cannot turn the security code off")
    func refusals() async throws {
        try await LifecycleWorld.run { world in
            let session = UserSession(tokenHash: "x", personID: world.id(.police), invitationID: UUID(), csrfToken: "c",
                                      secondFactorPending: false, now: world.clock.now, expiresAt: world.clock.now + 60, ip: "", userAgent: "")
            let link = world.ctx(user: try CurrentUser(person: world.people[.police]!, session: session))
            await expectNotAllowed { _ = try await Operations.account(link) }
            await expectNotAllowed { _ = try await Operations.createToken(link, name: "x") }
            await expectNotAllowed { try await Operations.setSecurityCode(world.ctx(.administrator), enabled: false, code: "000000") }
            await expectInvalid("name") { _ = try await Operations.createToken(world.ctx(.socialWorker), name: " ") }
        }
    }

    @Test("ASVS-5.0-6.3.3: the security code is turned on with a current code, which works once only")
    func securityCode() async throws {
        try await LifecycleWorld.run { world in
            let ctx = world.ctx(.socialWorker)
            let secret = try #require(try await Operations.account(ctx).person.totpSecret)
            await expectInvalid("code") { try await Operations.setSecurityCode(ctx, enabled: true, code: "123") }
            let code = TOTP.code(secret: Base32.decode(secret)!, at: world.clock.now)
            try await Operations.setSecurityCode(ctx, enabled: true, code: code)
            #expect(try await Person.find(world.id(.socialWorker), on: world.db)?.totpEnabled == true)
            await expectInvalid("code") { try await Operations.setSecurityCode(world.ctx(.socialWorker), enabled: false, code: code) }
        }
    }

    @Test("A token is revoked only by its holder; one that does not exist is not found")
    func tokens() async throws {
        try await LifecycleWorld.run { world in
            _ = try await Operations.createToken(world.ctx(.socialWorker), name: "Mine")
            let row = try #require(try await APIToken.query(on: world.db).first())
            #expect(try await Operations.account(world.ctx(.socialWorker)).tokens.count == 1)
            await expectNotFound { try await Operations.revokeToken(world.ctx(.teamManager), tokenID: row.id!) }
            try await Operations.revokeToken(world.ctx(.socialWorker), tokenID: row.id!)
            #expect(try await Operations.account(world.ctx(.socialWorker)).tokens.isEmpty)
        }
    }
}

@Suite("Signing in (ASVS-5.0-6.3.1): lock-out, throttling and tokens")
struct SignInTests {
    func signIn(_ world: LifecycleWorld, _ email: String, _ password: String) async throws -> Operations.PasswordStep {
        try await Operations.signIn(world.ctx(nil), email: email, password: password, knownDevice: { _ in false }) { _, _, _ in }
    }

    @Test("A right password passes; five wrong ones lock the account, and the right one is then refused")
    func lockOut() async throws {
        try await LifecycleWorld.run { world in
            guard case .passed(_, false) = try await signIn(world, " SocialWorker@Northtown.example ", LifecycleWorld.password) else {
                Issue.record("the right password did not pass")
                return
            }
            for _ in 0..<5 {
                guard case .refused = try await signIn(world, Who.socialWorker.email, "wrong") else { Issue.record("not refused"); return }
            }
            guard case .refused = try await signIn(world, Who.socialWorker.email, LifecycleWorld.password) else {
                Issue.record("a locked account signed in")
                return
            }
            #expect(try await world.audit("account-locked").count == 1)
            guard case .incomplete = try await signIn(world, "", "") else { Issue.record("empty fields were checked"); return }
        }
    }

    @Test("Administrators always need a security code: the password step leaves them pending")
    func pending() async throws {
        try await LifecycleWorld.run { world in
            guard case .passed(_, true) = try await signIn(world, Who.administrator.email, LifecycleWorld.password) else {
                Issue.record("an administrator was not asked for a code")
                return
            }
        }
    }

    @Test("An API token needs the right password; a wrong one is refused without saying why")
    func token() async throws {
        try await LifecycleWorld.run { world in
            await expectError("refused") {
                _ = try await Operations.signInForToken(world.ctx(nil), email: Who.socialWorker.email, password: "wrong", code: nil,
                                                        name: nil, knownDevice: { _ in false })
            } _: { error in
                if case LifecycleError.notSignedIn(SignInAttempts.failureMessage) = error { return true }
                return false
            }
            let (token, expires) = try await Operations.signInForToken(world.ctx(nil), email: Who.socialWorker.email,
                                                                       password: LifecycleWorld.password, code: nil, name: "CLI",
                                                                       knownDevice: { _ in false })
            #expect(expires == world.clock.now.addingTimeInterval(Credentials.tokenLifetime))
            let user = try await Authentication.bearer(token: token, world.ctx(nil))
            #expect(user.id == world.id(.socialWorker))
            await expectError("refused") { _ = try await Authentication.bearer(token: "nonsense", world.ctx(nil)) } _: { error in
                if case LifecycleError.notSignedIn = error { return true }
                return false
            }
        }
    }
}
