import Foundation

/// A pack's rules in plain words, section by section in the order a discussion meets them,
/// each line with the requirement it applies: what the Procedures page shows, so chairs and
/// practitioners can see why Convene asks what it asks.
public enum PackDescription {
    public struct Line: Hashable, Sendable {
        public let title: String
        public let detail: String
        public let rule: String
        public let ruleTitle: String
    }

    public struct Section: Hashable, Sendable {
        public let id: String
        public let title: String
        public let intro: String
        public let lines: [Line]
    }

    static func line(_ title: String, _ detail: String, _ rule: RequirementID?) -> Line {
        Line(title: title, detail: detail, rule: rule?.description ?? "",
             ruleTitle: rule.flatMap { RequirementCatalogue.title($0) } ?? "")
    }

    /// The pack's rules, section by section, in the order a discussion meets them.
    public static func sections(_ pack: ProcedurePack) -> [Section] {
        let agency = { (id: String) in pack.agencyName(id) }
        var result: [Section] = []

        result.append(Section(
            id: "urgency", title: "Urgency of a request", intro: "What the person requesting a discussion chooses from.",
            lines: pack.request.urgencies.map { line($0.label, $0.guidance ?? "", $0.rule) }))

        result.append(Section(
            id: "timescales", title: "Timescales",
            intro: "Working days leave out weekends and \(pack.calendar.region.displayName) bank holidays and end at 23:59 UK time.",
            lines: pack.timescales.map { rule in
                let within = rule.wording ?? rule.within.wording
                let from = rule.from.map(basisName).joined(separator: ", or else ")
                let when = conditions(rule.when)
                return line(rule.duty.title, within.capitalizedFirst + ", counted from " + from + (when.isEmpty ? "" : "; " + when) + ".",
                            rule.rule)
            }))

        let slots = pack.slots
        let times = slots.dailySlots.map { UKDisplay.time(secondsIntoDay: $0.start) + " to " + UKDisplay.time(secondsIntoDay: $0.end) }
        var slotLines = [line("Meeting times", "Working days: " + times.joined(separator: "; ") + ".", slots.rule)]
        slotLines.append(line("Length", "\(slots.lengthSeconds / 60) minutes.", slots.lengthRule ?? slots.rule))
        for urgency in Urgency.allCases {
            if slots.anyTime.contains(urgency) {
                var how = "Booked at any time, outside the pattern if need be."
                if case .sessions = slots.pattern {
                    how = "Booked in a session that starts by the deadline, otherwise at the earliest free time at any hour."
                }
                slotLines.append(line("Urgency “\(urgency.rawValue)”", how, slots.rule))
            } else if let lead = slots.leadTime[urgency] {
                slotLines.append(line("Urgency “\(urgency.rawValue)”", "Booked at least \(lead / 60) minutes after the request was made"
                                      + (urgency == .other ? ", and not before the time the manager agreed." : "."), slots.rule))
            }
        }
        slotLines.append(line("Booked against", slots.bookedAgainst == .chair
            ? "The chair’s time: a chair is never booked twice at once; other chairs may meet at the same time."
            : "A calendar the authority sets up (for example one per locality); "
                + (slots.capacity == 1 ? "one discussion at a time in each." : "\(slots.capacity) at once in each."), slots.rule))
        if let message = pack.requestMessage {
            slotLines.append(line("Request to " + message.to.map(agency).joined(separator: " and "),
                                  "When booked, each is sent “\(message.title)” with a personal link only; the extract ("
                                    + message.extract.map { $0.title.lowercased() }.joined(separator: ", ")
                                    + ") opens with an access code sent separately."
                                    + (message.teleconference ? " The booking records the duration, dial-in number and access code." : ""),
                                  message.rule))
        }
        result.append(Section(id: "slots", title: "Booking", intro: "Convene offers the next free time of this pattern and never books one twice.",
                              lines: slotLines))

        let att = pack.attendance
        var attendance = [line("Chair", sentence(agency(att.chair.agency) + ": " + att.chair.roles.map(roleName).joined(separator: " or ")
                                   + (att.chair.note.map { ". " + $0 } ?? "")), att.chair.rule)]
        for r in att.required {
            var detail = r.roles.isEmpty ? "Required" : "Required: " + r.roles.map(roleName).joined(separator: " or ")
            let when = attendanceConditions(r.when, pack)
            if !when.isEmpty { detail += ", " + when }
            let instead = r.satisfiedBy.filter { $0 != r.agency }
            if !instead.isEmpty { detail += "; " + instead.map(agency).joined(separator: " or ") + " may attend instead" }
            if r.distinct { detail += ", someone other than those above" }
            if !r.quorum { detail += " (not needed for the meeting to go ahead)" }
            attendance.append(line(agency(r.agency), sentence(detail + (r.note.map { ". " + $0 } ?? "")), r.rule))
        }
        for r in att.recommended {
            let when = attendanceConditions(r.when, pack)
            attendance.append(line(agency(r.agency), sentence("Invite" + (when.isEmpty ? "" : ", " + when) + (r.note.map { ". " + $0 } ?? "")), r.rule))
        }
        if let urgent = att.urgentException {
            attendance.append(line("Urgent exception", "An urgent discussion may go ahead with "
                                   + urgent.agencies.map(agency).joined(separator: " and ") + " only.", urgent.rule))
        }
        for alert in att.alerts {
            let window = alert.incidentWithinDays.map { " Shown when the incident was within \($0) days (or its date is not known)." } ?? ""
            let record = alert.record == "sarc-contact" ? " The contact is recorded: when, by whom, forensic timescales advised." : ""
            attendance.append(line("Alert", alert.message + window + record, alert.rule))
        }
        if let routing = pack.routing {
            attendance.append(line("Which team", "A child closed to social care within the last \(routing.previousTeamWithinDays / 7) weeks goes back to the previous team."
                                   + (routing.assignAfterS47 ? " Once the record of the discussion that starts a section 47 enquiry is authorised, the case goes to the team covering the area where the child lives, or where the harm happened if the child lives elsewhere." : "")
                                   + " A manager can move a case; the old team keeps read access to what it held.", routing.rule))
        }
        result.append(Section(id: "attendance", title: "Who attends", intro: "Who must be invited, and who must be there for the discussion to be quorate.",
                              lines: attendance))

        result.append(Section(
            id: "agenda", title: "Agenda", intro: "The record follows these items; items marked per child are recorded for each child.",
            lines: pack.agenda.map { item in
                line(item.title, (item.perChild ? "For each child. " : "") + item.prompts.joined(separator: " "), item.rule)
            }))
        result.append(Section(
            id: "checklist", title: "Checklist", intro: "Items marked required must be answered before the record can be finalised.",
            lines: pack.checklist.map { item in
                line(item.text, (item.requiredForFinal ? "Required before the record is final" : "Optional")
                     + (item.section.map { ". Part of " + $0 } ?? "") + ".", item.rule)
            }))
        result.append(Section(
            id: "outcomes", title: "Outcomes", intro: "The outcome recorded for each child.",
            lines: pack.outcomes.map { line($0.label, $0.requiresRationale ? "Needs a rationale." : "", $0.rule) }
                + pack.withoutS47.map { line($0.label, "When there is no section 47 enquiry"
                    + (pack.withoutS47Recording == .each ? ", each of these is recorded" : "")
                    + ($0.requiresRationale ? "; needs a rationale." : "."), $0.rule) }
                + (pack.outcomeEndorsement.map { rules in
                    [line("Changing the s47 outcome", "The outcome of the section 47 enquiry is sent to the discussion’s members. A significant change stands only when "
                          + rules.threshold.description
                          + "; each endorses or objects with a reason.", rules.rule)]
                } ?? [])))

        let c = pack.circulation
        var circulation = [line("Authorised by", c.authorisedBy.map { Role(rawValue: $0)?.label ?? $0 }.joined(separator: " or ") + ".", c.rule),
                           line("Circulated to", "The invitees only. They can read the minutes once authorised.", c.rule)]
        if let window = c.correctionsWindowSeconds {
            circulation.append(line("Corrections", "Invitees may send corrections within \(window / 3600) hours of circulation; the chair accepts or rejects each.",
                                    c.correctionsRule))
        }
        circulation.append(line("Disclosure", "Requests from anyone not invited are decided by a " + (Role(rawValue: c.disclosureDecidedBy)?.label.lowercased() ?? c.disclosureDecidedBy) + ".",
                                c.disclosureRule))
        result.append(Section(id: "circulation", title: "Minutes and circulation", intro: "", lines: circulation))
        return result
    }

