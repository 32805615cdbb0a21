import ConveneCore
@testable import ConveneStore
import Foundation
import Testing

@Suite("The decoded facts kept between performance views (issue 13)")
struct FactsCacheTests {
    static func facts(_ reference: String, stage: DiscussionStage, at: Date) -> DiscussionFacts {
        DiscussionFacts(discussionID: UUID(), caseID: UUID(), organisationID: UUID(), teamID: UUID(), packID: "bradford",
                        reference: reference, caseReference: reference, sequence: 1, urgency: .standard, stage: stage,
                        requestedAt: at, asOf: at)
    }

    static func text(_ facts: DiscussionFacts) throws -> String {
        String(decoding: try JSONEncoder().encode(facts), as: UTF8.self)
    }

    @Test("A row whose stored text changed in any way is decoded again; an unchanged one comes back as it was")
    func changedTextIsDecodedAgain() async throws {
        let cache = DecodedFacts(capacity: 100)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        var first = Self.facts("SD-2026-00001/1", stage: .requested, at: at)
        let other = Self.facts("SD-2026-00002/1", stage: .booked, at: at)
        let id = first.discussionID
        #expect(try await cache.facts([(id, Self.text(first)), (other.discussionID, Self.text(other))]) == [first, other])
        #expect(try await cache.facts([(other.discussionID, Self.text(other)), (id, Self.text(first))]) == [other, first])
        first.stage = .declined
        first.declined = true
        #expect(try await cache.facts([(id, Self.text(first))]) == [first])
        // Text that is not the facts fails as it would without the cache.
        await #expect(throws: (any Error).self) { try await cache.facts([(id, "{}")]) }
    }

    @Test("Many rows decode on every core in order, and the cache stays within its capacity")
    func manyRows() async throws {
        let cache = DecodedFacts(capacity: 1_000)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let all = (0..<1_500).map { Self.facts(String(format: "SD-2026-%05d/1", $0 % 100_000), stage: .circulated, at: at) }
        let rows = try all.map { ($0.discussionID, try Self.text($0)) }
        let decoded = try await cache.facts(rows)
        #expect(decoded == all)
        #expect(cache.count <= 1_000)
        let again = try await cache.facts(Array(rows.suffix(800)))
        #expect(again == Array(all.suffix(800)))
    }
}
