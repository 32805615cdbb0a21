import ConveneCore
import ConveneStore
import Foundation

/// The messages Convene has written and what became of each (issue 11): failed ones first,
/// with their last error. Their bodies (with personal links) are shown only on a
/// demonstration site, so testers can follow an invitee's link.
public struct OutboxPage: Encodable, Sendable {
    struct OutboxRow: Encodable, Sendable {
        let id: String
        let to: String
        let subject: String
        let body: String
        let at: String
        let kind: String
        let status: String
        let failed: Bool
        let detail: String
    }

    let rows: [OutboxRow]
    let demo: Bool
    let none: Bool
    let failures: Int
}

extension OutboxPage {
    public init(failed: [OutboxMessage], recent: [OutboxMessage], demo: Bool) {
        let rows = failed + recent
        self.init(rows: rows.map { m in
            var detail: [String] = []
            if let sent = m.sentAt { detail.append("sent \(UKDisplay.compact(sent)) by \(m.transport ?? "")") }
            if m.status == .queued, let next = m.nextAttemptAt { detail.append("next try \(UKDisplay.compact(next))") }
            if m.attempts > 0 { detail.append("\(m.attempts) tr\(m.attempts == 1 ? "y" : "ies")") }
            if let error = m.lastError, m.status != .sent { detail.append(error) }
            return OutboxRow(id: m.id!.slug, to: "\(m.toName) <\(m.toEmail)>", subject: m.subject, body: demo ? m.body : "",
                             at: m.createdAt.map { UKDisplay.compact($0) } ?? "", kind: m.kind, status: m.status.label,
                             failed: m.status == .failed, detail: detail.joined(separator: " · "))
        }, demo: demo, none: rows.isEmpty, failures: failed.count)
    }
}
