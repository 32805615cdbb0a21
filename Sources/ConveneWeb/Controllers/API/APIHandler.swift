import ConveneAPI
import ConveneCore
import ConveneStore
import Fluent
import Foundation
import OpenAPIRuntime
import Vapor

/// The generated operations' names collide with our own `Operations` (the lifecycle steps).
typealias APIOperations = ConveneAPI.Operations
typealias Schemas = Components.Schemas

/// Implements the generated `APIProtocol`, one file per resource (`APIHandler+*.swift`).
/// Each handler loads what it acts on through the access policy, maps the generated input to
/// domain types, calls the same `Operations` as the pages, and maps the result back.
struct APIHandler: APIProtocol {
    let document: OpenAPIObjectContainer
}

extension APIHandler {
    /// The discussion as it stands after a change, with its new version.
    static func summary(of id: UUID, _ req: Request) async throws -> Schemas.DiscussionSummary {
        guard let discussion = try await Discussion.find(id, on: req.db) else { throw Abort(.notFound) }
        return try Schemas.DiscussionSummary(discussion)
    }

    /// Audits a read of a discussion's personal data, as the pages do (ASVS-5.0-16.3, level 3).
    static func auditView(_ loaded: LoadedDiscussion, _ what: String, _ req: Request, objectType: String = "discussion")
        async throws
    {
        try await req.logView(loaded, objectType, detail: "api: " + what)
    }
}

/// `?page` (from 1) and `?per` (1 to 100) of every list.
/// The `page` and `per` of an API list, bounded by `ListPage` (an out-of-range number is a
/// 400 naming the field, never an overflow).
struct PageRequest: Sendable {
    let window: ListPage

    static let defaultPer = 25

    init(page: Int?, per: Int?) throws {
        window = try ListPage.strict(number: page, size: per, defaultSize: Self.defaultPer)
    }

    var page: Int { window.number }
    var per: Int { window.size }
    var range: Range<Int> { window.range }

    func slice<T>(_ items: [T]) -> [T] {
        window.slice(items)
    }

    func info(total: Int?) -> Schemas.Pagination {
        .init(page: page, per: per, total: total)
    }
}

/// Our vocabularies and the document's enums share their raw values (`in-meeting`,
/// `s47-joint`…); a test checks every case of each pair.
extension RawRepresentable where RawValue == String {
    func term<T: RawRepresentable>(_ type: T.Type = T.self) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: rawValue) else {
            throw Abort(.internalServerError, reason: "\(Self.self).\(rawValue) has no counterpart in \(T.self)")
        }
        return value
    }
}
