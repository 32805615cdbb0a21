import ConveneCore
import ConveneStore
@testable import ConveneWeb
import FluentKit
import Foundation
import Testing
import VaporTesting

/// Issue 14: the chair's meeting on one page, copying decisions between siblings, cancelling an
/// action with a reason, and each part of the meeting readable once the record is final.
@Suite("The meeting page")
struct MeetingPageTests {
    /// A booked discussion about two siblings.
    func siblings(_ world: TestWorld) async throws -> UUID {
        var fields = world.requestFields(childName: "Amira Khan").filter { $0.0 != "rows.children" }
        fields += [("rows.children", "2"), ("children[1].name", "Zayn Khan"), ("children[1].dateOfBirth.day", "2"),
                   ("children[1].dateOfBirth.month", "7"), ("children[1].dateOfBirth.year", "2021")]
        let id = try await world.requestDiscussion(as: .socialWorker, fields: fields)
        try await world.advance(id, to: .booked, cast: .ownTeam)
        return id
    }

    /// The text of one section of the page, from its opening tag to the next section's.
    func section(_ html: String, _ anchor: String) -> String {
        guard let start = html.range(of: "id=\"\(anchor)\"") else { return "" }
        let rest = html[start.upperBound...]
        let end = rest.range(of: "<section")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    @Test("Issue 14: one page holds attendance, the agenda with each checklist question beside its item, each child's decisions, the actions and what is missing")
    func onePage() async throws {
        try await TestWorld.run { world in
            let id = try await siblings(world)
            let chair = try await world.browser(.teamManager)
            let page = try await chair.get("/discussions/\(id.slug)/meeting")
            #expect(page.status == .ok, "\(page.summary)")
            let html = page.text
            let pack = world.app.convene.packs.pack("bradford")!
            for anchor in ["attendance", "agenda", "decisions", "actions", "finalise"] {
                #expect(html.contains("id=\"\(anchor)\""), "no \(anchor) section")
            }
            // Each checklist question sits in the section of the agenda item it belongs to.
            let placed = pack.checklist.filter { $0.agendaItem != nil }
            #expect(!placed.isEmpty)
            for question in placed {
                #expect(section(html, "agenda-" + question.agendaItem!).contains("name=\"checklist.\(question.id)\""),
                        "\(question.id) is not under \(question.agendaItem!)")
            }
            // The request's facts are shown, not asked again.
            #expect(html.contains("Bruising to the face noticed at school"))
            // Decisions wait for the quoracy check.
            #expect(html.contains("Save the attendance first"))
            #expect(!html.contains("name=\"decisions."))
            // What is missing links to places on this page.
            #expect(html.contains("Still to record"))
            #expect(html.contains("href=\"#attendance\""))
            // Requirement ids are not in the agenda's headings.
            #expect(Browser.allMatches(#"<h3 class="cv-heading-m"[^>]*>([^<]*)</h3>"#, in: html).allSatisfy { !$0.contains("AGN-") })
            // The task list offers the page while the record is open.
            #expect(try await chair.get("/discussions/\(id.slug)").text.contains("/discussions/\(id.slug)/meeting"))
        }
    }

