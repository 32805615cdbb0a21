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
        let snapshot = try await RecordBuilder.snapshot(loaded, on: req.db)
        let missing = RecordReview.missing(pack: loaded.pack, record: snapshot)
        let timeline = try await CaseTimeline.load(caseID: loaded.caseRecord.id!, on: req.db)
        let duties = timeline?.duties(pack: loaded.pack, asOf: req.now) ?? []
        let deadlines = (timeline?.duties(of: d, in: duties) ?? []).map { Display.deadline($0, now: req.now) }

        let page = Page(
            id: d.id!.slug, reference: d.reference, meetingName: loaded.pack.meetingName, packName: loaded.pack.name,
            stage: Display.tag(d.stage), children: Display.children(loaded.childDetails, today: today),
            urgency: loaded.pack.request.urgencies.first { $0.urgency == d.urgency }?.label ?? d.urgency.rawValue,
            slot: Display.when(d) + (d.meetingFormat.isEmpty ? "" : " (\(MeetingFormat.label(d.meetingFormat)))"),
            sections: DiscussionTasks.sections(loaded, missing: missing, snapshot: snapshot).map(TaskSection.init),
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
        struct Row: Encodable {
            let key: String
            let value: String
        }

        struct Group: Encodable {
            let title: String
            let rows: [Row]
        }

        let reference: String
        let groups: [Group]
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
        let r = loaded.discussion.request
        let pack = loaded.pack
        typealias Row = RequestPage.Row
        func date(_ d: LocalDate?) -> String { d.map { UKDisplay.date($0) } ?? "Not known" }
        var groups: [RequestPage.Group] = [
            .init(title: "Urgency and case", rows: [
                Row(key: "Urgency", value: pack.request.urgencies.first { $0.urgency == r.urgency }?.label ?? r.urgency.rawValue),
                Row(key: "Agreed time", value: r.agreedDue.map { UKDisplay.dateTime($0) } ?? "–"),
                Row(key: "Service manager’s rationale", value: r.urgencyRationale.isBlank ? "–" : r.urgencyRationale),
                Row(key: "Case type", value: r.caseType == .newReferral ? "New referral" : "Open case"),
                Row(key: "Referral or new information received", value: UKDisplay.dateTime(r.concernReceivedAt)),
                Row(key: "Requested", value: UKDisplay.dateTime(loaded.discussion.requestedAt)),
            ]),
            .init(title: "Team", rows: [
                Row(key: "Locality", value: r.locality), Row(key: "Allocated social worker", value: r.allocatedSocialWorker),
                Row(key: "Team manager", value: r.teamManager), Row(key: "Service manager", value: r.serviceManager),
            ]),
        ]
        for (i, child) in r.children.enumerated() {
            groups.append(.init(title: "Child \(i + 1): \(child.name)", rows: [
                Row(key: child.unborn ? "Expected date of delivery" : "Date of birth",
                    value: child.unborn ? date(child.expectedDate) : date(child.dateOfBirth)),
                Row(key: "Ethnicity", value: child.ethnicity.isBlank ? "Not recorded" : child.ethnicity),
                Row(key: "Disability", value: child.disability.isBlank ? "None known" : child.disability),
                Row(key: "Case number", value: child.caseNumber.isBlank ? "–" : child.caseNumber),
                Row(key: "Address", value: child.address.isBlank ? "–" : child.address),
                Row(key: "Circumstances", value: [child.lookedAfter ? "Looked after" : nil, child.youthJusticeOpen ? "Open to youth justice" : nil,
                                                  child.inPatient ? "In hospital" : nil,
                                                  child.hospitalServices ? "Hospital or child development services" : nil].compactMap { $0 }.joined(separator: ", ").ifBlank("–")),
            ]))
        }
        for (title, people) in [("Parents and carers", r.parentsCarers), ("Other relevant children", r.otherChildren),
                                ("Other relevant adults", r.otherAdults)] where !people.isEmpty {
            groups.append(.init(title: title, rows: people.map { p in
                Row(key: p.name, value: [p.dateOfBirth.map { "Born " + UKDisplay.date($0) }, p.address.isBlank ? nil : p.address,
                                         p.caseNumber.isBlank ? nil : "Case " + p.caseNumber,
                                         p.checks.isBlank ? nil : "Checks: " + p.checks].compactMap { $0 }.joined(separator: ". "))
            }))
        }
        groups.append(.init(title: "The concern", rows: [
            Row(key: "Presenting issue", value: r.presentingIssue),
            Row(key: "Date of incident", value: date(r.incidentDate)),
            Row(key: "Rationale", value: r.rationale),
            Row(key: "Concerns", value: r.concerns.map { c in pack.concerns.first { $0.id == c }?.name ?? c }.joined(separator: ", ").ifBlank("–")),
            Row(key: "Complex concerns", value: r.complex ? "Yes" : "No"),
            Row(key: "Immediate safeguarding concerns", value: r.caseFacts.immediateConcerns ? "Yes" : "No"),
            Row(key: "Checks requested", value: r.checksRequested.ifBlank("–")),
        ]))
        if !r.proposedAttendees.isEmpty {
            groups.append(.init(title: "Proposed attendees", rows: r.proposedAttendees.map {
                Row(key: $0.name, value: [pack.agencyName($0.agency), $0.role, $0.email].filter { !$0.isBlank }.joined(separator: ", "))
            }))
        }
        return try await req.page("request-view", title: "Request \(loaded.discussion.reference)",
                                  RequestPage(reference: loaded.discussion.reference, groups: groups,
                                              backHref: SiteURL.discussion(loaded.id).path,
                                              sarc: SarcPrompt(loaded, state: state, returnTo: "request", csrf: req.csrfToken)),
                                  errors: errors,
                                  notification: req.query[String.self, at: "done"].flatMap { Display.doneMessages[$0] }.map { .success($0) },
                                  backLink: SiteURL.discussion(loaded.id).path)
    }
}
