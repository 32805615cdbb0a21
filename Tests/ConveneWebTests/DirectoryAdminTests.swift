import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import ConveneTestSupport
import Testing
import VaporTesting

/// An administrator sets up the authority's directory (issue 15): checked against the real
/// provider's discovery document, the client secret sealed, every change audited.
@Suite("Administration: sign-in with the authority's directory", .enabled(if: OIDCTestProvider.available, OIDCTestProvider.missing))
struct DirectoryAdminTests {
    func form(_ provider: OIDCTestProvider, secret: String = OIDCTestProvider.clientSecret, issuer: String? = nil) -> [(String, String)] {
        [("displayName", "Northtown Council account"), ("issuer", issuer ?? provider.issuer), ("clientID", OIDCTestProvider.clientID),
         ("clientSecret", secret), ("domains", "northtown.example"), ("createPeople", "no"), ("defaultRole", "social-worker"),
         ("staffPasswords", "yes"), ("enabled", "yes")]
    }

    @Test("ASVS-5.0-16.3.1: the administrator sets the provider; the secret is stored sealed, never shown, and the change is audited; a social worker then signs in with it")
    func configureThenSignIn() async throws {
        let sam = OIDCTestProvider.User(username: "sam", email: Who.socialWorker.email)
        try await TestWorld.withDirectory([sam]) { world, provider in
            let admin = try await world.browser(.administrator)
            let page = try await admin.get("/admin/directory")
            #expect(page.status == .ok && page.text.contains("http://127.0.0.1:8080/sign-in/oidc/callback"), "\(page.summary)")
            let saved = try await admin.post("/admin/directory", form(provider))
            #expect(saved.status == .ok && !saved.text.contains(OIDCTestProvider.clientSecret), "\(saved.summary)")
            let row = try #require(try await OIDCProvider.query(on: world.app.db).first())
            #expect(row.issuer == provider.issuer && row.clientSecretSealed.hasPrefix("v1."))
            #expect(!row.clientSecretSealed.contains(OIDCTestProvider.clientSecret))
            let entry = try #require(try await world.audit("create").last { $0.objectType == "oidc-provider" })
            #expect(entry.detail.contains("client secret set") && !entry.detail.contains(OIDCTestProvider.clientSecret))

            // Saving again without a secret keeps the one saved.
            let again = try await admin.post("/admin/directory", form(provider, secret: "").setting("domains", ""))
            #expect(again.status == .ok, "\(again.summary)")
            #expect(try await OIDCProvider.query(on: world.app.db).first()?.clientSecretSealed == row.clientSecretSealed)
            #expect(try await world.audit("update").contains { $0.objectType == "oidc-provider" && $0.detail.contains("domains any") })

            let answer = try await world.anonymous().signInThroughDirectory(provider, as: sam)
            #expect(answer.status == .ok, "\(answer.summary)")
        }
    }

    @Test("An issuer whose discovery document cannot be read is refused on the form, naming the field")
    func badIssuer() async throws {
        try await TestWorld.withDirectory([]) { world, provider in
            let admin = try await world.browser(.administrator)
            try await admin.get("/admin/directory")
            let wrong = try await admin.post("/admin/directory", form(provider, issuer: provider.issuer + "/nothing-here"))
            expectFieldError(wrong, "issuer", containing: "could not use")
            let plain = try await admin.post("/admin/directory", form(provider, issuer: "http://directory.example.org"))
            expectFieldError(plain, "issuer", containing: "https address")
            #expect(try await world.count(OIDCProvider.self) == 0)
        }
    }

    @Test("ASVS-5.0-8.2.1: only administrators set the directory")
    func onlyAdministrators() async throws {
        try await TestWorld.withDirectory([]) { world, provider in
            let manager = try await world.browser(.serviceManager)
            try await manager.get("/my-work")
            #expect(try await manager.get("/admin/directory").status == .forbidden)
            #expect(try await manager.post("/admin/directory", form(provider)).status == .forbidden)
            #expect(try await world.count(OIDCProvider.self) == 0)
        }
    }
}

/// The pieces of directory sign-in that need no provider.
@Suite("OpenID Connect: ID token checks and sealed secrets")
struct OIDCPiecesTests {
    func claims(_ json: String) throws -> IDTokenClaims {
        try JSONDecoder().decode(IDTokenClaims.self, from: Data(json.utf8))
    }

    let now = at("2026-12-01T10:00:00Z")
    var t: Int { Int(now.timeIntervalSince1970) }

    func check(_ json: String) throws(OIDCRefusal) {
        let c = try! claims(json)
        try IDTokenCheck.check(c, issuer: "https://id.example", clientID: "convene", startedAt: now.addingTimeInterval(-30), now: now)
    }

