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
            slot: Display.when(d) + (d.meetingFormat.isEmpty ? "" : " (\(format(d.meetingFormat)))"),
            sections: sections(loaded, missing: missing, snapshot: snapshot),
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

    static func format(_ value: String) -> String {
        switch value {
        case "in-person": "in person"
        case "virtual": "virtual"
        case "phone": "phone or teleconference"
        case "hybrid": "in person and virtual"
        default: value
        }
    }

    static let stageRank: [DiscussionStage: Int] = [
        .requested: 0, .awaitingBooking: 1, .booked: 2, .inMeeting: 3, .recordFinal: 4, .authorised: 5, .circulated: 6,
        .declined: -1, .cancelled: -1,
    ]

    static func sections(_ loaded: LoadedDiscussion, missing: [InputError], snapshot: RecordSnapshot) -> [TaskSection] {
        let d = loaded.discussion
        let id = d.id!
        let rank = stageRank[d.stage] ?? -1
        func item(_ name: String, _ part: SiteURL.DiscussionPart?, permission: Permission, available: Bool, done: Bool,
                  hint: String = "", progress: String? = nil) -> TaskItem {
            let allowed = loaded.allows(permission)
            let href = (available || done) && allowed ? part.map { SiteURL.discussionPart(id, $0).path } ?? "" : ""
            if done { return TaskItem(name: name, href: href, hint: hint, status: "Completed", tag: "") }
            if !available { return TaskItem(name: name, href: "", hint: hint, status: "Cannot start yet", tag: "") }
            if !allowed { return TaskItem(name: name, href: "", hint: hint, status: "Waiting for others", tag: "") }
            return TaskItem(name: name, href: href, hint: hint, status: progress ?? "To do", tag: progress == nil ? "blue" : "light-blue")
        }
        func missingIn(_ prefix: String) -> Int {
            missing.filter { $0.field.description.hasPrefix(prefix) }.count
        }
        if rank < 0 {
            return [TaskSection(number: 1, title: "Request", items: [
                TaskItem(name: "View the request", href: SiteURL.discussionPart(id, .request).path, hint: "", status: "Completed", tag: ""),
                TaskItem(name: d.stage == .declined ? "Not convened" : "Cancelled", href: "",
                         hint: d.stage == .declined ? d.decisionReason : d.cancellation, status: d.stage.label, tag: "grey"),
            ])]
        }
        let meeting = rank >= 2
        var sections = [
            TaskSection(number: 1, title: "Request and booking", items: [
                TaskItem(name: "View the request", href: SiteURL.discussionPart(id, .request).path, hint: "", status: "Completed", tag: ""),
                item("Decide whether to convene", .decision, permission: .decideConvene, available: rank == 0, done: rank >= 1,
                     hint: "Team manager (REQ-001-02)"),
                item("Book the \(loaded.pack.meetingName)", .booking, permission: rank >= 2 ? .rebookOrCancel : .book,
                     available: rank == 1, done: rank >= 2, hint: d.slotStart.map { UKDisplay.dateTime($0) } ?? "Minute taker"),
                item("Invite the attendees", .invitations, permission: .manageInvitations, available: meeting,
                     done: meeting && !loaded.invitations.isEmpty && loaded.invitations.allSatisfy { $0.sentAt != nil || !$0.invited },
                     hint: "Required invitees come from the procedure",
                     progress: loaded.invitations.isEmpty ? nil : "In progress"),
            ]),
            TaskSection(number: 2, title: "The meeting", items: [
                item("Attendance and quoracy", .attendance, permission: .recordMeeting, available: meeting,
                     done: d.quoracy != nil && snapshot.attendance.allSatisfy { $0.mode != nil },
                     hint: "Check quoracy before recording decisions (ATT-ALL-03)"),
                item("Agenda and notes", .agenda, permission: .recordMeeting, available: meeting,
                     done: meeting && missingIn("sections") == 0 && !d.content.sections.isEmpty,
                     progress: d.content.sections.isEmpty ? nil : "In progress"),
                item("Checklist", .checklist, permission: .recordMeeting, available: meeting,
                     done: meeting && missingIn("checklist") == 0,
                     hint: "\(d.content.checklist.count) of \(loaded.pack.checklist.count) answered",
                     progress: d.content.checklist.isEmpty ? nil : "In progress"),
            ] + loaded.children.map { child in
                let path = "decisions." + child.id!.slug
                let started = snapshot.decision(for: child.id!) != nil
                let allowed = loaded.allows(.recordMeeting)
                let done = meeting && started && missingIn(path) == 0
                let available = meeting && (d.quoracy?.allowsDecisions ?? false)
                return TaskItem(
                    name: "Decisions for \(child.name)", href: (available || done) && allowed ? SiteURL.decisionsForChild(id, child.id!).path : "",
                    hint: available || done ? "" : "After the quoracy check", status: done ? "Completed" : (available ? (started ? "In progress" : "To do") : "Cannot start yet"),
                    tag: done || !available ? "" : (started ? "light-blue" : "blue"))
            } + [
                item("SMART actions and safety plan", .actions, permission: .recordMeeting, available: meeting,
                     done: meeting && missingIn("actions") == 0 && missingIn("safetyPlan") == 0 && missingIn("monitoredBy") == 0
                        && !snapshot.actions.isEmpty,
                     hint: "\(snapshot.actions.filter { $0.kind == .action }.count) actions, \(snapshot.actions.filter { $0.kind == .safetyPlan }.count) safety plan items",
                     progress: snapshot.actions.isEmpty ? nil : "In progress"),
            ]),
            TaskSection(number: 3, title: "The record", items: [
                item("Check and finalise the record", .record, permission: .finaliseRecord, available: rank == 3, done: rank >= 4,
                     hint: rank == 3 ? (missing.isEmpty ? "Ready to finalise" : "\(missing.count) things to complete") : "Chair",
                     progress: rank == 3 && !missing.isEmpty ? "In progress" : nil),
                item("Authorise the record", .record, permission: .authoriseRecord, available: rank == 4, done: rank >= 5,
                     hint: "A social care manager (REC-ALL-01)"),
                item("Circulate to the invitees", .record, permission: .circulateRecord, available: rank == 5, done: rank >= 6,
                     hint: "Invitees only (REC-ALL-02)"),
            ]),
        ]
        if rank >= 6 {
            sections.append(TaskSection(number: 4, title: "After circulation", items: [
                item("Corrections from invitees", .corrections, permission: .decideCorrection, available: true, done: false,
                     hint: loaded.pack.circulation.correctionsWindowSeconds.map { "Within \($0 / 3600) hours of receipt" } ?? ""),
            ]))
        }
        return sections
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

extension String {
    func ifBlank(_ replacement: String) -> String {
        isBlank ? replacement : self
    }
}
