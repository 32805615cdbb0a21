import ConveneCore
import ConveneStore
import Foundation

/// The discussion's task list: every step from request to circulated minutes, what is done,
/// what is next, and every deadline with its rule (INT-ALL-06).
public struct DiscussionPage: Encodable, Sendable {
    struct TaskItem: Encodable, Sendable {
        let name: String
        let href: String
        let hint: String
        let status: String
        let tag: String
    }

    struct TaskSection: Encodable, Sendable {
        let number: Int
        let title: String
        let items: [TaskItem]

        init(_ section: DiscussionTasks.Section) {
            number = section.number
            title = section.title
            items = section.tasks.map { task in
                let (status, tag): (String, String) = switch task.state {
                case .completed: ("Completed", "")
                case .cannotStartYet: ("Cannot start yet", "")
                case .waitingForOthers: ("Waiting for others", "")
                case .toDo: ("To do", "blue")
                case .inProgress: ("In progress", "light-blue")
                case let .closed(stage): (stage, "grey")
                }
                return TaskItem(name: task.name, href: task.href, hint: task.hint, status: status, tag: tag)
            }
        }
    }

    let id: String
    let reference: String
    let meetingName: String
    /// The pack's name for the meeting as a title ("Strategy meeting", "Strategy discussion").
    let meetingTitle: String
    let packName: String
    let stage: Display.Tag
    let children: String
    let urgency: String
    let slot: String
    let sections: [TaskSection]
    let deadlines: [Display.Deadline]
    let noDeadlines: Bool
    let caseHref: String
    let outcomeHref: String
    let versionsHref: String
    let canSeeRecord: Bool
    let minutesHref: String
    let isInvitee: Bool
    let cancellation: String
    let decisionReason: String
}

extension DiscussionPage {
    public init(_ loaded: LoadedDiscussion, _ overview: Operations.DiscussionOverview, now: Date) {
        let d = loaded.discussion
        let today = EuropeLondon.localDate(of: now)
        let deadlines = overview.deadlines.map { Display.deadline($0, now: now) }
        self.init(
            id: d.id!.slug, reference: d.reference, meetingName: loaded.pack.meetingName,
            meetingTitle: loaded.pack.meetingName.capitalizedFirst, packName: loaded.pack.name,
            stage: Display.tag(d.stage), children: Display.children(loaded.childDetails, today: today),
            urgency: loaded.pack.request.urgencies.first { $0.urgency == d.urgency }?.label ?? d.urgency.rawValue,
            slot: Display.when(d) + (d.meetingFormat.isEmpty ? "" : " (\(MeetingFormat.label(d.meetingFormat)))"),
            sections: overview.sections.map(TaskSection.init),
            deadlines: deadlines,
            noDeadlines: deadlines.isEmpty,
            caseHref: SiteURL.caseOverview(loaded.caseRecord.id!).path,
            outcomeHref: loaded.pack.outcomeEndorsement != nil && d.startedAt != nil ? SiteURL.discussionPart(d.id!, .outcome).path : "",
            versionsHref: SiteURL.discussionPart(d.id!, .versions).path,
            canSeeRecord: loaded.allows(.viewRecord) && loaded.allows(.recordMeeting),
            minutesHref: SiteURL.discussionPart(d.id!, .minutes).path,
            isInvitee: loaded.context.invitee && !loaded.allows(.recordMeeting),
            cancellation: d.stage == .cancelled ? d.cancellation : "",
            decisionReason: d.stage == .declined ? d.decisionReason : "")
    }
}
