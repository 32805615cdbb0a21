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

    /// A group of discussions before the children's names are filled in (they are read once
    /// for the whole page, and that read logged once).
    struct DiscussionGroup {
        let title: String
        let rows: [DiscussionRow]
        let detail: (DiscussionRow) -> String
        let suffix: String
        let tag: Bool
        let empty: String
    }

    @Sendable static func show(req: Request) async throws -> Response {
        let user = try req.requireUser()
        if let scope = user.invitationScope, let invitation = try await Invitation.find(scope, on: req.db) {
            return req.redirect(to: SiteURL.discussion(invitation.$discussion.id).path)
        }
        if user.role == .administrator { return req.redirect(to: SiteURL.admin.path) }
        if user.role == .auditor { return req.redirect(to: SiteURL.audit.path) }
        let now = req.now
        let today = EuropeLondon.localDate(of: now)
        let scope = try req.discussionListScope()
        // Each group one indexed query on the authority's discussions (issue 12).
        func discussions(_ stages: [DiscussionStage], teamOnly: Bool, _ refine: (inout DiscussionList) -> Void = { _ in })
            async throws -> [DiscussionRow]
        {
            var list = DiscussionList(scope: DiscussionListScope(organisationID: user.organisationID, personID: user.id,
                                                                 organisationWide: true, teamID: nil, invitationScope: nil, now: now))
            list.organisation = user.organisationID
            list.stages = stages
            if teamOnly, let team = user.teamID { list.team = team }
            refine(&list)
            return try await list.rows(0..<limit, on: req.db)
        }
        func nextDue(_ d: DiscussionRow) -> String {
            d.nextDue.map { "Next deadline " + UKDisplay.dateTime($0) } ?? ""
        }
        var groups: [DiscussionGroup] = []
        var others: [(index: Int, group: Group)] = []

        switch user.role {
        case .teamManager, .serviceManager:
            let teamOnly = user.role == .teamManager
            groups.append(DiscussionGroup(title: "Decide whether to convene", rows: try await discussions([.requested], teamOnly: teamOnly),
                                          detail: nextDue, suffix: "", tag: true, empty: "No requests are waiting for a decision."))
            let chairing = try await discussions([.booked, .inMeeting, .recordFinal], teamOnly: false) { $0.chairID = user.id }
            groups.append(DiscussionGroup(title: "Discussions you chair", rows: chairing, detail: { d in
                d.stage == .recordFinal ? "Record final: authorise it" : (d.slotStart.map { UKDisplay.dateTime($0) } ?? "")
            }, suffix: "", tag: true, empty: "You are not chairing any open discussion."))
            groups.append(DiscussionGroup(title: "Records to authorise", rows: try await discussions([.recordFinal], teamOnly: teamOnly),
                                          detail: { _ in "Authorise before circulation" }, suffix: "", tag: true,
                                          empty: "No records are waiting for authorisation."))
            let corrections = try await Correction.query(on: req.db).filter(\.$status == .pending).limit(100).all()
            let waiting = Dictionary(grouping: corrections, by: { $0.$discussion.id }).mapValues(\.count)
            let chaired = try await discussions(DiscussionStage.allCases, teamOnly: false) { $0.ids = Array(waiting.keys) }
                .filter { $0.chairID == user.id || (!teamOnly) || $0.teamID == user.teamID }
            groups.append(DiscussionGroup(title: "Corrections to decide", rows: chaired, detail: { d in
                "\(waiting[d.id] ?? 0) correction(s) waiting"
            }, suffix: "/corrections", tag: false, empty: "No corrections are waiting."))
            let overdue = try await ActionRecord.query(on: req.db).filter(\.$organisationID == user.organisationID)
                .filter(\.$status ~~ [.open, .inProgress]).filter(\.$due < today.description).sort(\.$due).limit(limit).all()
            let mine = overdue.filter { !teamOnly || $0.teamID == user.teamID }
            others.append((groups.count, Group(title: "Overdue actions in your " + (teamOnly ? "team" : "service"), items: mine.map { a in
                Item(title: a.what, href: SiteURL.action(a.id!).path, detail: "\(a.owner), due \(a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "")",
                     tag: Display.Tag(text: "Overdue", colour: "red"))
            }, empty: "No overdue actions.", none: false)))
            if user.role == .serviceManager {
                let requests = try await DisclosureRequest.query(on: req.db).filter(\.$organisationID == user.organisationID)
                    .filter(\.$status == .pending).count()
                others.append((groups.count, Group(title: "Disclosure requests", items: requests == 0 ? [] : [
                    Item(title: "\(requests) request(s) to decide", href: SiteURL.disclosures.path, detail: "", tag: nil),
                ], empty: "No disclosure requests are waiting.", none: false)))
            }
        case .minuteTaker:
            groups.append(DiscussionGroup(title: "To book", rows: try await discussions([.awaitingBooking], teamOnly: false),
                                          detail: nextDue, suffix: "", tag: true, empty: "Nothing is waiting to be booked."))
            let minuting = try await discussions([.booked, .inMeeting], teamOnly: false) { $0.minuteTakerID = user.id }
            groups.append(DiscussionGroup(title: "Meetings you are minuting", rows: minuting, detail: { d in
                d.slotStart.map { UKDisplay.dateTime($0) } ?? ""
            }, suffix: "", tag: true, empty: "None booked."))
            groups.append(DiscussionGroup(title: "To circulate", rows: try await discussions([.authorised], teamOnly: false),
                                          detail: { _ in "Authorised: circulate to invitees" }, suffix: "", tag: true,
                                          empty: "Nothing is waiting to be circulated."))
        case .socialWorker:
            let requested = try await discussions(DiscussionStage.allCases.filter(\.isOpen).filter { $0 != .circulated }, teamOnly: false) {
                $0.requestedBy = user.id
            }
            groups.append(DiscussionGroup(title: "Discussions you requested", rows: requested, detail: nextDue, suffix: "", tag: true,
                                          empty: "You have no open requests."))
        default:
            break
        }

        // Everyone: meetings they are invited to, minutes to read, and their own actions.
        var invited = DiscussionList(scope: scope)
        invited.invitedOnly = true
        invited.stages = [.booked, .inMeeting]
        invited.slotFrom = now.addingTimeInterval(-86_400)
        invited.order = .slot
        groups.append(DiscussionGroup(title: "Meetings you are invited to", rows: try await invited.rows(0..<limit, on: req.db), detail: { d in
            (d.slotStart.map { UKDisplay.dateTime($0) } ?? "") + " · " + DiscussionController.format(d.meetingFormat)
        }, suffix: "", tag: true, empty: "No meetings coming up."))
        let unread = try await Invitation.query(on: req.db).filter(\.$personID == user.id).filter(\.$circulatedAt != nil)
            .filter(\.$openedAt == nil).limit(limit).all()
        var toRead = DiscussionList(scope: scope)
        toRead.ids = unread.map { $0.$discussion.id }
        groups.append(DiscussionGroup(title: "Minutes to read", rows: try await toRead.rows(0..<limit, on: req.db),
                                      detail: { _ in "Circulated to you" }, suffix: "/minutes", tag: false, empty: "No unread minutes."))
        let actions = try await ActionRecord.query(on: req.db).filter(\.$ownerPersonID == user.id)
            .filter(\.$status ~~ [.open, .inProgress]).sort(\.$due).limit(limit).all()
        others.append((groups.count, Group(title: "Your actions", items: actions.map { a in
            let overdue = a.smartAction.isOverdue(today: today)
            return Item(title: a.what, href: SiteURL.action(a.id!).path,
                        detail: "Due " + (a.due.flatMap(LocalDate.init).map { UKDisplay.date($0) } ?? "") + " · " + a.status.label,
                        tag: overdue ? Display.Tag(text: "Overdue", colour: "red") : nil)
        }, empty: "You have no open actions.", none: false)))

        // The children's names of every discussion shown, read (and logged) once.
        let names = try await childNames(groups.flatMap { $0.rows.map(\.caseID) }, req, today: today)
        var page: [Group] = groups.map { group in
            Group(title: group.title, items: group.rows.map { d in
                Item(title: "\(d.reference): \(names[d.caseID] ?? "")", href: SiteURL.discussion(d.id).path + group.suffix,
                     detail: group.detail(d), tag: group.tag ? Display.tag(d.stage) : nil)
            }, empty: group.empty, none: false)
        }
        for (index, group) in others.reversed() { page.insert(group, at: min(index, page.count)) }
        let context = Page(name: user.name, role: user.role.label,
                           groups: page.map { Group(title: $0.title, items: $0.items, empty: $0.empty, none: $0.items.isEmpty) },
                           canRequest: [.socialWorker, .teamManager, .serviceManager].contains(user.role))
        return try await req.page("my-work", title: "My work", context)
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
