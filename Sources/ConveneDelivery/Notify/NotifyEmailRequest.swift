/// The body of `POST /v2/notifications/email`.
///
/// Every template gets `subject`, `body` and `reference`; a message may add fields of its
/// own, which cannot replace those three. Notify's `reference` is the Message-ID, so a
/// notification in Notify's records leads back to the outbox row.
struct NotifyEmailRequest: Encodable {
    var emailAddress: String
    var templateID: String
    var personalisation: [String: String]
    var reference: String
    var emailReplyToID: String?

    enum CodingKeys: String, CodingKey {
        case emailAddress = "email_address"
        case templateID = "template_id"
        case personalisation
        case reference
        case emailReplyToID = "email_reply_to_id"
    }

    init(_ message: OutgoingMessage, templateID: String, replyToID: String?) {
        var fields = message.personalisation
        fields["subject"] = message.subject
        fields["body"] = MIMEEncoding.lines(of: message.text).joined(separator: "\n")
        fields["reference"] = message.reference ?? ""
        self.emailAddress = message.to.address
        self.templateID = templateID
        self.personalisation = fields
        self.reference = message.messageID
        self.emailReplyToID = replyToID
    }
}

/// The parts of Notify's 201 answer Convene keeps.
struct NotifyEmailResponse: Decodable {
    var id: String
}

/// Notify's error answer: `{"status_code": 400, "errors": [{"error": "BadRequestError", "message": "…"}]}`.
struct NotifyErrorResponse: Decodable {
    struct Item: Decodable {
        var error: String
        var message: String
    }

    var errors: [Item]
}
