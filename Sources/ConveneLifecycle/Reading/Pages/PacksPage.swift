import ConveneCore
import ConveneStore
import Foundation

/// "Procedures": every procedure pack Convene holds, the person's own marked.
public struct PacksPage: Encodable, Sendable {
    struct PackRow: Encodable, Sendable {
        let name: String
        let authority: String
        let id: String
        let source: String
        let href: String
        let yours: Bool
    }

    let rows: [PackRow]
}

extension PacksPage {
    public init(_ packs: PackLibrary, own: String) {
        self.init(rows: packs.packs.map { pack in
            PackRow(name: pack.name, authority: pack.authority, id: pack.id, source: pack.source,
                    href: SiteURL.pack(pack.id).path, yours: pack.id == own)
        })
    }
}

/// One pack's rules in plain words with the requirement each comes from, so chairs and
/// practitioners can see why Convene asks what it asks.
public struct PackPage: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let title: String
        let detail: String
        let rule: String
        let ruleTitle: String
    }

    struct Section: Encodable, Sendable {
        let id: String
        let title: String
        let intro: String
        let lines: [Line]
        /// The contents list's link to the section.
        let href: String

        init(_ section: PackDescription.Section) {
            id = section.id
            title = section.title
            intro = section.intro
            lines = section.lines.map { Line(title: $0.title, detail: $0.detail, rule: $0.rule, ruleTitle: $0.ruleTitle) }
            href = "#" + section.id
        }
    }

    let name: String
    let authority: String
    let id: String
    let source: String
    let meetingName: String
    let calendar: String
    let yours: Bool
    let sections: [Section]
}

extension PackPage {
    public init(_ pack: ProcedurePack, own: String) {
        self.init(
            name: pack.name, authority: pack.authority, id: pack.id, source: pack.source,
            meetingName: pack.meetingName.capitalizedFirst, calendar: pack.calendar.region.displayName,
            yours: pack.id == own, sections: PackDescription.sections(pack).map(Section.init))
    }
}
