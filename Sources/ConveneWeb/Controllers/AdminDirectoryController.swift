import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// An administrator sets up sign-in through the authority's own directory (issue 15): issuer,
/// client id and secret (kept sealed, never shown again), email domains, whether people are
/// created at first sign-in and with which role, whether staff may still use Convene passwords.
/// The discovery document is read before anything is saved, so a mistyped issuer is caught
/// here, not at the next sign-in. Every change is audited, the secret never.
enum AdminDirectoryController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("admin", "directory", use: show)
        routes.post("admin", "directory", use: save)
    }

    struct Page: Encodable {
        let organisation: String
        let redirectURI: String
        let configured: Bool
        let status: String
        let displayName: FieldContext
        let issuer: FieldContext
        let clientID: FieldContext
        let clientSecret: FieldContext
        let domains: FieldContext
        let createPeople: ChoiceContext
        let defaultRole: ChoiceContext
        let staffPasswords: ChoiceContext
        let enabled: ChoiceContext
    }

    @Sendable static func show(req: Request) async throws -> Response {
        try await render(req, state: nil)
    }

    static func render(_ req: Request, state given: FormState?, errors: [InputError] = [],
                       notification: LayoutContext.Notification? = nil) async throws -> Response {
        let user = try Operations.requireAdministrator(req.lifecycle)
        guard let org = try await Organisation.find(user.organisationID, on: req.db) else { throw Abort(.notFound) }
        let provider = try await OIDCProvider.query(on: req.db).filter(\.$organisationID == user.organisationID).first()
        var state = given ?? FormState()
        if given == nil {
            let current = provider ?? OIDCProvider(organisationID: user.organisationID)
            state.values = [
                "displayName": current.displayName.isEmpty ? "\(org.name) account" : current.displayName,
                "issuer": current.issuer, "clientID": current.clientID, "domains": current.allowedDomains,
                "createPeople": current.createPeople ? "yes" : "no", "defaultRole": current.defaultRole.rawValue,
                "staffPasswords": current.staffPasswords ? "yes" : "no", "enabled": current.enabled ? "yes" : "no",
            ]
        }
        state.values["clientSecret"] = ""
        let yesNo = [("yes", "Yes"), ("no", "No")]
        let page = Page(
            organisation: org.name, redirectURI: OIDCSignInController.redirectURI(req), configured: provider != nil,
            status: provider.map { $0.enabled ? "offered on the sign-in page" : "turned off" } ?? "",
            displayName: state.field("displayName", "Name on the sign-in button",
                                     hint: "People see “Sign in with” followed by this, for example Northtown Council account").with(width: "30"),
            issuer: state.field("issuer", "Issuer",
                                hint: "The provider's issuer URL. Microsoft Entra ID: https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0"),
            clientID: state.field("clientID", "Client ID", hint: "Microsoft Entra ID: the Application (client) ID").with(width: "30"),
            clientSecret: state.field("clientSecret", "Client secret",
                                      hint: provider == nil ? "The secret value your directory gave for Convene"
                                          : "Leave empty to keep the secret saved before (it is never shown again)")
                .with(type: "password", width: "30", autocomplete: "off"),
            domains: state.field("domains", "Email domains",
                                 hint: "Separate with spaces, for example northtown.gov.uk. People are matched by email, and created, only in these domains. Leave empty for any domain.")
                .with(width: "30"),
            createPeople: state.radios("createPeople", "Create an account at first sign-in for someone Convene does not know?",
                                       hint: "Otherwise an administrator adds each person first", options: yesNo).inlined(),
            defaultRole: state.radios("defaultRole", "The role of someone created at first sign-in",
                                      hint: "They have no team until an administrator gives them one",
                                      options: DirectoryPeople.defaultRoles.map { ($0.rawValue, $0.label) }),
            staffPasswords: state.radios("staffPasswords", "May staff still sign in with a Convene password?",
                                         hint: "Partner agencies and administrators always can", options: yesNo).inlined(),
            enabled: state.radios("enabled", "Offer sign-in with this directory on the sign-in page?", options: yesNo).inlined())
        return try await req.page("admin-directory", title: "Sign-in with your directory", page, errors: errors,
                                  notification: notification)
    }

    @Sendable static func save(req: Request) async throws -> Response {
        let user = try Operations.requireAdministrator(req.lifecycle)
        let form = try FormData(req)
        let existing = try await OIDCProvider.query(on: req.db).filter(\.$organisationID == user.organisationID).first()
        var checks = FieldChecks()
        checks.text(form["displayName"], "displayName", "Enter the name on the sign-in button", max: 100)
        let issuer = OIDCAddress.issuer(form["issuer"])
        if issuer == nil {
            checks.fail("issuer", "Enter the issuer as an https address, like https://login.microsoftonline.com/<tenant ID>/v2.0")
        }
        checks.text(form["clientID"], "clientID", "Enter the client ID", max: 200)
        let secret = form["clientSecret"].trimmed
        if secret.isEmpty && existing == nil { checks.fail("clientSecret", "Enter the client secret") }
        checks.limit(secret, "clientSecret", max: 1000)
        let domains = form["domains"].lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if domains.count > 20 || !domains.allSatisfy(isDomain) {
            checks.fail("domains", "Enter up to 20 email domains, like northtown.gov.uk, separated by spaces")
        }
        let role = Role(rawValue: form["defaultRole"])
        if !(role.map(DirectoryPeople.defaultRoles.contains) ?? false) { checks.fail("defaultRole", "Choose the role") }
        for name in ["createPeople", "staffPasswords", "enabled"] where !["yes", "no"].contains(form[name]) {
            checks.fail(FieldPath(name), "Choose yes or no")
        }
        guard checks.isValid, let issuer, let role else {
            return try await render(req, state: FormState(form: form, errors: checks.errors), errors: checks.errors)
        }
        // Read the discovery document now, so a mistake is shown here.
        let directory = req.application.oidcDirectory
        directory.forget(issuer.absoluteString)
        do {
            _ = try await directory.metadata(issuer: issuer.absoluteString, now: req.now)
        } catch {
            // The discovery check throws only `OIDCRefusal`.
            let errors = [InputError(field: "issuer", "Convene could not use \(issuer.absoluteString)/.well-known/openid-configuration: \(error.reason)")]
            return try await render(req, state: FormState(form: form, errors: errors), errors: errors)
        }
        let sealed = secret.isEmpty ? nil : try StoredSecret.seal(secret, key: req.convene.keys.secretsKey,
                                                                  context: OIDCProvider.sealContext(organisationID: user.organisationID))
        let organisationID = user.organisationID
        try await req.db.audited(by: req.actor, now: req.now) { db in
            let provider = try await OIDCProvider.query(on: db).filter(\.$organisationID == organisationID).first()
                ?? OIDCProvider(organisationID: organisationID)
            let before = provider.id == nil ? nil : describe(provider)
            if provider.issuer != issuer.absoluteString { directory.forget(provider.issuer) }
            provider.displayName = form["displayName"].trimmed
            provider.issuer = issuer.absoluteString
            provider.clientID = form["clientID"].trimmed
            if let sealed { provider.clientSecretSealed = sealed }
            provider.allowedDomains = domains.joined(separator: " ")
            provider.createPeople = form["createPeople"] == "yes"
            provider.defaultRole = role
            provider.staffPasswords = form["staffPasswords"] == "yes"
            provider.enabled = form["enabled"] == "yes"
            let after = describe(provider)
            try await provider.save(on: db)
            // What changed, never the secret itself.
            let detail = (before.map { "\($0) → \(after)" } ?? after) + (sealed == nil ? "" : "; client secret set")
            return ((), [AuditRecord(before == nil ? "create" : "update", "oidc-provider", id: provider.id, detail: detail)])
        }
        return try await render(req, state: nil, notification: .success("Saved", "Sign-in with \(form["displayName"].trimmed) is set up."))
    }

    static func describe(_ p: OIDCProvider) -> String {
        "\(p.displayName); issuer \(p.issuer); client \(p.clientID); domains \(p.allowedDomains.isEmpty ? "any" : p.allowedDomains); "
            + "create people \(p.createPeople ? "yes, as \(p.defaultRole.rawValue)" : "no"); staff passwords \(p.staffPasswords ? "yes" : "no"); "
            + (p.enabled ? "on" : "off")
    }

    static func isDomain(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && text.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}

extension ChoiceContext {
    func inlined() -> ChoiceContext {
        var copy = self
        copy.inline = true
        return copy
    }
}
