import ConveneCore
import ConveneStore
import FluentKit
import Foundation

extension Operations {
    public struct NewInvitee: Sendable {
        public var personID: UUID?
        public var name: String
        public var email: String
        public var agency: String
        public var role: String
        /// Instead of an email address, for someone invited by telephone.
        public var phone: String

        public init(personID: UUID?, name: String = "", email: String = "", agency: String = "", role: String = "",
                    phone: String = "") {
            self.personID = personID
            self.name = name
            self.email = email
            self.agency = agency
            self.role = role
            self.phone = phone
        }
    }

    public static func addInvitation(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ input: NewInvitee) async throws -> UUID {
        try StageError.check(.invite, at: loaded.discussion.stage)
        let d = loaded.discussion
        var checks = FieldChecks()
        let invitation: Invitation
        if let personID = input.personID {
            guard let person = try await Person.find(personID, on: ctx.db), person.$organisation.id == d.organisationID,
                  person.disabledAt == nil else {
                throw ValidationFailure(InputError(field: "person", "Choose a person from the list"))
            }
            if loaded.invitations.contains(where: { $0.personID == personID }) {
                checks.fail("person", "\(person.name) is already invited")
            }
            invitation = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: personID, name: person.name,
                                    email: person.email, agency: person.agency, role: person.agencyRole, rule: "",
                                    reason: "Invited by \(loaded.user.name)")
        } else {
            checks.text(input.name, "name", "Choose a person, or enter the name of someone without an account", max: 200)
            if input.email.isBlank && input.phone.isBlank {
                checks.fail("email", "Enter their email address, so their personal link can be sent, or their phone number")
            }
            checks.limit(input.email, "email", max: 254)
            if !input.email.isBlank && !EmailAddress.isPlausible(input.email) {
                checks.fail("email", "Enter an email address in the correct format, like name@example.org")
            }
            checks.limit(input.phone, "phone", max: 40)
            if !input.phone.isBlank && !input.phone.allSatisfy({ $0.isNumber || " +()-".contains($0) }) {
                checks.fail("phone", "Enter a phone number, like 01274 542200")
            }
            if !loaded.pack.agencies.contains(where: { $0.id == input.agency }) { checks.fail("agency", "Choose their agency") }
            checks.limit(input.role, "role", max: 100)
            invitation = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: nil,
                                    name: input.name.trimmed, email: input.email.trimmed, agency: input.agency,
                                    role: input.role.trimmed.lowercased().replacingOccurrences(of: " ", with: "-"), rule: "",
                                    reason: "Invited by \(loaded.user.name)" + (input.email.isBlank ? " by telephone" : ""),
                                    phone: input.phone.trimmed)
        }
        try checks.finish()
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            try StageError.check(.invite, at: d.stage)
            try await invitation.create(on: db)
            return ((), [loaded.audit("invite-add", "invitation", detail: "\(invitation.name), \(invitation.agency)")])
        }
        return invitation.id!
    }

    public static func removeInvitation(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, invitationID: UUID) async throws {
        try StageError.check(.invite, at: loaded.discussion.stage)
        guard let invitation = loaded.invitations.first(where: { $0.id == invitationID }) else { throw LifecycleError.notFound() }
        guard invitation.attendance == nil else {
            throw LifecycleError.conflict("\(invitation.name)’s attendance is recorded; they stay in the record.")
        }
        try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { _, db in
            try await Invitation.query(on: db).filter(\.$id == invitationID).delete()
            return ((), [loaded.audit("invite-remove", "invitation", detail: invitation.name)])
        }
    }

    /// Sends every unsent invitation: a link to the discussion for people with an account, a
    /// personal time-limited link for the others (only its hash is kept) (REQ-001-03).
    @discardableResult
    public static func sendInvitations(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> Int {
        try StageError.check(.invite, at: loaded.discussion.stage)
        let now = ctx.now
        let base = ctx.publicAddress
        let pack = loaded.pack
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: nil) { d, db in
            let unsent = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).filter(\.$invited == true)
                .filter(\.$sentAt == nil).all()
            let everyone = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).all()
            let organizer = try await Outbox.organizer(d, base: base, on: db)
            // Late invitees get the calendar as it stands; the first invitations start at 0.
            let sequence = try await Outbox.calendarSequence(discussionID: loaded.id, on: db) ?? 0
            for invitation in unsent {
                // REQ-002-01: the procedure's own request to these agencies, "password protected".
                if let message = pack.requestMessage, message.to.contains(invitation.agency), !invitation.email.isEmpty {
                    try await sendRequestMessage(message, invitation: invitation, discussion: d, base: base, now: now, on: db)
                    continue
                }
                if invitation.personID == nil && invitation.email.isEmpty {
                    // Invited by telephone: no link to send; the invitation is recorded as made.
                    invitation.sentAt = now
                    try await invitation.save(on: db)
                    continue
                }
                var link = base + SiteURL.discussion(loaded.id).path
                if invitation.personID == nil {
                    let token = Tokens.random()
                    invitation.accessTokenHash = Tokens.sha256(token)
                    invitation.accessExpiresAt = (d.slotEnd ?? now).addingTimeInterval(PersonalLink.validity)
                    link = base + SiteURL.access(token).path
                }
                invitation.sentAt = now
                try await invitation.save(on: db)
                let how = MeetingFormat.label(d.meetingFormat) + (d.meetingDetails.isEmpty ? "" : ". \(d.meetingDetails)")
                let notice = Notice.invitation(meetingName: pack.meetingName, reference: d.reference, start: d.slotStart,
                                               howToTakePart: how, link: link)
                let calendar = Outbox.calendar(d, method: .request, sequence: sequence, meetingName: pack.meetingName,
                                               organizer: organizer, invitations: everyone, link: link, base: base, now: now)
                try await Outbox.send(notice, to: invitation.name, email: invitation.email, organisationID: d.organisationID,
                                      discussionID: loaded.id, personID: invitation.personID, invitationID: invitation.id,
                                      calendar: calendar, base: base, on: db)
            }
            return (unsent.count, [loaded.audit("invite-send", "invitation", detail: "\(unsent.count) invitations")])
        }
    }

    public struct AttendanceRecord: Sendable {
        public var modes: [UUID: AttendanceMode]
        public var startedAt: Date?
        public var walkInName: String
        public var walkInAgency: String
        public var walkInRole: String
        public var proceedReason: String
        /// Why the meeting started before its booked slot.
        public var earlyStartReason: String

        public init(modes: [UUID: AttendanceMode], startedAt: Date?, walkInName: String = "", walkInAgency: String = "",
                    walkInRole: String = "", proceedReason: String = "", earlyStartReason: String = "") {
            self.modes = modes
            self.startedAt = startedAt
            self.walkInName = walkInName
            self.walkInAgency = walkInAgency
            self.walkInRole = walkInRole
            self.proceedReason = proceedReason
            self.earlyStartReason = earlyStartReason
        }
    }

    /// ATT-ALL-03: who took part and how; quoracy is checked and kept with the record.
    @discardableResult
    public static func recordAttendance(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion, _ input: AttendanceRecord, expectedVersion: Int)
        async throws -> QuoracyCheck
    {
        try StageError.check(.editRecord, at: loaded.discussion.stage)
        var checks = FieldChecks()
        for id in input.modes.keys where !loaded.invitations.contains(where: { $0.id == id }) {
            checks.fail(FieldPath("mode." + id.slug), "Not an invitee of this discussion")
        }
        if let startedAt = input.startedAt {
            if startedAt > ctx.now.addingTimeInterval(3600) {
                checks.fail("startedAt", "The meeting cannot start more than an hour from now")
            }
            if startedAt < loaded.discussion.requestedAt.addingTimeInterval(-30 * 86_400) {
                checks.fail("startedAt", "The meeting cannot start long before it was requested")
            }
            // Held before the booked slot only with a reason: the slot is what everyone was invited to.
            if let slot = loaded.discussion.slotStart, startedAt < slot {
                checks.text(input.earlyStartReason, "earlyStartReason",
                            "The meeting started before its booked slot (\(UKDisplay.dateTime(slot))): give the reason", max: 4000)
            }
        } else {
            checks.fail("startedAt", "Enter when the meeting started")
        }
        let walkInName = input.walkInName.trimmed
        checks.limit(walkInName, "walkIn.name", max: 200)
        if !walkInName.isEmpty && !loaded.pack.agencies.contains(where: { $0.id == input.walkInAgency }) {
            checks.fail("walkIn.agency", "Choose the agency of \(walkInName)")
        }
        checks.limit(input.proceedReason, "proceedReason", max: 4000)
        try checks.finish()
        let now = ctx.now
        return try await DiscussionWriter.update(loaded, ctx, expectedVersion: expectedVersion) { d, db in
            try StageError.check(.editRecord, at: d.stage)
            let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == loaded.id).all()
            for invitation in invitations {
                let mode = input.modes[invitation.id!]
                if invitation.attendance != mode {
                    invitation.attendance = mode
                    try await invitation.save(on: db)
                }
            }
            var all = invitations
            if !walkInName.isEmpty {
                let walkIn = Invitation(discussionID: loaded.id, organisationID: d.organisationID, personID: nil, name: walkInName,
                                        email: "", agency: input.walkInAgency,
                                        role: input.walkInRole.trimmed.lowercased().replacingOccurrences(of: " ", with: "-"),
                                        rule: "", reason: "Attended without an invitation", invited: false)
                walkIn.attendance = .inPerson
                try await walkIn.create(on: db)
                all.append(walkIn)
            }
            var (check, _) = QuoracyCheck.check(pack: loaded.pack, entries: all.map(\.entry), urgent: d.urgency == .immediate,
                                                concerns: loaded.caseRecord.concerns, circumstances: d.request.circumstances,
                                                at: now)
            check.proceedReason = check.quorate ? "" : input.proceedReason.trimmed
            d.quoracy = check
            d.startedAt = input.startedAt
            let early = d.slotStart.map { input.startedAt! < $0 } ?? false
            d.earlyStartReason = early ? input.earlyStartReason.trimmed : ""
            if d.stage == .booked { d.stage = .inMeeting }
            let summary = check.quorate ? (check.urgentException ? "quorate under the urgent exception" : "quorate")
                : "not quorate" + (check.proceedReason.isEmpty ? "" : ", chair proceeded")
            let reason = [check.proceedReason, d.earlyStartReason.isEmpty ? "" : "started early: " + d.earlyStartReason]
                .filter { !$0.isEmpty }.joined(separator: "; ")
            return (check, [loaded.audit("attendance", reason: reason, detail: summary)])
        }
    }
}

