import ConveneCore
import Foundation

/// How to send through GOV.UK Notify: the API key, one email template per message kind,
/// and (for tests) where the API is.
///
/// Each template's subject should be `((subject))` and its body `((body))`: Convene writes
/// the words, Notify brands and delivers them. Every message also fills `((reference))`,
/// and any fields the message adds for its kind.
public struct NotifyConfiguration: Hashable, Sendable {
    public static let liveBaseURL = "https://api.notifications.service.gov.uk"

    public var apiKey: NotifyAPIKey
    public var templates: [MessageKind: String]
    /// The id of a reply-to address set up in Notify, if replies should not go to Notify's default.
    public var emailReplyToID: String?
    public var baseURL: String
    public var timeout: Duration

    public init(apiKey: NotifyAPIKey, templates: [MessageKind: String], emailReplyToID: String? = nil,
                baseURL: String = NotifyConfiguration.liveBaseURL, timeout: Duration = .seconds(30)) {
        self.apiKey = apiKey
        self.templates = templates
        self.emailReplyToID = emailReplyToID
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
    }

    /// Reads the templates from `kind=template-id` pairs separated by commas, e.g.
    /// `invitation=0b1f…,cancellation=77a2…,minutes=5c3e…`.
    public static func templates(parsing text: String) throws(InputError) -> [MessageKind: String] {
        var templates: [MessageKind: String] = [:]
        for pair in text.split(separator: ",").map({ String($0).trimmed }) where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw InputError(field: "templates", "“\(pair)” must be kind=template-id, e.g. invitation=0b1f…")
            }
            guard UUID(uuidString: parts[1]) != nil else {
                throw InputError(field: FieldPath("templates").appending(parts[0]), "must be a Notify template id (a UUID)")
            }
            templates[MessageKind(parts[0])] = parts[1]
        }
        return templates
    }
}
