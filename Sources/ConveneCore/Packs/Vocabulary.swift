import Foundation

/// The shared words of the packs and inputs: agencies and concerns. A pack may add its own.
public enum Vocabulary {
    public struct Term: Hashable, Sendable {
        public let id: String
        public let name: String

        public init(_ id: String, _ name: String) {
            self.id = id
            self.name = name
        }
    }

    public static let agencies: [Term] = [
        Term("childrens-social-care", "Children’s social care"),
        Term("police", "Police"),
        Term("health", "Health"),
        Term("education", "Education (school or nursery)"),
        Term("youth-justice", "Youth justice service"),
        Term("sarc", "Sexual assault referral centre (SARC)"),
        Term("paediatrics", "Paediatrics"),
        Term("midwifery", "Midwifery and maternity services"),
        Term("fostering", "Fostering service or agency"),
        Term("residential", "Residential children’s home"),
        Term("la-legal", "Local authority legal services"),
        Term("british-transport-police", "British Transport Police"),
        Term("probation", "Probation service"),
        Term("camhs", "Child and adolescent mental health services (CAMHS)"),
        Term("adult-mental-health", "Adult mental health services"),
        Term("substance-misuse", "Drug and alcohol (substance misuse) services"),
        Term("domestic-abuse", "Domestic abuse specialist"),
        Term("housing", "Housing"),
        Term("early-help", "Early help"),
        Term("lado", "Local authority designated officer (LADO)"),
        Term("adult-social-care", "Adult social care"),
        Term("referrer", "The referring practitioner or agency"),
        Term("expert", "Professional with relevant expertise"),
        Term("nspcc", "NSPCC"),
        Term("registration-authority", "Registered owner or registration authority of a service"),
        Term("other", "Other agency"),
    ]

    public static let concerns: [Term] = [
        Term("sexual-abuse", "Sexual abuse or assault"),
        Term("sexual-exploitation", "Child sexual exploitation"),
        Term("criminal-exploitation", "Child criminal exploitation"),
        Term("exploitation", "Exploitation"),
        Term("physical-abuse", "Physical abuse"),
        Term("injury", "Injury to the child"),
        Term("medical", "Significant medical implications or a medical examination may be needed"),
        Term("emotional-abuse", "Emotional abuse"),
        Term("neglect", "Neglect"),
        Term("unborn", "Unborn child (pre-birth)"),
        Term("newborn", "Newly born infant"),
        Term("allegation-against-professional", "Allegation against someone who works with children"),
        Term("complex-abuse", "Complex or organised abuse"),
        Term("fabricated-induced-illness", "Fabricated or induced illness"),
        Term("fgm", "Female genital mutilation"),
        Term("radicalisation", "Radicalisation"),
        Term("trafficking", "Trafficking or modern slavery"),
        Term("forced-marriage", "Forced marriage or honour-based abuse"),
        Term("domestic-abuse", "Domestic abuse"),
        Term("parental-substance-misuse", "Parental substance misuse"),
        Term("parental-mental-health", "Parental mental health"),
        Term("person-posing-risk", "A person posing a risk in or visiting the household"),
        Term("death-of-child", "Death of a child in the family where abuse or neglect is suspected"),
        Term("sibling-on-plan", "A child in the household is subject to a child protection plan"),
        Term("online-abuse", "Online abuse"),
        Term("self-harm", "Self-harm or suicidal ideation"),
        Term("missing", "Missing from home or care"),
        Term("other", "Other concern"),
    ]

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}

extension Vocabulary {
    /// Roles within an agency, as people and packs name them (`jcpit-manager`), in words.
    public static let agencyRoles = [
        "jcpit-manager": "JCPIT manager", "social-worker": "Social worker", "team-manager": "Team manager",
        "service-manager": "Service manager", "assistant-team-manager": "Assistant team manager",
        "business-support": "Business support", "named-nurse": "Named nurse for safeguarding",
        "designated-safeguarding-lead": "Designated safeguarding lead", "ward-nurse": "Senior ward nurse",
        "consultant": "Consultant", "detective-sergeant": "Detective sergeant", "officer": "Police officer",
    ]

    /// A role in words; one Convene has no words for is shown from its name (`youth-worker` → "Youth worker").
    public static func agencyRoleLabel(_ role: String) -> String {
        agencyRoles[role] ?? role.replacingOccurrences(of: "-", with: " ").capitalizedFirst
    }
}
