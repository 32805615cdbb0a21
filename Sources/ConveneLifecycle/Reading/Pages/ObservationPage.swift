import ConveneCore
import ConveneStore
import Foundation

/// OVS-001-01: the observations recorded for a discussion, and the form for a service
/// manager's own.
public struct ObservationPage: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let observer: String
        let day: String
        let notes: String
    }

    let reference: String
    let meeting: String
    let rows: [Row]
    let none: Bool
    let canRecord: Bool
    let action: String
    let observedOn: DateFieldContext
    let notes: FieldContext
}

extension ObservationPage {
    public init(_ loaded: LoadedDiscussion, _ rows: [Operations.ObservationRow], state: FormState) {
        self.init(
            reference: loaded.discussion.reference,
            meeting: (loaded.discussion.startedAt ?? loaded.discussion.slotStart).map { UKDisplay.dateTime($0) } ?? "Not yet booked",
            rows: rows.map {
                Row(observer: $0.observerName, day: UKDisplay.date(EuropeLondon.localDate(of: $0.observation.observedAt)),
                    notes: $0.observation.notes)
            },
            none: rows.isEmpty, canRecord: Operations.observable(loaded),
            action: SiteURL.discussionPart(loaded.id, .observation).path,
            observedOn: state.date("observedOn", "The day you observed it", hint: "For example, 27 11 2026"),
            notes: state.field("notes", "What you observed", hint: "For your own oversight: the quality of the discussion, not the case notes")
                .with(rows: 6))
    }
}
