import Foundation

/// Decides which reminders and escalations are due, to whom, from the timescale engine's
/// duties (the only source of deadlines), agreed actions and waiting disclosure requests.
/// Pure: the scheduler passes `now`, and sends each reminder's `key` at most once per person.
///
/// When a reminder goes:
/// - Deadlines counted in hours or "the same day" (INT-ALL-01, INT-ALL-04) run on the clock,
///   nights and weekends included (a 2-hour discussion cannot wait for Monday): `approaching`
///   a quarter of the time before the deadline (at least 15 minutes, at most 4 hours), and
///   `overdue` the moment it passes.
/// - Deadlines counted in working days, agreed with a manager or set by a discussion
///   (INT-ALL-02, TIME-000-03) run in working hours (`WorkingHours`, bank holidays
///   excluded): `approaching` at the opening of the working day before the deadline's day,
///   `due` at the opening of that day, `overdue` at the first working moment after it.
/// - An action (ACT-ALL-03): `approaching` ("due tomorrow") at the opening of the last working
///   day before its date, to its owner; `overdue` at the opening of the first working day
///   after, to its owner (the chair when the owner has no account); `escalated` a working day
///   later, to the chair.
/// - A disclosure request (REC-ALL-02) not decided a working day after it was made (the same
///   time on the next working day, within working hours): `overdue`, to the service managers.
///
/// Who: a discussion not yet booked, its minute takers and the team manager (overdue: the
/// service managers too); action summary and minutes, the discussion's chair and minute
/// taker; review discussion, its chair and the minute takers; section 47 enquiry, ICPC,
/// assessment and LADO referral, the social worker and the team manager (overdue s47 and
/// ICPC: the service managers too).
public struct ReminderPolicy: Sendable {
    public let hours: WorkingHours
    /// A threshold passed longer ago than this is not sent: a scheduler started after a long
    /// stop (or for the first time) does not fill inboxes with stale reminders; the pages
    /// show every overdue duty anyway.
    public let maximumAge: TimeInterval

    public init(hours: WorkingHours = .standard, maximumAge: TimeInterval = 7 * 86_400) {
        self.hours = hours
        self.maximumAge = maximumAge
    }

    // MARK: - What is due now

    /// The reminders to send at `now`: for each subject, the latest threshold reached (an
    /// earlier one not yet sent is superseded), unless it is older than `maximumAge`.
    public func due(_ planned: [Reminder], now: Date) -> [Reminder] {
        var latest: [ReminderSubject: Reminder] = [:]
        for reminder in planned where reminder.at <= now {
            if let current = latest[reminder.subject], current.threshold >= reminder.threshold { continue }
            latest[reminder.subject] = reminder
        }
        return latest.values.filter { now.timeIntervalSince($0.at) <= maximumAge }
            .sorted { ($0.at, $0.key) < ($1.at, $1.key) }
    }

    public func due(_ c: CaseReminderFacts, now: Date) -> [Reminder] { due(plan(c), now: now) }
    public func due(_ a: ActionReminderFacts, now: Date) -> [Reminder] { due(plan(a), now: now) }
    public func due(_ d: DisclosureReminderFacts, now: Date) -> [Reminder] { due(plan(d), now: now) }

    // MARK: - Every threshold, past and future

    /// Every reminder a case's open duties will have, whenever it falls.
    public func plan(_ c: CaseReminderFacts) -> [Reminder] {
        var result: [Reminder] = []
        for duty in c.duties {
            guard let deadline = duty.due, duty.fulfilledAt == nil,
                  duty.status == .open || duty.status == .missed else { continue }
            guard let (kind, audience, escalation) = responsibility(for: duty, in: c) else { continue }
            let subject = ReminderSubject.duty(caseID: c.caseID, duty: duty.duty, discussion: duty.discussion)
            for (threshold, at) in thresholds(deadline: deadline, basis: duty.basis.at, timescale: duty.timescale) {
                let who = threshold >= .overdue ? audience + escalation : audience
                result.append(Reminder(subject: subject, threshold: threshold, at: at, deadline: deadline, audience: who,
                                       kind: kind, reference: c.reference, rule: duty.rule))
            }
        }
        return result
    }

