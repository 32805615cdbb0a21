import ConveneCore
import ConveneStore
import Foundation

/// Step 4b's agenda: the pack's items, child by child where the pack asks (AGN-000-01,
/// AGN-001-02), each with its prompts and a notes field. Notes are brief, not verbatim (REC-ALL-01).
public struct AgendaPage: Encodable, Sendable {
    struct AgendaItemContext: Encodable, Sendable {
        let number: Int
        let title: String
        let rule: String
        let prompts: [String]
        let hasPrompts: Bool
        let fields: [FieldContext]
    }

    let action: String
    let version: Int
    let reference: String
    let items: [AgendaItemContext]
}

extension AgendaPage {
    public init(_ loaded: LoadedDiscussion, state: FormState) {
        let items = loaded.pack.agenda.enumerated().map { i, item in
            AgendaItemContext(
                number: i + 1, title: item.title, rule: item.rule.description, prompts: item.prompts,
                hasPrompts: !item.prompts.isEmpty, fields: Self.fields(item, loaded, state: state))
        }
        self.init(action: SiteURL.discussionPart(loaded.id, .agenda).path, version: loaded.discussion.lockVersion,
               reference: loaded.discussion.reference, items: items)
    }

    /// An agenda item's notes: one field for each child where the pack discusses the item child
    /// by child, otherwise one, each labelled by what it holds (issue 14).
    static func fields(_ item: AgendaItem, _ loaded: LoadedDiscussion, state: FormState) -> [FieldContext] {
        item.perChild
            ? loaded.children.map { child in
                state.field(Self.key(item, child: child), "Notes on \(child.name)").with(rows: 4, labelSize: "s")
            }
            : [state.field(Self.key(item, child: nil), "Notes on this item").with(rows: 5)]
    }

    /// The stored notes and checklist answers, as the agenda's fields hold them. Before any
    /// notes are saved, an item the pack starts from the request holds what the request says.
    public static func values(_ loaded: LoadedDiscussion) -> FormState {
        var state = FormState()
        let content = loaded.discussion.content
        if content.sections.isEmpty {
            for item in loaded.pack.agenda where !item.perChild {
                if let part = item.fromRequest { state.values["sections." + item.id] = loaded.discussion.request.notes(for: part) }
            }
        }
        for (key, text) in content.sections { state.values["sections." + key] = text }
        for (id, answer) in loaded.discussion.content.checklist {
            state.values["checklist." + id] = answer.response.rawValue
            state.values["checklist." + id + ".note"] = answer.note
        }
        return state
    }

    /// The field of an agenda item's notes, for one child or for all.
    public static func key(_ item: AgendaItem, child: CaseChild?) -> String {
        "sections." + RecordContent.key(item.id, child: child?.id)
    }
}
