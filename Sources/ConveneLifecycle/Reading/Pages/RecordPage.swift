import ConveneCore
import ConveneStore
import Foundation

/// Step 7's page: the working record, what it still lacks (each linked to where it is put
/// right), and the steps that may come next: finalise, reopen, authorise, circulate.
public struct RecordPage: Encodable, Sendable {
    let reference: String
    let version: Int
    let stage: Display.Tag
    let document: RecordDocument
    let missing: [ErrorLink]
    let noneMissing: Bool
    let canFinalise: Bool
    let canReopen: Bool
    let canAuthorise: Bool
    let canCirculate: Bool
    let finaliseAction: String
    let reopenAction: String
    let authoriseAction: String
    let circulateAction: String
    let authorisers: String
    let recipients: Int
    let versionsHref: String
}

extension RecordPage {
    public init(_ loaded: LoadedDiscussion, _ record: Operations.RecordOverview, today: LocalDate) {
        let d = loaded.discussion
        self.init(
            reference: d.reference, version: d.lockVersion, stage: Display.tag(d.stage),
            document: RecordDocument(record.snapshot, pack: loaded.pack, today: today),
            missing: record.missing.map { .init(href: Self.link(for: $0, loaded), text: $0.message) },
            noneMissing: record.missing.isEmpty, canFinalise: record.canFinalise, canReopen: record.canReopen,
            canAuthorise: record.canAuthorise, canCirculate: record.canCirculate,
            finaliseAction: SiteURL.discussionPart(loaded.id, .finalise).path,
            reopenAction: SiteURL.discussionPart(loaded.id, .reopen).path,
            authoriseAction: SiteURL.discussionPart(loaded.id, .authorise).path,
            circulateAction: SiteURL.discussionPart(loaded.id, .circulate).path,
            authorisers: record.authorisers, recipients: record.recipients,
            versionsHref: SiteURL.discussionPart(loaded.id, .versions).path)
    }

    /// Where a missing item is fixed.
    public static func link(for error: InputError, _ loaded: LoadedDiscussion) -> String {
        let path = error.field.description
        let id = loaded.id
        let anchor = "#" + error.field.htmlID
        if path.hasPrefix("attendance") || path.hasPrefix("quoracy") { return SiteURL.discussionPart(id, .attendance).path }
        if path.hasPrefix("checklist") { return SiteURL.discussionPart(id, .checklist).path + anchor }
        if path.hasPrefix("sections") { return SiteURL.discussionPart(id, .agenda).path + anchor }
        if path.hasPrefix("decisions.") {
            let childSlug = path.split(separator: ".")[1]
            if let child = loaded.children.first(where: { $0.id?.slug == String(childSlug) }) {
                return SiteURL.decisionsForChild(id, child.id!).path + anchor
            }
        }
        return SiteURL.discussionPart(id, .actions).path + anchor
    }
}

/// The record's versions (REC-002-02), each with its fingerprint.
public struct VersionsPage: Encodable, Sendable {
    struct VersionRow: Encodable, Sendable {
        let number: Int
        let kind: String
        let by: String
        let at: String
        let sha256: String
        let note: String
        let href: String
    }

    let reference: String
    let versions: [VersionRow]
    let none: Bool
}

extension VersionsPage {
    public init(_ loaded: LoadedDiscussion, _ rows: [RecordVersion], names: [UUID: String]) {
        self.init(reference: loaded.discussion.reference, versions: rows.map {
            VersionRow(number: $0.number, kind: $0.kind.rawValue.capitalizedFirst, by: names[$0.createdBy] ?? "",
                       at: $0.createdAt.map { UKDisplay.dateTime($0) } ?? "", sha256: $0.sha256, note: $0.note,
                       href: SiteURL.version(loaded.id, $0.number).path)
        }, none: rows.isEmpty)
    }
}

/// One version of the record as it was kept.
public struct VersionPage: Encodable, Sendable {
    let reference: String
    let number: Int
    let kind: String
    let sha256: String
    let document: RecordDocument

    public init(reference: String, number: Int, kind: String, sha256: String, document: RecordDocument) {
        self.reference = reference
        self.number = number
        self.kind = kind
        self.sha256 = sha256
        self.document = document
    }
}
