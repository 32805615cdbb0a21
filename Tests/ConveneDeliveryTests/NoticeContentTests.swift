import ConveneCore
import ConveneDelivery
import ConveneTestSupport
import Foundation
import Testing

/// Every kind of notice Convene sends (issue 11), built as the operations build it for a case
/// whose child has a name, a date of birth and an address: each carries the reference and its
/// link, and nothing of the child.
@Suite("Notice content")
struct NoticeContentTests {
    static let child = MessageContentPolicy.child(name: "Amelia Rose Hart", dateOfBirth: day("2019-03-04"),
                                                  address: ["14 Larch Close", "NT4 7QP"])
    static let link = "https://convene.northtown.gov.uk/discussions/6f1c2d3e"
    static let reference = "SD-2026-0042"

    /// One notice of each kind; the switch has no default, so a new kind must be added here.
    static func sample(_ kind: NoticeKind) -> Notice {
        let start = at("2026-03-30T09:00:00Z")
        let caseID = UUID()
        switch kind {
        case .newRequest: return .newRequest(reference: reference, urgency: .immediate, due: start, link: link)
        case .requestDecision: return .requestDecision(reference: reference, convened: true, link: link)
        case .invitation:
            return .invitation(meetingName: "strategy meeting", reference: reference, start: start,
                               howToTakePart: "Microsoft Teams", link: link)
        case .rearrangement:
            return .rearrangement(meetingName: "strategy meeting", reference: reference, start: start.addingTimeInterval(3600),
                                  previous: start, link: link)
        case .cancellation: return .cancellation(meetingName: "strategy meeting", reference: reference, start: start, link: link)
        case .accessCode: return .accessCode(reference: reference, code: "042917")
        case .teleconferenceRequest:
            // REQ-002-01: the only notice whose title the pack declares; built from the pack's
            // rules by the operation, here with the fields Hertfordshire declares left out.
            return Notice(kind: .teleconferenceRequest, subject: "S47 Strategy Teleconference Request – \(reference)",
                          text: "\(link)\nThis link is for you only; the access code to open it is in a separate message.",
                          reference: reference)
        case .actionSummary: return .actionSummary(reference: reference, actions: 3, link: link)
        case .minutes: return .minutes(reference: reference, correctionsWithinHours: 24, link: link)
        case .correctedMinutes: return .correctedMinutes(reference: reference, version: 2, link: link)
        case .correctionDecision: return .correctionDecision(reference: reference, accepted: false, link: link)
        case .outcomeEndorsement: return .outcomeEndorsement(reference: reference, link: link)
        case .disclosureDecision: return .disclosureDecision(reference: reference, granted: true, link: link)
        case .bookingReminder, .recordReminder, .enquiryReminder:
            let duty: Duty = kind == .bookingReminder ? .strategyDiscussion : kind == .recordReminder ? .minutesCirculation : .icpc
            return .reminder(Reminder(subject: .duty(caseID: caseID, duty: duty, discussion: "d1"), threshold: .overdue, at: start,
                                      deadline: start, audience: [.role(.teamManager)], kind: kind, reference: reference,
                                      rule: "TIME-ALL-01"), link: link)
        case .actionReminder:
            return .reminder(Reminder(subject: .action(UUID()), threshold: .escalated, at: start, deadline: start,
                                      audience: [.role(.teamManager)], kind: kind, reference: reference, rule: "ACT-ALL-03"),
                             link: link)
        case .disclosureReminder:
            return .reminder(Reminder(subject: .disclosure(UUID()), threshold: .overdue, at: start, deadline: start,
                                      audience: [.role(.serviceManager)], kind: kind, reference: reference, rule: "REC-ALL-02"),
                             link: link)
        case .digest: return .digest([sample(.actionReminder), sample(.bookingReminder)], link: link)
        }
    }

    @Test("Every kind carries its reference and link, and no child's name, date of birth or address", arguments: NoticeKind.allCases)
    func everyKind(kind: NoticeKind) throws {
        let notice = Self.sample(kind)
        #expect(notice.kind == kind)
        let message = try OutgoingMessage(
            messageID: "0b7e1c9a-1111-4222-8333-444455556666@convene.northtown.gov.uk", kind: MessageKind(kind),
            date: at("2026-03-27T16:05:00Z"), from: MailAddress(name: "Convene", address: "convene@northtown.gov.uk"),
            to: MailAddress(name: "PC Siân O’Brien", address: "sian.obrien@police.example.uk"),
            subject: notice.subject, text: notice.text, reference: notice.reference)
        #expect(Self.child.findings(in: message).isEmpty)
        if kind != .accessCode {
            #expect(notice.text.contains(Self.link))
        }
        if kind != .digest {
            #expect(notice.subject.contains(Self.reference))
        }
        #expect(MessageKind(kind).rawValue == kind.rawValue)
    }

    @Test("Reminders say what is due, by when and under which rule, in London time")
    func reminderWords() {
        let notice = Self.sample(.bookingReminder)
        #expect(notice.subject == "Overdue: SD-2026-0042")
        #expect(notice.text.hasPrefix("SD-2026-0042: Strategy discussion held, due by Monday 30 March 2026 at 10am (TIME-ALL-01): "
            + "the discussion is not booked yet. It is overdue."))
        #expect(Self.sample(.actionReminder).text.contains("you are told as the chair (ACT-ALL-03)"))
    }
}
