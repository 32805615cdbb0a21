import ConveneCore
import Foundation

/// One message to one person, ready for any transport.
///
/// Convene writes every invitee their own message (links in them are personal), so there
/// is exactly one recipient. The text is plain: what it says must stand on its own in any
/// mail client, Notify template or log. Nothing about a child goes in it: the reference and
/// a link behind sign-in are enough, and `MessageContentPolicy` checks it.
public struct OutgoingMessage: Hashable, Sendable {
    /// The Message-ID without angle brackets (`<uuid>@<domain>`): stable for the outbox
    /// row, so a message retried after a dropped connection can be recognised as the same.
    public let messageID: String
    public var kind: MessageKind
    /// The Date header. Time is a parameter: the worker passes its clock's now.
    public var date: Date
    public var from: MailAddress
    public var to: MailAddress
    public var replyTo: MailAddress?
    public var subject: String
    /// The message body as plain text; line breaks may be `\n` or `\r\n`.
    public var text: String
    /// A calendar request or cancellation to go with the text.
    public var calendar: CalendarPart?
    /// The discussion's reference (e.g. `SD-2026-0042`): the `X-Convene-Reference` header
    /// and a Notify personalisation field, so replies and bounces can be traced.
    public var reference: String?
    /// Further headers, e.g. `X-Convene-Outbox-ID`. Names that Convene sets itself are refused.
    public private(set) var headers: [MessageHeader]
    /// Extra fields for a Notify template beyond `subject`, `body` and `reference`.
    public var personalisation: [String: String]

    public init(messageID: String, kind: MessageKind, date: Date, from: MailAddress, to: MailAddress,
                replyTo: MailAddress? = nil, subject: String, text: String, calendar: CalendarPart? = nil,
                reference: String? = nil, headers: [MessageHeader] = [],
                personalisation: [String: String] = [:]) throws(InputError) {
        let id = messageID.hasPrefix("<") && messageID.hasSuffix(">") ? String(messageID.dropFirst().dropLast()) : messageID
        guard id.contains("@"), !id.hasPrefix("@"), !id.hasSuffix("@"),
              id.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" }) else {
            throw InputError(field: "messageID", "must look like id@domain, in ASCII without spaces or angle brackets")
        }
        for (i, header) in headers.enumerated() where MessageHeader.reserved.contains(header.name.lowercased()) {
            throw InputError(field: FieldPath("headers").index(i),
                             "\(header.name) is set by Convene itself; use a header starting X-Convene-")
        }
        self.messageID = id
        self.kind = kind
        self.date = date
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.calendar = calendar
        self.reference = reference
        self.headers = headers
        self.personalisation = personalisation
    }

    /// A Message-ID from an outbox row's id and the sending domain, e.g.
    /// `3f2c…@convene.northtown.gov.uk`.
    public static func messageID(for id: UUID, domain: String) -> String {
        id.uuidString.lowercased() + "@" + domain
    }
}

/// The calendar part of a message: the iTIP method and the iCalendar text.
public struct CalendarPart: Hashable, Sendable {
    public var method: CalendarInvitation.Method
    public var ics: String

    public init(method: CalendarInvitation.Method, ics: String) {
        self.method = method
        self.ics = ics
    }

    public init(_ invitation: CalendarInvitation) {
        self.init(method: invitation.method, ics: invitation.render())
    }
}