    /// An open action's "due tomorrow", overdue and escalation to the chair (ACT-ALL-03).
    public func plan(_ a: ActionReminderFacts) -> [Reminder] {
        let action = a.action
        guard let dueDate = action.due, action.status == .open || action.status == .inProgress else { return [] }
        let deadline = EuropeLondon.endOfDay(dueDate)
        let owner = action.ownerPersonID.map { [ReminderAudience.person($0)] } ?? []
        let chair = a.chair.map { [ReminderAudience.person($0)] } ?? []
        let overdueDay = hours.workingDay(after: dueDate)
        var steps: [(ReminderThreshold, Date, [ReminderAudience])] = [
            (.approaching, hours.opening(of: hours.workingDay(before: dueDate)), owner),
            (.overdue, hours.opening(of: overdueDay), owner.isEmpty ? chair : owner),
            (.escalated, hours.opening(of: hours.workingDay(after: overdueDay)), chair),
        ]
        steps.removeAll { $0.2.isEmpty }
        return steps.map { threshold, at, who in
            Reminder(subject: .action(action.id), threshold: threshold, at: at, deadline: deadline, audience: who,
                     kind: .actionReminder, reference: a.reference, rule: "ACT-ALL-03")
        }
    }

    /// A disclosure request waiting over a working day, to the service managers (REC-ALL-02).
    public func plan(_ d: DisclosureReminderFacts) -> [Reminder] {
        guard !d.decided else { return [] }
        let at = hours.oneWorkingDay(after: d.requestedAt)
        return [Reminder(subject: .disclosure(d.id), threshold: .overdue, at: at, deadline: at,
                         audience: [.role(.serviceManager)], kind: .disclosureReminder, reference: d.reference,
                         rule: "REC-ALL-02")]
    }

    // MARK: - When

    /// The thresholds of a deadline, by how its timescale counts.
    func thresholds(deadline: Date, basis: Date, timescale: Timescale) -> [(ReminderThreshold, Date)] {
        switch timescale {
        case .elapsed, .sameDay:
            let span = max(0, deadline.timeIntervalSince(basis))
            let lead = min(max(span / 4, 15 * 60), 4 * 3600)
            var steps: [(ReminderThreshold, Date)] = []
            if span > lead { steps.append((.approaching, deadline.addingTimeInterval(-lead))) }
            steps.append((.overdue, deadline.addingTimeInterval(1)))
            return steps
        case .workingDays, .agreedDue, .furtherDiscussionBy:
            let day = EuropeLondon.localDate(of: deadline)
            let basisDay = EuropeLondon.localDate(of: basis)
            var steps: [(ReminderThreshold, Date)] = []
            let before = hours.workingDay(before: day)
            if before > basisDay { steps.append((.approaching, hours.opening(of: before))) }
            if hours.calendar.isWorkingDay(day), day > basisDay, hours.opening(of: day) < deadline {
                steps.append((.due, hours.opening(of: day)))
            }
            steps.append((.overdue, hours.nextOpen(onOrAfter: deadline.addingTimeInterval(1))))
            return steps
        }
    }

    // MARK: - Who

    /// The kind of reminder, who is told, and who else once it is overdue; nil when nobody
    /// needs telling (a discussion already booked).
    func responsibility(for duty: DutyAssessment, in c: CaseReminderFacts)
        -> (NoticeKind, [ReminderAudience], [ReminderAudience])? {
        let people = duty.discussion.flatMap { c.discussions[$0] } ?? DiscussionPeople()
        let chair = people.chair.map(ReminderAudience.person) ?? .role(.teamManager)
        let minuteTaker = people.minuteTaker.map(ReminderAudience.person) ?? .role(.minuteTaker)
        let socialWorker = c.socialWorker.map(ReminderAudience.person) ?? .role(.socialWorker)
        switch duty.duty {
        case .strategyDiscussion, .faceToFaceMeeting:
            guard !c.booked.contains(DutyReference(duty.duty, discussion: duty.discussion)) else { return nil }
            return (.bookingReminder, [.role(.minuteTaker), .role(.teamManager)], [.role(.serviceManager)])
        case .reviewDiscussion:
            guard !c.booked.contains(DutyReference(duty.duty, discussion: duty.discussion)) else { return nil }
            return (.enquiryReminder, [chair, .role(.minuteTaker)], [.role(.serviceManager)])
        case .actionSummary, .minutesAuthorisation, .minutesCirculation:
            return (.recordReminder, [chair, minuteTaker], [])
        case .s47Completion, .icpc:
            return (.enquiryReminder, [socialWorker, .role(.teamManager)], [.role(.serviceManager)])
        case .assessment, .ladoReferral:
            return (.enquiryReminder, [socialWorker, .role(.teamManager)], [])
        }
    }
}
