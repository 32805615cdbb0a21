import ConveneCore
@testable import ConveneWeb
import Foundation
import Testing
import VaporTesting

/// Bad input is a 400 with RFC 9457 problem details naming the field, whether the generated
/// decoder or the procedure's own rules found it; never a 500.
@Suite("API input errors")
struct APIErrorTests {
    /// Sends a request for a discussion with `change` applied to a valid body.
    static func request(_ world: TestWorld, _ change: (inout [String: Any]) -> Void) async throws -> APIClient.Reply {
        var body = world.requestBody()
        change(&body)
        return try await world.api(.socialWorker).post("/discussions", body)
    }

    @Test("Not JSON: 400, the whole body named")
    func notJSON() async throws {
        try await TestWorld.run { world in
            let reply = try await world.api(.socialWorker).send(.POST, "/discussions", body: "{not json")
            #expect(reply.status == .badRequest)
            #expect(reply.isProblem)
            #expect(reply.fields == [""])
        }
    }

    @Test("A required field left out is named: rationale is required")
    func missingField() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["rationale"] = nil }
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["rationale"])
        }
    }

    @Test("An urgency the procedure does not know is refused on its field")
    func wrongEnum() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["urgency"] = "asap" }
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["urgency"])
            #expect(reply.text.contains("asap"))
        }
    }

    @Test("A value of the wrong JSON type is named: complex must be true or false")
    func wrongType() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["complex"] = "yes" }
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["complex"])
        }
    }

    @Test("A date of birth that is not a real date (30 February 2019) is named on the child")
    func badDate() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["children"] = [["name": "Amira Khan", "dateOfBirth": "2019-02-30"]] }
            #expect(reply.status == .badRequest)
            #expect(reply.fields.first == "children[0].dateOfBirth")
        }
    }

    @Test("An instant that is not RFC 3339 is named: concernReceivedAt")
    func badInstant() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["concernReceivedAt"] = "yesterday afternoon" }
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["concernReceivedAt"])
        }
    }

    @Test("Urgency other without the service manager's rationale and agreed time is refused (REQ-001-01)")
    func otherWithoutRationale() async throws {
        try await TestWorld.run { world in
            let reply = try await Self.request(world) { $0["urgency"] = "other" }
            #expect(reply.status == .badRequest)
            #expect(Set(reply.fields) == ["urgencyRationale", "agreedDue"])
        }
    }

    @Test("An action for a child who is not in the discussion names childId")
    func unknownChild() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            try await world.advance(id, to: .booked)
            let reply = try await world.api(.teamManager).post("/discussions/\(id.slug)/actions", [
                "kind": "action", "what": "Visit", "owner": "Sam Okafor", "agency": "childrens-social-care",
                "due": "2026-12-01", "purpose": "See the child", "review": "Weekly", "childId": UUID().uuidString,
            ])
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["childId"])
        }
    }

    @Test("A path id that is not a UUID is a 400 naming the parameter, not a 500")
    func badPathID() async throws {
        try await TestWorld.run { world in
            let reply = try await world.api(.socialWorker).get("/discussions/not-a-uuid")
            #expect(reply.status == .badRequest)
            #expect(reply.isProblem)
            #expect(reply.fields == ["discussionId"])
        }
    }

    @Test("More than 100 a page is refused on per; page 0 on page")
    func pagination() async throws {
        try await TestWorld.run { world in
            let client = try await world.api(.serviceManager)
            #expect(try await client.get("/discussions?per=101").fields == ["per"])
            #expect(try await client.get("/discussions?page=0").fields == ["page"])
            #expect(try await client.get("/discussions?per=lots").status == .badRequest)
        }
    }

    @Test("A body that is not JSON, or none at all, is a 4xx")
    func wrongContent() async throws {
        try await TestWorld.run { world in
            var headers = HTTPHeaders()
            headers.contentType = .plainText
            let client = try await world.api(.socialWorker)
            let plain = try await client.send(.POST, "/discussions", body: "hello", headers: headers)
            #expect((400..<500).contains(plain.status.code))
            let empty = try await client.send(.POST, "/discussions")
            #expect(empty.status == .badRequest)
        }
    }

    @Test("A booking with a chair who is not a manager names chairId (ATT-ALL-02)")
    func renamedField() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion()
            try await world.advance(id, to: .awaitingBooking)
            let client = try await world.api(.minuteTaker)
            let slots = try await client.get("/discussions/\(id.slug)/slots?per=1")
            let start = try #require((slots["items"] as? [[String: Any]])?.first?["start"])
            let reply = try await client.post("/discussions/\(id.slug)/booking", [
                "slotStart": start, "format": "virtual", "chairId": world.people[.socialWorker]!.slug,
                "expectedVersion": try await world.discussion(id).lockVersion,
            ])
            #expect(reply.status == .badRequest)
            #expect(reply.fields == ["chairId"])
        }
    }
}