    func refusal(_ json: String) -> String? {
        do {
            try check(json)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("OpenID Connect Core 3.1.3.7: issuer, audience, azp, expiry and issue time are checked with a minute's leeway")
    func claimChecks() throws {
        let good = #"{"iss":"https://id.example","sub":"s1","aud":"convene","exp":\#(t + 300),"iat":\#(t - 5)}"#
        #expect(refusal(good) == nil)
        #expect(refusal(#"{"iss":"https://other.example","sub":"s1","aud":"convene","exp":\#(t + 300),"iat":\#(t)}"#)?.contains("issuer") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"someone-else","exp":\#(t + 300),"iat":\#(t)}"#)?.contains("another client") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":["convene","api"],"exp":\#(t + 300),"iat":\#(t)}"#)?.contains("authorised party") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":["convene","api"],"azp":"convene","exp":\#(t + 300),"iat":\#(t)}"#) == nil)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","azp":"api","exp":\#(t + 300),"iat":\#(t)}"#)?.contains("authorised party") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","exp":\#(t - 30),"iat":\#(t - 80)}"#) == nil, "within the leeway")
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","exp":\#(t - 61),"iat":\#(t - 100)}"#)?.contains("expired") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","exp":\#(t + 300),"iat":\#(t + 120)}"#)?.contains("future") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","exp":\#(t + 300),"iat":\#(t - 3600)}"#)?.contains("before this sign-in") == true)
        #expect(refusal(#"{"iss":"https://id.example","aud":"convene","exp":\#(t + 300),"iat":\#(t)}"#)?.contains("subject") == true)
        #expect(refusal(#"{"iss":"https://id.example","sub":"s1","aud":"convene","iat":\#(t)}"#)?.contains("no expiry") == true)
    }

    @Test("An email counts as verified only when the directory says so (email_verified, or Entra ID's xms_edov when that is absent)")
    func verifiedEmail() throws {
        #expect(try claims(#"{"email":"A@B.example","email_verified":true}"#).verifiedEmail == "a@b.example")
        #expect(try claims(#"{"email":"a@b.example","email_verified":"true"}"#).verifiedEmail == "a@b.example")
        #expect(try claims(#"{"email":"a@b.example","xms_edov":true}"#).verifiedEmail == "a@b.example")
        #expect(try claims(#"{"email":"a@b.example","email_verified":false}"#).verifiedEmail == nil)
        #expect(try claims(#"{"email":"a@b.example","email_verified":false,"xms_edov":true}"#).verifiedEmail == nil,
                "xms_edov stands in only for an absent email_verified")
        #expect(try claims(#"{"email":"a@b.example"}"#).verifiedEmail == nil)
    }

    @Test("Only https addresses, or plain http to this machine, are directories")
    func addresses() {
        #expect(OIDCAddress.issuer("https://login.microsoftonline.com/tenant/v2.0/")?.absoluteString
            == "https://login.microsoftonline.com/tenant/v2.0")
        #expect(OIDCAddress.issuer("http://127.0.0.1:9000") != nil)
        #expect(OIDCAddress.issuer("http://idp.example") == nil)
        #expect(OIDCAddress.issuer("https://idp.example/?x=1") == nil)
        #expect(OIDCAddress.issuer("https://user:pw@idp.example") == nil)
        #expect(OIDCAddress.issuer("javascript:alert(1)") == nil)
    }

    @Test("A client secret is sealed with AES-GCM under a key derived from the master key, bound to its authority")
    func sealedSecrets() throws {
        let keys = KeyRing.ephemeral()
        let sealed = try StoredSecret.seal("s3cret", key: keys.secretsKey, context: "org-a")
        #expect(!sealed.contains("s3cret"))
        #expect(try StoredSecret.open(sealed, key: keys.secretsKey, context: "org-a") == "s3cret")
        #expect(throws: StoredSecretError.self) { try StoredSecret.open(sealed, key: keys.secretsKey, context: "org-b") }
        #expect(throws: StoredSecretError.self) { try StoredSecret.open(sealed, key: KeyRing.ephemeral().secretsKey, context: "org-a") }
        let raw = keys.secretsKey.withUnsafeBytes { Data($0) }
        #expect(raw != keys.deviceKey.withUnsafeBytes { Data($0) } && raw != keys.sealKey.withUnsafeBytes { Data($0) })
    }

    @Test("RFC 7636: the S256 challenge of the RFC's example verifier")
    func pkce() {
        #expect(PKCE.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        #expect(PKCE.verifier().count == 43)
    }
}
