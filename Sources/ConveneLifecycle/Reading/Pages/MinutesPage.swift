import ConveneCore
import ConveneStore
import Foundation

/// The invitees' side of the record: the authorised minutes (visible only after
/// authorisation, REC-ALL-01), corrections within the pack's window (REC-001-01), and their own
/// corrections with the chair's decisions.
public struct MinutesPage: Encodable, Sendable {
    let reference: String
    let released: Bool
    let version: Int
    /// "authorised by Tara Whitfield on …" (issue 14): who made this version the record, and when.
    let authorised: String
    let document: RecordDocument?
    let canCorrect: Bool
    let windowText: String
    let correctionAction: String
    let section: ChoiceContext
    let text: FieldContext
    let own: [CorrectionRow]
    let hasOwn: Bool
}

extension MinutesPage {
    public init(_ loaded: LoadedDiscussion, _ minutes: Operations.MinutesRead, state: FormState, today: LocalDate) {
        var document: RecordDocument?
        if let version = minutes.version {
            document = RecordDocument(version.snapshot, pack: loaded.pack, today: today)
        }
        let window = loaded.pack.circulation.correctionsWindowSeconds
        self.init(
            reference: loaded.discussion.reference, released: document != nil, version: minutes.version?.number ?? 0,
            authorised: minutes.authorised, document: document, canCorrect: minutes.canCorrect,
            windowText: window.map { w in
                "You can send corrections within \(w / 3600) hours of receiving the minutes"
                    + (minutes.correctionsUntil.map { " (until \(UKDisplay.dateTime($0)))" } ?? "") + "."
            } ?? "You can send corrections to the chair.",
            correctionAction: SiteURL.discussionPart(loaded.id, .corrections).path,
            section: state.radios("section", "Which part of the minutes", options: [("", "Choose the part")]
                + (minutes.version?.snapshot.content.correctableParts(pack: loaded.pack, children: minutes.version?.snapshot.children ?? [])
                    .map { ($0.key, $0.label) } ?? [])
                + [(CorrectionRow.otherPart, "Another part (say which in your correction)")]),
            text: state.field("text", "Your correction", hint: "Say what is wrong and what it should say").with(rows: 5),
            own: minutes.ownCorrections.map { CorrectionRow($0, loaded: loaded) }, hasOwn: !minutes.ownCorrections.isEmpty)
    }
}

/// A correction to the minutes, with the chair's accept-or-reject form: the part as the
/// minutes say it beside the proposed change, and the text the new version will carry (issue 14).
public struct CorrectionRow: Encodable, Sendable {
    let by: String
    let section: String
    let text: String
    let status: String
    let decision: String
    let submitted: String
    let action: String
    let pending: Bool
    var form: DecisionForm
    /// The part's text as the minutes say it now; empty when the correction names no part.
    let original: String
    let inPlace: Bool
    var corrected: FieldContext

    /// The value of a correction to a part the list does not name.
    public static let otherPart = "other"
}

extension CorrectionRow {
    init(_ c: Correction, loaded: LoadedDiscussion, state: FormState = FormState()) {
        let parts = loaded.discussion.content.correctableParts(pack: loaded.pack, children: loaded.childDetails)
        let part = parts.first { $0.key == c.section }
        let label = part?.label ?? (c.section == Self.otherPart || c.section.isBlank ? "Another part" : c.section)
        var values = state
        let correctedName = "corrected." + c.id!.slug
        if values.values[correctedName] == nil { values.values[correctedName] = part?.text ?? "" }
        self.init(by: c.submittedByName, section: label, text: c.text, status: c.status.rawValue.capitalizedFirst,
                  decision: c.decisionReason, submitted: c.createdAt.map { UKDisplay.dateTime($0) } ?? "",
                  action: SiteURL.correction(loaded.id, c.id!).path, pending: c.status == .pending,
                  form: DecisionForm(decisionName: "decision." + c.id!.slug, reasonName: "reason." + c.id!.slug,
                                     decisionID: "decision-" + c.id!.slug, reasonID: "reason-" + c.id!.slug,
                                     choices: [("accept", "Accept"), ("reject", "Reject")], reasonLabel: "Reason (required to reject)"),
                  original: part?.text ?? "", inPlace: part != nil,
                  corrected: values.field(correctedName, "If you accept: the text as the corrected minutes will say it",
                                          hint: "Edit the text to make the correction; the new version carries it in place").with(rows: 6))
    }
}

/// The chair's list of corrections; after a refused decision, with the answers kept and each
/// error on its field.
public struct CorrectionsPage: Encodable, Sendable {
    let reference: String
    let rows: [CorrectionRow]
    let none: Bool
    let csrf: String
}

extension CorrectionsPage {
    public init(_ loaded: LoadedDiscussion, _ corrections: [Correction], state: FormState, csrf: String) {
        let rows = corrections.map { c in
            var r = CorrectionRow(c, loaded: loaded, state: state)
            r.form = r.form.filled(from: state)
            return r
        }
        self.init(reference: loaded.discussion.reference, rows: rows, none: rows.isEmpty, csrf: csrf)
    }
}
