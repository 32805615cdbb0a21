import ConveneCore
import ConveneStore
import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 6 digits, 30-second steps), the second
/// factor of ASVS-5.0-6.3.3. Hand-written because no package in our mirror implements TOTP;
/// the HMAC comes from swift-crypto and the tests check the RFC's own test vectors.
public enum TOTP {
    public static let step: TimeInterval = 30
    public static let digits = 6

    /// A new 160-bit secret, base32-encoded for authenticator apps.
    public static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base32.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public static func code(secret: [UInt8], at time: Date, digits: Int = TOTP.digits) -> String {
        var counter = UInt64(max(0, time.timeIntervalSince1970) / step).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let text = String(value % modulus)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The 30-second step a time falls in.
    public static func stepNumber(_ time: Date) -> Int64 {
        Int64(max(0, time.timeIntervalSince1970) / step)
    }

    /// The step of the code if it is the code for now or one step either side (clock drift),
    /// and later than `after` (the step of the last code accepted: a code works once only).
    public static func acceptedStep(_ code: String, secret: String, at time: Date, after lastStep: Int64?) -> Int64? {
        let cleaned = code.filter(\.isASCIIDigit)
        guard cleaned.count == digits, let key = Base32.decode(secret) else { return nil }
        let now = stepNumber(time)
        var accepted: Int64?
        // Every candidate is compared, so the time taken does not say which one matched.
        for candidate in [now - 1, now, now + 1] {
            let expected = TOTP.code(secret: key, at: Date(timeIntervalSince1970: TimeInterval(candidate) * step))
            if Tokens.constantTimeEqual(expected, cleaned) && candidate > (lastStep ?? -1) { accepted = candidate }
        }
        return accepted
    }

    /// Whether the code is valid now, ignoring replay (turning the second factor on or off from
    /// the account page, where the person is already signed in).
    public static func verify(_ code: String, secret: String, at time: Date) -> Bool {
        acceptedStep(code, secret: secret, at: time, after: nil) != nil
    }

    /// The `otpauth://` URI an authenticator app can import.
    public static func uri(secret: String, account: String, issuer: String = "Convene") -> String {
        let label = "\(issuer):\(account)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? account
        return "otpauth://totp/\(label)?secret=\(secret)&issuer=\(issuer)&algorithm=SHA1&digits=6&period=30"
    }
}
