import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Messages Convene sends, written to the outbox table in the same transaction as the change
/// that causes them; the delivery worker sends them (issue 11). They carry a link and the
/// discussion's reference, never a child's name (`Notice`); the link starts with the context's
/// public address, never a request's Host header (a link in an invitation must not lead to
/// somebody else's site).
public enum Outbox {
    static func send(to name: String, email: String, subject: String, body: String, organisationID: UUID, discussionID: UUID?,
                     kind: NoticeKind? = nil, reference: String? = nil, personID: UUID? = nil, invitationID: UUID? = nil,
                     calendar: CalendarInvitation? = nil, base: String = "", on db: any Database) async throws {
        guard !email.isBlank else { return }
        let id = UUID()
        let row = OutboxMessage(id: id, organisationID: organisationID, kind: kind?.rawValue ?? "notice", toEmail: email, toName: name,
                                subject: subject, body: body, discussionID: discussionID, reference: reference, personID: personID,
                                invitationID: invitationID, messageID: messageID(id, base: base))
        if let calendar {
            row.calendarMethod = calendar.method.rawValue
            row.calendarICS = calendar.render()
            row.calendarSequence = calendar.sequence
        }
        try await row.create(on: db)
    }

    /// One notice to one person.
    static func send(_ notice: Notice, to name: String, email: String, organisationID: UUID, discussionID: UUID?,
                     personID: UUID? = nil, invitationID: UUID? = nil, calendar: CalendarInvitation? = nil, base: String,
                     on db: any Database) async throws {
        try await send(to: name, email: email, subject: notice.subject, body: notice.text, organisationID: organisationID,
                       discussionID: discussionID, kind: notice.kind, reference: notice.reference, personID: personID,
                       invitationID: invitationID, calendar: calendar, base: base, on: db)
    }

    /// One notice to a person with an account (nothing when they are gone or disabled).
    static func send(_ notice: Notice, toPerson personID: UUID?, organisationID: UUID, discussionID: UUID?, base: String,
                     on db: any Database) async throws {
        guard let personID, let person = try await Person.find(personID, on: db), person.disabledAt == nil else { return }
        try await send(notice, to: person.name, email: person.email, organisationID: organisationID, discussionID: discussionID,
                       personID: personID, base: base, on: db)
    }

    /// REQ-001-02: a new request, to the team managers of the team it is for.
    static func notifyTeamManagers(_ notice: Notice, teamID: UUID, organisationID: UUID, discussionID: UUID, base: String,
                                   on db: any Database) async throws {
        let managers = try await Person.query(on: db).filter(\.$organisation.$id == organisationID).filter(\.$team.$id == teamID)
            .filter(\.$role == .teamManager).filter(\.$disabledAt == nil).all()
        for manager in managers {
            try await send(notice, to: manager.name, email: manager.email, organisationID: organisationID, discussionID: discussionID,
                           personID: manager.id, base: base, on: db)
        }
    }

    /// A Message-ID fixed when the row is written: `<row id>@<the public address's host>`.
    public static func messageID(_ id: UUID, base: String) -> String {
        id.uuidString.lowercased() + "@" + host(base)
    }

    static func host(_ base: String) -> String {
        URLComponents(string: base)?.host.flatMap { $0.isEmpty ? nil : $0 } ?? "convene.invalid"
    }

    /// The calendar sequence last sent for a discussion (nil: no calendar message yet). A
    /// rearrangement or cancellation sends the next one; late invitees get the current one.
    public static func calendarSequence(discussionID: UUID, on db: any Database) async throws -> Int? {
        try await OutboxMessage.query(on: db).filter(\.$discussionID == discussionID).filter(\.$calendarSequence != nil)
            .max(\.$calendarSequence) ?? nil
    }

    /// The discussion as a calendar event (RFC 5545): the UID stable per discussion, the chair as
    /// ORGANIZER, every invitee with an address as ATTENDEE, the summary the reference only.
    public static func calendar(_ d: Discussion, method: CalendarInvitation.Method, sequence: Int, meetingName: String,
                                organizer: CalendarInvitation.Participant, invitations: [Invitation], link: String, base: String,
                                now: Date) -> CalendarInvitation? {
        guard let start = d.slotStart, let end = d.slotEnd, let id = d.id else { return nil }
        let attendees = invitations.filter { $0.invited && $0.email.contains("@") }
            .map { CalendarInvitation.Participant(name: $0.name, email: $0.email) }
        return try? CalendarInvitation(
            method: method, uid: "\(id.uuidString.lowercased())@\(host(base))", sequence: sequence, stamp: now, start: start, end: end,
            summary: "\(meetingName.capitalizedFirst) \(d.reference)",
            location: d.meetingDetails.isEmpty ? nil : d.meetingDetails,
            description: "\(d.reference). Open the discussion: \(link)", organizer: organizer, attendees: attendees)
    }

