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

    static let limit = 20

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        if let scope = user.invitationScope, let invitation = try await Invitation.find(scope, on: req.db) {
            return req.redirect(to: SiteURL.discussion(invitation.$discussion.id).path)
        }
        if user.role == .administrator { return req.redirect(to: SiteURL.admin.path) }
        if user.role == .auditor { return req.redirect(to: SiteURL.audit.path) }
        let now = req.now
        let today = EuropeLondon.localDate(of: now)
        var groups: [Group] = []

        func discussions(_ stages: [DiscussionStage], teamOnly: Bool, extra: ((QueryBuilder<Discussion>) -> QueryBuilder<Discussion>)? = nil)
            async throws -> [Discussion]
        {
            var query = Discussion.query(on: req.db).filter(\.$organisationID == user.organisationID).filter(\.$stage ~~ stages)
            if teamOnly, let team = user.teamID { query = query.filter(\.$teamID == team) }
            if let extra { query = extra(query) }
            return try await query.sort(\.$nextDue).limit(limit).all()
        }
        func items(_ list: [Discussion], detail: (Discussion) -> String) async throws -> [Item] {
            let names = try await childNames(list.map { $0.$case.id }, req, today: today)
            return list.map { d in
                Item(title: "\(d.reference): \(names[d.$case.id] ?? "")", href: SiteURL.discussion(d.id!).path, detail: detail(d),
                     tag: Display.tag(d.stage))
            }
        }
        func nextDue(_ d: Discussion) -> String {
            d.nextDue.map { "Next deadline " + UKDisplay.dateTime($0) } ?? ""
        }

        switch user.role {
        case .teamManager, .serviceManager:
            let teamOnly = user.role == .teamManager
            groups.append(Group(title: "Decide whether to convene",
                                items: try await items(try await discussions([.requested], teamOnly: teamOnly), detail: nextDue),
                                empty: "No requests are waiting for a decision.", none: false))
            let chairing = try await discussions([.booked, .inMeeting, .recordFinal], teamOnly: false) { $0.filter(\.$chairID == user.id) }
            groups.append(Group(title: "Discussions you chair", items: try await items(chairing) { d in
                d.stage == .recordFinal ? "Record final: authorise it" : (d.slotStart.map { UKDisplay.dateTime($0) } ?? "")
            }, empty: "You are not chairing any open discussion.", none: false))
            let toAuthorise = try await discussions([.recordFinal], teamOnly: teamOnly)
            groups.append(Group(title: "Records to authorise", items: try await items(toAuthorise, detail: { _ in "Authorise before circulation" }),
                                empty: "No records are waiting for authorisation.", none: false))
            let corrections = try await Correction.query(on: req.db).filter(\.$status == .pending).limit(100).all()
            let chaired = try await Discussion.query(on: req.db).filter(\.$id ~~ corrections.map { $0.$discussion.id })
                .filter(\.$organisationID == user.organisationID).all()
                .filter { $0.chairID == user.id || (!teamOnly) || $0.teamID == user.teamID }
            groups.append(Group(title: "Corrections to decide", items: try await items(chaired) { d in
                "\(corrections.filter { $0.$discussion.id == d.id }.count) correction(s) waiting"
            }.map { Item(title: $0.title, href: $0.href + "/corrections", detail: $0.detail, tag: nil) },
                                empty: "No corrections are waiting.", none: false))
            let overdue = try await ActionRecord.query(on: req.db).filter(\.$organisationID == user.organisationID)
                .filter(\.$status ~~ [.open, .inProgress]).filter(\.$due < today.description).sort(\.$due).limit(limit).all()
            let mine = overdue.filter { !teamOnly || $0.teamID == user.teamID }
            groups.append(Group(title: "Overdue actions in your " + (teamOnly ? "team" : "service"), items: mine.map { a in
                Item(title: a.what, href: SiteURL.action(a.id!).path, detail: "\(a.owner), due \(a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "")",
                     tag: Display.Tag(text: "Overdue", colour: "red"))
            }, empty: "No overdue actions.", none: false))
            if user.role == .serviceManager {
                let requests = try await DisclosureRequest.query(on: req.db).filter(\.$organisationID == user.organisationID)
                    .filter(\.$status == .pending).count()
                groups.append(Group(title: "Disclosure requests", items: requests == 0 ? [] : [
                    Item(title: "\(requests) request(s) to decide", href: SiteURL.disclosures.path, detail: "", tag: nil),
                ], empty: "No disclosure requests are waiting.", none: false))
            }
        case .minuteTaker:
            groups.append(Group(title: "To book", items: try await items(try await discussions([.awaitingBooking], teamOnly: false), detail: nextDue),
                                empty: "Nothing is waiting to be booked.", none: false))
            let minuting = try await discussions([.booked, .inMeeting], teamOnly: false) { $0.filter(\.$minuteTakerID == user.id) }
            groups.append(Group(title: "Meetings you are minuting", items: try await items(minuting) { d in
                d.slotStart.map { UKDisplay.dateTime($0) } ?? ""
            }, empty: "None booked.", none: false))
            groups.append(Group(title: "To circulate", items: try await items(try await discussions([.authorised], teamOnly: false)) { _ in "Authorised: circulate to invitees" },
                                empty: "Nothing is waiting to be circulated.", none: false))
        case .socialWorker:
            let requested = try await discussions(DiscussionStage.allCases.filter(\.isOpen).filter { $0 != .circulated }, teamOnly: false) {
                $0.filter(\.$requestedBy == user.id)
            }
            groups.append(Group(title: "Discussions you requested", items: try await items(requested, detail: nextDue),
                                empty: "You have no open requests.", none: false))
        default:
            break
        }

        // Everyone: meetings they are invited to, minutes to read, and their own actions.
        let invitations = try await Invitation.query(on: req.db).filter(\.$personID == user.id).all()
        let invited = try await Discussion.query(on: req.db).filter(\.$id ~~ invitations.map { $0.$discussion.id })
            .filter(\.$stage ~~ [.booked, .inMeeting]).filter(\.$slotStart >= now.addingTimeInterval(-86_400)).sort(\.$slotStart)
            .limit(limit).all()
        groups.append(Group(title: "Meetings you are invited to", items: try await items(invited) { d in
            (d.slotStart.map { UKDisplay.dateTime($0) } ?? "") + " · " + DiscussionController.format(d.meetingFormat)
        }, empty: "No meetings coming up.", none: false))
        let unread = invitations.filter { $0.circulatedAt != nil && $0.openedAt == nil }
        let toRead = try await Discussion.query(on: req.db).filter(\.$id ~~ unread.map { $0.$discussion.id }).limit(limit).all()
        groups.append(Group(title: "Minutes to read", items: try await items(toRead) { _ in "Circulated to you" }.map {
            Item(title: $0.title, href: $0.href + "/minutes", detail: $0.detail, tag: nil)
        }, empty: "No unread minutes.", none: false))
        let actions = try await ActionRecord.query(on: req.db).filter(\.$ownerPersonID == user.id)
            .filter(\.$status ~~ [.open, .inProgress]).sort(\.$due).limit(limit).all()
        groups.append(Group(title: "Your actions", items: actions.map { a in
            let overdue = a.smartAction.isOverdue(today: today)
            return Item(title: a.what, href: SiteURL.action(a.id!).path,
                        detail: "Due " + (a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "") + " · " + a.status.label,
                        tag: overdue ? Display.Tag(text: "Overdue", colour: "red") : nil)
        }, empty: "You have no open actions.", none: false))

        let page = Page(name: user.name, role: user.role.label,
                        groups: groups.map { Group(title: $0.title, items: $0.items, empty: $0.empty, none: $0.items.isEmpty) },
                        canRequest: [.socialWorker, .teamManager, .serviceManager].contains(user.role))
        return try await req.page("my-work", title: "My work", page)
    }

    /// "Amira Khan (7), Zain Khan (4)" per case. Showing them is a read of those children's
    /// details: logged, naming every child shown (issue 9).
    static func childNames(_ caseIDs: [UUID], _ req: Request, today: LocalDate) async throws -> [UUID: String] {
        guard !caseIDs.isEmpty else { return [:] }
        let children = try await CaseChild.query(on: req.db).filter(\.$case.$id ~~ Array(Set(caseIDs))).sort(\.$position).all()
        if !children.isEmpty {
            try await req.logRead(AuditRecord("view", "list", childIDs: children.compactMap(\.id),
                                              detail: "names on " + req.url.path))
        }
        return Dictionary(grouping: children, by: { $0.$case.id }).mapValues { Display.children($0.map(\.details), today: today) }
    }
}
