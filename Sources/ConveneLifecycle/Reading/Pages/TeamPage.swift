import ConveneCore
import ConveneStore
import Foundation

/// The team page: every open discussion with its next deadline, soonest first, one page at a
/// time, filtered by status and (service-wide) by team.
public struct TeamPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let reference: String
        let href: String
        let children: String
        let team: String
        let stage: Display.Tag
        let nextDuty: String
        let nextDue: String
        let overdue: Bool
        let slot: String
    }

    public let title: String
    let rows: [Row]
    let none: Bool
    let total: Int
    let page: Int
    let pages: Int
    let previous: String
    let next: String
    let filter: ChoiceContext
    let teamFilter: ChoiceContext
    let showTeamFilter: Bool
}

extension TeamPage {
    public init(_ work: Operations.TeamWork, window: ListPage, stage stageFilter: DiscussionStage?, names: [UUID: String],
                currentTeam: UUID?, now: Date) {
        let pageNumber = window.number
        let (orgWide, teams, teamFilter, list, total) = (work.organisationWide, work.teams, work.team, work.rows, work.total)
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id!, $0.name) })
        let pages = window.pages(total: total)
        func link(_ n: Int) -> String {
            var parts = ["page=\(n)"]
            if let stageFilter { parts.append("stage=\(stageFilter.rawValue)") }
            if orgWide, let teamFilter { parts.append("team=\(teamFilter.slug)") }
            return SiteURL.team.path + "?" + parts.joined(separator: "&")
        }
        var state = FormState()
        state.values["stage"] = stageFilter?.rawValue ?? ""
        state.values["team"] = teamFilter?.slug ?? ""
        self.init(
            title: orgWide ? "Discussions in the service" : (teams.first { $0.id == currentTeam }?.name ?? "Your team"),
            rows: list.map { d in
                Row(reference: d.reference, href: SiteURL.discussion(d.id).path, children: names[d.caseID] ?? "",
                    team: teamNames[d.teamID] ?? "", stage: Display.tag(d.stage),
                    nextDuty: Duty(rawValue: d.nextDuty)?.title ?? "",
                    nextDue: d.nextDue.map { UKDisplay.compact($0) } ?? "", overdue: (d.nextDue ?? .distantFuture) < now,
                    slot: d.slotStart.map { UKDisplay.compact($0) } ?? "")
            },
            none: list.isEmpty, total: total, page: pageNumber, pages: pages,
            previous: pageNumber > 1 ? link(pageNumber - 1) : "", next: pageNumber < pages ? link(pageNumber + 1) : "",
            filter: state.radios("stage", "Status", options: [("", "Open, with a deadline")]
                + DiscussionStage.allCases.map { ($0.rawValue, $0.label) }),
            teamFilter: state.radios("team", "Team", options: [("", "All teams")] + teams.map { ($0.id!.slug, $0.name) }),
            showTeamFilter: orgWide)
    }
}
