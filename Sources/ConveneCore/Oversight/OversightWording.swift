/// Short names for the figures: outcomes as a summary says them, agencies by the shared vocabulary.
extension DiscussionOutcome {
    public var summaryLabel: String {
        switch self {
        case .s47Joint: "Section 47, joint with police"
        case .s47Single: "Section 47, single agency"
        case .deferred: "Decision deferred"
        case .noS47ThresholdNotMet: "No section 47: threshold not met"
        case .noS47Marginal: "No section 47: marginal"
        }
    }
}

extension Vocabulary {
    /// The agency's name in the shared vocabulary, or its id where a pack added it.
    public static func agencyName(_ id: String) -> String {
        agencies.first { $0.id == id }?.name ?? id
    }
}
