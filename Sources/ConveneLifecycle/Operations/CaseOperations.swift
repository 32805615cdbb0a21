import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    public static let followUpEvents: [EventType] = [.s47Completed, .icpcHeld, .assessmentCompleted, .ladoReferralMade]

    /// s47 completion, ICPC, assessment or LADO referral, on the case timeline.
    public static func addCaseEvent(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, type: EventType?, at: Date?,
                             icpcRequired: Bool?, note: String) async throws -> UUID {
        var checks = FieldChecks()
        if type == nil || !followUpEvents.contains(type!) { checks.fail("type", "Choose what happened") }
        if let at {
            if at > ctx.now.addingTimeInterval(300) { checks.fail("at", "It must not be in the future") }
            if at < timeline.caseRecord.concernReceivedAt { checks.fail("at", "It cannot be before the referral") }
        } else {
            checks.fail("at", "Enter when it happened")
        }
        if type == .s47Completed && icpcRequired == nil {
            checks.fail("icpcRequired", "Say whether the enquiry decided an ICPC is needed")
        }
        checks.limit(note, "note", max: 2000)
        if type == .s47Completed && loaded.pack.outcomeEndorsement != nil {
            // DEC-004-01: the outcome is shared with the members, so it must be written down.
            checks.text(note, "note", "Give the outcome of the section 47 enquiry: it is shared with the discussion’s members")
        }
        try checks.finish()
        let event = CaseEvent(caseID: timeline.caseRecord.id!, type: type!, at: at!,
                              details: CaseEventDetails(icpcRequired: type == .s47Completed ? icpcRequired : nil, note: note.trimmed),
                              recordedBy: loaded.user.id)
        let pack = loaded.pack
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            try await event.create(on: db)
            var records = [loaded.audit("case-event", "case", detail: type!.rawValue)]
            if type == .s47Completed {
                let shared = try await shareS47Outcome(ctx, pack: pack, timeline: timeline, note: note.trimmed, on: db)
                if shared > 0 { records.append(loaded.audit("outcome-shared", "case", detail: "with \(shared) members")) }
            }
            return ((), records)
        }
        return event.id!
    }

    /// A review discussion, linked to the first (TIME-002-04, TIME-000-03); a manager's own
    /// request needs no separate decision.
    public static func requestReview(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, urgency: Urgency?,
                              reason: String) async throws -> UUID {
        var checks = FieldChecks()
        if urgency == nil || urgency == .other { checks.fail("urgency", "Choose how urgent the review is") }
        checks.text(reason, "reason", "Say why a review discussion is needed", max: 8000)
        try checks.finish()
        let user = loaded.user
        let now = ctx.now
        guard let first = timeline.discussions.first, let caseID = timeline.caseRecord.id else { throw LifecycleError.notFound() }
        let sequence = (timeline.discussions.map(\.sequence).max() ?? 1) + 1
        var request = first.request
        request.urgency = urgency!
        request.agreedDue = nil
        request.urgencyRationale = ""
        request.rationale = reason.trimmed
        request.children = loaded.childDetails
        let review = Discussion(organisationID: first.organisationID, teamID: first.teamID, caseID: caseID, sequence: sequence,
                                parentID: first.id, reference: timeline.caseRecord.reference + "/\(sequence)", request: request,
                                requestedBy: user.id, requestedAt: now)
        if user.role == .teamManager || user.role == .serviceManager {
            review.stage = .awaitingBooking
            review.decidedBy = user.id
            review.decidedAt = now
            review.decisionReason = "Review agreed by the manager"
            review.chairID = first.chairID ?? user.id
        }
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            RecordSeal.reseal(review, key: try db.keyRing().sealKey)
            try await review.create(on: db)
            return ((), [loaded.audit("create", "discussion", detail: "review discussion \(review.reference)")])
        }
        return review.id!
    }

    /// TIME-000-01: the reason a duty was late; INT-ALL-06: a deadline changed only with the
    /// approving manager and a rationale.
    public static func addDutyNote(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline, duty: Duty?, discussionKey: String?,
                            kind: DutyNote.Kind?, due: Date?, text: String) async throws {
        var checks = FieldChecks()
        let known = timeline.duties(pack: loaded.pack, asOf: ctx.now)
        if duty == nil || !known.contains(where: { $0.duty == duty && $0.discussion == discussionKey }) {
            checks.fail("duty", "Choose one of the case’s deadlines")
        }
        if kind == nil { checks.fail("kind", "Choose what you are recording") }
        if kind == .override {
            guard loaded.allows(.overrideDeadline) else {
                throw LifecycleError.notAllowed("Only a team or service manager can change a deadline (INT-ALL-06).")
            }
            if due == nil { checks.fail("due", "Enter the new deadline") }
        }
        checks.text(text, "text", kind == .override ? "Give the rationale for changing the deadline" : "Give the reason it was late",
                    max: 4000)
        try checks.finish()
        let note = DutyNote(caseID: timeline.caseRecord.id!, kind: kind!, duty: duty!, discussionKey: discussionKey,
                            due: kind == .override ? due : nil, text: text.trimmed, recordedBy: loaded.user.id,
                            recordedByName: loaded.user.name)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            try await note.create(on: db)
            return ((), [loaded.audit(kind == .override ? "deadline-override" : "late-reason", "case", reason: text.trimmed,
                                      detail: duty!.rawValue + (discussionKey.map { " " + $0 } ?? ""))])
        }
    }

    /// IMM-000-01, IMM-000-02: emergency action, which starts the pack's post-action timescale.
    public static func addImmediateProtection(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ timeline: CaseTimeline,
                                       _ record: ImmediateProtection?, at: Date?,
                                       formErrors: [InputError] = []) async throws -> UUID {
        var checks = FieldChecks()
        // Problems the form found reading its fields (an unreadable date) come first.
        checks.merge(formErrors)
        if let record {
            if !loaded.pack.agencies.contains(where: { $0.id == record.agency }) { checks.fail("agency", "Choose the agency") }
            checks.text(record.takenBy, "takenBy", "Enter who took the action", max: 200)
            checks.text(record.childLocation, "childLocation", "Enter where the child is now", max: 500)
            checks.text(record.otherChildren, "otherChildren", "Say how other children were considered", max: 4000)
            checks.limit(record.responsibleAuthority, "responsibleAuthority", max: 1000)
        } else {
            checks.fail("power", "Choose the action taken")
        }
        if let at {
            if at > ctx.now.addingTimeInterval(300) { checks.fail("at", "It must not be in the future") }
        } else if !formErrors.contains(where: { $0.field == FieldPath("at") }) {
            checks.fail("at", "Enter when the action was taken")
        }
        try checks.finish()
        let event = CaseEvent(caseID: timeline.caseRecord.id!, type: .immediateAction, at: at!,
                              details: CaseEventDetails(immediateProtection: record), recordedBy: loaded.user.id)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            try await event.create(on: db)
            return ((), [loaded.audit("immediate-protection", "case", detail: record!.power.rawValue)])
        }
        return event.id!
    }
}
