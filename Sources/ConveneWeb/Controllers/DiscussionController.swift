import ConveneCore
import ConveneStore
import Fluent
import Foundation
import Vapor

/// The discussion's task list: every step from request to circulated minutes, what is done,
/// what is next, and every deadline with its rule (INT-ALL-06).
enum DiscussionController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", use: show)
        routes.get("discussions", ":id", "request", use: showRequest)
    }

    struct TaskItem: Encodable {
        let name: String
        let href: String
        let hint: String
        let status: String
        let tag: String
    }

    struct TaskSection: Encodable {
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
                return TaskItem(name: task.name, href: task.link?.path ?? "", hint: task.hint, status: status, tag: tag)
            }
        }
    }

    struct Page: Encodable {
        let id: String
        let reference: String
        let meetingName: String
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

    @Sendable static func show(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, detail: "task list")
        let d = loaded.discussion
        let today = EuropeLondon.localDate(of: req.now)
        let overview = try await Operations.discussionOverview(req.lifecycle, loaded)
        let deadlines = overview.deadlines.map { Display.deadline($0, now: req.now) }

        let page = Page(
            id: d.id!.slug, reference: d.reference, meetingName: loaded.pack.meetingName, packName: loaded.pack.name,
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
        let done = req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }
        return try await req.page("discussion", title: "\(d.reference) – \(loaded.pack.meetingName)", page,
                                  notification: done.map { .success($0) })
    }

    struct RequestPage: Encodable {
        let reference: String
        let groups: [RequestDocument.Group]
        let backHref: String
        let sarc: SarcPrompt
    }

    @Sendable static func showRequest(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        try await req.logView(loaded, detail: "request")
        return try await renderRequest(req, loaded, state: FormState())
    }

    static func renderRequest(_ req: Request, _ loaded: LoadedDiscussion, state: FormState, errors: [InputError] = []) async throws
        -> Response
    {
        return try await req.page("request-view", title: "Request \(loaded.discussion.reference)",
                                  RequestPage(reference: loaded.discussion.reference,
                                              groups: RequestDocument(loaded.discussion.request, requestedAt: loaded.discussion.requestedAt,
                                                                      pack: loaded.pack).groups,
                                              backHref: SiteURL.discussion(loaded.id).path,
                                              sarc: SarcPrompt(loaded, state: state, returnTo: "request", csrf: req.csrfToken)),
                                  errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }
}
