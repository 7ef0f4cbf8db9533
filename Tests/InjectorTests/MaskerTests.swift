import Core
import Testing

@testable import Injector

/// Reference: every occurrence of every pattern is an interval; overlapping intervals merge; each merged run
/// becomes one replacement.
private func referenceMask(_ text: [UInt8], _ patterns: [[UInt8]], _ replacement: [UInt8]) -> [UInt8] {
    var intervals: [(Int, Int)] = []
    for p in patterns where !p.isEmpty && p.count <= text.count {
        for s in 0...(text.count - p.count) where Array(text[s..<(s + p.count)]) == p {
            intervals.append((s, s + p.count))
        }
    }
    intervals.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }
    var merged: [(Int, Int)] = []
    for iv in intervals {
        if let last = merged.last, iv.0 < last.1 {
            merged[merged.count - 1].1 = max(last.1, iv.1)
        } else {
            merged.append(iv)
        }
    }
    var out: [UInt8] = []
    var at = 0
    for (s, e) in merged {
        out += text[at..<s]
        out += replacement
        at = e
    }
    out += text[at...]
    return out
}

private func maskInChunks(_ set: MaskSet, _ text: [UInt8], sizes: [Int]) -> (output: [UInt8], maxCarry: Int) {
    let masker = set.makeMasker()
    var out: [UInt8] = []
    var at = 0
    var k = 0
    var maxCarry = 0
    while at < text.count {
        let n = min(max(1, sizes[k % sizes.count]), text.count - at)
        masker.process(Array(text[at..<(at + n)]), into: &out)
        maxCarry = max(maxCarry, masker.pendingCount)
        at += n
        k += 1
    }
    masker.flush(into: &out)
    return (out, maxCarry)
}