extension Operations {
    /// REQ-002-01: the message carries only the title the procedure demands and a personal link;
    /// the extract opens behind the link with an access code sent in a second message.
    public static func sendRequestMessage(_ message: RequestMessageRules, invitation: Invitation, discussion d: Discussion, base: String,
                                   now: Date, on db: any Database) async throws {
        let token = Tokens.random()
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await ExtractAccess(discussionID: try d.requireID(), invitationID: try invitation.requireID(),
                                tokenHash: Tokens.sha256(token), codeHash: Tokens.sha256(token + ":" + code),
                                expiresAt: (d.slotEnd ?? now).addingTimeInterval(PersonalLink.validity)).create(on: db)
        invitation.sentAt = now
        try await invitation.save(on: db)
        let title = message.title(for: d.request, reference: d.reference)
        try await Outbox.send(to: invitation.name, email: invitation.email, subject: title,
                              body: "\(title)\n\(base + SiteURL.extract(token).path)\n"
                                + "This link is for you only; the access code to open it is in a separate message.",
                              organisationID: d.organisationID, discussionID: d.id, kind: .teleconferenceRequest,
                              reference: d.reference, personID: invitation.personID, invitationID: invitation.id, base: base, on: db)
        try await Outbox.send(Notice.accessCode(reference: d.reference, code: code), to: invitation.name, email: invitation.email,
                              organisationID: d.organisationID, discussionID: d.id, personID: invitation.personID,
                              invitationID: invitation.id, base: base, on: db)
    }
}

extension Operations {
    /// Who the procedure requires and recommends for this discussion, each met or not by the
    /// invitations so far, and its alerts (ATT-*).
    public static func attendance(_ loaded: LoadedDiscussion) -> AttendanceAnswer {
        AttendanceEngine(pack: loaded.pack).evaluate(Invitations.question(loaded, invitations: loaded.invitations))
    }

    /// The authority's people who may be invited (anyone active but administrators and
    /// auditors), by name.
    public static func invitablePeople(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> [Person] {
        try await Person.query(on: ctx.db).filter(\.$organisation.$id == loaded.discussion.organisationID)
            .filter(\.$disabledAt == nil).filter(\.$role !~ [.administrator, .auditor]).sort(\.$name).all()
    }

    /// The invitees who have an account, by name (who an action can be given to).
    public static func invitedPeople(_ ctx: LifecycleContext, _ loaded: LoadedDiscussion) async throws -> [Person] {
        let ids = Set(loaded.invitations.compactMap(\.personID))
        return ids.isEmpty ? [] : try await Person.query(on: ctx.db).filter(\.$id ~~ Array(ids)).sort(\.$name).all()
    }
}
