import ConveneCore
import ConveneStore
import Foundation

/// Your account: password, security code (TOTP), API tokens and signed-in sessions (issue 5;
/// ASVS-5.0-6.2, 6.3.3, 7.4), and the directory the person is linked to (issue 15).
public struct AccountPage: Encodable, Sendable {
    struct TokenRow: Encodable, Sendable {
        let name: String
        let created: String
        let expires: String
        let lastUsed: String
        let revokeAction: String
    }

    struct SessionRow: Encodable, Sendable {
        let created: String
        let lastSeen: String
        let ip: String
        let browser: String
        let current: Bool
    }

    let name: String
    let email: String
    let role: String
    let agency: String
    let current: FieldContext
    let new: FieldContext
    let confirm: FieldContext
    let totpEnabled: Bool
    let totpRequired: Bool
    let totpSecret: String
    let totpURI: String
    let code: FieldContext
    let tokens: [TokenRow]
    let noTokens: Bool
    let tokenName: FieldContext
    let newToken: String
    let sessions: [SessionRow]
    /// An invitee's personal link: no account to manage.
    let external: Bool
    /// Signs in with a Convene password (else only through the authority's directory).
    let hasPassword: Bool
    /// Convene's own security code: for password accounts, and administrators always.
    let showSecurityCode: Bool
    /// The directory the person is linked to, by its button name (issue 15).
    let directory: String
}

extension AccountPage {
    public init(_ account: Operations.Account, packs: PackLibrary, state: FormState, newToken: String, sessionID: UUID?) {
        let (person, tokens, sessions) = (account.person, account.tokens, account.sessions)
        self.init(
            name: person.name, email: person.email, role: person.role.label, agency: packs.packs.first?.agencyName(person.agency) ?? person.agency,
            current: state.field("current", "Current password").with(type: "password", width: "20", autocomplete: "current-password"),
            new: state.field("new", "New password", hint: "At least \(PasswordPolicy.minimumLength) characters. A few random words make a good one.")
                .with(type: "password", width: "30", autocomplete: "new-password"),
            confirm: state.field("confirm", "Confirm the new password").with(type: "password", width: "30", autocomplete: "new-password"),
            totpEnabled: person.totpEnabled, totpRequired: person.role.requiresSecondFactor,
            totpSecret: person.totpEnabled ? "" : (person.totpSecret ?? ""),
            totpURI: person.totpEnabled ? "" : TOTP.uri(secret: person.totpSecret ?? "", account: person.email),
            code: state.field("code", "Security code", hint: "The 6-digit code from your authenticator app").with(width: "10", autocomplete: "one-time-code"),
            tokens: tokens.map {
                TokenRow(name: $0.name, created: $0.createdAt.map { UKDisplay.compact($0) } ?? "", expires: UKDisplay.compact($0.expiresAt),
                         lastUsed: $0.lastUsedAt.map { UKDisplay.compact($0) } ?? "Never",
                         revokeAction: SiteURL.accountPart(.tokens).path + "/\($0.id!.slug)/revoke")
            },
            noTokens: tokens.isEmpty,
            tokenName: state.field("name", "Name the token", hint: "For example, the system that will use it").with(width: "20"),
            newToken: newToken,
            sessions: sessions.map {
                SessionRow(created: UKDisplay.compact($0.createdAt), lastSeen: UKDisplay.compact($0.lastSeenAt), ip: $0.ip,
                           browser: String($0.userAgent.prefix(60)), current: $0.id == sessionID)
            },
            external: person.passwordHash == nil && person.oidcSubject == nil,
            hasPassword: person.passwordHash != nil,
            showSecurityCode: person.passwordHash != nil || person.role.requiresSecondFactor,
            directory: account.directory)
    }
}
