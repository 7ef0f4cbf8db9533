public import Core

/// Shamir secret sharing over GF(2^8) with the AES polynomial x^8+x^4+x^3+x+1 (0x11B), laid out as sops does:
/// a share is the y-bytes of every secret byte followed by one x byte (group index + 1).
public enum Shamir {
    static func mul(_ a: UInt8, _ b: UInt8) -> UInt8 {
        var a = a, b = b, p: UInt8 = 0
        // Constant-time over the 8 bits: no early exit on zero operands.
        for _ in 0..<8 {
            p ^= a & (0 &- (b & 1))
            let hi = a >> 7
            a = (a << 1) ^ (0x1B & (0 &- hi))
            b >>= 1
        }
        return p
    }

    static func inverse(_ a: UInt8) -> UInt8 {
        // a^254 = a^-1 in GF(2^8).
        var result: UInt8 = 1
        var base = a
        var e = 254
        while e > 0 {
            if e & 1 == 1 { result = mul(result, base) }
            base = mul(base, base)
            e >>= 1
        }
        return result
    }

    /// Splits `secret` into `parts` shares, any `threshold` of which recombine it.
    public static func split(_ secret: SecretBytes, parts: Int, threshold: Int) throws(CloakError) -> [SecretBytes] {
        guard threshold >= 2 else { throw CloakError(.config, "shamir threshold must be at least 2") }
        guard parts >= threshold, parts < 256 else {
            throw CloakError(.config, "shamir: cannot split into \(parts) parts with threshold \(threshold)")
        }
        let n = secret.count
        let coefficients = SecretBytes.random(count: n * (threshold - 1))
        var shares: [SecretBytes] = []
        for part in 0..<parts {
            let x = UInt8(part + 1)
            let share = SecretBytes(count: n + 1) { out in
                secret.withUnsafeBytes { s in
                    coefficients.withUnsafeBytes { c in
                        for i in 0..<n {
                            // Horner from the highest coefficient down to the intercept.
                            var y: UInt8 = 0
                            var d = threshold - 1
                            while d >= 1 {
                                y = mul(y, x) ^ c[i * (threshold - 1) + d - 1]
                                d -= 1
                            }
                            out[i] = mul(y, x) ^ s[i]
                        }
                    }
                }
                out[n] = x
            }
            shares.append(share)
        }
        return shares
    }

    /// Recombines shares (each y-bytes + x byte) by Lagrange interpolation at 0.
    public static func combine(_ shares: [SecretBytes]) throws(CloakError) -> SecretBytes {
        guard shares.count >= 2 else { throw CloakError(.decrypt, "shamir: fewer than two parts to combine") }
        let len = shares[0].count
        guard len >= 2, shares.allSatisfy({ $0.count == len }) else {
            throw CloakError(.decrypt, "shamir: parts have different lengths")
        }
        let xs = shares.map { s in s.withUnsafeBytes { $0[len - 1] } }
        guard Set(xs).count == xs.count else { throw CloakError(.decrypt, "shamir: duplicate part") }
        return SecretBytes(count: len - 1) { out in
            for i in 0..<(len - 1) { out[i] = 0 }
            for (j, share) in shares.enumerated() {
                // basis_j(0) = prod_{m != j} x_m / (x_m - x_j); subtraction is XOR.
                var basis: UInt8 = 1
                for (m, xm) in xs.enumerated() where m != j {
                    basis = mul(basis, mul(xm, inverse(xm ^ xs[j])))
                }
                share.withUnsafeBytes { s in
                    for i in 0..<(len - 1) { out[i] ^= mul(s[i], basis) }
                }
            }
        }
    }
}