    @Test("Issue 14: each section's save returns to its own place on the meeting page; the agenda, checklist and monitoring save in one change with one audit entry")
    func savesReturnToTheirPlace() async throws {
        try await TestWorld.run { world in
            let id = try await siblings(world)
            let chair = try await world.browser(.teamManager)
            let path = "/discussions/\(id.slug)"
            try await chair.get(path + "/meeting")
            var attendance: [(String, String)] = [("return", "meeting"), ("proceedReason", ""), ("version", try await world.version(id)),
                                                  ("earlyStartReason", "Everyone was free early")]
                .setting(date: "startedAt", world.today, time: TestWorld.hhmm(world.clock.now))
            for invitation in try await world.invitations(id) { attendance.append(("mode." + invitation.id!.slug, "virtual")) }
            let saved = try await chair.post(path + "/attendance", attendance)
            #expect(saved.location == path + "/meeting?done=attendance#attendance", "\(saved.summary)")

            let pack = world.app.convene.packs.pack("bradford")!
            let item = try #require(pack.agenda.first { !$0.perChild })
            let question = try #require(pack.checklist.first { $0.agendaItem == item.id })
            let before = try await AuditEntry.query(on: world.app.db).filter(\.$action == "record-edit").count()
            let notes = try await chair.post(path + "/meeting", [
                ("sections." + item.id, "Discussed at length"), ("checklist." + question.id, "yes"),
                ("checklist." + question.id + ".note", "Covered"), ("monitoredBy", "The team manager, weekly"),
                ("at", "agenda-" + item.id), ("version", try await world.version(id)),
            ])
            #expect(notes.location == path + "/meeting?done=saved#agenda-\(item.id)", "\(notes.summary)")
            let d = try await world.discussion(id)
            #expect(d.content.sections[item.id] == "Discussed at length")
            #expect(d.content.checklist[question.id]?.note == "Covered")
            #expect(d.content.monitoredBy == "The team manager, weekly")
            #expect(try await AuditEntry.query(on: world.app.db).filter(\.$action == "record-edit").count() == before + 1)

            // A return anchor that is not one of the page's own is dropped (no open redirect, no injection).
            let odd = try await chair.post(path + "/meeting", [
                ("at", "x\"><script>"), ("version", try await world.version(id)), ("sections." + item.id, "Discussed at greater length"),
                ("checklist." + question.id, "yes"), ("checklist." + question.id + ".note", "Covered"),
                ("monitoredBy", "The team manager, weekly"),
            ])
            #expect(odd.location == path + "/meeting?done=saved", "\(odd.summary)")
            // Saving again what is already saved changes nothing and says so.
            let unchanged = try await world.storeState()
            let again = try await chair.post(path + "/meeting", [
                ("sections." + item.id, "Discussed at greater length"), ("checklist." + question.id, "yes"),
                ("checklist." + question.id + ".note", "Covered"), ("monitoredBy", "The team manager, weekly"),
                ("at", "agenda-" + item.id), ("version", try await world.version(id)),
            ])
            #expect(again.location == path + "/meeting?done=unchanged#agenda-\(item.id)", "\(again.summary)")
            #expect(try await world.storeState() == unchanged)
            #expect(try await chair.get(again.location).text.contains("No changes to save"))

            // A decision saved from the page returns to that child's section.
            let child = try await world.firstChild(id)
            let decided = try await chair.post(path + "/decisions/\(child.id!.slug)",
                                               world.completeDecision(child.id!) + [("return", "meeting"), ("version", try await world.version(id))])
            #expect(decided.location == path + "/meeting?done=decisions#decisions-\(child.id!.slug)", "\(decided.summary)")

            // A problem in one section comes back on the meeting page, at that section, keeping what was typed.
            let bad = try await chair.post(path + "/meeting", [
                ("checklist." + question.id, "no"), ("checklist." + question.id + ".note", ""),
                ("sections." + item.id, "Text typed during the meeting"), ("version", try await world.version(id)),
            ])
            if question.requiredForFinal {
                #expect(bad.status == .badRequest, "\(bad.summary)")
                #expect(bad.text.contains("Text typed during the meeting"))
                #expect(bad.text.contains("href=\"#checklist-\(question.id)-note\""))
                #expect(try await world.discussion(id).content.sections[item.id] == "Discussed at greater length")
            }
        }
    }

    @Test("Issue 14: the page's script gets JSON: the new version after a save, the field errors, and 409 when someone else saved first")
    func scriptAnswers() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let path = "/discussions/\(id.slug)/meeting"
            try await chair.get(path)
            let json: HTTPHeaders = ["Accept": "application/json"]
            let version = try await world.version(id)
            let ok = try await chair.post(path, [("sections.reason", "Typed so far"), ("version", version)], headers: json)
            #expect(ok.status == .ok, "\(ok.summary)")
            let answer = try JSONDecoder().decode(MeetingSave.self, from: Data(ok.text.utf8))
            #expect(answer.version == Int(version)! + 1)
            #expect(try await world.discussion(id).content.sections["reason"] == "Typed so far")

            let stale = try await chair.post(path, [("sections.reason", "From an old copy"), ("version", version)], headers: json)
            #expect(stale.status == .conflict)
            #expect(try JSONDecoder().decode(MeetingSave.self, from: Data(stale.text.utf8)).message?.isEmpty == false)
            #expect(try await world.discussion(id).content.sections["reason"] == "Typed so far")

