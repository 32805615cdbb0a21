import ConveneCore
import ConveneLifecycle
import ConveneStore
import ConveneTestSupport
import FluentKit
import Foundation
import Testing

/// Finding things (issue 14): the search for a discussion and the week's booked meetings, each
/// under the same visibility as every list, each audited.
@Suite("Find a discussion and the week's meetings")
struct FindTests {
    let first = ListPage(number: 1, size: 25)

    @Test("The search text: a date of birth in the UK order or ISO, otherwise text; too short or too long is named on q")
    func reading() throws {
        #expect(try DiscussionSearch.read("14/3/2019") == .dateOfBirth(LocalDate(2019, 3, 14)))
        #expect(try DiscussionSearch.read(" 14-03-2019 ") == .dateOfBirth(LocalDate(2019, 3, 14)))
        #expect(try DiscussionSearch.read("2019-03-14") == .dateOfBirth(LocalDate(2019, 3, 14)))
        #expect(try DiscussionSearch.read("14.03.2019") == .dateOfBirth(LocalDate(2019, 3, 14)))
        // Not a real day, so text: a name or reference cannot look like it.
        #expect(try DiscussionSearch.read("31/02/2019") == .text("31/02/2019"))
        #expect(try DiscussionSearch.read("  Amira   KHAN ") == .text("amira khan"))
        #expect(try DiscussionSearch.read("   ") == nil)
        #expect(try DiscussionSearch.read(nil) == nil)
        for bad in ["a", "%", String(repeating: "x", count: DiscussionSearch.maximumLength + 1)] {
            #expect(throws: ValidationFailure.self) { try DiscussionSearch.read(bad) }
            do { _ = try DiscussionSearch.read(bad) } catch { #expect(error.errors.first?.field.description == "q") }
        }
    }

    @Test("Search by name, date of birth, case number and reference finds only what the person may see, and is audited without what was typed")
    func searchAccess() async throws {
        try await LifecycleWorld.run { world in
            let own = try await world.request(world.requestValue(child: "Amira Khan"))
            var other = world.requestValue(child: "Bilal Khan")
            other.children[0].dateOfBirth = day("2020-01-05")
            let south = try await Operations.createRequest(world.ctx(.otherTeamSocialWorker), request: other, teamID: world.otherTeamID)
            try await world.advance(own, to: .booked)
            func found(_ who: Who, _ text: String) async throws -> Set<UUID> {
                Set(try await Operations.search(world.ctx(who), for: text, page: first).rows.map(\.id))
            }
            #expect(try await found(.socialWorker, "amira") == [own])
            #expect(try await found(.socialWorker, "  AMIRA   khan ") == [own])
            #expect(try await found(.socialWorker, "khan") == [own])
            #expect(try await found(.otherTeamSocialWorker, "khan") == [south])
            #expect(try await found(.serviceManager, "khan") == [own, south])
            #expect(try await found(.minuteTaker, "Khan") == [own, south])
            // The police officer was invited to the booked one only; another authority sees none.
            #expect(try await found(.police, "khan") == [own])
            #expect(try await found(.health, "bilal") == [])
            #expect(try await found(.foreignSocialWorker, "khan") == [])
            // Date of birth, in the ways people type it.
            #expect(try await found(.serviceManager, "14/3/2019") == [own])
            #expect(try await found(.serviceManager, "05/01/2020") == [south])
            #expect(try await found(.serviceManager, "2020-01-06") == [])
            // The discussion's reference and the case number, in any case.
            let reference = try await world.discussion(own).reference
            #expect(try await found(.serviceManager, reference.lowercased()) == [own])
            let caseNumber = try #require(try await Case.find(try await world.caseID(south), on: world.db)).reference
            #expect(try await found(.serviceManager, caseNumber) == [south])
            // % and _ are themselves, not wildcards.
            #expect(try await found(.serviceManager, "%%") == [])
            #expect(try await found(.serviceManager, "a_i") == [])
            // Refused: a personal link, administrators, auditors, no one signed in; bad text is named.
            let invitation = try #require(try await Invitation.query(on: world.db).filter(\.$discussion.$id == own)
                .filter(\.$personID == world.id(.police)).first())
            let session = UserSession(tokenHash: "x", personID: world.id(.police), invitationID: invitation.id, csrfToken: "c",
                                      secondFactorPending: false, now: world.clock.now, expiresAt: world.clock.now + 3600, ip: "",
                                      userAgent: "")
            let linked = try CurrentUser(person: world.people[.police]!, session: session)
            await expectNotAllowed { _ = try await Operations.search(world.ctx(user: linked), for: "khan", page: first) }
            await expectNotAllowed { _ = try await Operations.search(world.ctx(.administrator), for: "khan", page: first) }
            await expectNotAllowed { _ = try await Operations.search(world.ctx(.auditor), for: "khan", page: first) }
            await expectNotSignedIn { _ = try await Operations.search(world.ctx(nil), for: "khan", page: first) }
            await expectInvalid("q") { _ = try await Operations.search(world.ctx(.socialWorker), for: "k", page: first) }
            // Each search is in the audit trail with the children it showed, never the name typed;
            // an empty search and a refused one leave nothing.
            let before = try await world.audit("search").count
            let empty = try await Operations.search(world.ctx(.socialWorker), for: " ", page: first)
            #expect(empty.search == nil && empty.rows.isEmpty && empty.total == 0)
            #expect(try await world.audit("search").count == before)
            let results = try await Operations.search(world.ctx(.serviceManager), for: "Bilal", page: first)
            #expect(results.total == 1 && results.children.map(\.name) == ["Bilal Khan"])
            let entry = try #require(try await world.audit("search").last)
            #expect(entry.childIDs.contains(results.children[0].id.slug))
            #expect(!entry.detail.lowercased().contains("bilal") && entry.detail.contains("1 found"))
        }
    }

