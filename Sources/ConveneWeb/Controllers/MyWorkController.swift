import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// "My work": what this person must do next – decisions to make, meetings to book and
/// attend, records to finalise, authorise and circulate, corrections to decide, and their
/// own actions, overdue first (ACT-ALL-03).
enum MyWorkController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("my-work", use: show)
    }

    struct Item: Encodable {
        let title: String
        let href: String
        let detail: String
        let tag: Display.Tag?
    }

    struct Group: Encodable {
        let title: String
        let items: [Item]
        let empty: String
        let none: Bool
    }

    struct Page: Encodable {
        let name: String
        let role: String
        let groups: [Group]
        let canRequest: Bool
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let work = try await MyWork.load(req.lifecycle)
        switch work.elsewhere {
        case let .discussion(id): return req.redirect(to: SiteURL.discussion(id).path)
        case .administration: return req.redirect(to: SiteURL.admin.path)
        case .auditTrail: return req.redirect(to: SiteURL.audit.path)
        case nil: break
        }
        let today = EuropeLondon.localDate(of: req.now)
        // The children's names of every discussion shown, read (and logged) once.
        let names = try await childNames(work.lists.flatMap { $0.rows.map(\.caseID) }, req, today: today)
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
                    Item(title: "\(requests) request(s) to decide", href: SiteURL.disclosures.path, detail: "", tag: nil),
                ], empty: "No disclosure requests are waiting.", none: requests == 0))
            }
        }
        groups.append(Group(title: "Your actions", items: work.ownActions.map { a in
            Item(title: a.what, href: SiteURL.action(a.id!).path,
                 detail: "Due " + (a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "") + " · " + a.status.label,
                 tag: a.smartAction.isOverdue(today: today) ? Display.Tag(text: "Overdue", colour: "red") : nil)
        }, empty: "You have no open actions.", none: work.ownActions.isEmpty))
        let context = Page(name: user.name, role: user.role.label, groups: groups,
                           canRequest: [.socialWorker, .teamManager, .serviceManager].contains(user.role))
        return try await req.page("my-work", title: "My work", context)
    }

    /// "Amira Khan (7), Zain Khan (4)" per case. Showing them is a read of those children's
    /// details: logged, naming every child shown (issue 9).
    static func childNames(_ caseIDs: [UUID], _ req: Request, today: LocalDate) async throws -> [UUID: String] {
        let children = try await Operations.children(req.lifecycle, ofCases: caseIDs)
        if !children.isEmpty {
            try await req.logRead(AuditRecord("view", "list", childIDs: children.compactMap(\.id), detail: "names on " + req.url.path))
        }
        return Dictionary(grouping: children, by: { $0.$case.id }).mapValues { Display.children($0.map(\.details), today: today) }
    }
}
