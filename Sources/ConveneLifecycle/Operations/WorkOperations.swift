import ConveneCore
import ConveneStore
import FluentKit
import Foundation
import SQLKit

/// The lists of work: the team page's open discussions with their next deadlines.
extension Operations {
    public struct TeamWork: Sendable {
        /// Service managers and minute takers see every team of the authority, others their own.
        public let organisationWide: Bool
        public let teams: [Team]
        /// The team shown (nil: every team).
        public let team: UUID?
        public let rows: [DiscussionRow]
        public let total: Int
    }

    /// The open discussions of a team (circulated ones too while a deadline runs), soonest
    /// deadline first, one page of them: one indexed query for the page, one for the count
    /// (issue 12). `team` is heeded only for someone who sees every team.
    public static func teamWork(_ ctx: LifecycleContext, team asked: UUID?, stage: DiscussionStage?, page window: ListPage)
        async throws -> TeamWork
    {
        let user = try ctx.requireUser()
        guard user.may(.viewTeamWork) else { throw LifecycleError.notAllowed() }
        let organisationWide = user.role == .serviceManager || user.role == .minuteTaker
        let teams = try await Team.query(on: ctx.db).filter(\.$organisation.$id == user.organisationID).sort(\.$name).all()
        let team = organisationWide ? asked : user.teamID
        var query = DiscussionList(scope: user.discussionListScope(now: ctx.now))
        query.organisation = user.organisationID
        query.team = team ?? (organisationWide ? nil : UUID())
        if let stage {
            query.stages = [stage]
        } else {
            query.stages = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised]
            query.stagesOrDeadline = true
        }
        async let counted = query.count(on: ctx.db)
        let rows = try await query.rows(window.range, on: ctx.db)
        return TeamWork(organisationWide: organisationWide, teams: teams, team: team, rows: rows, total: try await counted)
    }

    /// The children of these cases as lists name them, each case's in order (showing their
    /// names is a read the caller logs).
    public static func childNames(_ ctx: LifecycleContext, ofCases caseIDs: [UUID]) async throws -> [ChildName] {
        try await ChildName.of(cases: caseIDs, on: ctx.db)
    }
}

extension Operations {
    /// An authority's teams, by name.
    public static func teams(_ ctx: LifecycleContext, organisationID: UUID) async throws -> [Team] {
        try await Team.query(on: ctx.db).filter(\.$organisation.$id == organisationID).sort(\.$name).all()
    }
}

/// "My work": what this person must do next – decisions to make, meetings to book and attend,
/// records to finalise, authorise and circulate, corrections to decide, disclosure requests,
/// and their own actions (ACT-ALL-03). Each list is one indexed query (issue 12).
public struct MyWork: Sendable {
    public enum List: Sendable, Hashable {
        case toDecide, chairing, toAuthorise, corrections, toBook, minuting, toCirculate, requested, invited, minutesToRead
    }

    /// Someone whose work is on another page: an invitee's link (its discussion), an
    /// administrator (administration), an auditor (the audit trail).
    public enum Elsewhere: Sendable, Hashable {
        case discussion(UUID)
        case administration
        case auditTrail
    }

    public static let limit = 20

    public var elsewhere: Elsewhere?
    /// The person's lists of discussions, in the order they are shown.
    public var lists: [(list: List, rows: [DiscussionRow])] = []
    /// Corrections waiting, by discussion (for `corrections`).
    public var correctionsWaiting: [UUID: Int] = [:]
    /// A manager's overdue actions: their team's, or the service's (`nil` for others).
    public var overdueActions: [ActionRecord]?
    public var teamOnly = false
    /// Disclosure requests waiting for a service manager (`nil` for others).
    public var disclosureRequests: Int?
    /// The person's own open actions, soonest first.
    public var ownActions: [ActionRecord] = []
    /// The discussion of each own action: its reference and case (issue 14: My work names
    /// the discussion and the child for each action).
    public var actionDiscussions: [UUID: (reference: String, caseID: UUID)] = [:]

    /// Every case whose children My work names.
    public var caseIDs: [UUID] {
        lists.flatMap { $0.rows.map(\.caseID) } + actionDiscussions.values.map(\.caseID)
    }

