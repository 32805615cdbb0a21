import Logging
import NIOConcurrencyHelpers

/// Sends nothing: records each message in memory and writes a line to the log. For
/// development and `serve --demo`, where no mail should leave the machine; it never fails,
/// so the worker's path through a demo is the same as in production.
public final class LogTransport: MessageTransport {
    public let name = "log"
    private let logger: Logger
    private let limit: Int
    private let messages = NIOLockedValueBox<[OutgoingMessage]>([])

    /// Keeps the last `limit` messages, so a demo server left running does not grow without end.
    public init(logger: Logger = Logger(label: "convene.delivery.log"), limit: Int = 1000) {
        self.logger = logger
        self.limit = max(1, limit)
    }

    public func send(_ message: OutgoingMessage) async throws(DeliveryError) -> DeliveryReceipt {
        messages.withLockedValue {
            $0.append(message)
            if $0.count > limit { $0.removeFirst($0.count - limit) }
        }
        // The recipient and subject at info; the body only at debug, since even a demo
        // log may be shared.
        logger.info("message not sent (log transport)", metadata: [
            "kind": "\(message.kind)", "to": "\(message.to.address)", "subject": "\(message.subject)",
            "message_id": "\(message.messageID)", "calendar": "\(message.calendar?.method.rawValue ?? "none")",
        ])
        logger.debug("message text", metadata: ["message_id": "\(message.messageID)", "text": "\(message.text)"])
        return DeliveryReceipt(transport: name, messageID: message.messageID, providerReference: nil)
    }

    /// The messages handed to this transport (the last `limit` of them), oldest first.
    public var sent: [OutgoingMessage] {
        messages.withLockedValue { $0 }
    }
}
