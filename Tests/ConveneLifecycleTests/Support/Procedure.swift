import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

/// Takes discussions through the lifecycle by calling the operations as the right people.
extension LifecycleWorld {
    /// A complete, valid request for one child (REQ-001-01).
    func requestValue(urgency: Urgency = .standard, concerns: [String] = ["injury"], child: String = "Amira Khan") -> DiscussionRequest {
        DiscussionRequest(
            caseType: .newReferral, urgency: urgency,
            agreedDue: urgency == .other ? clock.now.addingTimeInterval(3 * 86_400) : nil,
            urgencyRationale: urgency == .other ? "Police cannot attend sooner; agreed with the service manager" : "",
            locality: "North", allocatedSocialWorker: "Sam Okafor", teamManager: "Tara Whitfield", serviceManager: "Sara Lindqvist",
            concernReceivedAt: clock.now.addingTimeInterval(-600),
            children: [ChildDetails(name: child, dateOfBirth: day("2019-03-14"))],
            parentsCarers: [RelatedPerson(name: "Nadia Khan")],
            presentingIssue: "Bruising to the face noticed at school", rationale: "Possible non-accidental injury",
            concerns: concerns)
    }

    /// A request made by `who` for the first team: the new discussion's id.
    func request(as who: Who = .socialWorker, _ request: DiscussionRequest? = nil) async throws -> UUID {
        try await Operations.createRequest(ctx(who), request: request ?? requestValue(), teamID: teamID)
    }

    func version(_ id: UUID) async throws -> Int {
        try await discussion(id).lockVersion
    }

    /// Moves a discussion forward to `stage` as the chair, minute taker and manager would.
    func advance(_ id: UUID, to stage: DiscussionStage) async throws {
        let order: [DiscussionStage] = [.requested, .awaitingBooking, .booked, .inMeeting, .recordFinal, .authorised, .circulated]
        let target = try #require(order.firstIndex(of: stage))
        while let current = order.firstIndex(of: try await discussion(id).stage), current < target {
            switch order[current] {
            case .requested:
                try await Operations.decide(ctx(.teamManager), try await load(id, as: .teamManager, for: .decideConvene), convene: true,
                                            reason: "", expectedVersion: try await version(id))
            case .awaitingBooking:
                try await book(id)
                try await Operations.sendInvitations(ctx(.minuteTaker), try await load(id, as: .minuteTaker, for: .manageInvitations))
            case .booked:
                try await recordMeeting(id)
            case .inMeeting:
                try await Operations.finalise(ctx(.teamManager), try await load(id, as: .teamManager, for: .finaliseRecord),
                                              expectedVersion: try await version(id))
            case .recordFinal:
                try await Operations.authorise(ctx(.teamManager), try await load(id, as: .teamManager, for: .authoriseRecord),
                                               expectedVersion: try await version(id))
            case .authorised:
                try await Operations.circulate(ctx(.minuteTaker), try await load(id, as: .minuteTaker, for: .circulateRecord),
                                               expectedVersion: try await version(id))
            default:
                return
            }
        }
    }

    /// The first slot the calendar offers, chaired by the team manager.
    func booking(_ id: UUID, as who: Who = .minuteTaker) async throws -> Operations.Booking {
        let loaded = try await load(id, as: who, for: .book)
        let slot = try #require(try await Operations.bookingOptions(ctx(who), loaded).offers.first)
        // A time after the deadline needs the manager who agreed and why (TIME-000-01): given
        // always, they are kept only when it is late.
        return Operations.Booking(start: slot.start, format: "virtual", details: "Video link", chairID: self.id(.teamManager),
                                  lateAgreedBy: self.id(.teamManager), lateReason: "The first free slot",
                                  durationMinutes: 30, dialIn: "0800 123 4567", accessCode: "4821")
    }

    func book(_ id: UUID, as who: Who = .minuteTaker) async throws {
        let booking = try await booking(id, as: who)
        try await Operations.book(ctx(who), try await load(id, as: who, for: .book), booking, expectedVersion: try await version(id))
    }

