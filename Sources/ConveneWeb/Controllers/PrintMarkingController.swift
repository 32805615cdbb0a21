import ConveneCore
import Vapor

/// The running header and footer of printed minutes and records (issue 14): "OFFICIAL-SENSITIVE"
/// and the discussion's reference at the top of every page, "Page N of M" at the foot. Chromium
/// puts CSS page-margin boxes on every printed page, but their text cannot come from the page
/// (no `string-set`), and the Content-Security-Policy allows no inline style; so the page links
/// this small stylesheet with its reference. A reference is not personal data, and only a
/// well-formed one is ever written into the CSS (nothing else can be injected).
enum PrintMarkingController {
    static let marking = "OFFICIAL-SENSITIVE"

    static func register(_ app: Application) {
        app.get("print", "marking.css") { req -> Response in
            let reference = req.query[String.self, at: "reference"] ?? ""
            let css = stylesheet(reference: isReference(reference) ? reference : "")
            var headers = HTTPHeaders([("Content-Type", "text/css; charset=utf-8")])
            headers.cacheControl = .init(isPublic: false, maxAge: 86_400)
            return Response(status: .ok, headers: headers, body: .init(string: css))
        }
    }

    /// `SD-2026-00042/1`: letters, a year, a number and the discussion's number in its case.
    static func isReference(_ text: String) -> Bool {
        text.utf8.count <= 40 && text.wholeMatch(of: /[A-Z]{1,6}-[0-9]{4}-[0-9]{1,8}\/[0-9]{1,4}/) != nil
    }

    static func stylesheet(reference: String) -> String {
        """
        @page {
          @top-left { content: "\(marking)"; font: 700 9pt Arial, sans-serif; color: #000; }
          @top-right { content: "\(reference)"; font: 9pt Arial, sans-serif; color: #000; }
          @bottom-left { content: "\(marking)"; font: 700 9pt Arial, sans-serif; color: #000; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt Arial, sans-serif; color: #000; }
        }

        """
    }
}
