import ConveneStore
import FluentKit
import Foundation
import Testing

/// Every model lists its Fluent properties by hand (`properties`), because Fluent's default
/// finds them by reflection on every query and every row (issue 12). A property missing from
/// the list would be neither read nor written: these tests hold each list to the reflected one.
@Suite("Models list their own properties (issue 12)")
struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        ActionRecord.self, AuditEntry.self, BookingCalendar.self, CalendarCell.self, Case.self, CaseChild.self,
        CaseEvent.self, DutyNote.self, SlotCell.self, CaseTransfer.self, ChildDecisionRecord.self, Discussion.self,
        DiscussionFactsRecord.self, ExtractAccess.self, Invitation.self, NotificationPreference.self, OIDCProvider.self,
        OIDCSignIn.self, Observation.self, Organisation.self, OutboxMessage.self, OutcomeChange.self,
        OutcomeResponse.self, Person.self, RecordVersion.self, Correction.self, UserSession.self, LoginThrottle.self,
        AccessGrant.self, DisclosureRequest.self, APIToken.self, Team.self,
    ]

    /// The properties as Fluent's default finds them: every stored property wrapper, in order.
    static func reflected(_ model: any Model) -> [ObjectIdentifier] {
        Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
    }

    @Test("Each model's list is exactly its reflected properties, in declaration order", arguments: 0..<models.count)
    func listMatchesReflection(_ index: Int) {
        let type = Self.models[index]
        let model = type.init()
        let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
        let reflected = Self.reflected(model)
        #expect(reflected.count > 1, "\(type) has properties")
        #expect(listed == reflected, "\(type) lists \(listed.count) properties; reflection finds \(reflected.count)")
        // The column names Fluent selects come from the list: each appears once.
        #expect(Set(type.keys.map(\.description)).count == type.keys.count, "\(type) names a column twice")
    }

    @Test("Every model declared in ConveneStore is checked here")
    func everyModelChecked() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ConveneStore")
        let files = try #require(FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var declared: Set<String> = []
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "class"), index + 2 < words.count,
                      words[index + 2].hasPrefix("Model") else { continue }
                declared.insert(String(words[index + 1].dropLast()))
            }
        }
        let checked = Set(Self.models.map { String(describing: $0) })
        #expect(declared.count >= 32)
        #expect(declared.subtracting(checked).isEmpty, "not checked: \(declared.subtracting(checked).sorted())")
    }
}
