import ConveneCore
import ConveneIdentity
import ConveneStore
import Crypto
import FluentKit
import Foundation

/// An administrator sets up sign-in through the authority's own directory (issue 15): issuer,
/// client id and secret (kept sealed, never shown again), email domains, whether people are
/// created at first sign-in and with which role, whether staff may still use Convene passwords.
/// The discovery document is read before anything is saved, so a mistyped issuer is caught
/// here, not at the next sign-in. Every change is audited, the secret never.
extension Operations {
    /// The authority and its directory's settings, if it has any.
    public static func directorySettings(_ ctx: LifecycleContext) async throws -> (Organisation, OIDCProvider?) {
        let user = try requireAdministrator(ctx)
        guard let org = try await Organisation.find(user.organisationID, on: ctx.db) else { throw LifecycleError.notFound() }
        let provider = try await OIDCProvider.query(on: ctx.db).filter(\.$organisationID == user.organisationID).first()
        return (org, provider)
    }

    /// The settings as the form sends them.
    public struct DirectorySettingsInput: Sendable {
        public var displayName: String
        public var issuer: String
        public var clientID: String
        /// Empty: keep the secret saved before.
        public var clientSecret: String
        public var domains: String
        public var createPeople: String
        public var defaultRole: String
        public var staffPasswords: String
        public var enabled: String

        public init(displayName: String, issuer: String, clientID: String, clientSecret: String, domains: String,
                    createPeople: String, defaultRole: String, staffPasswords: String, enabled: String) {
            self.displayName = displayName
            self.issuer = issuer
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.domains = domains
            self.createPeople = createPeople
            self.defaultRole = defaultRole
            self.staffPasswords = staffPasswords
            self.enabled = enabled
        }
    }

    /// Checks the settings, reads the issuer's discovery document, and saves them, audited.
    /// Refuses with `ValidationFailure`, each problem on its field.
    public static func saveDirectorySettings(_ ctx: LifecycleContext, _ input: DirectorySettingsInput, directory: OIDCDirectory,
                                             secretsKey: SymmetricKey) async throws {
        let user = try requireAdministrator(ctx)
        let existing = try await OIDCProvider.query(on: ctx.db).filter(\.$organisationID == user.organisationID).first()
        var checks = FieldChecks()
        checks.text(input.displayName, "displayName", "Enter the name on the sign-in button", max: 100)
        let issuer = OIDCAddress.issuer(input.issuer)
        if issuer == nil {
            checks.fail("issuer", "Enter the issuer as an https address, like https://login.microsoftonline.com/<tenant ID>/v2.0")
        }
        checks.text(input.clientID, "clientID", "Enter the client ID", max: 200)
        let secret = input.clientSecret.trimmed
        if secret.isEmpty && existing == nil { checks.fail("clientSecret", "Enter the client secret") }
        checks.limit(secret, "clientSecret", max: 1000)
        let domains = input.domains.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if domains.count > 20 || !domains.allSatisfy(isEmailDomain) {
            checks.fail("domains", "Enter up to 20 email domains, like northtown.gov.uk, separated by spaces")
        }
        let role = Role(rawValue: input.defaultRole)
        if !(role.map(DirectoryPeople.defaultRoles.contains) ?? false) { checks.fail("defaultRole", "Choose the role") }
        for (name, value) in [("createPeople", input.createPeople), ("staffPasswords", input.staffPasswords), ("enabled", input.enabled)]
            where !["yes", "no"].contains(value) {
            checks.fail(FieldPath(name), "Choose yes or no")
        }
        guard checks.isValid, let issuer, let role else { throw ValidationFailure(errors: checks.errors) }
        // Read the discovery document now, so a mistake is shown here.
        directory.forget(issuer.absoluteString)
        do {
            _ = try await directory.metadata(issuer: issuer.absoluteString, now: ctx.now)
        } catch {
            // The discovery check throws only `OIDCRefusal`.
            throw ValidationFailure(InputError(field: "issuer",
                                                "Convene could not use \(issuer.absoluteString)/.well-known/openid-configuration: \(error.reason)"))
        }
        let sealed = secret.isEmpty ? nil : try StoredSecret.seal(secret, key: secretsKey,
                                                                  context: OIDCProvider.sealContext(organisationID: user.organisationID))
        let organisationID = user.organisationID
        try await ctx.db.audited(by: ctx.actor, now: ctx.now) { db in
            let provider = try await OIDCProvider.query(on: db).filter(\.$organisationID == organisationID).first()
                ?? OIDCProvider(organisationID: organisationID)
            let before = provider.id == nil ? nil : describeDirectory(provider)
            if provider.issuer != issuer.absoluteString { directory.forget(provider.issuer) }
            provider.displayName = input.displayName.trimmed
            provider.issuer = issuer.absoluteString
            provider.clientID = input.clientID.trimmed
            if let sealed { provider.clientSecretSealed = sealed }
            provider.allowedDomains = domains.joined(separator: " ")
            provider.createPeople = input.createPeople == "yes"
            provider.defaultRole = role
            provider.staffPasswords = input.staffPasswords == "yes"
            provider.enabled = input.enabled == "yes"
            let after = describeDirectory(provider)
            try await provider.save(on: db)
            // What changed, never the secret itself.
            let detail = (before.map { "\($0) → \(after)" } ?? after) + (sealed == nil ? "" : "; client secret set")
            return ((), [AuditRecord(before == nil ? "create" : "update", "oidc-provider", id: provider.id, detail: detail)])
        }
    }

    static func describeDirectory(_ p: OIDCProvider) -> String {
        "\(p.displayName); issuer \(p.issuer); client \(p.clientID); domains \(p.allowedDomains.isEmpty ? "any" : p.allowedDomains); "
            + "create people \(p.createPeople ? "yes, as \(p.defaultRole.rawValue)" : "no"); staff passwords \(p.staffPasswords ? "yes" : "no"); "
            + (p.enabled ? "on" : "off")
    }

    static func isEmailDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && text.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