    @Test("The week's meetings: Monday to Sunday in London time, for minute takers and managers, under the list's visibility")
    func meetingsWeek() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .booked)
            let start = try #require(try await world.discussion(id).slotStart)
            let day = EuropeLondon.localDate(of: start)
            let week = try await Operations.meetingsWeek(world.ctx(.minuteTaker), week: day.description)
            #expect(week.monday.weekday == 1 && week.monday <= day && day < week.monday.adding(days: 7))
            #expect(week.days.count == 7 && week.total == 1)
            #expect(week.days.first { $0.day == day }?.meetings.map(\.id) == [id])
            #expect(week.names[world.id(.teamManager)] == "TeamManager")
            #expect(week.children.map(\.name) == ["Amira Khan"])
            #expect(try await Operations.meetingsWeek(world.ctx(.teamManager), week: day.description).total == 1)
            #expect(try await Operations.meetingsWeek(world.ctx(.serviceManager), week: day.description).total == 1)
            // Another team's manager does not see it; the week after holds nothing.
            #expect(try await Operations.meetingsWeek(world.ctx(.otherTeamManager), week: day.description).total == 0)
            #expect(try await Operations.meetingsWeek(world.ctx(.minuteTaker), week: day.adding(days: 7).description).total == 0)
            // Without a week: this one (the clock's).
            let now = EuropeLondon.localDate(of: world.clock.now)
            let current = try await Operations.meetingsWeek(world.ctx(.minuteTaker), week: nil)
            #expect(current.monday <= now && now < current.monday.adding(days: 7))
            await expectNotAllowed { _ = try await Operations.meetingsWeek(world.ctx(.socialWorker), week: nil) }
            await expectNotAllowed { _ = try await Operations.meetingsWeek(world.ctx(.police), week: nil) }
            await expectInvalid("week") { _ = try await Operations.meetingsWeek(world.ctx(.minuteTaker), week: "2026-13-01") }
            await expectInvalid("week") { _ = try await Operations.meetingsWeek(world.ctx(.minuteTaker), week: "99999-01-01") }
            #expect(try await world.audit("view").contains { $0.detail.contains("meetings of the week") })
        }
    }

    @Test("My work names the discussion and the child for each of the person's own actions")
    func myWorkActions() async throws {
        try await LifecycleWorld.run { world in
            let id = try await world.request()
            try await world.advance(id, to: .inMeeting)
            let reference = try await world.discussion(id).reference
            let work = try await MyWork.load(world.ctx(.socialWorker))
            #expect(work.ownActions.map(\.what) == ["Visit and see the child alone"])
            #expect(work.actionDiscussions[id]?.reference == reference)
            #expect(work.caseIDs.contains(try await world.caseID(id)))
            let page = MyWorkPage(work, names: [try await world.caseID(id): "Amira Khan (7)"], user: try CurrentUser(person: world.people[.socialWorker]!, session: nil),
                                  today: EuropeLondon.localDate(of: world.clock.now))
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            let json = String(decoding: try encoder.encode(page), as: UTF8.self)
            #expect(json.contains("\(reference): Amira Khan (7) · Due "))
        }
    }

    @Test("Lists name children from their columns as the whole details would: ages, an unborn child's due date, each case's in order, only the cases asked")
    func childNamesAsDetails() async throws {
        try await LifecycleWorld.run { world in
            var value = world.requestValue(child: "Amira Khan")
            value.children.append(ChildDetails(name: "Baby Khan", dateOfBirth: nil, unborn: true, expectedDate: day("2027-02-28")))
            value.children.append(ChildDetails(name: "Zain Khan", dateOfBirth: day("2024-02-29")))
            let first = try await world.request(value)
            let second = try await world.request(world.requestValue(child: "Bilal Shah"))
            _ = try await world.request(world.requestValue(child: "Not Asked"))
            let cases = [try await world.caseID(first), try await world.caseID(second)]
            let today = EuropeLondon.localDate(of: world.clock.now)
            let names = try await ChildName.of(cases: cases + cases, on: world.db)
            let details = try await CaseChild.query(on: world.db).filter(\.$case.$id ~~ cases).sort(\.$position).all()
            #expect(names.count == 4 && Set(names.map(\.id)) == Set(details.compactMap(\.id)))
            #expect(names.filter { $0.caseID == cases[0] }.map(\.name) == ["Amira Khan", "Baby Khan", "Zain Khan"])
            #expect(Display.childNames(names, today: today) == Dictionary(grouping: details, by: { $0.$case.id })
                .mapValues { Display.children($0.map(\.details), today: today) })
            #expect(Display.childNames(names, today: today)[cases[0]]?.contains("Baby Khan (unborn, due 28 February 2027)") == true)
            #expect(try await ChildName.of(cases: [], on: world.db).isEmpty)
        }
    }
}
