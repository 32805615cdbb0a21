import ConveneCore
import ConveneIdentity
import ConveneLifecycle
import ConveneStore
import Crypto
import FluentKit
import Foundation
import Testing

@Suite("Sign-in through an authority's directory and its settings (issue 15), refused before any directory is asked")
struct DirectoryTests {
    static let key = SymmetricKey(size: .bits256)

    func provider(_ world: LifecycleWorld) async throws -> OIDCProvider {
        let provider = OIDCProvider(organisationID: world.organisationID)
        provider.displayName = "Northtown account"
        provider.issuer = "https://id.northtown.example"
        provider.clientID = "convene"
        provider.enabled = true
        try await provider.create(on: world.db)
        return provider
    }

    @Test("Only an administrator sets up the directory; each problem is refused on its own field, and nothing is saved")
    func settingsRefusals() async throws {
        try await LifecycleWorld.run { world in
            let directory = OIDCDirectory()
            let input = Operations.DirectorySettingsInput(
                displayName: " ", issuer: "http://idp.example", clientID: "", clientSecret: "", domains: "northtown.gov.uk not-a-domain",
                createPeople: "maybe", defaultRole: Role.administrator.rawValue, staffPasswords: "yes", enabled: "no")
            await expectNotAllowed {
                try await Operations.saveDirectorySettings(world.ctx(.teamManager), input, directory: directory, secretsKey: Self.key)
            }
            for field in ["displayName", "issuer", "clientID", "clientSecret", "domains", "defaultRole", "createPeople"] {
                await expectInvalid(field) {
                    try await Operations.saveDirectorySettings(world.ctx(.administrator), input, directory: directory, secretsKey: Self.key)
                }
            }
            #expect(try await OIDCProvider.query(on: world.db).count() == 0)
            await expectNotAllowed { _ = try await Operations.directorySettings(world.ctx(.serviceManager)) }
            let (organisation, provider) = try await Operations.directorySettings(world.ctx(.administrator))
            #expect(organisation.id == world.organisationID && provider == nil)
        }
    }

    @Test("ASVS-5.0-6.3.1: an answer is refused when its state is unknown, spent or another browser's, or the directory said no; the refusal is audited")
    func answerRefusals() async throws {
        try await LifecycleWorld.run { world in
            let provider = try await provider(world)
            let ctx = world.ctx(nil)
            let directory = OIDCDirectory()
            func refusal(_ signIn: OIDCSignIn?, code: String? = "a-code", error: String? = nil, issuer: String? = nil,
                         browser: String?) async -> OIDCRefusal.Kind? {
                do {
                    _ = try await Operations.verifyDirectoryAnswer(
                        ctx, signIn: signIn, .init(code: code, error: error, issuer: issuer, browser: browser), directory: directory,
                        redirectURI: "https://convene.test/sign-in/oidc/callback", secretsKey: Self.key)
                    return nil
                } catch let refusal as OIDCRefusal {
                    return refusal.kind
                } catch {
                    return nil
                }
            }
            #expect(await refusal(nil, browser: "any") == .startAgain)
            let start = try await Operations.beginDirectorySignIn(ctx, provider, next: "/my-work", knownDevice: nil)
            #expect(try await Operations.directorySignIn(ctx, state: "forged") == nil)
            let signIn = try #require(try await Operations.directorySignIn(ctx, state: start.state))
            #expect(signIn.next == "/my-work" && signIn.codeVerifier == start.verifier)
            #expect(await refusal(signIn, browser: "another browser") == .startAgain)
            #expect(await refusal(signIn, browser: nil) == .startAgain)
            #expect(await refusal(signIn, code: nil, error: "access_denied", browser: start.browser) == .directoryRefused)
            #expect(await refusal(signIn, issuer: "https://id.elsewhere.example", browser: start.browser) == .notVerified)
            #expect(await refusal(signIn, code: nil, browser: start.browser) == .directoryRefused)
            try await Operations.recordDirectoryRefusal(ctx, OIDCRefusal(.directoryRefused, "the directory answered access_denied"),
                                                        signIn: signIn, provider: provider)
            let spent = try await Operations.directorySignIn(ctx, state: start.state)
            #expect(spent?.usedAt != nil)
            #expect(await refusal(spent, browser: start.browser) == .startAgain)
            #expect(try await world.audit("login-redirect").count == 1)
            let failed = try await world.audit("login-failed")
            #expect(failed.count == 1 && failed.first?.reason.contains("access_denied") == true)
        }
    }

    @Test("A disabled directory is not offered, and a throttled start is audited")
    func disabledAndThrottled() async throws {
        try await LifecycleWorld.run { world in
            let provider = try await provider(world)
            let (found, organisation) = try await Operations.enabledDirectory(world.ctx(nil), try provider.requireID())
            #expect(found.id == provider.id && organisation.id == world.organisationID)
            provider.enabled = false
            try await provider.save(on: world.db)
            await expectNotFound { _ = try await Operations.enabledDirectory(world.ctx(nil), try provider.requireID()) }
            try await Operations.refuseThrottledDirectorySignIn(world.ctx(nil), provider)
            #expect(try await world.audit("login-throttled").first?.reason == "too many failures from this address")
        }
    }
}
