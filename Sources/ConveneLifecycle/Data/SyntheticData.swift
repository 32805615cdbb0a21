import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Realistic synthetic authorities, people and discussions at every stage, for load tests
/// (`convene seed --discussions N`) and the demonstration site. Deterministic: the same seed
/// gives the same data. Rows are written with multi-row SQL inserts (`bulkInsert`, without
/// Fluent's per-row reflection) in large transactions, so 100,000 discussions take minutes.
public struct SyntheticData {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let firstNames = ["Amira", "Zain", "Olivia", "Noah", "Ava", "Leo", "Isla", "Oscar", "Freya", "Arlo", "Maya", "Theo",
                             "Aisha", "Jack", "Grace", "Musa", "Lily", "Ibrahim", "Evie", "Ethan", "Sofia", "Kacper", "Poppy", "Yusuf",
                             "Ruby", "Alfie", "Hana", "Reuben", "Chloe", "Tariq", "Nia", "Finley", "Zara", "Ollie", "Layla", "Mohammed"]
    static let lastNames = ["Khan", "Smith", "Jones", "Patel", "Williams", "Brown", "Taylor", "Hussain", "Wilson", "Davies", "Evans",
                            "Ali", "Thomas", "Roberts", "Johnson", "Walker", "Wright", "Ahmed", "Robinson", "Kowalski", "Green",
                            "Hall", "Begum", "Wood", "Edwards", "Okafor", "Nowak", "Clarke", "Shah", "Murphy", "Singh", "Lewis"]
    static let streets = ["Mill Lane", "Church Street", "Victoria Road", "Park Avenue", "Station Road", "Albert Terrace",
                          "Moor Lane", "King Street", "Queens Road", "Bridge Street", "Manor Close", "Chapel Walk"]
    static let issues = [
        "Bruising to the face noticed at school; explanation inconsistent", "Disclosure to a teacher of being hit with a belt",
        "Police called to domestic abuse incident; children present", "Unborn baby; mother's previous children were removed",
        "Child found alone at home overnight; house conditions very poor", "Concerns of sexual exploitation; missing episodes",
        "Sibling subject to a child protection plan; new baby in the household", "Allegation against a football coach",
        "Fracture in a non-mobile infant", "Child disclosed sexual abuse by a family friend",
    ]
    static let concernsByIssue: [[String]] = [
        ["injury", "physical-abuse"], ["physical-abuse"], ["domestic-abuse", "emotional-abuse"], ["unborn"], ["neglect"],
        ["sexual-exploitation", "missing"], ["sibling-on-plan", "newborn"], ["allegation-against-professional"],
        ["injury", "medical"], ["sexual-abuse"],
    ]

    var rng: Generator
    /// Future slots already handed out in the authority being generated (SLOT-ALL-01).
    var futureBooked: [Date] = []

    public init(seed: UInt64) {
        rng = Generator(state: seed)
    }

    mutating func pick<T>(_ list: [T]) -> T {
        list[Int(rng.next() % UInt64(list.count))]
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(rng.next() % UInt64(range.count))
    }

    public mutating func name() -> String {
        pick(Self.firstNames) + " " + pick(Self.lastNames)
    }

    /// The stages and how common they are among an authority's discussions.
    static let stageMix: [(DiscussionStage, Int)] = [
        (.requested, 4), (.awaitingBooking, 4), (.booked, 8), (.inMeeting, 4), (.recordFinal, 3), (.authorised, 2),
        (.circulated, 68), (.declined, 4), (.cancelled, 3),
    ]

    mutating func stage() -> DiscussionStage {
        var roll = int(0...99)
        for (stage, weight) in Self.stageMix {
            if roll < weight { return stage }
            roll -= weight
        }
        return .circulated
    }

    public struct Staff {
        public var socialWorkers: [Person]
        public var managers: [Person]
        public var serviceManagers: [Person]
        public var minuteTakers: [Person]
        public var partners: [Person]

        public init(socialWorkers: [Person], managers: [Person], serviceManagers: [Person], minuteTakers: [Person],
                    partners: [Person]) {
            self.socialWorkers = socialWorkers
            self.managers = managers
            self.serviceManagers = serviceManagers
            self.minuteTakers = minuteTakers
            self.partners = partners
        }
    }