private func s(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct MaskerTests {
    let m = s(MaskSet.defaultReplacement)

    @Test func replacesAValueInOneChunk() {
        let set = MaskSet(secrets: [secret("hunter2")], derivedForms: false)
        #expect(set.mask(s("pw=hunter2;")) == s("pw=<MASKED>;"))
    }

    @Test func patternSplitAtEveryBoundaryIsMasked() {
        let set = MaskSet(secrets: [secret("s3cr3t-value"), secret("other")], derivedForms: false)
        let text = s("a s3cr3t-value b other c s3cr3t-value")
        let expected = s("a <MASKED> b <MASKED> c <MASKED>")
        #expect(maskInChunks(set, text, sizes: [1]).output == expected)
        for cut in 0...text.count {
            #expect(maskInChunks(set, text, sizes: [cut, text.count]).output == expected, "cut at \(cut)")
        }
    }

    @Test func randomChunkingsMatchTheReference() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = s("abcab")
        for round in 0..<300 {
            let patterns = (0..<Int.random(in: 1...6, using: &rng)).map { _ in
                (0..<Int.random(in: 2...5, using: &rng)).map { _ in
                    alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
                }
            }
            let text = (0..<Int.random(in: 0...80, using: &rng)).map { _ in
                alphabet[Int.random(in: 0..<alphabet.count, using: &rng)]
            }
            let set = MaskSet(
                secrets: patterns.map { p in
                    var c = p
                    return SecretBytes(consuming: &c)
                },
                derivedForms: false
            )
            let expected = referenceMask(text, patterns, m)
            let sizes = (0..<8).map { _ in Int.random(in: 1...9, using: &rng) }
            let result = maskInChunks(set, text, sizes: sizes)
            #expect(result.output == expected, "round \(round)")
            #expect(result.maxCarry <= set.longestPattern - 1 + 0, "round \(round)")
            #expect(maskInChunks(set, text, sizes: [1]).output == expected, "round \(round) byte by byte")
        }
    }

    @Test func randomChunkingsOfLogTextWithManySecrets() {
        var rng = SystemRandomNumberGenerator()
        let letters = s("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \n=:")
        let patterns = (0..<40).map { _ in
            (0..<Int.random(in: 3...12, using: &rng)).map { _ in letters[Int.random(in: 0..<62, using: &rng)] }
        }
        let set = MaskSet(
            secrets: patterns.map { p in
                var c = p
                return SecretBytes(consuming: &c)
            },
            derivedForms: false
        )
        var text: [UInt8] = []
        while text.count < 20000 {
            if Int.random(in: 0..<20, using: &rng) == 0 {
                text += patterns[Int.random(in: 0..<patterns.count, using: &rng)]
            }
            text.append(letters[Int.random(in: 0..<letters.count, using: &rng)])
        }
        let expected = referenceMask(text, patterns, m)
        for _ in 0..<5 {
            let sizes = (0..<16).map { _ in Int.random(in: 1...700, using: &rng) }
            #expect(maskInChunks(set, text, sizes: sizes).output == expected)
        }
    }

    @Test func overlappingSecretsBecomeOneReplacement() {
        let set = MaskSet(secrets: [secret("abcdef"), secret("defxyz")], derivedForms: false)
        #expect(set.mask(s("1 abcdefxyz 2")) == s("1 <MASKED> 2"))
        // Nested: the longer one wins, and a secret inside a longer secret leaves nothing behind.
        let nested = MaskSet(secrets: [secret("bcd"), secret("abcde")], derivedForms: false)
        #expect(nested.mask(s("xabcdex bcd")) == s("x<MASKED>x <MASKED>"))
        // Adjacent, not overlapping: two replacements.
        #expect(set.mask(s("abcdefabcdef")) == s("<MASKED><MASKED>"))
    }

    @Test func derivedFormsAreMasked() {
        let value = "p@ss w/rd+\"\\<x>?"
        let set = MaskSet(secrets: [secret(value)])
        let forms = [
            "cEBzcyB3L3JkKyJcPHg+Pw==",  // base64 std
            "cEBzcyB3L3JkKyJcPHg-Pw==",  // base64 url
            "cEBzcyB3L3JkKyJcPHg+Pw",  // std, unpadded
            "cEBzcyB3L3JkKyJcPHg-Pw",  // url, unpadded
            "p%40ss+w%2Frd%2B%22%5C%3Cx%3E%3F",  // query escaped
            "p@ss w/rd+\\\"\\\\<x>?",  // JSON inner
            "p@ss w/rd+\\\"\\\\\\u003cx\\u003e?",  // JSON inner, HTML-escaped (Go's default)
        ]
        for form in forms {
            #expect(set.mask(s("[\(form)]")) == s("[<MASKED>]"), "form \(form)")
        }
        #expect(set.mask(s("[\(value)]")) == s("[<MASKED>]"))
    }

    @Test func noDerivedFormsWhenDisabled() {
        let set = MaskSet(secrets: [secret("hunter2")], derivedForms: false)
        #expect(set.mask(s("aHVudGVyMg==")) == s("aHVudGVyMg=="))
    }

    @Test func promptWithoutNewlineIsReleasedAtOnce() {
        let set = MaskSet(secrets: [secret("s3cr3t")], derivedForms: false)
        let masker = set.makeMasker()
        var out: [UInt8] = []
        masker.process(s("Password: "), into: &out)
        #expect(out == s("Password: "))
        #expect(masker.pendingCount == 0)
    }

    @Test func partialMatchIsHeldThenReleasedOnIdleAndTheRestStillMasked() {
        let set = MaskSet(secrets: [secret("s3cr3t")], derivedForms: false)
        let masker = set.makeMasker()
        var out: [UInt8] = []
        masker.process(s("Enter s3c"), into: &out)
        #expect(out == s("Enter "))
        #expect(masker.pendingCount == 3)
        masker.flush(into: &out)
        #expect(out == s("Enter s3c"))
        masker.process(s("r3t done"), into: &out)
        masker.flush(into: &out)
        #expect(out == s("Enter s3c<MASKED> done"))
    }

    @Test func minimumLengthSkipsShortValuesButDefaultKeepsThem() {
        let short = secret("123")
        #expect(MaskSet(secrets: [short], derivedForms: false).mask(s("a123b")) == s("a<MASKED>b"))
        #expect(MaskSet(secrets: [short], derivedForms: false, minimumLength: 4).mask(s("a123b")) == s("a123b"))
        #expect(MaskSet(secrets: [secret("")]).isEmpty)
    }

    @Test func singleByteSecretIsMasked() {
        let set = MaskSet(secrets: [secret("x"), secret("abc")], derivedForms: false)
        #expect(maskInChunks(set, s("axbabcx"), sizes: [2]).output == s("a<MASKED>b<MASKED><MASKED>"))
    }

    @Test func literalsAndCustomReplacement() {
        let set = MaskSet(secrets: [], literals: ["token-abc"], replacement: "***")
        #expect(set.mask(s("t=token-abc")) == s("t=***"))
    }

    @Test func binaryValuesAndHighBytes() {
        var raw: [UInt8] = [0xff, 0x00, 0xfe, 0x80]
        let set = MaskSet(secrets: [SecretBytes(consuming: &raw)], derivedForms: false)
        #expect(maskInChunks(set, [1, 0xff, 0x00, 0xfe, 0x80, 2], sizes: [1]).output == [1] + m + [2])
    }
}
