import Foundation

/// What `Support/inspect_mail.py` reports about a received message: Python's `email`
/// package reading it as a mail client would.
struct MailSummary: Decodable {
    struct Part: Decodable {
        var type: String
        var depth: Int
        var encoding: String?
        var charset: String?
        var method: String?
        var filename: String?
        var disposition: String?
    }

    var message_id: String
    var subject: String
    var raw_subject: String
    var from_name: String
    var from_address: String
    var to_name: String
    var to_address: String
    var reply_to: String?
    var date: String
    var reference: String?
    var auto_submitted: String?
    var mime_version: String
    var defects: [String]
    var tree: [Part]
    var text: String
    var max_line_length: Int
    var all_ascii: Bool
    var bare_lf: Bool
    var calendar: CalendarSummary?
    var attachment_matches_inline: Bool

    var types: [String] { tree.map(\.type) }

    static func read(_ file: URL) throws -> MailSummary {
        try Python.json(MailSummary.self, script: "inspect_mail.py", [file.path])
    }
}

/// What Python's `icalendar` makes of a calendar Convene wrote.
struct CalendarSummary: Decodable {
    struct Time: Decodable {
        var tzid: String?
        var local: String
        var utc: String
        var utc_by_vtimezone: String
    }

    var method: String
    var version: String
    var prodid: String
    var uid: String
    var sequence: Int
    var status: String
    var summary: String
    var location: String?
    var description: String?
    var dtstamp: String
    var dtstart: Time
    var dtend: Time
    var organizer: String
    var organizer_cn: String
    var attendees: [[String: String]]
    var max_line_octets: Int
    var lines_valid_utf8: Bool
    var crlf_only: Bool

    static func parse(_ ics: String) throws -> CalendarSummary {
        let file = Scratch.directory().appendingPathComponent("invite.ics")
        try Data(ics.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        return try Python.json(CalendarSummary.self, script: "inspect_mail.py", ["--ics", file.path])
    }
}
