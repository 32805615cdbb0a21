import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The team page: every open discussion with its next deadline, soonest first, paginated
/// and served by the (organisation, next_due) index.
enum TeamController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("team", use: show)
    }

    static let pageSize = 25

    struct Row: Encodable {
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

    struct Page: Encodable {
        let title: String
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

    @Sendable static func show(req: Request) async throws -> Response {
        let now = req.now
        let stageFilter = req.query[String.self, at: "stage"].flatMap(DiscussionStage.init(rawValue:))
        let window = ListPage.lenient(req.query[String.self, at: "page"], size: pageSize)
        let pageNumber = window.number
        let work = try await Operations.teamWork(req.lifecycle, team: UUID(uuidString: req.query[String.self, at: "team"] ?? ""),
                                                 stage: stageFilter, page: window)
        let (orgWide, teams, teamFilter, list, total) = (work.organisationWide, work.teams, work.team, work.rows, work.total)
        let names = try await MyWorkController.childNames(list.map(\.caseID), req, today: EuropeLondon.localDate(of: now))
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
        let page = Page(
            title: orgWide ? "Discussions in the service" : (teams.first { $0.id == req.currentUser?.teamID }?.name ?? "Your team"),
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
        return try await req.page("team", title: page.title, page)
    }
}
