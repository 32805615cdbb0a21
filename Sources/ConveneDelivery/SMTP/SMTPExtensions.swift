/// What the server said it supports in its EHLO reply (RFC 5321 §4.1.1.1): one keyword per
/// line after the greeting, e.g. `STARTTLS`, `AUTH PLAIN LOGIN`, `SIZE 35882577`.
struct SMTPExtensions: Hashable, Sendable {
    private let keywords: [String: [String]]

    init(_ reply: SMTPReply) {
        var keywords: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            keywords[keyword] = Array(words.dropFirst())
        }
        self.keywords = keywords
    }

    func offers(_ keyword: String) -> Bool {
        keywords[keyword.uppercased()] != nil
    }

    /// The SASL mechanisms after `AUTH`, upper-cased.
    var authMechanisms: Set<String> {
        Set(keywords["AUTH"] ?? [])
    }
}
