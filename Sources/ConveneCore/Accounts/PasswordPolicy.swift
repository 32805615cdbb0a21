import Foundation

/// What a new password must be (ASVS-5.0-6.2.x): long enough, not breached, not built from
/// the person's own address, not a run of keys. Hashing is the web layer's (bcrypt); these are
/// the rules, the same on the account page, for an administrator and in tests.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 1024

    /// Problems with a new password, in words a person can act on; empty when acceptable.
    public static func problems(with password: String, email: String, name: String) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("Password must be \(minimumLength) characters or more")
        }
        if password.count > maximumLength {
            problems.append("Password must be \(maximumLength) characters or fewer")
        }
        let lower = password.lowercased()
        if BreachedPasswords.contains(lower) {
            problems.append("This password is in a list of passwords known to have been breached: choose another")
        }
        let local = email.lowercased().split(separator: "@").first.map(String.init) ?? ""
        if !local.isEmpty && lower.contains(local) {
            problems.append("Password must not contain your email address")
        }
        if Set(password).count < 4 {
            problems.append("Password must not repeat the same few characters")
        } else if password.allSatisfy(\.isNumber) {
            problems.append("Password must not be only numbers: a few random words make a good one")
        } else if isSimpleSequence(lower) {
            problems.append("Password must not be a run of keys or letters, like 123456789012 or qwertyuiop")
        }
        return problems
    }

    /// Keyboard rows, the alphabet and digits, forwards or backwards, possibly repeated:
    /// the patterns every guessing list starts with.
    public static let sequences = ["0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm", "1qaz2wsx3edc4rfv5tgb6yhn",
                                   "qazwsxedcrfvtgbyhnujmikolp"]

    public static func isSimpleSequence(_ lower: String) -> Bool {
        let characters = Array(lower)
        guard characters.count >= 4 else { return false }
        for base in sequences {
            for text in [base, String(base.reversed())] {
                // Repeated cyclically, so that 123456789012 and zyxwvu…zyx count too.
                let cycle = text + text + text
                if cycle.contains(lower) { return true }
            }
        }
        return false
    }
}

/// Passwords known from breach corpora (ASVS-5.0-6.2.12): the most common, checked with
/// and without trailing digits and punctuation. A deployment can add a larger list with
/// `CONVENE_BREACHED_PASSWORDS` (one password per line).
public enum BreachedPasswords {
    public static let common: Set<String> = [
        "123456", "123456789", "12345678", "password", "qwerty", "12345", "1234567", "111111", "1234567890",
        "123123", "abc123", "1234", "password1", "iloveyou", "1q2w3e4r", "000000", "qwerty123", "zaq12wsx",
        "dragon", "sunshine", "princess", "letmein", "654321", "monkey", "1qaz2wsx", "123321",
        "qwertyuiop", "superman", "asdfghjkl", "welcome", "football", "baseball", "admin", "master", "shadow",
        "trustno1", "passw0rd", "password123", "welcome1", "changeme", "qazwsx", "michael", "jennifer", "hunter2",
        "starwars", "whatever", "freedom", "charlie", "liverpool", "chelsea", "arsenal", "manchester", "london",
        "summer", "winter", "spring", "autumn", "secret", "computer", "internet", "cheese", "flower", "soccer",
        "hello", "hello123", "loveme", "access", "mustang", "ginger", "pepper", "matrix", "jordan", "harley",
        "ranger", "buster", "thomas", "robert", "daniel", "andrew", "joshua", "jessica", "ashley", "nicole",
        "qwertyui", "asdfgh", "zxcvbnm", "zxcvbn", "1qazxsw2", "q1w2e3r4", "a1b2c3d4", "abcd1234", "abcdef",
        "passpass", "password!", "p@ssw0rd", "p@ssword", "pa55word", "letmein1", "temp1234", "default",
        "guest", "root", "toor", "administrator", "login", "test", "test123", "testing", "user", "demo",
        "correcthorsebatterystaple", "iloveyou1", "princess1", "sunshine1", "football1", "monkey1", "dragon1",
        "welcome123", "password12", "password1234", "qwerty1", "qwerty12", "1q2w3e", "aa123456", "123qwe",
        "qweasdzxc", "solo", "batman", "pokemon", "killer", "hottie", "flower1", "lovely", "babygirl", "tigger",
        "anthony", "friends", "butterfly", "purple", "angel", "jordan23", "michelle", "bailey", "blink182",
        "strategydiscussion", "safeguarding", "socialworker", "childprotection", "convene", "convene123",
    ]

    static let extra: Set<String> = {
        guard let path = ProcessInfo.processInfo.environment["CONVENE_BREACHED_PASSWORDS"],
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.lowercased() })
    }()

    public static func contains(_ lowercased: String) -> Bool {
        let stripped = String(lowercased.reversed().drop(while: { $0.isNumber || $0.isPunctuation || $0.isSymbol }).reversed())
        return common.contains(lowercased) || common.contains(stripped) || extra.contains(lowercased)
    }
}
