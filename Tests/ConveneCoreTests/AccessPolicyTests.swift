import ConveneCore
import Foundation
import Testing

/// Issue 5: who may do what is one table in code and in docs/security.md, default deny.
@Suite("Access policy")
struct AccessPolicyTests {
    @Test("docs/security.md shows the same table as the code (convene roles)")
    func documented() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/security.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        #expect(text.contains(AccessPolicy.table()))
    }

    @Test("ASVS-5.0-8.2.2: nobody reaches another authority's discussion, whatever their role")
    func otherAuthority() {
        for role in Role.allCases {
            for permission in Permission.allCases {
                let context = AccessContext(role: role, sameOrganisation: false, sameTeam: false)
                #expect(!AccessPolicy.allows(permission, context), "\(role) \(permission)")
            }
        }
    }

    @Test("REC-ALL-02: an invitee reads the record only once the minutes are circulated, not when authorised")
    func inviteeAfterCirculation() {
        #expect(!DiscussionStage.authorised.minutesReleased)
        #expect(DiscussionStage.circulated.minutesReleased)
        let before = AccessContext(role: .partnerAgency, sameOrganisation: true, invitee: true, minutesReleased: false)
        let after = AccessContext(role: .partnerAgency, sameOrganisation: true, invitee: true, minutesReleased: true)
        #expect(AccessPolicy.allows(.viewDiscussion, before))
        #expect(!AccessPolicy.allows(.viewRecord, before))
        #expect(AccessPolicy.allows(.viewRecord, after))
        #expect(!AccessPolicy.allows(.recordMeeting, after))
    }

    @Test("Administrators and auditors never read case records; social workers only their own team's")
    func leastPrivilege() {
        for role in [Role.administrator, .auditor] {
            let context = AccessContext(role: role, sameOrganisation: true, sameTeam: true, invitee: false)
            #expect(!AccessPolicy.allows(.viewDiscussion, context))
            #expect(!AccessPolicy.allows(.viewRecord, context))
        }
        let otherTeam = AccessContext(role: .socialWorker, sameOrganisation: true, sameTeam: false)
        #expect(!AccessPolicy.allows(.viewDiscussion, otherTeam))
        let grant = AccessContext(role: .socialWorker, sameOrganisation: true, sameTeam: false, grant: true)
        #expect(AccessPolicy.allows(.viewRecord, grant))
        #expect(!AccessPolicy.allows(.recordMeeting, grant), "a grant is read-only")
    }

    @Test("An invitee reads an action they own at any time, other actions only once the minutes are circulated")
    func actions() {
        let owner = AccessContext(role: .partnerAgency, sameOrganisation: false, invitee: true, minutesReleased: false,
                                  actionOwner: true)
        let invitee = AccessContext(role: .partnerAgency, sameOrganisation: false, invitee: true, minutesReleased: false)
        let afterCirculation = AccessContext(role: .partnerAgency, sameOrganisation: false, invitee: true, minutesReleased: true)
        #expect(AccessPolicy.allows(.viewAction, owner))
        #expect(!AccessPolicy.allows(.viewAction, invitee))
        #expect(AccessPolicy.allows(.viewAction, afterCirculation))
        let ownTeam = AccessContext(role: .socialWorker, sameOrganisation: true, sameTeam: true)
        #expect(AccessPolicy.allows(.viewAction, ownTeam))
        #expect(AccessPolicy.allows(.viewRecord, ownTeam), "a social worker reads their own team's record")
    }

    @Test("Only service managers decide disclosure; only managers break the glass")
    func disclosure() {
        for role in Role.allCases {
            let context = AccessContext(role: role, sameOrganisation: true)
            #expect(AccessPolicy.allows(.decideDisclosure, context) == (role == .serviceManager))
            #expect(AccessPolicy.allows(.breakGlass, context) == (role == .teamManager || role == .serviceManager))
        }
    }
}