    /// The chair as the calendar's ORGANIZER; the authority's own address when no chair is set.
    public static func organizer(_ d: Discussion, base: String, on db: any Database) async throws -> CalendarInvitation.Participant {
        if let chairID = d.chairID, let chair = try await Person.find(chairID, on: db), chair.email.contains("@") {
            return CalendarInvitation.Participant(name: chair.name, email: chair.email)
        }
        return CalendarInvitation.Participant(name: "Convene", email: "convene@\(host(base))")
    }

    /// The link an invitee's message carries, as their invitation did: a new personal link for
    /// someone whose invitation carried one (the token's hash replaces the old one, the browser it
    /// was opened in stays bound, and it lasts until well after the meeting); else the discussion
    /// behind sign-in.
    static func inviteeLink(_ invitation: Invitation, discussion d: Discussion, page: SiteURL? = nil, base: String, now: Date,
                            on db: any Database) async throws -> String {
        let id = try d.requireID()
        guard invitation.accessTokenHash != nil else { return base + (page ?? SiteURL.discussion(id)).path }
        let token = Tokens.random()
        invitation.accessTokenHash = Tokens.sha256(token)
        let until = (d.slotEnd ?? now).addingTimeInterval(PersonalLink.validity)
        invitation.accessExpiresAt = max(invitation.accessExpiresAt ?? until, until)
        try await invitation.save(on: db)
        return base + SiteURL.access(token).path
    }

    /// Rearrangement or cancellation to everyone already invited, with the next calendar
    /// sequence (REQUEST or CANCEL): a calendar client moves or strikes the same entry. Each
    /// invitee's message carries what their invitation carried: a personal link (renewed), or a
    /// teleconference request's extract link with its code in a second message (REQ-002-01),
    /// or the discussion behind sign-in. Never a child's details.
    static func announceChange(_ d: Discussion, cancelled: Bool, previousStart: Date?, pack: ProcedurePack, base: String, now: Date,
                               on db: any Database) async throws {
        let id = try d.requireID()
        let invitations = try await Invitation.query(on: db).filter(\.$discussion.$id == id).all()
        let sent = invitations.filter { $0.invited && $0.sentAt != nil && !$0.email.isBlank }
        guard !sent.isEmpty else { return }
        let sequence = (try await calendarSequence(discussionID: id, on: db) ?? -1) + 1
        let organizer = try await organizer(d, base: base, on: db)
        let extracts = Set(try await ExtractAccess.query(on: db).filter(\.$discussionID == id).all().map(\.invitationID))
        let meetingName = pack.meetingName
        for invitation in sent {
            let link: String
            var code: String?
            if extracts.contains(try invitation.requireID()), invitation.accessTokenHash == nil {
                (link, code) = try await newExtract(invitation, discussion: d, base: base, now: now, on: db)
            } else {
                link = try await inviteeLink(invitation, discussion: d, base: base, now: now, on: db)
            }
            let notice = cancelled
                ? Notice.cancellation(meetingName: meetingName, reference: d.reference, start: previousStart, link: link)
                : Notice.rearrangement(meetingName: meetingName, reference: d.reference, start: d.slotStart ?? now,
                                       previous: previousStart, link: link)
            let calendar = calendar(d, method: cancelled ? .cancel : .request, sequence: sequence, meetingName: meetingName,
                                    organizer: organizer, invitations: invitations, link: link, base: base, now: now)
            try await send(notice, to: invitation.name, email: invitation.email, organisationID: d.organisationID, discussionID: id,
                           personID: invitation.personID, invitationID: invitation.id, calendar: calendar, base: base, on: db)
            if let code {
                try await send(Notice.accessCode(reference: d.reference, code: code), to: invitation.name, email: invitation.email,
                               organisationID: d.organisationID, discussionID: id, personID: invitation.personID,
                               invitationID: invitation.id, base: base, on: db)
            }
        }
    }

    /// REQ-002-01: a new extract link and access code for an agency's secure account.
    static func newExtract(_ invitation: Invitation, discussion d: Discussion, base: String, now: Date,
                           on db: any Database) async throws -> (link: String, code: String) {
        let token = Tokens.random()
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        try await ExtractAccess(discussionID: try d.requireID(), invitationID: try invitation.requireID(),
                                tokenHash: Tokens.sha256(token), codeHash: Tokens.sha256(token + ":" + code),
                                expiresAt: (d.slotEnd ?? now).addingTimeInterval(PersonalLink.validity)).create(on: db)
        return (base + SiteURL.extract(token).path, code)
    }
}