            // A browser's own form submission (accepting anything) gets the page back, not JSON.
            let browserAccept: HTTPHeaders = ["Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
            let plain = try await chair.post(path, [("sections.reason", "Typed so far, and more"), ("version", String(answer.version!)),
                                                    ("at", "agenda-reason")], headers: browserAccept)
            #expect(plain.location == path + "?done=saved#agenda-reason", "\(plain.summary)")
            let current = try await world.version(id)

            let huge = String(repeating: "x", count: 100_001)
            let invalid = try await chair.post(path, [("sections.reason", huge), ("version", current)], headers: json)
            #expect(invalid.status == .badRequest)
            let errors = try JSONDecoder().decode(MeetingSave.self, from: Data(invalid.text.utf8)).errors ?? []
            #expect(errors.contains { $0.field == "sections-reason" }, "\(errors)")
        }
    }

    @Test("Issue 14: a sibling's decisions fill the next child's form to check and save; nothing is recorded until the chair saves")
    func copyBetweenSiblings() async throws {
        try await TestWorld.run { world in
            let id = try await siblings(world)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let path = "/discussions/\(id.slug)"
            let d = try await world.discussion(id)
            let children = try await CaseChild.query(on: world.app.db).filter(\.$case.$id == d.$case.id).sort(\.$position).all()
            #expect(children.count == 2)
            let (first, second) = (children[0].id!, children[1].id!)
            // Before the first child has decisions there is nothing to copy.
            #expect(!(try await chair.get(path + "/meeting").text.contains("?copy=")))
            try world.step(try await chair.post(path + "/decisions/\(first.slug)",
                                                world.completeDecision(first) + [("return", "meeting"), ("version", try await world.version(id))]))
            let page = try await chair.get(path + "/meeting").text
            let copyLink = "/meeting?copy=\(first.slug)&amp;to=\(second.slug)#decisions-\(second.slug)"
            #expect(page.contains(copyLink), "no copy link")

            let copied = try await chair.get(path + "/meeting?copy=\(first.slug)&to=\(second.slug)")
            let form = section(copied.text, "decisions-\(second.slug)")
            #expect(form.contains("Copied from Amira Khan"))
            #expect(form.contains("Pattern of bruising"))
            #expect(form.contains(#"name="decisions.\#(second.slug).outcome" type="radio" value="s47-joint" checked"#),
                    "the outcome is not copied")
            // Copying records nothing.
            #expect(try await ChildDecisionRecord.query(on: world.app.db).filter(\.$discussion.$id == id).count() == 1)
            // A copy asked for from a child of another discussion, or nonsense, fills nothing.
            let foreign = try await chair.get(path + "/meeting?copy=\(UUID().uuidString)&to=\(second.slug)")
            #expect(foreign.status == .ok)
            #expect(!section(foreign.text, "decisions-\(second.slug)").contains("Pattern of bruising"))
            #expect(try await chair.get(path + "/meeting?copy=%00&to=../../x").status == .ok)
        }
    }

    @Test("Issue 14: cancelling an action asks why, says it was cancelled, and keeps the reason in the record")
    func cancelActionWithReason() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            try await world.attend(id, chair: chair)
            let path = "/discussions/\(id.slug)"
            try await chair.get(path + "/meeting")
            try world.step(try await chair.post(path + "/actions", world.actionFields(owner: .socialWorker) + [("return", "meeting")]))
            let action = try #require(try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == id).first())
            let cancel = path + "/actions/\(action.id!.slug)/cancel"
            let before = try await world.storeState()
            let refused = try await chair.post(cancel, [("return", "meeting")])
            #expect(refused.status == .badRequest, "\(refused.summary)")
            #expect(refused.text.contains("Say why the action is cancelled"))
            #expect(try await world.storeState() == before)
            let done = try await chair.post(cancel, [("return", "meeting"), ("cancel.\(action.id!.slug).reason", "Agreed twice")])
            #expect(done.location == path + "/meeting?done=action-cancelled#actions", "\(done.summary)")
            let page = try await chair.get(done.location)
            #expect(page.text.contains("Action cancelled"))
            #expect(page.text.contains("Cancelled: Agreed twice"))
        }
    }

    @Test("Issue 14: once the record is final every part of the meeting links to its read-only place in the record, never to a refused form")
    func readOnlyAfterFinal() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let chair = try await world.browser(.teamManager)
            let path = "/discussions/\(id.slug)"
            let tasks = try await chair.get(path).text
            let links = Browser.allMatches(#"href="(/discussions/[^"]+)""#, in: tasks)
            for part in ["attendance", "agenda", "checklist", "actions"] {
                #expect(!links.contains(path + "/" + part), "\(part) still links to its form")
            }
            #expect(links.contains(path + "/record#record-attendance"))
            #expect(links.contains(path + "/record#record-agenda"))
            #expect(links.contains(path + "/record#record-actions"))
            let child = try await world.firstChild(id)
            #expect(links.contains(path + "/record#record-decisions-\(child.id!.slug)"))
            let record = try await chair.get(path + "/record")
            #expect(record.status == .ok)
            for anchor in ["record-attendance", "record-agenda", "record-actions", "record-decisions-\(child.id!.slug)"] {
                #expect(record.text.contains("id=\"\(anchor)\""), "the record has no \(anchor)")
            }
            // The meeting page itself sends the chair to the record.
            let meeting = try await chair.get(path + "/meeting")
            #expect(meeting.location == path + "/record", "\(meeting.summary)")
        }
    }

    @Test("Issue 14: nothing typed twice: the agenda starts from the request where the pack says so, until the chair saves notes")
    func agendaStartsFromTheRequest() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .booked)
            let chair = try await world.browser(.teamManager)
            let path = "/discussions/\(id.slug)/meeting"
            let page = try await chair.get(path).text
            // Bradford: the reason for the meeting and the family details come from the request.
            let reason = section(page, "agenda-reason")
            #expect(reason.contains("Bruising to the face noticed at school"))
            #expect(reason.contains("Why a discussion is needed: Possible non-accidental injury"))
            let family = section(page, "agenda-family-details")
            #expect(family.contains("Child: Amira Khan, born 14 March 2019"))
            #expect(family.contains("Parent or carer: Nadia Khan"))
            // Once the chair has saved notes, what they saved is shown, not the request again.
            try await world.attend(id, chair: chair)
            try world.step(try await chair.post(path, [("sections.reason", "Notes in the chair own words"), ("version", try await world.version(id))]))
            let after = try await chair.get(path).text
            #expect(section(after, "agenda-reason").contains("Notes in the chair own words"))
            #expect(!section(after, "agenda-family-details").contains("Child: Amira Khan"))
        }
    }

    @Test("Issue 14: a review discussion starts from the previous one: its invitees are invited again and its open actions are listed to review")
    func reviewStartsFromThePrevious() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let manager = try await world.browser(.teamManager)
            // Someone without an account was invited to the first discussion.
            let first = try await world.discussion(id)
            try await Invitation(discussionID: id, organisationID: first.organisationID, personID: nil, name: "Dr Nadia Shah",
                                 email: "nadia.shah@gp.example", agency: "health", role: "GP", rule: "", reason: "Proposed")
                .create(on: world.app.db)
            let casePath = "/cases/\(first.$case.id.slug)"
            try await manager.get(casePath)
            let created = try await manager.post(casePath + "/reviews", [("urgency", "standard"), ("reason", "Review progress")])
            let reviewID = try #require(Browser.firstMatch(#"/discussions/([0-9a-f-]{36})"#, in: created.location).flatMap { UUID(uuidString: $0) })
            let minutes = try await world.browser(.minuteTaker)
            let booking = "/discussions/\(reviewID.slug)/booking"
            let slot = try await world.firstOfferedSlot(reviewID, as: minutes)
            try world.step(try await minutes.post(booking, [
                ("slot", slot), ("format", "virtual"), ("details", "Video link"), ("chair", world.people[.teamManager]!.slug),
                ("version", try await world.version(reviewID)), ("duration", "30"), ("dialIn", "0800 123 4567"), ("accessCode", "4821"),
            ]))
            let earlier = Set(try await world.invitations(id).filter(\.invited).map(\.name))
            let now = Set(try await world.invitations(reviewID).map(\.name))
            #expect(earlier.isSubset(of: now), "not invited again: \(earlier.subtracting(now))")
            #expect(try await world.invitations(reviewID).contains { $0.name == "Dr Nadia Shah" && $0.reason.hasPrefix("Invited to") })

            let open = try await ActionRecord.query(on: world.app.db).filter(\.$discussion.$id == id).filter(\.$status ~~ [.open, .inProgress]).all()
            #expect(!open.isEmpty)
            let page = try await manager.get("/discussions/\(reviewID.slug)/meeting")
            #expect(page.status == .ok, "\(page.summary)")
            #expect(page.text.contains("Still open from earlier discussions"))
            for action in open { #expect(page.text.contains(action.what)) }
        }
    }

    @Test("Issue 14, REC-002-02: accepting a correction makes a new version with the corrected text in place, shown beside the original, sent to the invitees and saying who accepted it")
    func correctionInPlace() async throws {
        try await TestWorld.run { world in
            let id = try await world.makeDiscussion(at: .circulated)
            let path = "/discussions/\(id.slug)"
            let police = try await world.browser(.police)
            let minutes = try await police.get(path + "/minutes")
            // The invitee chooses the part of the minutes from the record's own parts.
            #expect(minutes.text.contains(#"<option value="sections.reason">"#), "the reason for the meeting is not offered")
            let original = try await world.discussion(id).content.sections["reason"] ?? ""
            #expect(!original.isEmpty)
            try world.expectRedirect(try await police.post(path + "/corrections", [
                ("section", "sections.reason"), ("text", "It was the left arm, not the right"),
            ]))
            let correction = try #require(try await Correction.query(on: world.app.db).first())
            let slug = correction.id!.slug
            let chair = try await world.browser(.teamManager)
            let list = try await chair.get(path + "/corrections")
            #expect(list.text.contains("The minutes say"))
            #expect(list.text.contains("The proposed change"))
            #expect(list.text.contains(#"name="corrected.\#(slug)""#))

            // Accepting with the corrected text emptied is refused, naming the field; nothing changes.
            let before = try await world.storeState()
            let empty = try await chair.post(path + "/corrections/\(slug)", [("decision.\(slug)", "accept"), ("reason.\(slug)", ""),
                                                                            ("corrected.\(slug)", "  ")])
            #expect(empty.status == .badRequest, "\(empty.summary)")
            #expect(empty.text.contains("href=\"#corrected-\(slug)\""))
            #expect(try await world.storeState() == before)

            let sentBefore = try await OutboxMessage.query(on: world.app.db).count()
            try world.expectRedirect(try await chair.post(path + "/corrections/\(slug)", [
                ("decision.\(slug)", "accept"), ("reason.\(slug)", ""), ("corrected.\(slug)", "Bruising to the left arm seen at school"),
            ]))
            let latest = try #require(try await RecordVersion.query(on: world.app.db).filter(\.$discussion.$id == id)
                .sort(\.$number, .descending).first())
            #expect(latest.kind == .corrected)
            #expect(latest.snapshot.content.sections["reason"] == "Bruising to the left arm seen at school")
            #expect(latest.note.contains("accepted by \(try await world.person(.teamManager).name)"))
            #expect(try await OutboxMessage.query(on: world.app.db).count() > sentBefore, "the new version was not sent")

            let reread = try await police.get(path + "/minutes").text
            #expect(reread.contains("Version \(latest.number), corrected and authorised by"))
            #expect(reread.contains("Bruising to the left arm seen at school"))
            #expect(!reread.contains(original))
        }
    }

    @Test("Issue 14: an error summary lists the problems in the order the page asks the questions")
    func errorsInFieldOrder() async throws {
        try await TestWorld.run { world in
            let worker = try await world.browser(.socialWorker)
            try await worker.get("/discussions/new")
            let response = try await worker.post("/discussions", [("rows.children", "1"), ("rows.parentsCarers", "1")])
            #expect(response.status == .badRequest)
            let html = response.text
            let summary = try #require(Browser.firstMatch(#"(?s)cv-error-summary__list">(.*?)</ul>"#, in: html))
            let targets = Browser.allMatches(##"href="#([^"]+)""##, in: summary)
            #expect(targets.count >= 3, "\(targets)")
            let places = targets.compactMap { id in html.range(of: "id=\"\(id)\"").map { html.distance(from: html.startIndex, to: $0.lowerBound) } }
            #expect(places.count == targets.count, "a link leads nowhere: \(targets)")
            #expect(places == places.sorted(), "out of order: \(targets)")
        }
    }

    @Test("My work: the chair's corrections to decide are found however many another authority has waiting")
    func correctionsToDecideOwnAuthority() async throws {
        try await TestWorld.run { world in
            let foreign = try await world.makeDiscussion(.otherAuthority, at: .circulated, childName: "Other Child")
            let own = try await world.makeDiscussion(at: .circulated)
            let invitation = try #require(try await world.invitations(foreign).first)
            for i in 0..<101 {
                try await Correction(discussionID: foreign, recordVersion: 2, invitationID: invitation.id!, submittedByName: "Someone",
                                     section: "other", text: "Correction \(i)").create(on: world.app.db)
            }
            let police = try await world.browser(.police)
            try await police.get("/discussions/\(own.slug)/minutes")
            try world.expectRedirect(try await police.post("/discussions/\(own.slug)/corrections", [("section", "other"), ("text", "Wrong time")]))
            let page = try await world.browser(.teamManager).get("/my-work")
            #expect(page.text.contains("Corrections to decide"))
            #expect(page.text.contains(try await world.discussion(own).reference))
            #expect(page.text.contains("1 correction waiting"))
            #expect(!page.text.contains("101 corrections waiting"))
        }
    }
}
