import ConveneCore
import ConveneLifecycle
import ConveneTestSupport
import Foundation
import Testing

@Suite("Forms read and shown again without HTTP: the request form, dates, and the fields pages draw")
struct FormTests {
    @Test("REQ-001-01: a request read from its form keeps every answer when shown again; blank rows are left out")
    func requestRoundTrip() throws {
        let form = FormData(values: [
            "caseType": [CaseType.openCase.rawValue], "urgency": [Urgency.standard.rawValue],
            "concernReceivedAt.day": ["23"], "concernReceivedAt.month": ["11"], "concernReceivedAt.year": ["2026"],
            "concernReceivedAt.time": ["0830"],
            "rows.children": ["2"], "children[0].name": [" Amira Khan "], "children[0].dateOfBirth.day": ["27"],
            "children[0].dateOfBirth.month": ["3"], "children[0].dateOfBirth.year": ["2019"],
            "children[0].circumstances": ["lookedAfter", "inPatient"], "children[1].name": [""],
            "rows.parentsCarers": ["2"], "parentsCarers[0].name": ["Sara Khan"],
            "concerns": ["injury", "neglect"], "flags": ["complex"],
            "rows.proposedAttendees": ["1"], "proposedAttendees[0].name": ["DS Lee"], "proposedAttendees[0].agency": ["police"],
        ])
        var checks = FieldChecks()
        let request = RequestForm.parse(form, rows: RequestForm.rowCounts(form), now: at("2026-11-23T09:00:00Z"), checks: &checks)
        #expect(checks.errors.isEmpty)
        #expect(request.caseType == .openCase && request.urgency == .standard)
        #expect(request.concernReceivedAt == at("2026-11-23T08:30:00Z"))
        let child = try #require(request.children.first)
        #expect(request.children.count == 1 && child.name == "Amira Khan" && child.dateOfBirth == LocalDate(year: 2019, month: 3, day: 27))
        #expect(child.lookedAfter && child.inPatient && !child.youthJusticeOpen && !child.hospitalServices)
        #expect(request.parentsCarers.map(\.name) == ["Sara Khan"] && request.otherAdults.isEmpty)
        #expect(request.concerns == ["injury", "neglect"] && request.complex && request.proposedAttendees.map(\.agency) == ["police"])
        let shown = RequestForm.values(request)
        #expect(shown.values["children[0].name"] == "Amira Khan" && shown.values["children[0].dateOfBirth.year"] == "2019")
        #expect(shown.values["concernReceivedAt.time"] == "08:30" && shown.values["caseType"] == CaseType.openCase.rawValue)
        #expect(shown.multi["children[0].circumstances"] == ["lookedAfter", "inPatient"] && shown.multi["flags"] == ["complex"])
    }

    @Test("A request form without its required choices says so on each field")
    func requestChoicesRequired() {
        var checks = FieldChecks()
        _ = RequestForm.parse(FormData(values: [:]), rows: ["children": 1], now: at("2026-11-23T09:00:00Z"), checks: &checks)
        #expect(checks.errors.map(\.field.description) == ["caseType", "urgency", "concernReceivedAt"])
    }

    @Test("ASVS-5.0-16.5.1: a forged row count is bounded; Add another adds one row to its section")
    func rowCounts() {
        let rows = RequestForm.rowCounts(FormData(values: ["rows.children": ["500"], "rows.otherAdults": ["-3"], "add": ["otherAdults"]]))
        #expect(rows["children"] == RequestForm.maxRows && rows["otherAdults"] == 1 && rows["parentsCarers"] == 0)
    }

    @Test("A date that is not real, or a time without its date, is an error on its own field")
    func dates() {
        let form = FormData(values: ["d.day": ["31"], "d.month": ["2"], "d.year": ["2026"], "t.time": ["14:30"],
                                     "ok.day": ["1"], "ok.month": ["4"], "ok.year": ["2026"], "ok.time": ["9:05"]])
        var checks = FieldChecks()
        #expect(form.date("d", label: "The date", &checks) == nil)
        #expect(form.dateTime("t", label: "When", &checks) == nil)
        #expect(form.dateTime("ok", label: "Start", &checks) == at("2026-04-01T08:05:00Z"))
        #expect(checks.errors.map(\.field.description) == ["d", "t"])
        #expect(checks.errors.map(\.message) == ["The date must be a real date", "Enter the date of when"])
    }

    @Test("A field carries its submitted value and its own error, under the HTML id the error summary links to")
    func fieldContext() throws {
        let state = FormState(values: ["children[0].name": "A"], errors: [InputError(field: "children[0].name", "Enter the child’s full name")])
        let field = try json(state.field("children[0].name", "Full name").with(width: "20"))
        #expect(field["id"] as? String == "children-0-name" && field["value"] as? String == "A" && field["width"] as? String == "20")
        #expect(field["error"] as? String == "Enter the child’s full name")
        let choice = try json(FormState(values: ["convene": "yes"]).radios("convene", "Needed?", options: [("yes", "Yes"), ("no", "No")]).inlined())
        let options = try #require(choice["options"] as? [[String: Any]])
        #expect(options.map { $0["checked"] as? Bool } == [true, false] && choice["inline"] as? Bool == true)
    }
}

/// A value as the templates read it.
func json(_ value: some Encodable) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
}
