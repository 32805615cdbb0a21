import ConveneAPI
import ConveneCore
import ConveneStore
import Foundation

// Discussions, their children, invitations, quoracy and deadlines: domain → API.

extension Schemas.DiscussionSummary {
    init(_ d: Discussion) throws {
        self.init(
            id: try d.requireID(), reference: d.reference, caseId: d.$case.id, sequence: d.sequence, stage: try d.stage.term(),
            urgency: try d.urgency.term(), teamId: d.teamID, requestedAt: d.requestedAt, slotStart: d.slotStart,
            slotEnd: d.slotEnd, nextDuty: try Duty(rawValue: d.nextDuty)?.term(), nextDue: d.nextDue, version: d.lockVersion)
    }

    init(_ d: DiscussionRow) throws {
        self.init(
            id: d.id, reference: d.reference, caseId: d.caseID, sequence: d.sequence, stage: try d.stage.term(),
            urgency: try d.urgency.term(), teamId: d.teamID, requestedAt: d.requestedAt, slotStart: d.slotStart,
            slotEnd: d.slotEnd, nextDuty: try Duty(rawValue: d.nextDuty)?.term(), nextDue: d.nextDue, version: d.lockVersion)
    }
}

extension Schemas.Child {
    init(_ c: ChildDetails) {
        self.init(
            id: c.id, name: c.name, dateOfBirth: c.dateOfBirth?.description, unborn: c.unborn,
            expectedDate: c.expectedDate?.description, ethnicity: c.ethnicity, disability: c.disability, caseNumber: c.caseNumber,
            address: c.address, lookedAfter: c.lookedAfter, youthJusticeOpen: c.youthJusticeOpen, inPatient: c.inPatient,
            hospitalServices: c.hospitalServices)
    }
}

extension Schemas.Invitation {
    init(_ i: Invitation) throws {
        self.init(
            id: try i.requireID(), personId: i.personID, name: i.name, email: i.email, agency: i.agency, role: i.role,
            rule: i.rule, reason: i.reason, invited: i.invited, sentAt: i.sentAt, attendance: try i.attendance?.term(),
            circulatedAt: i.circulatedAt, phone: i.phone.isEmpty ? nil : i.phone)
    }
}

extension Schemas.Quoracy {
    init(_ q: QuoracyCheck) {
        self.init(quorate: q.quorate, urgentException: q.urgentException, missing: q.missing, proceedReason: q.proceedReason,
                  checkedAt: q.checkedAt)
    }
}

extension Schemas.Deadline {
    /// A duty from the timescale engine, with its rule and basis (INT-ALL-06).
    init(_ a: DutyAssessment) throws {
        self.init(
            duty: try a.duty.term(), title: a.duty.title, discussion: a.discussion, due: a.due, status: try a.status.term(),
            rule: a.rule.description, timescale: a.timescaleText, source: a.source, basis: a.basis.description,
            fulfilledAt: a.fulfilledAt,
            override: a.override.map { .init(rationale: $0.rationale, approvedBy: $0.approvedBy) })
    }
}

extension Schemas.DiscussionDetail {
    /// Invitees' contact details only for those who manage the invitations or the meeting
    /// (ASVS-5.0-8.2.3: field-level access).
    init(_ loaded: LoadedDiscussion, duties: [DutyAssessment]) throws {
        let d = loaded.discussion
        let showInvitations = loaded.allows(.manageInvitations) || loaded.allows(.recordMeeting)
        var booking: Schemas.BookingDetails?
        if let start = d.slotStart, let end = d.slotEnd, let format = Schemas.MeetingFormat(rawValue: d.meetingFormat) {
            booking = .init(slotStart: start, slotEnd: end, format: format, details: d.meetingDetails, chairId: d.chairID,
                            minuteTakerId: d.minuteTakerID)
        }
        self.init(
            discussion: try Schemas.DiscussionSummary(d),
            pack: .init(id: loaded.pack.id, name: loaded.pack.name, meetingName: loaded.pack.meetingName),
            booking: booking,
            decisionReason: d.decisionReason.isEmpty ? nil : d.decisionReason,
            cancellation: d.cancellation.isEmpty ? nil : d.cancellation,
            children: loaded.childDetails.map(Schemas.Child.init),
            invitations: showInvitations ? try loaded.invitations.map(Schemas.Invitation.init) : [],
            quoracy: d.quoracy.map(Schemas.Quoracy.init),
            deadlines: try duties.map(Schemas.Deadline.init))
    }
}
