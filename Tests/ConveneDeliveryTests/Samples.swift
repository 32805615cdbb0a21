import ConveneCore
import ConveneDelivery
import ConveneTestSupport
import Foundation

/// Messages and invitations as Convene will send them, for a discussion that is arranged
/// for 10:00 on 30 March 2026 (the first Monday of BST), moved, and then called off.
enum Samples {
    static let discussionID = "6f1c2d3e-0000-4000-8000-00000000d15c@convene"
    static let organiser = CalendarInvitation.Participant(name: "Adam Fletcher (Chair)", email: "adam.fletcher@northtown.gov.uk")
    static let invitees = [
        CalendarInvitation.Participant(name: "PC Siân O’Brien", email: "sian.obrien@police.example.uk"),
        CalendarInvitation.Participant(name: "Dr Amara Nwosu, Named GP", email: "amara.nwosu@nhs.example.uk"),
        CalendarInvitation.Participant(name: "Helen Marsh", email: "helen.marsh@school.example.org"),
    ]

    static func invitation(_ method: CalendarInvitation.Method = .request, sequence: Int = 0,
                           start: String = "2026-03-30T09:00:00Z", end: String = "2026-03-30T10:00:00Z")
        throws -> CalendarInvitation {
        try CalendarInvitation(
            method: method, uid: discussionID, sequence: sequence, stamp: at("2026-03-27T16:05:00Z"),
            start: at(start), end: at(end), summary: "Strategy discussion SD-2026-0042",
            location: "Teams (link in the invitation); Room 2, Civic Centre, Northtown",
            description: "Strategy discussion SD-2026-0042.\nOpen the discussion: https://convene.northtown.gov.uk/d/0042",
            organizer: organiser, attendees: invitees)
    }

    static func message(subject: String = "Strategy discussion SD-2026-0042: Monday 30 March 2026 at 10am",
                        text: String = "You are invited to a strategy discussion (SD-2026-0042).\nOpen the discussion: https://convene.northtown.gov.uk/d/0042",
                        to: String = "sian.obrien@police.example.uk", toName: String = "PC Siân O’Brien",
                        kind: MessageKind = .invitation, calendar: CalendarInvitation? = nil,
                        id: String = "0b7e1c9a-1111-4222-8333-444455556666") throws -> OutgoingMessage {
        try OutgoingMessage(
            messageID: "\(id)@convene.northtown.gov.uk", kind: kind, date: at("2026-03-27T16:05:00Z"),
            from: MailAddress(name: "Northtown Children’s Services", address: "convene@northtown.gov.uk"),
            to: MailAddress(name: toName, address: to),
            replyTo: MailAddress(name: "Adam Fletcher", address: "adam.fletcher@northtown.gov.uk"),
            subject: subject, text: text, calendar: calendar.map(CalendarPart.init), reference: "SD-2026-0042",
            headers: [MessageHeader("X-Convene-Outbox-ID", id)])
    }
}