    /// Attendance (everyone by video), every agenda note, every checklist item, complete
    /// decisions for each child, one action, one safety plan item and the monitoring line.
    func recordMeeting(_ id: UUID, as who: Who = .teamManager) async throws {
        var loaded = try await load(id, as: who, for: .recordMeeting)
        let modes = Dictionary(uniqueKeysWithValues: loaded.invitations.map { ($0.id!, AttendanceMode.virtual) })
        try await Operations.recordAttendance(ctx(who), loaded, .init(modes: modes, startedAt: clock.now,
                                                                      earlyStartReason: "Everyone was available before the booked time"),
                                              expectedVersion: try await version(id))
        loaded = try await load(id, as: who, for: .recordMeeting)
        var sections: [String: String] = [:]
        for item in loaded.pack.agenda {
            for child in item.perChild ? loaded.children.map(Optional.some) : [nil] {
                sections[RecordContent.key(item.id, child: child?.id)] = "Notes for \(item.title)"
            }
        }
        try await Operations.saveSections(ctx(who), loaded, sections, expectedVersion: try await version(id))
        let answers = Dictionary(uniqueKeysWithValues: loaded.pack.checklist.map { ($0.id, ChecklistAnswer(response: .yes)) })
        try await Operations.saveChecklist(ctx(who), loaded, answers, expectedVersion: try await version(id))
        for child in loaded.children {
            loaded = try await load(id, as: who, for: .recordMeeting)
            try await Operations.saveDecision(ctx(who), loaded, childID: child.id!, completeDecision(),
                                              expectedVersion: try await version(id))
        }
        let due = EuropeLondon.localDate(of: clock.now).adding(days: 3)
        _ = try await Operations.addAction(ctx(who), loaded, SmartAction(
            what: "Visit and see the child alone", owner: "", ownerPersonID: self.id(.socialWorker), agency: "childrens-social-care",
            due: due, purpose: "Hear the child's wishes and feelings", review: "At the review discussion"))
        _ = try await Operations.addAction(ctx(who), loaded, SmartAction(
            kind: .safetyPlan, term: .immediate, what: "Child stays with her grandmother", owner: "Nadia Khan",
            agency: "childrens-social-care", due: due, purpose: "Keep the child safe", review: ""))
        try await Operations.saveMonitoring(ctx(who), loaded, monitoredBy: "The team manager, at weekly supervision",
                                            safetyPlanNotRequiredReason: "", expectedVersion: try await version(id))
    }

    func completeDecision(outcome: DiscussionOutcome = .s47Joint) -> ChildDecision {
        var d = ChildDecision()
        d.significantHarm = .yes
        d.significantHarmEvidence = "Pattern of bruising"
        d.outcome = outcome
        d.criminalInvestigation = .yes
        d.criminalInvestigationPlan = "Police lead; ABE interview on Thursday"
        d.medicalNeeded = .yes
        d.medicalReason = "Child protection medical today"
        d.legalAction = .no
        d.ladoReferral = .no
        d.consentSought = .no
        d.consentRationale = "Seeking consent would undermine the police investigation"
        d.parentsInformed = .yes
        d.familyInformation = "That enquiries are being made"
        d.familyInformationRationale = "To keep the child safe"
        d.differingViews = .no
        return d
    }

    /// The case of a discussion.
    func caseID(_ id: UUID) async throws -> UUID {
        try await discussion(id).$case.id
    }
}

/// Expects `body` to fail with a validation problem naming `field`.
func expectInvalid(_ field: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected a validation failure on \(field)", sourceLocation: sourceLocation)
    } catch let failure as ValidationFailure {
        #expect(failure.errors.contains { $0.field.description == field },
                "expected \(field) among \(failure.errors.map(\.field.description))", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a validation failure on \(field), got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to throw an error `matches` accepts.
func expectError(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void,
                 _ matches: (any Error) -> Bool) async {
    do {
        try await body()
        Issue.record("expected \(what)", sourceLocation: sourceLocation)
    } catch {
        #expect(matches(error), "expected \(what), got \(error)", sourceLocation: sourceLocation)
    }
}

func expectRefused(canSee: Bool, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError(canSee ? "a 403 refusal" : "a 404 refusal", sourceLocation: sourceLocation, body) { error in
        if case let LifecycleError.refused(seen, _) = error { return seen == canSee }
        return false
    }
}

func expectNotAllowed(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("not allowed", sourceLocation: sourceLocation, body) { error in
        if case LifecycleError.notAllowed = error { return true }
        return false
    }
}

func expectNotFound(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("not found", sourceLocation: sourceLocation, body) { error in
        if case LifecycleError.notFound = error { return true }
        if case LifecycleError.refused(false, _) = error { return true }
        return false
    }
}

func expectConflict(field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("a conflict", sourceLocation: sourceLocation, body) { error in
        guard case let LifecycleError.conflict(_, conflictField) = error else { return false }
        return field == nil || conflictField?.description == field
    }
}

func expectWrongStage(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    await expectError("a stage refusal", sourceLocation: sourceLocation, body) { $0 is StageError }
}
