import ConveneCore
import ConveneStore
import Foundation

/// Step 4b's checklist (AGN-000-02, AGN-001-01): each of the pack's questions with an answer
/// and a note, and whether the record needs it before it is final.
public struct ChecklistPage: Encodable, Sendable {
    struct ChecklistItemContext: Encodable, Sendable {
        let section: String
        let answer: ChoiceContext
        let note: FieldContext
        let rule: String
        let required: Bool
    }

    let action: String
    let version: Int
    let reference: String
    let items: [ChecklistItemContext]
}

extension ChecklistPage {
    public init(_ loaded: LoadedDiscussion, state: FormState) {
        let items = loaded.pack.checklist.map { Self.item($0, state: state) }
        self.init(action: SiteURL.discussionPart(loaded.id, .checklist).path,
                  version: loaded.discussion.lockVersion, reference: loaded.discussion.reference, items: items)
    }
}

extension ChecklistPage {
    /// One of the pack's checklist questions with its answer and note.
    static func item(_ item: ChecklistItem, state: FormState) -> ChecklistItemContext {
        var answer = state.radios("checklist." + item.id, item.text, options: ChecklistResponse.allCases.map { ($0.rawValue, $0.label) })
        answer.inline = true
        answer.small = true
        return ChecklistItemContext(section: item.section ?? "", answer: answer,
                                    note: state.field("checklist." + item.id + ".note", "What was agreed, or why it was not covered (optional)"),
                                    rule: item.rule.description, required: item.requiredForFinal)
    }
}
