import ConveneCore
import ConveneStore
import Foundation

/// The discussion's task list: every step from request to circulated minutes, whether it is
/// done, can start, waits for someone else, or is for this person to do now, and where.
public enum DiscussionTasks {
    public enum State: Sendable, Hashable {
        case completed
        case cannotStartYet
        case waitingForOthers
        case toDo
        case inProgress
        /// The discussion was declined or cancelled: the stage says which.
        case closed(String)
    }

    public struct Task: Sendable, Hashable {
        public let name: String
        /// The page of the step, when the person may open it now.
        public let link: SiteURL?
        public let hint: String
        public let state: State
        /// The place on the linked page (a read-only section of the record).
        public var fragment = ""

        /// The link with its place on the page.
        public var href: String { link.map { $0.path + (fragment.isEmpty ? "" : "#" + fragment) } ?? "" }
    }

    public struct Section: Sendable, Hashable {
        public let number: Int
        public let title: String
        public let tasks: [Task]
    }

    static let stageRank: [DiscussionStage: Int] = [
        .requested: 0, .awaitingBooking: 1, .booked: 2, .inMeeting: 3, .recordFinal: 4, .authorised: 5, .circulated: 6,
        .declined: -1, .cancelled: -1,
    ]

    public static func sections(_ loaded: LoadedDiscussion, missing: [InputError], snapshot: RecordSnapshot) -> [Section] {
        let d = loaded.discussion
        let id = d.id!
        let rank = stageRank[d.stage] ?? -1
        func item(_ name: String, _ part: SiteURL.DiscussionPart?, permission: Permission, available: Bool, done: Bool,
                  hint: String = "", started: Bool = false) -> Task {
            let allowed = loaded.allows(permission)
            let link = (available || done) && allowed ? part.map { SiteURL.discussionPart(id, $0) } : nil
            if done { return Task(name: name, link: link, hint: hint, state: .completed) }
            if !available { return Task(name: name, link: nil, hint: hint, state: .cannotStartYet) }
            if !allowed { return Task(name: name, link: nil, hint: hint, state: .waitingForOthers) }
            return Task(name: name, link: link, hint: hint, state: started ? .inProgress : .toDo)
        }
        func missingIn(_ prefix: String) -> Int {
            missing.filter { $0.field.description.hasPrefix(prefix) }.count
        }
        if rank < 0 {
            return [Section(number: 1, title: "Request", tasks: [
                Task(name: "View the request", link: .discussionPart(id, .request), hint: "", state: .completed),
                Task(name: d.stage == .declined ? "Not convened" : "Cancelled", link: nil,
                     hint: d.stage == .declined ? d.decisionReason : d.cancellation, state: .closed(d.stage.label)),
            ])]
        }
        let meeting = rank >= 2
        // Once the record is final, each part of the meeting is read in the record (the
        // minutes, for invitees) rather than edited (issue 14).
        let readOnly = rank >= 4 && loaded.allows(.viewRecord)
        func readable(_ task: Task, _ fragment: String) -> Task {
            guard readOnly else { return task }
            var copy = Task(name: task.name, link: .discussionPart(id, .record), hint: task.hint, state: task.state)
            copy.fragment = fragment
            return copy
        }
        var meetingTasks: [Task] = [
            readable(item("Attendance and quoracy", .attendance, permission: .recordMeeting, available: meeting,
                          done: d.quoracy != nil && snapshot.attendance.allSatisfy { $0.mode != nil },
                          hint: "Check quoracy before recording decisions"), "record-attendance"), // ATT-ALL-03
            readable(item("Agenda and notes", .agenda, permission: .recordMeeting, available: meeting,
                          done: meeting && missingIn("sections") == 0 && !d.content.sections.isEmpty,
                          started: !d.content.sections.isEmpty), "record-agenda"),
            readable(item("Checklist", .checklist, permission: .recordMeeting, available: meeting,
                          done: meeting && missingIn("checklist") == 0,
                          hint: "\(d.content.checklist.count) of \(loaded.pack.checklist.count) answered",
                          started: !d.content.checklist.isEmpty), "record-checklist"),
        ]
        meetingTasks += loaded.children.map { child in
            let path = "decisions." + child.id!.slug
            let started = snapshot.decision(for: child.id!) != nil
            let allowed = loaded.allows(.recordMeeting)
            let done = meeting && started && missingIn(path) == 0
            let available = meeting && (d.quoracy?.allowsDecisions ?? false)
            return readable(Task(
                name: "Decisions for \(child.name)", link: (available || done) && allowed ? .decisionsForChild(id, child.id!) : nil,
                hint: available || done ? "" : "After the quoracy check",
                state: done ? .completed : (available ? (started ? .inProgress : .toDo) : .cannotStartYet)),
                "record-decisions-" + child.id!.slug)
        }
        let actionCount = snapshot.actions.filter { $0.kind == .action }.count
        let planCount = snapshot.actions.filter { $0.kind == .safetyPlan }.count
        meetingTasks.append(readable(item(
            "SMART actions and safety plan", .actions, permission: .recordMeeting, available: meeting,
            done: meeting && missingIn("actions") == 0 && missingIn("safetyPlan") == 0 && missingIn("monitoredBy") == 0
                && !snapshot.actions.isEmpty,
            hint: Display.count(actionCount, "action") + ", " + Display.count(planCount, "safety plan item"),
            started: !snapshot.actions.isEmpty), "record-actions"))
        // The chair's one page for the whole meeting, while the record is open (issue 14).
        if (rank == 2 || rank == 3) && loaded.allows(.recordMeeting) {
            meetingTasks.insert(Task(name: "Run the meeting on one page", link: .discussionPart(id, .meeting),
                                     hint: "Attendance, the agenda and checklist, decisions, actions and the safety plan",
                                     state: rank == 3 ? .inProgress : .toDo), at: 0)
        }
        var sections: [Section] = [
            Section(number: 1, title: "Request and booking", tasks: [
                Task(name: "View the request", link: .discussionPart(id, .request), hint: "", state: .completed),
                item("Decide whether to convene", .decision, permission: .decideConvene, available: rank == 0, done: rank >= 1,
                     hint: "Team manager"), // REQ-001-02
                item("Book the \(loaded.pack.meetingName)", .booking, permission: rank >= 2 ? .rebookOrCancel : .book,
                     available: rank == 1, done: rank >= 2, hint: d.slotStart.map { UKDisplay.dateTime($0) } ?? "Minute taker"),
                item("Invite the attendees", .invitations, permission: .manageInvitations, available: meeting,
                     done: meeting && !loaded.invitations.isEmpty && loaded.invitations.allSatisfy { $0.sentAt != nil || !$0.invited },
                     hint: "Required invitees come from the procedure",
                     started: !loaded.invitations.isEmpty),
            ]),
            Section(number: 2, title: "The meeting", tasks: meetingTasks),
            Section(number: 3, title: "The record", tasks: [
                item("Check and finalise the record", .record, permission: .finaliseRecord, available: rank == 3, done: rank >= 4,
                     hint: rank == 3 ? (missing.isEmpty ? "Ready to finalise" : Display.count(missing.count, "thing") + " to complete") : "Chair",
                     started: rank == 3 && !missing.isEmpty),
                item("Authorise the record", .record, permission: .authoriseRecord, available: rank == 4, done: rank >= 5,
                     hint: "A social care manager"), // REC-ALL-01
                item("Circulate to the invitees", .record, permission: .circulateRecord, available: rank == 5, done: rank >= 6,
                     hint: "Invitees only"), // REC-ALL-02
            ]),
        ]
        if rank >= 6 {
            sections.append(Section(number: 4, title: "After circulation", tasks: [
                item("Corrections from invitees", .corrections, permission: .decideCorrection, available: true, done: false,
                     hint: loaded.pack.circulation.correctionsWindowSeconds.map { "Within \(Display.count($0 / 3600, "hour")) of receipt" } ?? ""),
            ]))
        }
        if rank >= 3 && loaded.allows(.observeDiscussion) {
            sections.append(Section(number: sections.count + 1, title: "Oversight", tasks: [
                Task(name: "Record that you observed this discussion", link: .discussionPart(id, .observation),
                     hint: "Service managers observe at least one \(loaded.pack.meetingName) a month", state: .toDo), // OVS-001-01
            ]))
        }
        return sections
    }
}
