import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    /// The agenda notes (AGN-000-01, AGN-001-02), keyed by agenda item or `item/childID`.
    public static func saveSections(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ sections: [String: String], expectedVersion: Int)
        async throws
    {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        let notes = try AgendaNotes(loaded, sections)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, _ in
            try StageError.check(.editRecord, at: d.stage)
            let changed = notes.apply(to: &d.content)
            if d.stage == .booked { d.stage = .inMeeting }
            return ((), [loaded.audit("record-edit", detail: "agenda notes: " + changed.joined(separator: ", "))])
        }
    }

    /// The checklist (AGN-000-02, AGN-001-01): an item not covered needs a reason.
    public static func saveChecklist(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ answers: [String: ChecklistAnswer],
                              expectedVersion: Int) async throws {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        try checkChecklist(loaded, answers)
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, _ in
            try StageError.check(.editRecord, at: d.stage)
            d.content.checklist = answers
            if d.stage == .booked { d.stage = .inMeeting }
            return ((), [loaded.audit("record-edit", detail: "checklist: \(answers.count) answered")])
        }
    }

    /// The meeting page's agenda (issue 14): the notes of every agenda item and the checklist
    /// answers asked beside them, saved together in one change with one audit entry.
    /// With the monitoring of the enquiry and the reason no safety plan is needed (ACT-ALL-02),
    /// which the meeting page asks after the agenda.
    /// Nothing is written when nothing changed (the answer is then false): an empty save is not
    /// a change, and says so.
    @discardableResult
    public static func saveMeetingNotes(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, sections: [String: String],
                                        checklist answers: [String: ChecklistAnswer], monitoring: Monitoring? = nil,
                                        expectedVersion: Int) async throws -> Bool {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var errors: [InputError] = []
        var notes: AgendaNotes?
        do { notes = try AgendaNotes(loaded, sections) } catch let failure as ValidationFailure { errors += failure.errors }
        do { try checkChecklist(loaded, answers) } catch let failure as ValidationFailure { errors += failure.errors }
        do { try monitoring?.check() } catch let failure as ValidationFailure { errors += failure.errors }
        guard let notes, errors.isEmpty else { throw ValidationFailure(errors: errors) }
        let current = loaded.discussion
        var preview = current.content
        _ = notes.apply(to: &preview)
        preview.checklist = answers
        monitoring?.apply(to: &preview)
        if preview == current.content && current.stage == .inMeeting && current.lockVersion == expectedVersion { return false }
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, _ in
            try StageError.check(.editRecord, at: d.stage)
            let changed = notes.apply(to: &d.content)
            d.content.checklist = answers
            monitoring?.apply(to: &d.content)
            if d.stage == .booked { d.stage = .inMeeting }
            return ((), [loaded.audit("record-edit", detail: "agenda notes: " + changed.joined(separator: ", ")
                                        + "; checklist: \(answers.count) answered" + (monitoring == nil ? "" : "; monitoring"))])
        }
        return true
    }

    /// Who monitors the enquiry, and why no safety plan is needed where none is.
    public struct Monitoring: Sendable {
        public var monitoredBy: String
        public var safetyPlanNotRequiredReason: String

        public init(monitoredBy: String, safetyPlanNotRequiredReason: String) {
            self.monitoredBy = monitoredBy
            self.safetyPlanNotRequiredReason = safetyPlanNotRequiredReason
        }

        func check() throws {
            var checks = FieldChecks()
            checks.limit(monitoredBy, "monitoredBy", max: 2000)
            checks.limit(safetyPlanNotRequiredReason, "safetyPlanNotRequiredReason", max: 2000)
            try checks.finish()
        }

        func apply(to content: inout RecordContent) {
            content.monitoredBy = monitoredBy.trimmed
            content.safetyPlanNotRequiredReason = safetyPlanNotRequiredReason.trimmed
        }
    }

    private static func checkChecklist(_ loaded: LoadedDiscussion, _ answers: [String: ChecklistAnswer]) throws {
        var checks = FieldChecks()
        for id in answers.keys.sorted() where !loaded.pack.checklist.contains(where: { $0.id == id }) {
            checks.fail(FieldPath("checklist").appending(id), "Not a checklist item of this procedure")
        }
        // In the order the form asks them, so the error summary lists them in that order.
        for item in loaded.pack.checklist {
            guard let answer = answers[item.id] else { continue }
            let field = FieldPath("checklist").appending(item.id)
            checks.limit(answer.note, field.appending("note"), max: 4000)
            if answer.response == .no && answer.note.isBlank && item.requiredForFinal {
                checks.fail(field.appending("note"), "Say why “\(item.text)” was not covered")
            }
        }
        try checks.finish()
    }

    /// Agenda notes checked against the pack's agenda and the discussion's children.
    struct AgendaNotes: Sendable {
        let valid: Set<String>
        let cleaned: [String: String]

        init(_ loaded: LoadedDiscussion, _ sections: [String: String]) throws {
            var valid = Set<String>()
            for item in loaded.pack.agenda {
                if item.perChild {
                    for child in loaded.children { valid.insert(RecordContent.key(item.id, child: child.id)) }
                } else {
                    valid.insert(item.id)
                }
            }
            var checks = FieldChecks()
            var cleaned: [String: String] = [:]
            for (key, text) in sections.sorted(by: { $0.key < $1.key }) {
                let field = FieldPath("sections").appending(key)
                if !valid.contains(key) { checks.fail(field, "Not an agenda item of this procedure") }
                checks.limit(text, field, max: 100_000)
                if !text.isBlank { cleaned[key] = text.trimmed }
            }
            try checks.finish()
            self.valid = valid
            self.cleaned = cleaned
        }

        /// Replaces the notes of the pack's items; returns the keys whose text changed.
        func apply(to content: inout RecordContent) -> [String] {
            let kept = content.sections.filter { !valid.contains($0.key) }
            let changed = Set(cleaned.keys).union(content.sections.keys)
                .filter { cleaned[$0] != content.sections[$0] && valid.contains($0) }
            content.sections = kept.merging(cleaned) { _, new in new }
            return changed.sorted()
        }
    }

    /// DEC-*: one child's decisions, after the quoracy check (ATT-ALL-03). Drafts are allowed;
    /// completeness is checked when the record is finalised.
    public static func saveDecision(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, childID: UUID, _ decision: ChildDecision,
                             expectedVersion: Int) async throws {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        guard loaded.children.contains(where: { $0.id == childID }) else { throw LifecycleError.notFound() }
        guard loaded.discussion.quoracy?.allowsDecisions == true else {
            throw LifecycleError.conflict("Record attendance and check quoracy before recording decisions (ATT-ALL-03).")
        }
        var checks = FieldChecks()
        let p = FieldPath("decisions").appending(childID.slug)
        if let outcome = decision.outcome, !loaded.pack.outcomes.contains(where: { $0.outcome == outcome }) {
            checks.fail(p.appending("outcome"), "Choose an outcome this procedure offers")
        }
        if let followUp = decision.followUp, !loaded.pack.withoutS47.contains(where: { $0.id == followUp }) {
            checks.fail(p.appending("followUp"), "Choose one of the options this procedure offers")
        }
        for (id, text) in decision.followUps ?? [:] {
            if !loaded.pack.withoutS47.contains(where: { $0.id == id }) {
                checks.fail(p.appending("followUps").appending(id), "Not a follow-up this procedure records")
            }
            checks.limit(text, p.appending("followUps").appending(id), max: 8000)
        }
        let texts: [(String, String)] = [
            ("significantHarmEvidence", decision.significantHarmEvidence), ("outcomeRationale", decision.outcomeRationale),
            ("followUpRationale", decision.followUpRationale), ("criminalInvestigationPlan", decision.criminalInvestigationPlan),
            ("medicalReason", decision.medicalReason), ("legalActionDetail", decision.legalActionDetail),
            ("ladoReason", decision.ladoReason), ("consentRationale", decision.consentRationale),
            ("parentsInformedRationale", decision.parentsInformedRationale), ("familyInformation", decision.familyInformation),
            ("familyInformationRationale", decision.familyInformationRationale),
            ("differingViewsDetail", decision.differingViewsDetail), ("differingViewsResolution", decision.differingViewsResolution),
        ]
        for (name, text) in texts { checks.limit(text, p.appending(name), max: 8000) }
        if let further = decision.furtherDiscussionBy, further < EuropeLondon.localDate(of: loaded.discussion.startedAt ?? ctx.now) {
            checks.fail(p.appending("furtherDiscussionBy"), "The further discussion must be after this one")
        }
        // A deferred decision is a duty due on the date set (DEC-ALL-01): without a date it is refused.
        if decision.outcome == .deferred && decision.furtherDiscussionBy == nil {
            checks.fail(p.appending("furtherDiscussionBy"), "Set the date by which the deferred decision will be made")
        }
        try checks.finish()
        let userID = loaded.user.id
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { discussion, db in
            try StageError.check(.editRecord, at: discussion.stage)
            if let row = try await ChildDecisionRecord.query(on: db).filter(\.$discussion.$id == loaded.id)
                .filter(\.$childID == childID).first() {
                row.decision = decision
                row.updatedBy = userID
                try await row.save(on: db)
            } else {
                try await ChildDecisionRecord(discussionID: loaded.id, childID: childID, decision: decision, updatedBy: userID)
                    .create(on: db)
            }
            return ((), [AuditRecord("record-edit", "discussion", id: loaded.id, caseID: loaded.caseRecord.id, childIDs: [childID],
                                     detail: "decisions, outcome \(decision.outcome?.rawValue ?? "not yet")")])
        }
    }

    /// ACT-ALL-01, ACT-ALL-02: a SMART action or safety plan item, validated in full.
    public static func addAction(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ action: SmartAction) async throws -> UUID {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var action = action
        if let ownerID = action.ownerPersonID {
            guard let person = try await Person.find(ownerID, on: ctx.db), person.$organisation.id == loaded.discussion.organisationID
            else { throw ValidationFailure(InputError(field: "owner", "Choose the person from the list")) }
            action.owner = person.name
            if action.agency.isEmpty { action.agency = person.agency }
        }
        let meetingDate = EuropeLondon.localDate(of: loaded.discussion.startedAt ?? loaded.discussion.slotStart ?? ctx.now)
        let errors = action.validate(pack: loaded.pack, meetingDate: meetingDate)
        if !errors.isEmpty { throw ValidationFailure(errors: errors) }
        let final = action
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            try StageError.check(.editRecord, at: d.stage)
            try await ActionRecord(discussionID: loaded.id, organisationID: d.organisationID, teamID: d.teamID, action: final)
                .create(on: db)
            if d.stage == .booked { d.stage = .inMeeting }
            return ((), [loaded.audit("action-add", "action", detail: "\(final.kind.rawValue): \(final.what.prefix(80))")])
        }
        return final.id
    }

    /// An action agreed in error is cancelled, never deleted, and the record keeps why (issue 14).
    public static func cancelAction(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, actionID: UUID, reason: String) async throws {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var checks = FieldChecks()
        let field = FieldPath("cancel").appending(actionID.slug).appending("reason")
        if reason.isBlank { checks.fail(field, "Say why the action is cancelled") }
        checks.limit(reason, field, max: 2000)
        try checks.finish()
        let why = reason.trimmed
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            guard let action = try await ActionRecord.find(actionID, on: db), action.$discussion.id == loaded.id else {
                throw LifecycleError.notFound()
            }
            guard action.status != .cancelled else { throw LifecycleError.conflict("This action is already cancelled.") }
            action.status = .cancelled
            action.statusNote = why
            try await action.save(on: db)
            return ((), [loaded.audit("action-cancel", "action", reason: why, detail: String(action.what.prefix(80)))])
        }
    }

    public static func saveMonitoring(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, monitoredBy: String, safetyPlanNotRequiredReason: String,
                               expectedVersion: Int) async throws {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        let monitoring = Monitoring(monitoredBy: monitoredBy, safetyPlanNotRequiredReason: safetyPlanNotRequiredReason)
        try monitoring.check()
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, _ in
            try StageError.check(.editRecord, at: d.stage)
            monitoring.apply(to: &d.content)
            return ((), [loaded.audit("record-edit", detail: "monitoring and safety plan note")])
        }
    }

    /// ACT-003-01: a summary of the agreed actions to everyone invited.
    public static func sendActionSummary(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws {
        let actions = try await RecordBuilder.actions(loaded.id, on: ctx.db).filter { $0.status != .cancelled }
        guard !actions.isEmpty else { throw LifecycleError.conflict("Add the agreed actions before sending their summary.") }
        let now = ctx.now
        let base = ctx.publicAddress
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            // ACT-003-01: a link, not the actions: they name people, a child and places, and the
            // message goes to outside addresses and to people who sent apologies.
            for invitation in loaded.invitations where invitation.invited {
                try await Outbox.send(Notice.actionSummary(reference: d.reference, actions: actions.count,
                                                           link: base + SiteURL.discussion(loaded.id).path),
                                      to: invitation.name, email: invitation.email, organisationID: d.organisationID,
                                      discussionID: loaded.id, personID: invitation.personID, invitationID: invitation.id,
                                      base: base, on: db)
            }
            d.content.actionSummaryIssuedAt = now
            return ((), [loaded.audit("action-summary", detail: "\(actions.count) actions")])
        }
    }

    /// ACT-ALL-03: progress updated by the responsible person (or the team).
    public static func updateActionStatus(_ ctx: LifecycleContext, actionID: UUID, status: SmartAction.Status?, note: String) async throws {
        var checks = FieldChecks()
        if status == nil || status == .cancelled { checks.fail("status", "Choose the progress") }
        checks.limit(note, "note", max: 4000)
        try checks.finish()
        let loaded = try await LoadedAction.load(actionID, ctx)
        guard loaded.allows(.updateActionStatus) else { throw LifecycleError.notAllowed() }
        guard loaded.action.status != .cancelled else { throw LifecycleError.conflict("This action was cancelled.") }
        let discussion = loaded.discussion
        let now = ctx.now
        let pack = try await ctx.pack(ofOrganisation: discussion.organisationID)
        try await ctx.db.audited(by: ctx.actor, now: now) { db in
            guard let fresh = try await ActionRecord.find(actionID, on: db) else { throw LifecycleError.notFound() }
            fresh.status = status!
            fresh.statusNote = note.trimmed
            fresh.completedAt = status == .done ? (fresh.completedAt ?? now) : nil
            try await fresh.save(on: db)
            // OVS-ALL-01: actions completed on time are counted from the stored facts.
            if let timeline = try await CaseTimeline.load(caseID: discussion.$case.id, on: db) {
                try await timeline.refreshOversightFacts(pack: pack, asOf: now, on: db)
            }
            return ((), [AuditRecord("action-progress", "action", id: actionID, caseID: discussion.$case.id, detail: status!.rawValue)])
        }
    }
}

extension Operations {
    /// One child's decisions as recorded so far, for the form that records them: only while
    /// the record is open, and only after the quoracy check (ATT-ALL-03).
    public static func childDecision(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, childID: UUID) async throws
        -> (child: CaseChild, decision: ChildDecision)
    {
        guard let child = loaded.children.first(where: { $0.id == childID }) else { throw LifecycleError.notFound() }
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        guard loaded.discussion.quoracy?.allowsDecisions == true else {
            throw LifecycleError.conflict("Record attendance and check quoracy before recording decisions (ATT-ALL-03).")
        }
        let stored = try await RecordBuilder.decisions(loaded.id, on: ctx.db).first { $0.childID == childID }?.decision
        return (child, stored ?? ChildDecision())
    }
}
