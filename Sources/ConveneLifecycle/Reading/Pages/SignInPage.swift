import ConveneCore
import ConveneStore
import Foundation

/// The sign-in page (issue 5): email and password, and "Sign in with …" for each authority
/// whose directory signs its staff in (issue 15).
public struct SignInPage: Encodable, Sendable {
    struct DirectoryButton: Encodable, Sendable {
        let action: String
        let label: String
    }

    let email: FieldContext
    let password: FieldContext
    let next: String
    let signedOut: Bool
    let demo: Bool
    /// "Sign in with …" for each authority whose directory signs its staff in (issue 15).
    /// Listed rather than found from a typed email: an email would say which authority knows
    /// it, and a partner agency's officer may have an account with several.
    let directories: [DirectoryButton]
    let hasDirectories: Bool
}

extension SignInPage {
    public init(email: String, errors: [InputError], directories: [(id: UUID, label: String)], next: String, signedOut: Bool,
                demo: Bool) {
        var state = FormState(values: ["email": email], errors: errors)
        state.values["password"] = ""
        let buttons = directories.map {
            DirectoryButton(action: SiteURL.oidcStart($0.id).path, label: $0.label)
        }
        self.init(email: state.field("email", "Email address").with(type: "email", width: "30", autocomplete: "username"),
                  password: state.field("password", "Password").with(type: "password", width: "30",
                                                                         autocomplete: "current-password"),
                  next: next, signedOut: signedOut,
                  demo: demo, directories: buttons, hasDirectories: !buttons.isEmpty)
    }
}

/// The second step of signing in: the security code, with the secret to enrol an
/// authenticator app the first time.
public struct SecondFactorPage: Encodable, Sendable {
    let code: FieldContext
    let enrol: Bool
    let secret: String
    let uri: String
}

extension SecondFactorPage {
    public init(person: Person, secret: String, errors: [InputError]) {
        self.init(
            code: FormState(errors: errors).field("code", "Security code", hint: "The 6-digit code from your authenticator app")
                .with(width: "10", autocomplete: "one-time-code"),
            enrol: !person.totpEnabled, secret: secret, uri: TOTP.uri(secret: secret, account: person.email))
    }
}
