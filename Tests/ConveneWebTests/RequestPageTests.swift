import ConveneCore
import ConveneStore
@testable import ConveneWeb
import Foundation
import Testing
import VaporTesting

/// Step 1, the request (REQ-001-01): every required field, the urgency rules, the children's
/// dates of birth, the concerns and the proposed attendees; a refused request writes nothing.
@Suite("Request page")
struct RequestPageTests {
    /// A required field of REQ-001-01, the form fields that carry it, and the id its error links to.
    struct Required: CustomTestStringConvertible, Sendable {
        let label: String
        let fields: [String]
        let id: String
        var testDescription: String { label }
    }

    static let required: [Required] = [
        Required(label: "urgency", fields: ["urgency"], id: "urgency"),
        Required(label: "case type", fields: ["caseType"], id: "caseType"),
        Required(label: "team", fields: ["team"], id: "team"),
        Required(label: "locality", fields: ["locality"], id: "locality"),
        Required(label: "allocated social worker", fields: ["allocatedSocialWorker"], id: "allocatedSocialWorker"),
        Required(label: "team manager", fields: ["teamManager"], id: "teamManager"),
        Required(label: "service manager", fields: ["serviceManager"], id: "serviceManager"),
        Required(label: "when the concern was received", fields: ["concernReceivedAt"], id: "concernReceivedAt"),
        Required(label: "child's full name", fields: ["children[0].name"], id: "children-0-name"),
        Required(label: "child's date of birth", fields: ["children[0].dateOfBirth"], id: "children-0-dateOfBirth"),
        Required(label: "presenting issue", fields: ["presentingIssue"], id: "presentingIssue"),
        Required(label: "rationale", fields: ["rationale"], id: "rationale"),
    ]

