/// The personal link of an invitee without an account (REQ-001-03) and the link to a
/// teleconference request's extract (REQ-002-01): single-person, and time-limited.
public enum PersonalLink {
    /// A link lasts this long after the meeting (or, for the minutes, after circulation).
    public static let validity: Double = 14 * 86_400
}
