import Foundation

/// One page of a list, from numbers a request sent. Bounded before any arithmetic: a page of
/// 9223372036854775807 once overflowed the offset and the process died (Swift traps on
/// overflow). Every paginated page and API list goes through here.
public struct ListPage: Sendable, Hashable {
    /// Far beyond any real list (100,000 pages of 100 is ten million rows), and small enough
    /// that `number * size` cannot overflow.
    public static let maxNumber = 100_000
    public static let maxSize = 100

    public let number: Int
    public let size: Int

    /// A page within the bounds; out-of-range values are brought to the nearest bound.
    public init(number: Int, size: Int) {
        self.number = min(max(number, 1), Self.maxNumber)
        self.size = min(max(size, 1), Self.maxSize)
    }

    /// A page number as a web page's query string sent it: anything unreadable is page 1,
    /// anything beyond the bounds the nearest bound (a link a person follows never fails).
    public static func lenient(_ text: String?, size: Int) -> ListPage {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard let value = Int(trimmed) else {
            // Digits too many for an Int are a very large page, not page 1.
            let digits = !trimmed.isEmpty && trimmed.allSatisfy(\.isASCIIDigit)
            return ListPage(number: digits ? maxNumber : 1, size: size)
        }
        return ListPage(number: value, size: size)
    }

    /// A page and size as an API client sent them: out of range is an error naming the field.
    public static func strict(number: Int?, size: Int?, defaultSize: Int) throws(ValidationFailure) -> ListPage {
        var checks = FieldChecks()
        let number = number ?? 1
        let size = size ?? defaultSize
        checks.check((1...maxNumber).contains(number), "page", "must be from 1 to \(maxNumber)")
        checks.check((1...maxSize).contains(size), "per", "must be from 1 to \(maxSize)")
        try checks.finish()
        return ListPage(number: number, size: size)
    }

    public var offset: Int { (number - 1) * size }
    public var range: Range<Int> { offset..<(offset + size) }

    /// How many pages `total` items fill (at least one, never more than the bound).
    public func pages(total: Int) -> Int {
        let total = max(total, 0)
        return min(max(1, total / size + (total % size == 0 ? 0 : 1)), Self.maxNumber)
    }

    public func slice<T>(_ items: [T]) -> [T] {
        Array(items.dropFirst(offset).prefix(size))
    }
}

extension Character {
    /// 0 to 9 only (`isNumber` also takes other scripts' digits and fractions).
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
