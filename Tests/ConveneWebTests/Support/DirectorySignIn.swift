import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

// Helpers for signing in through an authority's directory (issue 15) against the real provider
// of `OIDCTestProvider`.

extension TestWorld {
    /// Runs `body` in a world whose clock is the real time (ID tokens carry the provider's real
    /// clock) with a running provider.
    static func withDirectory(_ users: [OIDCTestProvider.User], _ body: (TestWorld, OIDCTestProvider) async throws -> Void)
        async throws
    {
        try await run(start: RFC3339.format(Date())) { world in
            try await OIDCTestProvider.with(users) { provider in
                try await body(world, provider)
            }
        }
    }

    /// The authority's directory, as an administrator would set it (the secret sealed).
    @discardableResult
    func useDirectory(_ provider: OIDCTestProvider, createPeople: Bool = false, defaultRole: Role = .socialWorker,
                      domains: String = "", staffPasswords: Bool = true, organisation: UUID? = nil) async throws -> OIDCProvider {
        let org = organisation ?? organisationID
        let row = OIDCProvider(organisationID: org)
        row.displayName = "Northtown Council account"
        row.issuer = provider.issuer
        row.clientID = OIDCTestProvider.clientID
        row.clientSecretSealed = try StoredSecret.seal(OIDCTestProvider.clientSecret, key: app.convene.keys.secretsKey,
                                                       context: OIDCProvider.sealContext(organisationID: org))
        row.allowedDomains = domains
        row.createPeople = createPeople
        row.defaultRole = defaultRole
        row.staffPasswords = staffPasswords
        try await row.create(on: app.db)
        return row
    }

    /// The audit entries of refused directory sign-ins, newest last.
    func directoryRefusals() async throws -> [AuditEntry] {
        try await AuditEntry.query(on: app.db).filter(\.$reason ~~ "directory sign-in refused").sort(\.$seq).all()
    }
}

extension Browser {
    /// Presses "Sign in with …" on the sign-in page; returns where Convene sends the person.
    func startDirectorySignIn(next: String = "") async throws -> String {
        let page = try await get("/sign-in")
        let action = try #require(Browser.firstMatch(#"<form method="post" action="(/sign-in/oidc/[0-9a-f-]+)">"#, in: page.text),
                                  "no “Sign in with” button on the sign-in page")
        let answer = try await post(action, [("next", next)])
        #expect(answer.status == .ok, "\(answer.status): \(answer.text.prefix(300))")
        let target = try #require(Browser.firstMatch(#"id="continue" href="([^"]+)""#, in: answer.text))
        #expect(answer.text.contains(#"<meta http-equiv="refresh" content="0;url="#), "the page does not move on by itself")
        return TestingHTTPResponse.unescape(target)
    }

    /// Comes back from the directory to Convene's callback (the clock set to the real time, as
    /// the directory's tokens are).
    @discardableResult
    func returnFromDirectory(_ callback: String) async throws -> TestingHTTPResponse {
        world.clock.set(Date())
        return try await get(callback)
    }

    /// The whole journey: start, sign in at the directory, come back.
    @discardableResult
    func signInThroughDirectory(_ provider: OIDCTestProvider, as user: OIDCTestProvider.User, next: String = "") async throws
        -> TestingHTTPResponse
    {
        let authorization = try await startDirectorySignIn(next: next)
        let callback = try await provider.signIn(at: authorization, as: user)
        return try await returnFromDirectory(callback)
    }
}
