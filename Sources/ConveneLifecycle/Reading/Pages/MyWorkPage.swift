import ConveneCore
import ConveneStore
import Foundation

/// "My work": what this person must do next, in groups – decisions to make, meetings to book
/// and attend, records to finalise, authorise and circulate, corrections to decide, and their
/// own actions, overdue first (ACT-ALL-03).
public struct MyWorkPage: Encodable, Sendable {
    struct Item: Encodable, Sendable {
        let title: String
        let href: String
        let detail: String
        let tag: Display.Tag?
    }

    struct Group: Encodable, Sendable {
        let title: String
        let items: [Item]
        let empty: String
        let none: Bool
    }

    let name: String
    let role: String
    let groups: [Group]
    let canRequest: Bool
    let meetingName: String
}

extension MyWorkPage {
    public init(_ work: MyWork, names: [UUID: String], user: CurrentUser, today: LocalDate, meetingName: String = "strategy discussion") {
        var groups: [Group] = []
        for (list, rows) in work.lists {
            let shown = work.presentation(of: list)
            groups.append(Group(title: shown.title, items: rows.map { d in
                Item(title: "\(d.reference): \(names[d.caseID] ?? "")", href: SiteURL.discussion(d.id).path + shown.suffix,
                     detail: shown.detail(d), tag: shown.showsStage ? Display.tag(d.stage) : nil)
            }, empty: shown.empty, none: rows.isEmpty))
            guard list == .corrections else { continue }
            if let overdue = work.overdueActions {
                groups.append(Group(title: "Overdue actions in your " + (work.teamOnly ? "team" : "service"), items: overdue.map { a in
                    Item(title: a.what, href: SiteURL.action(a.id!).path,
                         detail: "\(a.owner), due \(a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "")",
                         tag: Display.Tag(text: "Overdue", colour: "red"))
                }, empty: "No overdue actions.", none: overdue.isEmpty))
            }
            if let requests = work.disclosureRequests {
                groups.append(Group(title: "Disclosure requests", items: requests == 0 ? [] : [
                    Item(title: "\(Display.count(requests, "request")) to decide", href: SiteURL.disclosures.path, detail: "", tag: nil),
                ], empty: "No disclosure requests are waiting.", none: requests == 0))
            }
        }
        groups.append(Group(title: "Your actions", items: work.ownActions.map { a in
            Item(title: a.what, href: SiteURL.action(a.id!).path,
                 detail: (work.actionDiscussions[a.$discussion.id].map { d in
                     [d.reference, names[d.caseID] ?? ""].filter { !$0.isEmpty }.joined(separator: ": ") + " · "
                 } ?? "") + "Due " + (a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "") + " · " + a.status.label,
                 tag: a.smartAction.isOverdue(today: today) ? Display.Tag(text: "Overdue", colour: "red") : nil)
        }, empty: "You have no open actions.", none: work.ownActions.isEmpty))
        self.init(name: user.name, role: user.role.label, groups: groups,
                  canRequest: [.socialWorker, .teamManager, .serviceManager].contains(user.role), meetingName: meetingName)
    }
}