    @Test("REQ-001-01: a request without a required field is refused with 400, its error linking to the field, and nothing is saved",
          arguments: required)
    func missingRequiredField(_ field: Required) async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let fields = field.fields.reduce(world.requestFields()) { $0.removing($1) }
            let response = try await browser.post("/discussions", fields)
            expectFieldError(response, field.id)
            #expect(response.errorLinks.count == 1, "only the missing field is reported: \(response.errorTexts)")
            #expect(try await world.storeState() == before, "a refused request wrote something")
        }
    }

    @Test("REQ-001-01: a refused request shows the form again with what was typed, so nothing has to be re-entered")
    func refusedRequestKeepsValues() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let response = try await browser.post("/discussions", world.requestFields(childName: "Tobias Marchetti").removing("rationale"))
            expectFieldError(response, "rationale")
            #expect(response.text.contains(#"value="Tobias Marchetti""#))
            #expect(response.text.contains("Bruising to the face noticed at school"))
        }
    }

    @Test("REQ-001-01, TIME-001-01: urgency “other” without the service manager’s rationale is refused, naming the rationale")
    func otherUrgencyWithoutRationale() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions", world.requestFields(urgency: "other").removing("urgencyRationale"))
            expectFieldError(response, "urgencyRationale", containing: "rationale")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01, TIME-001-01: urgency “other” without the time agreed with the service manager is refused, naming it")
    func otherUrgencyWithoutAgreedTime() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions", world.requestFields(urgency: "other").removing("agreedDue"))
            expectFieldError(response, "agreedDue")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: urgency “other” with an agreed time in the past is refused")
    func otherUrgencyWithPastAgreedTime() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let fields = world.requestFields(urgency: "other").setting(date: "agreedDue", world.today.adding(days: -2), time: "10:00")
            expectFieldError(try await browser.post("/discussions", fields), "agreedDue", containing: "future")
        }
    }

    @Test("REQ-001-01: urgency “other” with the rationale and an agreed time is accepted")
    func otherUrgencyAccepted() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion(fields: world.requestFields(urgency: "other"))
            let d = try await world.discussion(id)
            #expect(d.urgency == .other)
            #expect(!d.request.urgencyRationale.isEmpty)
            #expect(d.request.agreedDue != nil)
        }
    }

    @Test("REQ-001-01: a child aged 18 or over is refused: a strategy discussion is about children")
    func childOver18() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let eighteen = world.today.addingYears(-18)
            let response = try await browser.post("/discussions", world.requestFields().setting(date: "children[0].dateOfBirth", eighteen))
            expectFieldError(response, "children-0-dateOfBirth", containing: "under 18")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: a child who turns 18 tomorrow is still a child")
    func childSeventeen() async throws {
        try await TestWorld.run { world in
            let almost = world.today.addingYears(-18).adding(days: 1)
            let id = try await world.requestDiscussion(fields: world.requestFields().setting(date: "children[0].dateOfBirth", almost))
            #expect(try await world.firstChild(id).details.dateOfBirth == almost)
        }
    }

    @Test("REQ-001-01: a date of birth in the future is refused (an unborn child is recorded as unborn)")
    func dateOfBirthInFuture() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions",
                                                   world.requestFields().setting(date: "children[0].dateOfBirth", world.today.adding(days: 1)))
            expectFieldError(response, "children-0-dateOfBirth", containing: "past")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: a date of birth that is not a real date (31 February) is refused, naming the field")
    func impossibleDateOfBirth() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let fields = world.requestFields().setting("children[0].dateOfBirth.day", "31").setting("children[0].dateOfBirth.month", "2")
            expectFieldError(try await browser.post("/discussions", fields), "children-0-dateOfBirth", containing: "real date")
        }
    }

    @Test("REQ-001-01: a concern the procedure does not know is refused, and its error links to the concerns")
    func unknownConcern() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions", world.requestFields(concerns: ["injury", "werewolves"]))
            #expect(response.status == .badRequest, "\(response.summary)")
            #expect(response.errorTexts.contains { $0.contains("werewolves") }, "\(response.errorTexts)")
            for link in response.errorLinks {
                #expect(response.hasElement(id: String(link.dropFirst())), "the error link \(link) points at no element of the page")
            }
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: a proposed attendee with an email address that is not one is refused, naming that row's email")
    func badAttendeeEmail() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let fields = world.requestFields(extra: [
                ("rows.proposedAttendees", "1"), ("proposedAttendees[0].name", "Dana Reid"), ("proposedAttendees[0].agency", "education"),
                ("proposedAttendees[0].role", "Designated safeguarding lead"), ("proposedAttendees[0].email", "dana.reid at school"),
            ])
            let response = try await browser.post("/discussions", fields)
            expectFieldError(response, "proposedAttendees-0-email", containing: "email address")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: a proposed attendee with a good email address is kept on the request")
    func goodAttendee() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion(fields: world.requestFields(extra: [
                ("rows.proposedAttendees", "1"), ("proposedAttendees[0].name", "Dana Reid"), ("proposedAttendees[0].agency", "education"),
                ("proposedAttendees[0].email", "dana.reid@school.example"),
            ]))
            #expect(try await world.discussion(id).request.proposedAttendees.map(\.email) == ["dana.reid@school.example"])
        }
    }

    @Test("REQ-001-01: “Add another child” shows the form again with a second child's row, keeping what was typed and saving nothing")
    func addAnotherChild() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let response = try await browser.post("/discussions", world.requestFields(childName: "Tobias Marchetti") + [("add", "children")])
            #expect(response.status == .ok, "\(response.summary)")
            #expect(response.errorLinks.isEmpty, "adding a row is not an error: \(response.errorTexts)")
            #expect(response.text.contains(#"name="children[1].name""#), "no second child's row")
            #expect(response.text.contains(#"value="Tobias Marchetti""#))
            #expect(response.text.contains(#"name="rows.children" value="2""#) || response.text.contains(#"value="2" name="rows.children""#),
                    "the form does not carry the new row count")
            #expect(try await world.storeState() == before, "adding a row saved something")

            // The second child, once filled in, is saved with the first.
            let two = world.requestFields(childName: "Tobias Marchetti").setting("rows.children", "2")
                + [("children[1].name", "Lena Marchetti"), ("children[1].dateOfBirth.day", "2"), ("children[1].dateOfBirth.month", "7"),
                   ("children[1].dateOfBirth.year", "2021")]
            let created = try await browser.post("/discussions", two)
            #expect(created.status == .seeOther, "\(created.summary)")
            #expect(try await world.count(CaseChild.self) == 2)
        }
    }

    @Test("REQ-001-01: a second child's row left blank is ignored, not refused")
    func blankSecondChild() async throws {
        try await TestWorld.run { world in
            let id = try await world.requestDiscussion(fields: world.requestFields().setting("rows.children", "2"))
            #expect(try await world.discussion(id).request.children.count == 1)
        }
    }

    @Test("REQ-001-01: a request names a team of the person's own authority, not another's")
    func foreignTeamRefused() async throws {
        try await TestWorld.run { world in
            let browser = try await world.browser(.socialWorker)
            try await browser.get("/discussions/new")
            let before = try await world.storeState()
            let foreignTeam = try await world.teamOf(.foreignSocialWorker)
            let response = try await browser.post("/discussions", world.requestFields().setting("team", foreignTeam.slug))
            expectFieldError(response, "team")
            #expect(try await world.storeState() == before)
        }
    }

    @Test("REQ-001-01: a complete request creates the case, its child and the discussion, with one audit entry")
    func completeRequest() async throws {
        try await TestWorld.run { world in
            let audits = try await world.audit("create").count
            let id = try await world.requestDiscussion()
            let d = try await world.discussion(id)
            #expect(d.stage == .requested)
            #expect(d.reference.hasPrefix("SD-2026-"))
            #expect(try await world.count(Case.self) == 1)
            #expect(try await world.firstChild(id).name == "Amira Khan")
            #expect(try await world.audit("create").count == audits + 1)
        }
    }
}
