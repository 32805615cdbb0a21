import ConveneCore
import ConveneStore
import Foundation

/// Administration of an authority as its page shows it: the pack, the teams, one page of
/// people with each account's state, and the forms to change them (issue 4, issue 5).
public struct AdminPage: Encodable, Sendable {
    struct PersonRow: Encodable, Sendable {
        let name: String
        let email: String
        let role: String
        let agency: String
        let team: String
        let status: String
        let disabled: Bool
        let locked: Bool
        let action: String
    }

    let organisation: String
    let packName: String
    let pack: ChoiceContext
    let orgName: FieldContext
    let teams: [String]
    let teamName: FieldContext
    let teamLocality: FieldContext
    let people: [PersonRow]
    let page: Int
    let pages: Int
    let previous: String
    let next: String
    let personName: FieldContext
    let personEmail: FieldContext
    let personRole: ChoiceContext
    let personAgency: ChoiceContext
    let personAgencyRole: FieldContext
    let personTeam: ChoiceContext
    let temporaryPassword: String
}

extension AdminPage {
    public init(_ admin: Operations.Administration, packs: PackLibrary, window: ListPage, state: FormState,
                temporaryPassword: String, now: Date) {
        let pageNumber = window.number
        let (org, teams, people, total) = (admin.organisation, admin.teams, admin.people, admin.total)
        let pack = packs.pack(org.packID)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        var state = state
        if state.values["pack"] == nil { state.values["pack"] = org.packID }
        if state.values["orgName"] == nil { state.values["orgName"] = org.name }
        let pages = window.pages(total: total)
        self.init(
            organisation: org.name, packName: pack?.name ?? org.packID,
            pack: state.radios("pack", "Procedure pack", hint: "The procedure this authority follows",
                               options: packs.packs.map { ($0.id, "\($0.name) (\($0.id))") }),
            orgName: state.field("orgName", "Name of the authority"),
            teams: teams.map { "\($0.name) (\($0.locality))" },
            teamName: state.field("teamName", "Team name").with(width: "20"),
            teamLocality: state.field("teamLocality", "Locality").with(width: "20"),
            people: people.map { p in
                PersonRow(name: p.name, email: p.email, role: p.role.label, agency: pack?.agencyName(p.agency) ?? p.agency,
                          team: p.$team.id.flatMap { teamNames[$0] } ?? "",
                          status: p.accountStatus(at: now), disabled: p.disabledAt != nil, locked: p.isLocked(at: now),
                          action: SiteURL.person(p.id!).path)
            },
            page: pageNumber, pages: pages,
            previous: pageNumber > 1 ? SiteURL.admin.path + "?page=\(pageNumber - 1)" : "",
            next: pageNumber < pages ? SiteURL.admin.path + "?page=\(pageNumber + 1)" : "",
            personName: state.field("name", "Full name").with(width: "20"),
            personEmail: state.field("email", "Email address").with(type: "email", width: "30"),
            personRole: state.radios("role", "Role", options: Role.allCases.map { ($0.rawValue, $0.label) }),
            personAgency: state.radios("agency", "Agency", options: (pack?.agencies ?? Vocabulary.agencies).map { ($0.id, $0.name) }),
            personAgencyRole: state.field("agencyRole", "Role in their agency", hint: "For example, social-worker or jcpit-manager").with(width: "20"),
            personTeam: state.radios("team", "Team", options: [("", "No team")] + teams.map { ($0.id!.slug, $0.name) }),
            temporaryPassword: temporaryPassword)
    }
}