    /// Ends the text with one full stop.
    static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }

    static func basisName(_ basis: BasisKind) -> String {
        switch basis {
        case .concernReceived: "the referral or new information"
        case .immediateAction: "the immediate protective action"
        case .requestMade: "the request"
        case .discussionHeld: "the discussion"
        case .s47Decision: "the discussion that started the section 47 enquiry"
        }
    }

    static func roleName(_ role: String) -> String {
        Vocabulary.agencyRoleLabel(role).lowercased()
    }

    static func conditions(_ when: RuleCondition) -> String {
        var parts: [String] = []
        if let type = when.caseType { parts.append(type == .newReferral ? "for a new referral" : "for an open case") }
        if let complex = when.complex { parts.append(complex ? "when the case is complex" : "when the case is not complex") }
        if let immediate = when.immediateConcerns {
            parts.append(immediate ? "when there are immediate safeguarding concerns (urgency “immediate”)"
                : "when there are no immediate safeguarding concerns")
        }
        if let urgency = when.urgency { parts.append("when the urgency is " + urgency.map { "“\($0.rawValue)”" }.joined(separator: " or ")) }
        if let outcome = when.outcome { parts.append("when the outcome was " + outcome.map { "“\($0.rawValue)”" }.joined(separator: " or ")) }
        if let lado = when.ladoReferralNeeded { parts.append(lado ? "when a LADO referral is needed" : "when no LADO referral is needed") }
        if let set = when.furtherDiscussionSet { parts.append(set ? "when the discussion set a date for the next" : "when no date was set for the next discussion") }
        if let open = when.enquiryOpen { parts.append(open ? "while the section 47 enquiry is open" : "once the section 47 enquiry is closed") }
        return parts.joined(separator: ", ")
    }

    static func attendanceConditions(_ when: AttendanceCondition, _ pack: ProcedurePack) -> String {
        var parts: [String] = []
        if let concerns = when.concerns {
            parts.append("when the concerns include " + concerns.map { id in pack.concerns.first { $0.id == id }?.name.lowercased() ?? id }
                .joined(separator: " or "))
        }
        if when.lookedAfter == true { parts.append("when the child is looked after") }
        if when.youthJusticeOpen == true { parts.append("when youth justice are involved") }
        if when.inPatient == true { parts.append("when the child is in hospital") }
        if when.hospitalServices == true { parts.append("when the child is or has recently been receiving hospital or child development team services") }
        if when.complex == true { parts.append("when the request marks the concerns complex") }
        if let urgent = when.urgent { parts.append(urgent ? "when the discussion is urgent" : "when the discussion is not urgent") }
        return parts.joined(separator: ", ")
    }
}
