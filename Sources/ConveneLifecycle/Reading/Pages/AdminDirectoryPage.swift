import ConveneCore
import ConveneIdentity
import ConveneStore
import Foundation

/// The settings of sign-in through the authority's own directory (issue 15), the client
/// secret never shown again.
public struct AdminDirectoryPage: Encodable, Sendable {
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

extension AdminDirectoryPage {
    public init(_ org: Organisation, _ provider: OIDCProvider?, state given: FormState?, redirectURI: String) {
        var state = given ?? FormState()
        if given == nil {
            let current = provider ?? OIDCProvider(organisationID: org.id!)
            state.values = [
                "displayName": current.displayName.isEmpty ? "\(org.name) account" : current.displayName,
                "issuer": current.issuer, "clientID": current.clientID, "domains": current.allowedDomains,
                "createPeople": current.createPeople ? "yes" : "no", "defaultRole": current.defaultRole.rawValue,
                "staffPasswords": current.staffPasswords ? "yes" : "no", "enabled": current.enabled ? "yes" : "no",
            ]
        }
        state.values["clientSecret"] = ""
        let yesNo = [("yes", "Yes"), ("no", "No")]
        self.init(
            organisation: org.name, redirectURI: redirectURI, configured: provider != nil,
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
    }
}
