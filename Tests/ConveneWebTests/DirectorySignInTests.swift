import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Signing in through the authority's own directory (issue 15), against a real OpenID Connect
/// provider (Authlib) started on 127.0.0.1: the authorisation code flow with PKCE, `state` and
/// `nonce`, the ID token verified with the provider's JWKS. Every refusal shows a clear message
/// and leaves an audit entry with its reason (ASVS-5.0-16.3.1) and a failure counted against
/// the address (6.3.1).
@Suite("Sign-in through the authority's directory (OpenID Connect)", .enabled(if: OIDCTestProvider.available, OIDCTestProvider.missing))
struct DirectorySignInTests {
    static let sam = OIDCTestProvider.User(username: "sam", email: Who.socialWorker.email, name: "Sam Social")
    static let unverified = OIDCTestProvider.User(username: "una", email: Who.teamManager.email, verified: false, name: "Una Verified")
    static let stranger = OIDCTestProvider.User(username: "newton", email: "newton.new@northtown.example", name: "Newton New")
    static let admin = OIDCTestProvider.User(username: "adam", email: Who.administrator.email, name: "Adam Admin")

    func sessionCookie(_ browser: Browser) -> String? { browser.cookies["convene-session"] }

    func expectRefused(_ world: TestWorld, _ response: TestingHTTPResponse, status: HTTPResponseStatus, saying message: String,
                       reason: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(response.status == status, "\(response.summary)", sourceLocation: sourceLocation)
        #expect(response.errorTexts.joined().contains(message), "\(response.errorTexts)", sourceLocation: sourceLocation)
        #expect(!response.text.contains("eyJ"), "a token is shown to the person", sourceLocation: sourceLocation)
        #expect(!response.headers[.setCookie].contains { $0.hasPrefix("convene-session=") && !$0.contains("1970") },
                "a session was opened", sourceLocation: sourceLocation)
        let entry = try #require(try await world.directoryRefusals().last, "no audit entry", sourceLocation: sourceLocation)
        #expect(entry.action == "login-failed" || entry.action == "login-throttled", sourceLocation: sourceLocation)
        #expect(entry.reason.contains(reason), "audit reason: \(entry.reason)", sourceLocation: sourceLocation)
        let throttle = try await LoginThrottle.query(on: world.app.db).filter(\.$key ~~ "ip:").first()
        #expect((throttle?.count ?? 0) >= 1, "the failure was not counted against the address", sourceLocation: sourceLocation)
    }

    // MARK: Success

    @Test("ASVS-5.0-6.3.3, 7.2.4, 16.3.1: a social worker signs in through the directory: matched by verified email, linked to their sub, a new session, the known-device cookie, an audited login naming the directory")
    func signsInThroughTheDirectory() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let answer = try await browser.signInThroughDirectory(provider, as: Self.sam)
            #expect(answer.status == .ok, "\(answer.summary)")
            #expect(answer.text.contains(#"content="0;url=/my-work""#))
            #expect(sessionCookie(browser) != nil)
            #expect(browser.cookies["convene-device"] != nil, "no known-device cookie")
            #expect(browser.cookies["convene-oidc"] == nil, "the state cookie was not cleared")
            let myWork = try await browser.get("/my-work")
            #expect(myWork.status == .ok, "\(myWork.summary)")
            #expect(myWork.text.contains("My work"))

            let person = try await world.person(.socialWorker)
            #expect(person.oidcSubject == Self.sam.sub && person.oidcIssuer == provider.issuer)
            let login = try #require(try await world.audit("login").last)
            #expect(login.actorID == person.id && login.detail.contains("Northtown Council account"), "\(login.detail)")
            #expect(try await world.audit("directory-link").count == 1)
            let session = try #require(try await UserSession.query(on: world.app.db).filter(\.$person.$id == person.id!).first())
            #expect(session.method == "oidc" && !session.secondFactorPending)
        }
    }

    @Test("After signing in, Convene goes on to the page the person asked for (a local path only)")
    func followsNext() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let answer = try await browser.signInThroughDirectory(provider, as: Self.sam, next: "/team")
            #expect(answer.text.contains(#"content="0;url=/team""#), "\(answer.summary)")
            let other = world.anonymous()
            let away = try await other.signInThroughDirectory(provider, as: Self.sam, next: "//evil.example/")
            #expect(away.text.contains(#"content="0;url=/my-work""#), "\(away.summary)")
        }
    }

    @Test("A person found by their sub signs in after their email changed in the directory")
    func matchedBySubAfterEmailChange() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            try await world.anonymous().signInThroughDirectory(provider, as: Self.sam)
            try await provider.change(Self.sam, email: "sam.renamed@northtown.example", verified: false)
            let browser = world.anonymous()
            let answer = try await browser.signInThroughDirectory(provider, as: Self.sam)
            #expect(answer.status == .ok, "\(answer.summary)")
            let logins = try await world.audit("login")
            #expect(logins.count == 2 && logins.allSatisfy { $0.actorID == world.people[.socialWorker] })
            #expect(try await world.person(.socialWorker).email == Who.socialWorker.email, "Convene's email is the administrator's")
        }
    }

    @Test("A person created at first sign-in, when the authority allows it, gets the default role and no team")
    func createdAtFirstSignIn() async throws {
        try await TestWorld.withDirectory([Self.stranger]) { world, provider in
            try await world.useDirectory(provider, createPeople: true, defaultRole: .minuteTaker, domains: "northtown.example")
            let browser = world.anonymous()
            let answer = try await browser.signInThroughDirectory(provider, as: Self.stranger)
            #expect(answer.status == .ok, "\(answer.summary)")
            let person = try #require(try await Person.query(on: world.app.db).filter(\.$email == Self.stranger.email).first())
            #expect(person.role == .minuteTaker && person.$team.id == nil && person.passwordHash == nil)
            #expect(person.name == "Newton New" && person.$organisation.id == world.organisationID)
            #expect(try await world.audit("create").contains { $0.objectID == person.id })
            #expect(try await browser.get("/my-work").status == .ok)

            // No password: API tokens come from the account page, never from POST /api/v1/tokens.
            let account = try await browser.get("/account")
            #expect(account.text.contains("You sign in with Northtown Council account") && !account.text.contains("Change your password"),
                    "\(account.summary)")
            // Choosing how they are told (issue 11) does not depend on having a password.
            #expect(account.text.contains("href=\"/account/notifications\""), "\(account.summary)")
            #expect(try await browser.get("/account/notifications").status == .ok)
            let made = try await browser.post("/account/tokens", [("name", "Case system")])
            let token = try #require(Browser.firstMatch(#"Your new token:</p><p class="cv-body cv-u-font-weight-bold">([^<]+)<"#, in: made.text),
                                     "\(made.summary)")
            #expect(try await APIClient(world: world, token: token).get("/discussions").status == .ok)
            let byPassword = try await world.requestToken(email: Self.stranger.email, password: "anything-at-all-1")
            #expect(byPassword.status == .unauthorized, "\(byPassword.text)")
        }
    }

    @Test("When the directory rotates its signing key, Convene fetches its keys again; otherwise it keeps them")
    func keyRotation() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            #expect(try await world.anonymous().signInThroughDirectory(provider, as: Self.sam).status == .ok)
            #expect(try await world.anonymous().signInThroughDirectory(provider, as: Self.sam).status == .ok)
            #expect(try await provider.jwksRequests() == 1, "the keys were not kept")
            try await provider.rotateKey()
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.sam)
            #expect(answer.status == .ok, "\(answer.summary)")
            #expect(try await provider.jwksRequests() == 2)
        }
    }

    @Test("An administrator signing in through the directory still gives Convene's security code (ASVS-5.0-6.3.3)")
    func administratorsStillGiveTheirCode() async throws {
        try await TestWorld.withDirectory([Self.admin]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let answer = try await browser.signInThroughDirectory(provider, as: Self.admin)
            #expect(answer.text.contains(#"content="0;url=/sign-in/second-factor""#), "\(answer.summary)")
            #expect(try await browser.get("/admin").status != .ok, "the administration page opened before the code")
            #expect(try await world.audit("login-directory").count == 1)
        }
    }

    @Test("A temporary password must be changed only by someone who signed in with it")
    func temporaryPasswordOnlyForPasswordSessions() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let person = try await world.person(.socialWorker)
            person.mustChangePassword = true
            try await person.save(on: world.app.db)
            let browser = world.anonymous()
            try await browser.signInThroughDirectory(provider, as: Self.sam)
            let myWork = try await browser.get("/my-work")
            #expect(myWork.status == .ok, "\(myWork.summary)")
        }
    }

    // MARK: Refusals

    @Test("A wrong state is refused, audited and counted")
    func wrongState() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let authorization = try await browser.startDirectorySignIn()
            let callback = try await provider.signIn(at: authorization, as: Self.sam)
            let forged = callback.replacingOccurrences(of: "state=", with: "state=x")
            let answer = try await browser.returnFromDirectory(forged)
            try await expectRefused(world, answer, status: .badRequest, saying: "expired or was already used", reason: "state is unknown")
            #expect(try await world.audit("login").isEmpty)
        }
    }

    @Test("A state is bound to the browser that started the sign-in")
    func stateFromAnotherBrowser() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let authorization = try await world.anonymous().startDirectorySignIn()
            let callback = try await provider.signIn(at: authorization, as: Self.sam)
            let attacker = world.anonymous()
            let answer = try await attacker.returnFromDirectory(callback)
            try await expectRefused(world, answer, status: .badRequest, saying: "expired or was already used",
                                    reason: "belongs to another browser")
        }
    }

    @Test("A replayed answer (the same callback again) is refused: state and nonce are used once")
    func replayedCallback() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let authorization = try await browser.startDirectorySignIn()
            let callback = try await provider.signIn(at: authorization, as: Self.sam)
            let cookie = try #require(browser.cookies["convene-oidc"])
            #expect(try await browser.returnFromDirectory(callback).status == .ok)
            let replay = world.anonymous()
            replay.cookies["convene-oidc"] = cookie
            let answer = try await replay.returnFromDirectory(callback)
            try await expectRefused(world, answer, status: .badRequest, saying: "expired or was already used", reason: "already used")
        }
    }

    @Test("An ID token carrying the nonce of an earlier sign-in is refused as a replayed nonce")
    func replayedNonce() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let first = try await browser.startDirectorySignIn()
            try await browser.returnFromDirectory(try await provider.signIn(at: first, as: Self.sam))
            let oldNonce = try #require(URLComponents(string: first)?.queryItems?.first { $0.name == "nonce" }?.value)

            // A fresh sign-in, whose request to the directory carries the old nonce.
            let attacker = world.anonymous()
            let second = try await attacker.startDirectorySignIn()
            var components = try #require(URLComponents(string: second))
            components.queryItems = components.queryItems?.map { $0.name == "nonce" ? URLQueryItem(name: "nonce", value: oldNonce) : $0 }
            let callback = try await provider.signIn(at: try #require(components.url?.absoluteString), as: Self.sam)
            let answer = try await attacker.returnFromDirectory(callback)
            try await expectRefused(world, answer, status: .forbidden, saying: "could not verify the answer",
                                    reason: "nonce was already used")
        }
    }

    @Test("An expired ID token is refused")
    func expiredIDToken() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            try await provider.nextIDToken("expired")
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.sam)
            try await expectRefused(world, answer, status: .forbidden, saying: "could not verify the answer", reason: "has expired")
        }
    }

    @Test("An ID token signed with a key the directory does not publish is refused")
    func wronglySignedIDToken() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            try await provider.nextIDToken("foreign-key")
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.sam)
            try await expectRefused(world, answer, status: .forbidden, saying: "could not verify the answer",
                                    reason: "signature does not verify")
        }
    }

    @Test("An email the directory has not verified finds no account")
    func unverifiedEmail() async throws {
        try await TestWorld.withDirectory([Self.unverified]) { world, provider in
            try await world.useDirectory(provider, createPeople: true)
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.unverified)
            try await expectRefused(world, answer, status: .forbidden, saying: "did not confirm your email address",
                                    reason: "not say the email address is verified")
            #expect(try await world.person(.teamManager).oidcSubject == nil)
        }
    }

    @Test("Someone the administrator has not added is refused when the authority does not create people")
    func personNotAllowed() async throws {
        try await TestWorld.withDirectory([Self.stranger]) { world, provider in
            try await world.useDirectory(provider, createPeople: false)
            let before = try await world.count(Person.self)
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.stranger)
            try await expectRefused(world, answer, status: .forbidden, saying: "do not have a Convene account with Northtown",
                                    reason: "does not create people")
            #expect(try await world.count(Person.self) == before)
            #expect(try await world.directoryRefusals().last?.detail.contains(Self.stranger.email) == true)
        }
    }

    @Test("People are created only within the authority's email domains")
    func domainNotAllowed() async throws {
        try await TestWorld.withDirectory([Self.stranger]) { world, provider in
            try await world.useDirectory(provider, createPeople: true, domains: "northtown.gov.uk")
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.stranger)
            try await expectRefused(world, answer, status: .forbidden, saying: "do not have a Convene account",
                                    reason: "domain northtown.example is not one of the authority's")
        }
    }

    @Test("ASVS-5.0-7.4.2: a disabled account cannot sign in through the directory")
    func disabledPerson() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let person = try await world.person(.socialWorker)
            person.disabledAt = world.clock.now
            try await person.save(on: world.app.db)
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: Self.sam)
            try await expectRefused(world, answer, status: .forbidden, saying: "is disabled", reason: "account disabled")
            #expect(try await world.directoryRefusals().last?.objectID == person.id)
        }
    }

    @Test("Only the person whose email it is in another authority is never matched: people are found within the directory's authority")
    func otherAuthorityNotMatched() async throws {
        let foreigner = OIDCTestProvider.User(username: "fay", email: Who.foreignSocialWorker.email, name: "Fay Foreign")
        try await TestWorld.withDirectory([foreigner]) { world, provider in
            try await world.useDirectory(provider)
            let answer = try await world.anonymous().signInThroughDirectory(provider, as: foreigner)
            try await expectRefused(world, answer, status: .forbidden, saying: "do not have a Convene account", reason: "no account")
        }
    }

    @Test("ASVS-5.0-6.3.1: an address blocked after too many failures is refused, audited")
    func throttledAddress() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider)
            let browser = world.anonymous()
            let authorization = try await browser.startDirectorySignIn()
            let callback = try await provider.signIn(at: authorization, as: Self.sam)
            try await LoginThrottle(key: "ip:", count: LoginThrottling.maxPerAddress, windowStart: world.clock.now).create(on: world.app.db)
            let answer = try await browser.returnFromDirectory(callback)
            try await expectRefused(world, answer, status: .tooManyRequests, saying: "Too many failed attempts", reason: "too many failures")
            #expect(try await world.audit("login").isEmpty)
        }
    }

    // MARK: Passwords beside the directory

    @Test("With staff passwords turned off, staff must use the directory; partner agencies and administrators keep their passwords")
    func staffPasswordsOff() async throws {
        try await TestWorld.withDirectory([Self.sam]) { world, provider in
            try await world.useDirectory(provider, staffPasswords: false)
            let browser = world.anonymous()
            try await browser.get("/sign-in")
            let refused = try await browser.post("/sign-in", [("email", Who.socialWorker.email), ("password", TestWorld.password)])
            #expect(refused.status == .forbidden && refused.errorTexts.joined().contains("Sign in with Northtown Council account"),
                    "\(refused.summary)")
            #expect(try await world.audit("login-failed").last?.reason == "password sign-in is turned off for staff")
            _ = try await world.browser(.police)
            _ = try await world.browser(.administrator)
            let token = try await world.requestToken(email: Who.socialWorker.email)
            #expect(token.status == .forbidden && token.text.contains("signs its staff in with Northtown Council account"), "\(token.text)")
        }
    }
}