    /// Discussions for one authority, written in batches. `now` is the moment "today" stands for.
    public mutating func discussions(count: Int, organisation: Organisation, pack: ProcedurePack, teams: [Team], staff: Staff,
                                     now: Date, referenceStart: Int, stages: [DiscussionStage]? = nil, on db: any Database,
                                     progress: ((Int) -> Void)? = nil) async throws {
        let orgID = organisation.id!
        let sealKey = try db.keyRing().sealKey
        futureBooked = []
        let batch = 250
        var written = 0
        let today = EuropeLondon.localDate(of: now)
        var pending: Task<Int, any Error>?
        while written < count {
            let size = min(batch, count - written)
            var cases: [Case] = [], children: [CaseChild] = [], discussions: [Discussion] = []
            var invitations: [Invitation] = [], decisions: [ChildDecisionRecord] = [], actions: [ActionRecord] = []
            var cells: [CalendarCell] = [], versions: [RecordVersion] = [], facts: [DiscussionFactsRecord] = []
            for i in 0..<size {
                let number = referenceStart + written + i
                let team = pick(teams)
                let teamSocialWorkers = staff.socialWorkers.filter { $0.$team.id == team.id }
                let socialWorker = teamSocialWorkers.isEmpty ? pick(staff.socialWorkers) : pick(teamSocialWorkers)
                let manager = staff.managers.first { $0.$team.id == team.id } ?? pick(staff.managers)
                let stage = stages.map { $0[(written + i) % $0.count] } ?? stage()
                let open = [.requested, .awaitingBooking, .booked, .inMeeting].contains(stage)
                // Open discussions are recent; finished ones spread over two years.
                let age = open ? Double(int(0...36)) * 3600 : Double(int(3...730)) * 86_400
                let received = now.addingTimeInterval(-age - Double(int(1...6)) * 3600)
                let issue = int(0...(Self.issues.count - 1))
                let familyName = pick(Self.lastNames)
                var request = DiscussionRequest(
                    caseType: rng.next() % 3 == 0 ? .openCase : .newReferral,
                    urgency: rng.next() % 8 == 0 ? .immediate : .standard, locality: team.locality,
                    allocatedSocialWorker: socialWorker.name, teamManager: manager.name,
                    serviceManager: staff.serviceManagers.first?.name ?? "", concernReceivedAt: received,
                    parentsCarers: [RelatedPerson(name: pick(Self.firstNames) + " " + familyName)],
                    presentingIssue: Self.issues[issue], incidentDate: EuropeLondon.localDate(of: received).adding(days: -int(0...3)),
                    rationale: "Reasonable cause to suspect significant harm (s47).", concerns: Self.concernsByIssue[issue],
                    complex: rng.next() % 10 == 0)
                for c in 0..<int(1...3) {
                    let unborn = issue == 3 && c == 0
                    request.children.append(ChildDetails(
                        name: unborn ? "Unborn baby \(familyName)" : pick(Self.firstNames) + " " + familyName,
                        dateOfBirth: unborn ? nil : today.adding(days: -int(60...6400)), unborn: unborn,
                        expectedDate: unborn ? today.adding(days: int(20...150)) : nil, ethnicity: pick(["White British", "Pakistani", "Black African", "Mixed", "Polish", "Bangladeshi"]),
                        caseNumber: "LCS\(int(100_000...999_999))", address: "\(int(1...120)) \(pick(Self.streets)), \(team.locality)",
                        lookedAfter: rng.next() % 15 == 0, youthJusticeOpen: rng.next() % 20 == 0))
                }
                let reference = String(format: "SD-%d-%05d", EuropeLondon.localDate(of: received).year, number)
                let caseID = UUID()
                let caseRecord = Case(id: caseID, organisationID: orgID, teamID: team.id!, reference: reference, request: request)
                caseRecord.createdAt = received
                cases.append(caseRecord)
                for (position, child) in request.children.enumerated() {
                    children.append(CaseChild(caseID: caseID, organisationID: orgID, position: position, details: child))
                }
                let requestedAt = received.addingTimeInterval(Double(int(600...7200)))
                let discussionID = UUID()
                let d = Discussion(id: discussionID, organisationID: orgID, teamID: team.id!, caseID: caseID, sequence: 1, parentID: nil,
                                   reference: reference + "/1", request: request, requestedBy: socialWorker.id!, requestedAt: requestedAt)
                d.stage = stage
                d.createdAt = requestedAt
                if stage != .requested {
                    d.decidedBy = manager.id
                    d.decidedAt = requestedAt.addingTimeInterval(1800)
                    d.decisionReason = stage == .declined ? "Threshold for a strategy discussion not met; child in need assessment instead" : ""
                }
                let held = [.inMeeting, .recordFinal, .authorised, .circulated].contains(stage)
                var ownDecisions: [ChildDecisionRecord] = [], ownInvitations: [Invitation] = [], ownActions: [ActionRecord] = []
                var minuteTaker: Person?
                if stage == .booked || stage == .cancelled || held {
                    var start = requestedAt.addingTimeInterval(Double(int(2...22)) * 3600)
                    var end = start.addingTimeInterval(3600)
                    if stage == .booked, let offer = try? SlotEngine(pack: pack).nextFree(SlotRequest(
                        requestedAt: now.addingTimeInterval(Double(int(1...48)) * 3600), booked: futureBooked)) {
                        start = offer.start
                        end = offer.end
                        futureBooked.append(start)
                        let resource = Slots.resource(pack: pack, organisationID: orgID, calendarID: nil, chairID: manager.id)
                        cells += CalendarCell.cells(from: start, to: end).map {
                            CalendarCell(organisationID: orgID, resource: resource.key, lane: 0, cellStart: $0, discussionID: discussionID)
                        }
                    }
                    d.slotStart = start
                    d.slotEnd = end
                    d.bookedBy = pick(staff.minuteTakers).id
                    d.meetingFormat = pick(["virtual", "virtual", "phone", "in-person", "hybrid"])
                    d.meetingDetails = "Video link in the invitation"
                    d.chairID = manager.id
                    minuteTaker = pick(staff.minuteTakers)
                    d.minuteTakerID = minuteTaker?.id
                    if stage == .cancelled { d.cancellation = "Agreed by \(staff.serviceManagers.first?.name ?? ""): police unavailable; rebooked as a new request" }
                    let invitees = [socialWorker, manager] + (0..<3).map { _ in pick(staff.partners) }
                    var seen = Set<UUID>()
                    for person in invitees where seen.insert(person.id!).inserted {
                        let invitation = Invitation(id: UUID(), discussionID: discussionID, organisationID: orgID, personID: person.id,
                                                    name: person.name,
                                                    email: person.email, agency: person.agency, role: person.agencyRole, rule: "ATT-ALL-01",
                                                    reason: "Required")
                        invitation.sentAt = d.decidedAt
                        if held { invitation.attendance = rng.next() % 9 == 0 ? .apologies : pick([.virtual, .inPerson, .phone]) }
                        if stage == .circulated {
                            invitation.circulatedAt = start.addingTimeInterval(Double(int(2...30)) * 3600)
                            invitation.circulatedVersion = 2
                            invitation.openedAt = rng.next() % 4 == 0 ? nil : invitation.circulatedAt
                        }
                        ownInvitations.append(invitation)
                    }
                }
                if held {
                    let start = d.slotStart!
                    d.startedAt = start
                    d.quoracy = QuoracyCheck(quorate: true, urgentException: false, missing: [], checkedAt: start)
                    var sections: [String: String] = [:]
                    for item in pack.agenda where !item.perChild { sections[item.id] = "Discussed: \(item.title.lowercased())." }
                    for item in pack.agenda where item.perChild {
                        for child in request.children { sections[RecordContent.key(item.id, child: child.id)] = "Information shared about \(child.name)." }
                    }
                    d.content = RecordContent(sections: sections, checklist: Dictionary(uniqueKeysWithValues: pack.checklist.map {
                        ($0.id, ChecklistAnswer(response: .yes))
                    }), monitoredBy: "\(manager.name), at supervision")
                    let outcome = pick(pack.outcomes).outcome
                    for child in request.children {
                        var decision = ChildDecision()
                        decision.significantHarm = outcome.startsS47 ? .yes : .no
                        decision.significantHarmEvidence = "As shared by the agencies"
                        decision.outcome = outcome
                        decision.outcomeRationale = "Agreed by all agencies present"
                        decision.followUp = outcome.startsS47 ? nil : pack.withoutS47.first?.id
                        decision.followUpRationale = "Agreed"
                        if !outcome.startsS47 && pack.withoutS47Recording == .each {
                            decision.followUps = Dictionary(uniqueKeysWithValues: pack.withoutS47.map { ($0.id, "As agreed at the meeting") })
                        }
                        decision.criminalInvestigation = outcome == .s47Joint ? .yes : .no
                        decision.criminalInvestigationPlan = "Police to lead; ABE interview to be arranged"
                        decision.medicalNeeded = .no
                        decision.legalAction = .no
                        decision.ladoReferral = issue == 7 ? .yes : .no
                        decision.ladoReason = "Allegation against someone working with children"
                        decision.consentSought = .yes
                        decision.parentsInformed = .yes
                        decision.familyInformation = "That enquiries are being made"
                        decision.familyInformationRationale = "No risk identified in informing them"
                        decision.differingViews = .no
                        ownDecisions.append(ChildDecisionRecord(discussionID: discussionID, childID: child.id, decision: decision,
                                                                updatedBy: manager.id!))
                    }
                    let due = EuropeLondon.localDate(of: start).adding(days: int(1...10))
                    let status: SmartAction.Status = stage == .circulated ? pick([.done, .done, .inProgress, .open]) : .open
                    ownActions.append(ActionRecord(discussionID: discussionID, organisationID: orgID, teamID: team.id!, action: SmartAction(
                        what: "Visit and see the child alone", owner: socialWorker.name, ownerPersonID: socialWorker.id,
                        agency: "childrens-social-care", due: due, purpose: "Hear the child's wishes and feelings",
                        review: "At supervision", status: status, completedAt: status == .done ? start.addingTimeInterval(86_400) : nil)))
                    ownActions.append(ActionRecord(discussionID: discussionID, organisationID: orgID, teamID: team.id!, action: SmartAction(
                        kind: .safetyPlan, term: .immediate, what: "Children stay with a named relative", owner: "Grandparent",
                        agency: "childrens-social-care", due: EuropeLondon.localDate(of: start), purpose: "Keep the children safe",
                        review: "", status: stage == .circulated ? .done : .open)))
                    if [.recordFinal, .authorised, .circulated].contains(stage) {
                        d.finalisedAt = start.addingTimeInterval(4 * 3600)
                    }
                    if [.authorised, .circulated].contains(stage) {
                        d.authorisedBy = manager.id
                        d.authorisedAt = start.addingTimeInterval(6 * 3600)
                    }
                    if stage == .circulated { d.circulatedAt = start.addingTimeInterval(Double(int(8...30)) * 3600) }
                    // The versions the real flow keeps (REC-002-02): final, then authorised.
                    if let finalisedAt = d.finalisedAt {
                        let snapshot = RecordBuilder.snapshot(of: d, pack: pack, children: request.children, chair: manager.name,
                                                              minuteTaker: minuteTaker?.name ?? "", invitations: ownInvitations,
                                                              decisions: ownDecisions, actions: ownActions)
                        let final = try RecordBuilder.nextVersion(snapshot, kind: .final, discussion: d, by: manager.id!, at: finalisedAt,
                                                                  sealKey: sealKey)
                        versions.append(final)
                        if let authorisedAt = d.authorisedAt {
                            versions.append(try RecordBuilder.nextVersion(snapshot, sha256: final.sha256, kind: .authorised, discussion: d,
                                                                          by: manager.id!, at: authorisedAt, sealKey: sealKey))
                        }
                    }
                }
                invitations += ownInvitations
                actions += ownActions
                decisions += ownDecisions
                // The next deadline for the team page and the performance figures' facts (issue 13),
                // worked out as the writer works them out for a real change, from the rows in hand
                // (the timeline evaluated once for both).
                let timeline = CaseTimeline(caseRecord: caseRecord, discussions: [d], decisions: [discussionID: ownDecisions.map(\.decision)],
                                            events: [], notes: [])
                let duties = timeline.duties(pack: pack, asOf: now)
                let next = timeline.nextDeadline(of: d, in: duties)
                d.nextDue = next?.due
                d.nextDuty = next?.duty.rawValue ?? ""
                RecordSeal.reseal(d, key: sealKey)
                discussions.append(d)
                if let oversight = timeline.oversightCase(invitations: ownInvitations, decisionRows: ownDecisions, actions: ownActions) {
                    facts += oversight.facts(pack: pack, asOf: now, assessments: duties).map(DiscussionFactsRecord.init)
                }
            }
            // Three stages on two cores: while this batch's rows are converted for the database
            // (its JSON encoded), the previous batch is written and the next is generated.
            let prepared = Task { [cases, children, discussions, invitations, decisions, actions, cells, versions, facts] in
                [try cases.bulkRows(for: db), try children.bulkRows(for: db), try discussions.bulkRows(for: db),
                 try InvitationMirror.bulkRows(invitations, of: discussions, for: db), try decisions.bulkRows(for: db), try actions.bulkRows(for: db),
                 try cells.bulkRows(for: db), try versions.bulkRows(for: db), try facts.bulkRows(for: db)]
            }
            if let done = try await pending?.value { progress?(done) }
            written += size
            pending = Task { [written] in
                try await BulkLoad.write(try await prepared.value, batch: (written + batch - 1) / batch, on: db)
                return written
            }
        }
        if let done = try await pending?.value { progress?(done) }
    }

}
