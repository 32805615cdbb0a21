import ConveneCore
import ConveneDelivery
import ConveneTestSupport
import Testing

/// Nothing of a child in a message: the check every message kind's tests will run.
@Suite("Message content policy")
struct MessageContentPolicyTests {
    let child = MessageContentPolicy.child(name: "Amelia Rose Hart", dateOfBirth: day("2019-03-04"),
                                           address: ["14 Larch Close", "NT4 7QP"])

    @Test("A message with the reference and a link only passes")
    func clean() throws {
        let message = try Samples.message(calendar: Samples.invitation())
        #expect(child.findings(in: message).isEmpty)
    }

    @Test("The child's name in the subject is found, whatever the case")
    func nameInSubject() throws {
        let findings = child.findings(in: try Samples.message(subject: "Strategy discussion about AMELIA HART"))
        #expect(findings.map(\.part) == ["subject", "subject"])
        #expect(findings.map(\.forbidden.text).contains("Hart"))
    }

    @Test("A date of birth in any format Convene prints is found in the text", arguments: [
        "born 2019-03-04", "born 4 March 2019", "born Monday 4 March 2019", "born 4 Mar 2019", "born 04/03/2019",
    ])
    func dateOfBirth(text: String) throws {
        let findings = child.findings(in: try Samples.message(text: text))
        #expect(findings.contains { $0.part == "text" && $0.forbidden.label == "child's date of birth" })
    }

    @Test("A name folded across calendar lines or escaped is still found in the calendar part")
    func calendarPart() throws {
        var invitation = try Samples.invitation()
        invitation.location = String(repeating: "x", count: 60) + " near 14 Larch Close, Northtown"
        invitation.description = "About Hart, Amelia"
        let findings = child.findings(in: try Samples.message(calendar: invitation))
        #expect(findings.contains { $0.part == "calendar part" && $0.forbidden.text == "14 Larch Close" })
        #expect(findings.contains { $0.part == "calendar part" && $0.forbidden.text == "Amelia" })
    }

    @Test("Whole words only: 'Ava' is not found in 'available', and accents do not hide a name")
    func wholeWords() throws {
        let ava = MessageContentPolicy(forbidden: [.init("child's name", "Ava"), .init("child's name", "Zoë")])
        #expect(ava.findings(in: try Samples.message(text: "Slots available tomorrow")).isEmpty)
        #expect(ava.findings(in: try Samples.message(text: "About Ava.")).count == 1)
        #expect(ava.findings(in: try Samples.message(text: "About Zoe")).count == 1)
    }

    @Test("A finding says where and what, for the failing test's message")
    func description() throws {
        let finding = try #require(child.findings(in: try Samples.message(text: "Lives at 14 Larch Close")).first)
        #expect(finding.description == "the text contains the child's address “14 Larch Close”")
    }
}
