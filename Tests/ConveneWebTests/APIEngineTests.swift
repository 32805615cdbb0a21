import ConveneCore
@testable import ConveneWeb
import Foundation
import Testing
import VaporTesting

/// The engine calls answer exactly as the command line does (docs/cli.md): every example in
/// `examples/` gives its recorded answer, and bad input names the field as the CLI names it.
@Suite("API engine")
struct APIEngineTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    static var exampleNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasSuffix(".out.json") }.sorted()
    }

    /// JSON values compared as values (key order and layout aside).
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
    }

    @Test("Each example in examples/ gives the CLI's recorded answer through the API", arguments: exampleNames)
    func example(name: String) async throws {
        try await TestWorld.run { world in
            let parts = name.split(separator: ".")
            let input = try String(contentsOf: Self.examples.appendingPathComponent(name), encoding: .utf8)
            let expected = try Data(contentsOf: Self.examples.appendingPathComponent(name.replacingOccurrences(of: ".json", with: ".out.json")))
            let client = try await world.api(.socialWorker)
            let reply = try await client.send(.POST, "/packs/\(parts[1])/\(parts[0])", body: input)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(Self.same(reply.json, try JSONSerialization.jsonObject(with: expected)), "\(reply.text)")
        }
    }

    @Test("GET /packs lists the packs as `convene packs` does")
    func packs() async throws {
        try await TestWorld.run { world in
            let reply = try await world.api(.socialWorker).get("/packs")
            let ids = (reply["packs"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted()
            #expect(ids == ["bradford", "devon-mash", "front-door", "hertfordshire", "north-yorkshire"])
            let expected = try JSONSerialization.jsonObject(with: Contract.encode(
                ["packs": world.app.convene.packs.packs.map(PackSummary.init)]))
            #expect(Self.same(reply.json, expected))
        }
    }

    @Test("Bad engine input names the field as the CLI does", arguments: [
        ("timescales", "bradford", #"{"events":[{"type":"meeting","at":"2026-12-24T09:00:00Z"}]}"#, "events[0].type"),
        ("timescales", "bradford", #"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00Z"},{"type":"icpc-held"}]}"#, "events[1].at"),
        ("timescales", "bradford", #"{"events":[{"type":"concern-received","at":"2026-12-24T09:00:00"}]}"#, "events[0].at"),
        ("timescales", "bradford", #"{"events":[{"type":"request-made","at":"2026-12-24T09:00:00Z","urgency":"other","agreedDue":"2026-12-29T09:00:00Z"}]}"#, "events[0].rationale"),
        ("slots", "hertfordshire", #"{"requestedAt":"tomorrow"}"#, "requestedAt"),
        ("slots", "hertfordshire", #"{"requestedAt":"2026-12-24T09:00:00Z","urgency":"asap"}"#, "urgency"),
        ("attendance", "bradford", #"{"concerns":["sexual-abuse","witchcraft"]}"#, "concerns[1]"),
        ("attendance", "bradford", #"{"attendees":[{"agency":"police"},{"agency":"fire-brigade"}]}"#, "attendees[1].agency"),
    ])
    func badInput(command: String, pack: String, body: String, field: String) async throws {
        try await TestWorld.run { world in
            let reply = try await world.api(.socialWorker).send(.POST, "/packs/\(pack)/\(command)", body: body)
            #expect(reply.status == .badRequest, "\(reply.text)")
            #expect(reply.fields == [field], "\(reply.text)")
        }
    }

    @Test("An unknown pack is 404")
    func unknownPack() async throws {
        try await TestWorld.run { world in
            let reply = try await world.api(.socialWorker).send(.POST, "/packs/atlantis/slots", body: #"{"requestedAt":"2026-12-24T09:00:00Z"}"#)
            #expect(reply.status == .notFound)
        }
    }
}
