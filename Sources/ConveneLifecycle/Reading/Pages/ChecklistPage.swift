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
        let options = ChecklistResponse.allCases.map { ($0.rawValue, $0.label) }
        let items = loaded.pack.checklist.map { item in
            var answer = state.radios("checklist." + item.id, item.text, options: options)
            answer.inline = true
            answer.small = true
            return ChecklistItemContext(section: item.section ?? "", answer: answer,
                                        note: state.field("checklist." + item.id + ".note", "Note (optional)"),
                                        rule: item.rule.description, required: item.requiredForFinal)
        }
        self.init(action: SiteURL.discussionPart(loaded.id, .checklist).path,
                  version: loaded.discussion.lockVersion, reference: loaded.discussion.reference, items: items)
    }
}
