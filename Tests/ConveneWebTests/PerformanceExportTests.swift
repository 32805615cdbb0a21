import ConveneCore
import ConveneStore
import ConveneTestSupport
import CSV
import FluentKit
import Foundation
import Testing
import VaporTesting
@testable import ConveneWeb

/// Issue 13: the performance view's filters, its partner-agency view and its CSV exports.
@Suite("Performance filters and exports")
struct PerformanceExportTests {
    /// The rows of a CSV download, read back with the same library (the byte-order mark off).
    static func rows(_ response: TestingHTTPResponse) throws -> (header: [String], rows: [[String]]) {
        var bytes = Array(response.body.readableBytesView)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a byte-order mark, for spreadsheets")
        bytes.removeFirst(min(3, bytes.count))
        let reader = try CSVReader(string: String(decoding: bytes, as: UTF8.self), hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return (reader.headerRow ?? [], rows)
    }

    /// A held discussion and a request in the team, one request of another team, in the week
    /// of 23 November 2026; the clock then moves into December.
    static func world(_ body: @escaping (TestWorld, _ held: UUID, _ requested: UUID, _ other: UUID) async throws -> Void)
        async throws
    {
        try await TestWorld.run(start: "2026-11-23T09:00:00Z") { world in
            let held = try await world.makeDiscussion(at: .circulated)
            let requested = try await world.makeDiscussion(childName: "Ben Okoro")
            let other = try await world.makeDiscussion(.otherTeam, childName: "Cara Doyle")
            world.clock.set(at("2026-12-02T10:00:00Z"))
            try await body(world, held, requested, other)
        }
    }

    @Test("OVS-ALL-01: the period and filters change the figures; the drill-down and exports keep them; a bad filter is named by field")
    func filters() async throws {
        try await Self.world { world, _, _, _ in
            let manager = try await world.browser(.teamManager)
            let month = try await manager.get("/performance")
            #expect(month.body.string.contains("href=\"/performance/requests-made\">2<"))
            #expect(month.body.string.contains("<select class=\"cv-select\" id=\"period\" name=\"period\">"))

            // The same days chosen by hand give the same figures; links carry the filters.
            let custom = try await manager.get("/performance?period=custom&from=2026-11-01&to=2026-11-30")
            #expect(custom.status == .ok)
            #expect(custom.body.string.contains("href=\"/performance/requests-made?period=custom&amp;from=2026-11-01&amp;to=2026-11-30\">2<"))
            let drill = try await manager.get("/performance/requests-made?period=custom&from=2026-11-01&to=2026-11-30")
            #expect(drill.status == .ok && drill.body.string.contains("1 November 2026 to 30 November 2026"))

            // The last whole week (23 to 29 November) holds both requests; urgency narrows them.
            let week = try await manager.get("/performance?period=week")
            #expect(week.body.string.contains("23 November 2026 to 29 November 2026"))
            #expect(week.body.string.contains(">Week before<"))
            let immediate = try await manager.get("/performance?urgency=immediate")
            #expect(immediate.body.string.contains("href=\"/performance/requests-made?urgency=immediate\">0<"))

            // A team manager cannot look at another team by editing the link: their own team stays.
            let sneaky = try await manager.get("/performance?team=\(world.otherTeamID.uuidString)")
            #expect(sneaky.body.string.contains("href=\"/performance/requests-made\">2<"))

            // A service manager chooses a team.
            let service = try await world.browser(.serviceManager)
            let other = try await service.get("/performance?team=\(world.otherTeamID.uuidString)")
            #expect(other.body.string.contains("Children and Families South"))
            #expect(other.body.string.contains(">1<span class=\"cv-visually-hidden\"> discussions: Requests made"))

            // Refused filters: each named, linked to its field, the page still answers.
            let backwards = try await manager.get("/performance?period=custom&from=2026-11-30&to=2026-11-01")
            #expect(backwards.status == .badRequest)
            #expect(backwards.body.string.contains("href=\"#to\"") && backwards.body.string.contains("on or after the first day"))
            let nonsense = try await manager.get("/performance?period=fortnight")
            #expect(nonsense.status == .badRequest && nonsense.body.string.contains("href=\"#period\""))
            let future = try await manager.get("/performance?period=custom&from=2026-12-01&to=2027-01-31")
            #expect(future.status == .badRequest && future.body.string.contains("today or earlier"))
            let notADate = try await manager.get("/performance?period=custom&from=2026-02-31&to=2026-03-01")
            #expect(notADate.status == .badRequest && notADate.body.string.contains("href=\"#from\""))
            let huge = String(repeating: "9", count: 5_000)
            let odd = try await manager.get("/performance?period=custom&from=\(huge)&to=-1&urgency=%00&team=\(huge)")
            #expect(odd.status == .badRequest)
            let service2 = try await service.get("/performance?team=\(UUID().uuidString)")
            #expect(service2.status == .badRequest && service2.body.string.contains("href=\"#team\""))
        }
    }

    @Test("Charts (issue 13): the twelve-month weekly trend; by team for the authority's view only; attendance by agency; each with its data table")
    func charts() async throws {
        try await Self.world { world, _, _, _ in
            let service = try await world.browser(.serviceManager)
            let html = try await service.get("/performance").body.string
            #expect(html.contains("Discussions held each week, the last twelve months"))
            #expect(html.components(separatedBy: "<th scope=\"row\" class=\"cv-table__header\">Week of ").count - 1 == 52)
            #expect(html.contains("id=\"by-team-title\"") || html.contains("by-team"))
            #expect(html.contains("<caption class=\"cv-table__caption cv-table__caption--m\">Discussions held by team, 1 November 2026 to 30 November 2026</caption>"))
            // One discussion held, by the first team; the other team held none.
            #expect(html.contains("<th scope=\"row\" class=\"cv-table__header\">Assessment North</th>\n    <td class=\"cv-table__cell cv-table__cell--numeric\">1</td>"))
            #expect(!html.contains("<th scope=\"row\" class=\"cv-table__header\">Children and Families South</th>"))
            #expect(html.contains("Attendance by agency, 1 November 2026 to 30 November 2026"))
            #expect(!html.contains("style="))

            let manager = try await world.browser(.teamManager)
            let own = try await manager.get("/performance").body.string
            #expect(!own.contains("Discussions held by team"), "a team manager's view is their team alone")
            #expect(own.contains("Attendance by agency"))
        }
    }

    @Test("Exports: CSV that a spreadsheet opens, matching the view's numbers, only what the person may see, each audited")
    func exports() async throws {
        try await Self.world { world, held, requested, other in
            let heldRef = try await world.discussion(held).reference
            let requestedRef = try await world.discussion(requested).reference
            let otherRef = try await world.discussion(other).reference
            let manager = try await world.browser(.teamManager)
            let page = try await manager.get("/performance")
            #expect(page.body.string.contains("href=\"/performance/export/discussions\""))
            #expect(!page.body.string.contains("/performance/export/inspection"), "the inspection list is a service manager's")

            let duties = try await manager.get("/performance/export/discussions")
            #expect(duties.status == .ok)
            #expect(duties.headers.contentType?.description.hasPrefix("text/csv") == true)
            #expect(duties.headers.first(name: .contentDisposition) == "attachment; filename=\"convene-discussions-2026-11-01-to-2026-11-30.csv\"")
            let table = try Self.rows(duties)
            #expect(table.header.first == "Reference" && table.header.last == "Status")
            let references = Set(table.rows.map { $0[0] })
            #expect(references == [heldRef, requestedRef], "\(references)")
            #expect(!references.contains(otherRef))
            // The view counts the same discussions: two requests made.
            #expect(page.body.string.contains("href=\"/performance/requests-made\">2<"))
            #expect(references.count == 2)
            // The held discussion's convening duty is there with its timeliness.
            #expect(table.rows.contains { $0[0] == heldRef && !$0[9].isEmpty && ["On time", "Late, reason recorded", "Late, no reason"].contains($0[14]) })

            let actions = try Self.rows(try await manager.get("/performance/export/actions"))
            #expect(actions.header == ["Reference", "Case", "Team", "Agency", "Due", "Done", "Status", "On time", "Overdue"])

            #expect(try await manager.get("/performance/export/inspection").status == .forbidden)
            #expect(try await manager.get("/performance/export/nonsense").status == .notFound)

            let service = try await world.browser(.serviceManager)
            let inspection = try await service.get("/performance/export/inspection")
            #expect(inspection.status == .ok)
            let list = try Self.rows(inspection)
            #expect(list.header == OversightExport.inspectionHeader)
            #expect(list.rows.count == 1, "one child of the one discussion held: \(list.rows)")
            #expect(list.rows.first?[5] == "2026-11-23" || list.rows.first?[5] == "2026-11-24")

            for who in [Who.socialWorker, .police, .minuteTaker] {
                #expect(try await world.browser(who).get("/performance/export/discussions").status == .forbidden, "\(who)")
            }
            let exported = try await AuditEntry.query(on: world.app.db).filter(\.$action == "export").all()
                .filter { $0.objectType == "performance" }
            #expect(exported.count == 3, "each download is in the audit trail: \(exported.map(\.detail))")
            #expect(exported.contains { $0.detail.hasPrefix("inspection for 1 November 2026 to 30 November 2026") })
        }
    }

    @Test("A partner agency member sees their agency's attendance and actions only, lists only what they were invited to, and no exports")
    func partnerAgency() async throws {
        try await Self.world { world, held, requested, _ in
            let police = try await world.browser(.police)
            let page = try await police.get("/performance")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("your agency&#39;s attendance and actions") || html.contains("your agency's attendance and actions"))
            #expect(!html.contains("Requests made"), "the authority's own measures are not a partner's")
            #expect(!html.contains("/performance/export/"))
            #expect(try await police.get("/my-work").body.string.contains("href=\"/performance\""))
            // A drill-down lists only discussions the police were invited to.
            let requestedRef = try await world.discussion(requested).reference
            for key in ["requests-made", "held"] {
                let list = try await police.get("/performance/\(key)")
                #expect(!list.body.string.contains(requestedRef), "\(key)")
            }
            _ = held
        }
    }

    @Test("A spreadsheet formula in a cell is written as text")
    func formulaCells() throws {
        #expect(CSVDocument.neutralised("=HYPERLINK(\"http://evil\")") == "'=HYPERLINK(\"http://evil\")")
        #expect(CSVDocument.neutralised("+44 1234") == "'+44 1234")
        #expect(CSVDocument.neutralised("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVDocument.neutralised("-1") == "'-1")
        #expect(CSVDocument.neutralised("BR-2026-0001") == "BR-2026-0001")
        let data = try CSVDocument.data([["a", "b, with comma", "quote \" inside", "line\nbreak"]])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text == "a,\"b, with comma\",\"quote \"\" inside\",\"line\nbreak\"\r\n")
    }
}
