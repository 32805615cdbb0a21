import ConveneCore
import Foundation
import Vapor

/// A request's HTML form, read with our field names as they are. Field names are FieldPaths
/// such as `children[0].name`, which Vapor's form decoder would treat as nesting. Parsed by
/// hand: Foundation's URLComponents traps (crashes) on characters a browser or a hostile
/// client may send unencoded, so it must never see request input.
extension FormData {
    init(_ req: Request) throws {
        // A browser always labels a form; a body without a type is not one (ASVS-5.0-4.1.1).
        guard req.headers.contentType == .urlEncodedForm else {
            throw Abort(.unsupportedMediaType, reason: "Send the form as application/x-www-form-urlencoded.")
        }
        let body = req.body.string ?? ""
        self.init(body: body)
    }

    init(body: String) {
        var values: [String: [String]] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormData.decode(parts[0])
            guard !name.isEmpty else { continue }
            values[name, default: []].append(parts.count > 1 ? FormData.decode(parts[1]) : "")
        }
        self.init(values: values)
    }

    /// `application/x-www-form-urlencoded` decoding; a malformed escape reads as the raw text.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
