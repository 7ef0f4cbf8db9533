/// A finite double as decimal digits: value = 0.d₁d₂…dₙ × 10^`point` (Go's `decimalSlice` shape).
///
/// `digits` holds ASCII digits without leading or trailing zeros; zero has no digits and `point` 0.
struct DecimalDigits {
    var digits: [UInt8]
    var point: Int

    /// Shortest digits that read back as `value` (taken from Swift's round-trip `description`).
    static func shortest(_ value: Double) -> DecimalDigits {
        let text = value.magnitude.description
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var intDigits = 0
        var seenPoint = false
        var exponent = 0
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var negative = false
                while let e = iterator.next() {
                    if e == UInt8(ascii: "-") { negative = true } else if e != UInt8(ascii: "+") {
                        exponent = exponent * 10 + Int(e - UInt8(ascii: "0"))
                    }
                }
                if negative { exponent = -exponent }
            } else {
                digits.append(byte)
                if !seenPoint { intDigits += 1 }
            }
        }
        return DecimalDigits(rawDigits: digits, point: intDigits + exponent)
    }

    /// The exact binary value of `value`, every digit (up to ~770 of them).
    static func exact(_ value: Double) -> DecimalDigits {
        let magnitude = value.magnitude
        if magnitude == 0 { return DecimalDigits(digits: [], point: 0) }
        var mantissa = magnitude.significandBitPattern
        var exponent = Int(magnitude.exponentBitPattern)
        if exponent == 0 {
            exponent = 1  // subnormal
        } else {
            mantissa |= 1 << 52
        }
        exponent -= 1075  // value = mantissa × 2^exponent
        var big = BigUInt(mantissa)
        if exponent >= 0 {
            big.shiftLeft(exponent)
            let digits = big.decimalDigits()
            return DecimalDigits(rawDigits: digits, point: digits.count)
        }
        // mantissa / 2^k = mantissa × 5^k / 10^k
        let k = -exponent
        var remaining = k
        while remaining >= 13 {
            big.multiply(by: 1_220_703_125)  // 5^13
            remaining -= 13
        }
        var tail: UInt32 = 1
        for _ in 0..<remaining { tail *= 5 }
        big.multiply(by: tail)
        let digits = big.decimalDigits()
        return DecimalDigits(rawDigits: digits, point: digits.count - k)
    }

    init(digits: [UInt8], point: Int) {
        self.digits = digits
        self.point = point
    }

    /// Normalises: drops leading zeros (moving the point) and trailing zeros.
    init(rawDigits: [UInt8], point: Int) {
        var start = 0
        var point = point
        while start < rawDigits.count && rawDigits[start] == UInt8(ascii: "0") {
            start += 1
            point -= 1
        }
        var end = rawDigits.count
        while end > start && rawDigits[end - 1] == UInt8(ascii: "0") { end -= 1 }
        if start == end {
            self.init(digits: [], point: 0)
        } else {
            self.init(digits: Array(rawDigits[start..<end]), point: point)
        }
    }

    var count: Int { digits.count }

    /// Rounds to `n` significant digits, halves to even (the digits are exact, so a lone trailing 5 is a true tie).
    mutating func round(toCount n: Int) {
        if n < 0 || n >= digits.count { return }
        let next = digits[n]
        let roundUp: Bool
        if next == UInt8(ascii: "5") && n + 1 == digits.count {
            roundUp = n > 0 && (digits[n - 1] - UInt8(ascii: "0")) % 2 == 1
        } else {
            roundUp = next >= UInt8(ascii: "5")
        }
        if roundUp {
            var i = n - 1
            while i >= 0 && digits[i] == UInt8(ascii: "9") { i -= 1 }
            if i < 0 {
                digits = [UInt8(ascii: "1")]
                point += 1
            } else {
                digits[i] += 1
                digits.removeSubrange((i + 1)...)
            }
        } else {
            digits.removeSubrange(n...)
            while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
            if digits.isEmpty { point = 0 }
        }
    }
}

/// Just enough unsigned big-integer arithmetic to expand a double exactly.
private struct BigUInt {
    /// Little-endian 32-bit limbs.
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        limbs.reserveCapacity(90)
        trim()
    }

    mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func shiftLeft(_ bits: Int) {
        let words = bits / 32
        let shift = UInt32(bits % 32)
        if shift > 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let v = limbs[i]
                limbs[i] = (v << shift) | carry
                carry = v >> (32 - shift)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if words > 0 { limbs.insert(contentsOf: repeatElement(0, count: words), at: 0) }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    /// Divides in place by `divisor`, returning the remainder.
    mutating func divide(by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for i in limbs.indices.reversed() {
            let current = (remainder << 32) | UInt64(limbs[i])
            limbs[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        trim()
        return UInt32(remainder)
    }

    /// Decimal digits, most significant first, as ASCII.
    func decimalDigits() -> [UInt8] {
        var copy = self
        var chunks: [UInt32] = []
        while !copy.limbs.isEmpty { chunks.append(copy.divide(by: 1_000_000_000)) }
        var out: [UInt8] = []
        out.reserveCapacity(chunks.count * 9)
        for (index, chunk) in chunks.reversed().enumerated() {
            var piece: [UInt8] = []
            var value = chunk
            repeat {
                piece.append(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            } while value > 0
            if index > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - piece.count)) }
            out.append(contentsOf: piece.reversed())
        }
        return out
    }
}
