/// A page that moves on by itself (and offers a link to), used where a form's redirect to
/// another site would be stopped by the Content-Security-Policy: on to the directory, and back.
public struct ContinuePage: Encodable, Sendable {
    let message: String
    let target: String
    let link: String

    public init(message: String, target: String, link: String) {
        self.message = message
        self.target = target
        self.link = link
    }
}
