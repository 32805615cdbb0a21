import Vapor

/// The error pages: 403, 404, 409, 413, 429 and 500, in plain words.
enum ErrorPage {
    struct Context: Encodable {
        let heading: String
        let detail: String
        let status: Int
    }

    static func render(status: HTTPResponseStatus, detail: String, heading override: String? = nil, _ req: Request) async -> Response {
        var heading: String
        switch status.code {
        case 403: heading = "You cannot do that"
        case 404: heading = "Page not found"
        case 409: heading = "Someone else changed this"
        case 413: heading = "That was too large"
        case 429: heading = "Too many attempts"
        case 400..<500: heading = "There is a problem"
        default: heading = "Sorry, there is a problem with the service"
        }
        if let override { heading = override }
        let shown = status == .notFound
            ? "If you typed the web address, check it is correct. If you followed a link, you may not have access to what it points to."
            : detail
        do {
            return try await req.page("error", title: heading, Context(heading: heading, detail: shown, status: Int(status.code)),
                                      status: status)
        } catch {
            // The template itself failed: answer in plain text, still without internals.
            let response = Response(status: status, body: .init(string: "\(heading). \(shown)"))
            response.headers.contentType = .plainText
            return response
        }
    }
}
