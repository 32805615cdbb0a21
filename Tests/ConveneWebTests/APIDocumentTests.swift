import ConveneAPI
import ConveneCore
import ConveneStore
@testable import ConveneWeb
import Foundation
import Testing
import Vapor
import VaporTesting

/// The OpenAPI document is served, parses, and describes every route under /api/v1.
@Suite("API document")
struct APIDocumentTests {
    @Test("GET /api/v1/openapi.json serves the OpenAPI 3.1 document without signing in")
    func served() async throws {
        try await TestWorld.run { world in
            let reply = try await world.anonymousAPI().get("/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.headers.contentType?.subType == "json")
            #expect(reply.string("openapi") == "3.1.0")
            let schemas = (reply["components"] as? [String: Any])?["schemas"] as? [String: Any]
            #expect(schemas?["Problem"] != nil)
            #expect(((reply["paths"] as? [String: Any])?.count ?? 0) > 40)
        }
    }

    @Test("Every route under /api/v1 is in the document, with its method")
    func everyRouteDocumented() async throws {
        try await TestWorld.run { world in
            let reply = try await world.anonymousAPI().get("/openapi.json")
            let paths = try #require(reply["paths"] as? [String: [String: Any]])
            let routes = world.app.routes.all.filter { $0.path.starts(with: APIRoutes.prefix) }
            #expect(routes.count > 40)
            for route in routes {
                let path = "/" + route.path.dropFirst(APIRoutes.prefix.count).map { component in
                    if case let .parameter(name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                let operations = paths[path]
                #expect(operations != nil, "\(path) is not in the document")
                #expect(operations?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in the document")
            }
        }
    }

    @Test("Every error response of the document is a Problem; every operation says what bad input gets")
    func problems() async throws {
        try await TestWorld.run { world in
            let reply = try await world.anonymousAPI().get("/openapi.json")
            let responses = try #require((reply["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
            for (name, response) in responses where !["DiscussionChanged", "RecordChanged", "CaseItemCreated"].contains(name) {
                let content = response["content"] as? [String: Any]
                let schema = (content?["application/problem+json"] as? [String: Any])?["schema"] as? [String: Any]
                #expect(schema?["$ref"] as? String == "#/components/schemas/Problem", "\(name)")
            }
            let paths = try #require(reply["paths"] as? [String: [String: Any]])
            for (path, item) in paths {
                for (method, operation) in item where method != "parameters" {
                    let codes = ((operation as? [String: Any])?["responses"] as? [String: Any])?.keys.map { $0 } ?? []
                    #expect(codes.contains("500"), "\(method) \(path) does not document 500")
                    for code in codes where code.hasPrefix("4") || code.hasPrefix("5") {
                        let ref = (((operation as? [String: Any])?["responses"] as? [String: Any])?[code] as? [String: Any])?["$ref"]
                        #expect(ref != nil, "\(method) \(path) \(code) is not a shared problem response")
                    }
                }
            }
        }
    }

    @Test("The document's enums and ours share every value")
    func vocabularies() throws {
        func check<A: RawRepresentable & CaseIterable, B: RawRepresentable & CaseIterable>(_ a: A.Type, _ b: B.Type)
            where A.RawValue == String, B.RawValue == String {
            #expect(Set(A.allCases.map(\.rawValue)) == Set(B.allCases.map(\.rawValue)), "\(A.self) and \(B.self) differ")
        }
        check(DiscussionStage.self, Schemas.Stage.self)
        check(Urgency.self, Schemas.Urgency.self)
        check(CaseType.self, Schemas.CaseType.self)
        check(DiscussionOutcome.self, Schemas.Outcome.self)
        check(AttendanceMode.self, Schemas.AttendanceMode.self)
        check(YesNo.self, Schemas.YesNo.self)
        check(ChecklistResponse.self, Schemas.ChecklistResponse.self)
        check(SmartAction.Kind.self, Schemas.ActionKind.self)
        check(SmartAction.Term.self, Schemas.ActionTerm.self)
        check(SmartAction.Status.self, Schemas.ActionStatus.self)
        check(Duty.self, Schemas.Duty.self)
        check(DutyStatus.self, Schemas.DutyStatus.self)
        check(EventType.self, Schemas.CaseEventType.self)
        check(ImmediateProtection.Power.self, Schemas.ProtectionPower.self)
        check(DutyNote.Kind.self, Schemas.DutyNoteKind.self)
        check(Correction.Status.self, Schemas.CorrectionStatus.self)
        check(RecordVersion.Kind.self, Schemas.VersionKind.self)
    }
}
