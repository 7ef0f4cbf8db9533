/// go-yaml v3's timestamp recognition: Go `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00` (also with `t`), `2006-1-2 15:4:5.999999999` and `2006-1-2`,
/// printed back as Go's `time.MarshalText` does (RFC 3339, fraction only when non-zero).
enum GoTimestamp {
    /// The normalised RFC 3339 text, or `nil` when go-yaml would not read `text` as a timestamp.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> String? {
        // go-yaml's quick check: every accepted form starts with four digits and a dash.
        guard text.count > 4, text[4] == UInt8(ascii: "-"), text[0..<4].allSatisfy(isDigit) else { return nil }
        for layout in [Layout.dateTime, .spaced, .dateOnly] {
            var parser = Parser(text: text)
            if let result = parser.parse(layout) { return result }
        }
        return nil
    }

    private enum Layout {
        case dateTime, spaced, dateOnly
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private struct Parser {
        let text: UnsafeBufferPointer<UInt8>
        var i = 0

        init(text: UnsafeBufferPointer<UInt8>) { self.text = text }

        private func peek(_ offset: Int = 0) -> UInt8? { i + offset < text.count ? text[i + offset] : nil }

        /// Go's `getnum(s, false)`: one digit, or two when the second is a digit too.
        private mutating func number() -> Int? {
            guard let first = peek(), isDigit(first) else { return nil }
            i += 1
            var value = Int(first - 48)
            if let second = peek(), isDigit(second) {
                i += 1
                value = value * 10 + Int(second - 48)
            }
            return value
        }

        private mutating func literal(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            i += 1
            return true
        }

        private mutating func fixedTwoDigits() -> Int? {
            guard let a = peek(), let b = peek(1), isDigit(a), isDigit(b) else { return nil }
            i += 2
            return Int(a - 48) * 10 + Int(b - 48)
        }

        mutating func parse(_ layout: Layout) -> String? {
            let year = text[0..<4].reduce(0) { $0 * 10 + Int($1 - 48) }
            i = 4
            guard literal(UInt8(ascii: "-")), let month = number(), literal(UInt8(ascii: "-")), let day = number()
            else { return nil }
            guard month >= 1 && month <= 12, day >= 1 && day <= daysIn(month, year) else { return nil }
            var hour = 0
            var minute = 0
            var second = 0
            var nanos = 0
            var offsetMinutes: Int?  // nil: UTC
            switch layout {
            case .dateOnly:
                break
            case .dateTime, .spaced:
                if layout == .dateTime {
                    guard literal(UInt8(ascii: "T")) || literal(UInt8(ascii: "t")) else { return nil }
                } else {
                    // A space in a Go layout matches one or more spaces.
                    guard literal(UInt8(ascii: " ")) else { return nil }
                    while literal(UInt8(ascii: " ")) {}
                }
                guard let h = number(), literal(UInt8(ascii: ":")), let m = number(), literal(UInt8(ascii: ":")),
                    let s = number(), h < 24, m < 60, s < 60
                else { return nil }
                hour = h
                minute = m
                second = s
                if let mark = peek(), mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","),
                    let digit = peek(1), isDigit(digit)
                {
                    i += 1
                    var count = 0
                    while let d = peek(), isDigit(d) {
                        if count < 9 {
                            nanos = nanos * 10 + Int(d - 48)
                            count += 1
                        }
                        i += 1
                    }
                    for _ in count..<9 { nanos *= 10 }
                }
                if layout == .dateTime {
                    if literal(UInt8(ascii: "Z")) {
                        offsetMinutes = nil
                    } else {
                        guard let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
                            return nil
                        }
                        i += 1
                        guard let oh = fixedTwoDigits(), literal(UInt8(ascii: ":")), let om = fixedTwoDigits(),
                            oh <= 24, om <= 60
                        else { return nil }
                        let total = oh * 60 + om
                        offsetMinutes = sign == UInt8(ascii: "-") ? -total : total
                    }
                }
            }
            guard i == text.count else { return nil }
            return format(year, month, day, hour, minute, second, nanos, offsetMinutes)
        }
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func format(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ nanos: Int,
        _ offsetMinutes: Int?
    ) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(36)
        func pad(_ value: Int, _ width: Int) {
            var digits: [UInt8] = []
            var v = value
            for _ in 0..<width {
                digits.append(UInt8(48 + v % 10))
                v /= 10
            }
            out.append(contentsOf: digits.reversed())
        }
        pad(year, 4)
        out.append(UInt8(ascii: "-"))
        pad(month, 2)
        out.append(UInt8(ascii: "-"))
        pad(day, 2)
        out.append(UInt8(ascii: "T"))
        pad(hour, 2)
        out.append(UInt8(ascii: ":"))
        pad(minute, 2)
        out.append(UInt8(ascii: ":"))
        pad(second, 2)
        if nanos > 0 {
            out.append(UInt8(ascii: "."))
            var fraction = nanos
            var width = 9
            while fraction % 10 == 0 {
                fraction /= 10
                width -= 1
            }
            pad(fraction, width)
        }
        if let offset = offsetMinutes, offset != 0 {
            out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            pad(abs(offset) / 60, 2)
            out.append(UInt8(ascii: ":"))
            pad(abs(offset) % 60, 2)
        } else {
            out.append(UInt8(ascii: "Z"))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