    public static func load(_ ctx: LifecycleContext) async throws -> MyWork {
        let user = try ctx.requireUser()
        var work = MyWork()
        if let scope = user.invitationScope, let invitation = try await Invitation.find(scope, on: ctx.db) {
            work.elsewhere = .discussion(invitation.$discussion.id)
            return work
        }
        if user.role == .administrator { work.elsewhere = .administration; return work }
        if user.role == .auditor { work.elsewhere = .auditTrail; return work }
        let now = ctx.now
        let today = EuropeLondon.localDate(of: now)
        let scope = user.discussionListScope(now: now)
        func discussions(_ stages: [DiscussionStage], teamOnly: Bool, _ refine: (inout DiscussionList) -> Void = { _ in })
            async throws -> [DiscussionRow]
        {
            var list = DiscussionList(scope: DiscussionListScope(organisationID: user.organisationID, personID: user.id,
                                                                 organisationWide: true, teamID: nil, invitationScope: nil, now: now))
            list.organisation = user.organisationID
            list.stages = stages
            if teamOnly, let team = user.teamID { list.team = team }
            refine(&list)
            return try await list.rows(0..<limit, on: ctx.db)
        }
        switch user.role {
        case .teamManager, .serviceManager:
            let teamOnly = user.role == .teamManager
            work.teamOnly = teamOnly
            work.lists.append((.toDecide, try await discussions([.requested], teamOnly: teamOnly)))
            work.lists.append((.chairing, try await discussions([.booked, .inMeeting, .recordFinal], teamOnly: false) { $0.chairID = user.id }))
            work.lists.append((.toAuthorise, try await discussions([.recordFinal], teamOnly: teamOnly)))
            // The authority's own pending corrections only: another authority's must not crowd
            // them out of the limit. Pending corrections are few (each waits only for the chair),
            // so they are read first and their discussions checked by id; a join would walk
            // every discussion of the authority instead (issue 12).
            let pending = try await Correction.query(on: ctx.db).filter(\.$status == .pending).limit(5000).all()
            let pendingIDs = Array(Set(pending.map { $0.$discussion.id }))
            let own = pendingIDs.isEmpty ? Set<UUID>() : Set(try await Discussion.query(on: ctx.db).filter(\.$id ~~ pendingIDs)
                .filter(\.$organisationID == user.organisationID).field(\.$id).all().compactMap(\.id))
            let corrections = pending.filter { own.contains($0.$discussion.id) }
            work.correctionsWaiting = Dictionary(grouping: corrections, by: { $0.$discussion.id }).mapValues(\.count)
            let waiting = Array(work.correctionsWaiting.keys)
            work.lists.append((.corrections, try await discussions(DiscussionStage.allCases, teamOnly: false) { $0.ids = waiting }
                .filter { $0.chairID == user.id || (!teamOnly) || $0.teamID == user.teamID }))
            // A team manager's own team's, filtered in the query (not after the limit, which
            // could leave out the team's behind other teams' older ones).
            // One query per status, each in due order from the index (organisation, team, status,
            // due), merged: a status list would make the database sort every overdue action.
            var overdue: [ActionRecord] = []
            for status in [SmartAction.Status.open, .inProgress] {
                var query = ActionRecord.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
                if teamOnly { query = query.filter(\.$teamID == (user.teamID ?? UUID())) }
                overdue += try await query.filter(\.$status == status).filter(\.$due < today.description).sort(\.$due).limit(limit).all()
            }
            work.overdueActions = Array(overdue.sorted { ($0.due ?? "") < ($1.due ?? "") }.prefix(limit))
            if user.role == .serviceManager {
                work.disclosureRequests = try await DisclosureRequest.query(on: ctx.db).filter(\.$organisationID == user.organisationID)
                    .filter(\.$status == .pending).count()
            }
        case .minuteTaker:
            work.lists.append((.toBook, try await discussions([.awaitingBooking], teamOnly: false)))
            work.lists.append((.minuting, try await discussions([.booked, .inMeeting], teamOnly: false) { $0.minuteTakerID = user.id }))
            work.lists.append((.toCirculate, try await discussions([.authorised], teamOnly: false)))
        case .socialWorker:
            work.lists.append((.requested, try await discussions(DiscussionStage.allCases.filter(\.isOpen).filter { $0 != .circulated },
                                                                 teamOnly: false) { $0.requestedBy = user.id }))
        default:
            break
        }
        // Everyone: meetings they are invited to, minutes to read, and their own actions.
        var invited = DiscussionList(scope: scope)
        invited.invitedOnly = true
        invited.stages = [.booked, .inMeeting]
        invited.slotFrom = now.addingTimeInterval(-86_400)
        invited.order = .slot
        work.lists.append((.invited, try await invited.rows(0..<limit, on: ctx.db)))
        let unread = try await Invitation.query(on: ctx.db).filter(\.$personID == user.id).filter(\.$circulatedAt != nil)
            .filter(\.$openedAt == nil).limit(limit).all()
        var toRead = DiscussionList(scope: scope)
        toRead.ids = unread.map { $0.$discussion.id }
        work.lists.append((.minutesToRead, try await toRead.rows(0..<limit, on: ctx.db)))
        work.ownActions = try await ActionRecord.query(on: ctx.db).filter(\.$ownerPersonID == user.id)
            .filter(\.$status ~~ [.open, .inProgress]).sort(\.$due).limit(limit).all()
        let discussionIDs = Array(Set(work.ownActions.map { $0.$discussion.id }))
        if !discussionIDs.isEmpty {
            for d in try await Discussion.query(on: ctx.db).filter(\.$id ~~ discussionIDs).field(\.$id).field(\.$reference)
                .field(\.$case.$id).all() {
                work.actionDiscussions[try d.requireID()] = (d.reference, d.$case.id)
            }
        }
        return work
    }
}
