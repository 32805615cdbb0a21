/// An item of a page's error summary, or of a list of what is still missing: the message and
/// where it is put right.
public struct ErrorLink: Encodable, Sendable {
    let href: String
    let text: String

    public init(href: String, text: String) {
        self.href = href
        self.text = text
    }
}
