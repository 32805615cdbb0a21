import ConveneCore
import ConveneStore
import Foundation
import Vapor

/// The discussion as a calendar file (issue 11, RFC 5545) for people signed in who may see it:
/// the same UID and current SEQUENCE as the invitations mailed, so importing it updates the same
/// entry; a cancelled discussion downloads as a cancellation.
enum CalendarController {
    static func register(_ routes: any RoutesBuilder) {
        routes.get("discussions", ":id", "calendar.ics", use: download)
    }

    @Sendable static func download(req: Request) async throws -> Response {
        let loaded = try await req.discussion(try req.uuid("id"), for: .viewDiscussion)
        guard let calendar = try await Operations.calendarFile(req.lifecycle, loaded) else {
            throw Abort(.notFound, reason: "The discussion has no time booked yet.")
        }
        let response = Response(status: .ok, body: .init(string: calendar.render()))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "calendar",
                                                     parameters: ["charset": "utf-8", "method": calendar.method.rawValue])
        response.headers.contentDisposition = .init(.attachment, filename: "\(loaded.discussion.reference.replacingOccurrences(of: "/", with: "-")).ics")
        return response
    }
}
