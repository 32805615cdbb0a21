import ConveneCore
import ConveneDelivery
import ConveneStore
import FluentKit
import Foundation
import Logging

/// Sends the outbox (issue 11): claims due rows with a lease (`OutboxQueue`), hands each to
/// the configured transport, and records the outcome: `sent`, a retry after a back-off for a
/// temporary failure, `failed` after the last try or at once for a permanent one.
///
/// A lifecycle job (`DeliveryJob`): `convene serve` runs it in-process, `convene deliver` on its own.
public struct DeliveryWorker: Sendable {
    public let queue: OutboxQueue
    public let transport: any MessageTransport
    /// The From address of every message (`CONVENE_MAIL_FROM`).
    public let from: MailAddress
    /// Waits before the 2nd, 3rd… tries; after the last, a temporary failure is `failed` too.
    public let backoff: [TimeInterval]
    public let batchSize: Int
    let logger: Logger

    public static let defaultBackoff: [TimeInterval] = [60, 5 * 60, 30 * 60, 2 * 3600]

    public init(queue: OutboxQueue, transport: any MessageTransport, from: MailAddress,
                backoff: [TimeInterval] = DeliveryWorker.defaultBackoff, batchSize: Int = 20,
                logger: Logger = Logger(label: "convene.delivery")) {
        self.queue = queue
        self.transport = transport
        self.from = from
        self.backoff = backoff
        self.batchSize = batchSize
        self.logger = logger
    }

    /// The tries a message gets: the first and one per back-off step.
    public var maximumAttempts: Int { backoff.count + 1 }

    /// Sends everything due at the clock's `now`, batch after batch, until nothing is due.
    /// Returns how many rows it settled (sent, rescheduled or failed).
    @discardableResult
    public func run(on db: any Database, now: @Sendable () -> Date) async throws -> Int {
        var settled = 0
        while true {
            let rows = try await queue.claim(limit: batchSize, now: now(), on: db)
            if rows.isEmpty { return settled }
            for row in rows {
                try await deliver(row, on: db, now: now())
                settled += 1
            }
        }
    }

    func deliver(_ row: OutboxMessage, on db: any Database, now: Date) async throws {
        let id = try row.requireID()
        let message: OutgoingMessage
        do {
            message = try outgoing(row, now: now)
        } catch {
            try await queue.fail(id, error: "The message cannot be sent as written: \(error)", now: now, on: db)
            logger.error("outbox message cannot be built", metadata: ["outbox_id": "\(id)", "error": "\(error)"])
            return
        }
        let receipt: DeliveryReceipt
        do {
            receipt = try await transport.send(message)
        } catch {
            let attempts = row.attempts
            if error.disposition == .temporary, attempts < maximumAttempts {
                let wait = backoff[max(0, min(attempts - 1, backoff.count - 1))]
                try await queue.retry(id, error: error.message, retryAt: now.addingTimeInterval(wait), on: db)
                logger.notice("delivery will be retried", metadata: ["outbox_id": "\(id)", "attempt": "\(attempts)",
                                                                   "error": "\(error.message)"])
            } else {
                try await queue.fail(id, error: error.message, now: now, on: db)
                logger.error("delivery failed", metadata: ["outbox_id": "\(id)", "attempt": "\(attempts)", "error": "\(error.message)"])
            }
            return
        }
        if try await !queue.markSent(id, transport: receipt.transport, providerReference: receipt.providerReference, now: now, on: db) {
            logger.warning("sent, but the row's lease had passed to another worker",
                           metadata: ["outbox_id": "\(id)", "message_id": "\(message.messageID)"])
        }
    }

    /// The message a row describes: its own Message-ID, the calendar part it carries.
    func outgoing(_ row: OutboxMessage, now: Date) throws -> OutgoingMessage {
        let id = try row.requireID()
        let domain = from.address.split(separator: "@").last.map(String.init) ?? "convene.invalid"
        var calendar: CalendarPart?
        if let method = row.calendarMethod.flatMap(CalendarInvitation.Method.init(rawValue:)), let ics = row.calendarICS {
            calendar = CalendarPart(method: method, ics: ics)
        }
        return try OutgoingMessage(
            messageID: row.messageID ?? OutgoingMessage.messageID(for: id, domain: domain), kind: MessageKind(row.kind), date: now,
            from: from, to: MailAddress(name: row.toName, address: row.toEmail, field: "to"), subject: row.subject, text: row.body,
            calendar: calendar, reference: row.reference, headers: [MessageHeader("X-Convene-Outbox-ID", id.uuidString.lowercased())])
    }
}
