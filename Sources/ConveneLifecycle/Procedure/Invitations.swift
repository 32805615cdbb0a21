import ConveneCore
import ConveneStore
import FluentKit
import Foundation

/// Who is invited: the required invitees the attendance engine names for this case, matched
/// to people where Convene knows them, plus the attendees the request proposed.
public enum Invitations {
    public static func question(_ loaded: LoadedDiscussion, invitations: [Invitation], urgentAttendance: Bool = false,
                         presentOnly: Bool = false) -> AttendanceQuestion {
        let request = loaded.discussion.request
        let attendees = invitations.compactMap { invitation -> Attendee? in
            if presentOnly && !(invitation.attendance?.present ?? false) { return nil }
            return Attendee(agency: invitation.agency, role: invitation.role.isBlank ? nil : invitation.role)
        }
        return AttendanceQuestion(urgent: loaded.discussion.urgency == .immediate || urgentAttendance,
                                  complex: loaded.caseRecord.complex, concerns: loaded.caseRecord.concerns,
                                  child: request.circumstances, attendees: attendees)
    }

    public static func prepopulate(_ loaded: LoadedDiscussion, discussion: Discussion, on db: any Database) async throws {
        let discussionID = try discussion.requireID()
        let existing = try await Invitation.query(on: db).filter(\.$discussion.$id == discussionID).all()
        guard existing.isEmpty else { return }
        let people = try await Person.query(on: db).filter(\.$organisation.$id == discussion.organisationID)
            .filter(\.$disabledAt == nil).all()
        let answer = AttendanceEngine(pack: loaded.pack).evaluate(
            AttendanceQuestion(urgent: discussion.urgency == .immediate, complex: loaded.caseRecord.complex,
                               concerns: loaded.caseRecord.concerns, child: discussion.request.circumstances))
        var invited = Set<UUID>()
        var invitations: [Invitation] = []
        func invite(_ person: Person, rule: String, reason: String) {
            guard let id = person.id, invited.insert(id).inserted else { return }
            invitations.append(Invitation(discussionID: discussionID, organisationID: discussion.organisationID, personID: id,
                                          name: person.name, email: person.email, agency: person.agency,
                                          role: person.agencyRole, rule: rule, reason: reason))
        }
        // The chair and the people named on the request come first.
        if let chairID = discussion.chairID, let chair = people.first(where: { $0.id == chairID }) {
            invite(chair, rule: loaded.pack.attendance.chair.rule.description, reason: "Chair")
        }
        if let requester = people.first(where: { $0.id == discussion.requestedBy }), requester.role == .socialWorker {
            invite(requester, rule: "ATT-ALL-01", reason: "Allocated social worker")
        }
        for applied in answer.required {
            let requirement = applied.requirement
            let alreadyMet = invitations.contains { invitation in
                requirement.satisfiedBy.contains(invitation.agency)
                    && (requirement.roles.isEmpty || requirement.roles.contains(invitation.role))
            }
            if alreadyMet { continue }
            let candidates = people.filter { person in
                requirement.satisfiedBy.contains(person.agency)
                    && (requirement.roles.isEmpty || requirement.roles.contains(person.agencyRole))
                    && person.role != .administrator && person.role != .auditor
            }
            let preferred = candidates.first { $0.$team.id == discussion.teamID } ?? candidates.first
            if let person = preferred {
                invite(person, rule: requirement.rule.description, reason: applied.reason == "always" ? "Required" : applied.reason)
            }
        }
        // A review discussion starts from the previous discussion's invitees (issue 14).
        if discussion.parentID != nil,
           let previous = try await Discussion.query(on: db).filter(\.$case.$id == discussion.$case.id)
               .filter(\.$sequence < discussion.sequence).sort(\.$sequence, .descending).first() {
            let earlier = try await Invitation.query(on: db).filter(\.$discussion.$id == previous.requireID())
                .filter(\.$invited == true).sort(\.$createdAt).all()
            for invitation in earlier {
                if let personID = invitation.personID {
                    if let person = people.first(where: { $0.id == personID }) {
                        invite(person, rule: invitation.rule, reason: "Invited to \(previous.reference)")
                    }
                } else if !invitations.contains(where: { $0.email.lowercased() == invitation.email.lowercased() && !invitation.email.isBlank }) {
                    invitations.append(Invitation(discussionID: discussionID, organisationID: discussion.organisationID, personID: nil,
                                                  name: invitation.name, email: invitation.email, agency: invitation.agency,
                                                  role: invitation.role, rule: invitation.rule,
                                                  reason: "Invited to \(previous.reference)"))
                }
            }
        }
        for proposed in discussion.request.proposedAttendees {
            if let person = people.first(where: { !proposed.email.isBlank && $0.email == proposed.email.lowercased() }) {
                invite(person, rule: "", reason: "Proposed on the request")
            } else if !invitations.contains(where: { $0.name == proposed.name && $0.agency == proposed.agency }) {
                invitations.append(Invitation(discussionID: discussionID, organisationID: discussion.organisationID, personID: nil,
                                              name: proposed.name, email: proposed.email, agency: proposed.agency,
                                              role: proposed.role, rule: "", reason: "Proposed on the request"))
            }
        }
        for invitation in invitations { try await invitation.create(on: db) }
    }
}
