import Testing
import YAML

@Suite struct GoFloatTests {
    struct Case: Sendable, CustomStringConvertible {
        let value: Double
        let expected: String
        var description: String { "\(value) → \(expected)" }
        init(_ value: Double, _ expected: String) {
            self.value = value
            self.expected = expected
        }
    }

    static let fCases: [Case] = [
        Case(1.5, "1.5"), Case(2.0, "2"), Case(1e30, "1000000000000000000000000000000"),
        Case(1.2345678901234567e19, "12345678901234567000"), Case(1e-7, "0.0000001"),
        Case(1e21, "1000000000000000000000"), Case(.infinity, "+Inf"), Case(-.infinity, "-Inf"),
        Case(.nan, "NaN"), Case(-0.0, "-0"), Case(0, "0"), Case(0.1, "0.1"), Case(123456789, "123456789"),
        Case(-7.25, "-7.25"), Case(1e23, "100000000000000000000000"), Case(0.3, "0.3"),
        Case(100, "100"), Case(3.0e-5, "0.00003"),
        Case(1.7976931348623157e308, "17976931348623157" + String(repeating: "0", count: 292)),
        Case(.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
    ]

    @Test(arguments: fCases) func formatF(_ c: Case) {
        #expect(GoFloat.formatF(c.value) == c.expected)
    }

    static let gCases: [Case] = [
        Case(1e21, "1e+21"), Case(1e20, "1e+20"), Case(123456789, "1.23456789e+08"), Case(1.5, "1.5"),
        Case(100000, "100000"), Case(1e6, "1e+06"), Case(0.0001, "0.0001"), Case(0.00001, "1e-05"),
        Case(0, "0"), Case(-0.0, "-0"), Case(1e-7, "1e-07"), Case(1e30, "1e+30"), Case(2.0, "2"), Case(0.1, "0.1"),
        Case(123456, "123456"), Case(1234567, "1.234567e+06"), Case(1e100, "1e+100"), Case(.leastNonzeroMagnitude, "5e-324"),
        Case(1.7976931348623157e308, "1.7976931348623157e+308"), Case(0.000123, "0.000123"),
        Case(-2.5e-5, "-2.5e-05"), Case(.infinity, "+Inf"), Case(-.infinity, "-Inf"), Case(.nan, "NaN"),
        Case(999999, "999999"), Case(1.2345678901234568e+29, "1.2345678901234568e+29"),
        Case(0.1 + 0.2, "0.30000000000000004"),
    ]

    @Test(arguments: gCases) func formatG(_ c: Case) {
        #expect(GoFloat.formatG(c.value) == c.expected)
        #expect(GoFloat.formatV(c.value) == c.expected)
    }

    static let upperGCases: [Case] = [
        Case(1e21, "1E+21"), Case(1e-7, "1E-07"), Case(1.5, "1.5"), Case(2, "2"), Case(1e6, "1E+06"),
    ]

    @Test(arguments: upperGCases) func formatUpperG(_ c: Case) {
        #expect(GoFloat.formatUpperG(c.value) == c.expected)
    }

    static let sopsEnvCases: [Case] = [
        Case(1.5, "1.5"), Case(2.0, "2.0"), Case(1e21, "1E+21"), Case(1e-7, "1E-07"), Case(100000, "100000.0"),
        Case(-3, "-3.0"), Case(0, "0.0"), Case(.infinity, "+Inf"),
    ]

    @Test(arguments: sopsEnvCases) func formatSopsEnv(_ c: Case) {
        #expect(GoFloat.formatSopsEnv(c.value) == c.expected)
    }

    static let jsonCases: [Case] = [
        Case(1e21, "1e+21"), Case(1e-7, "1e-7"), Case(1e20, "100000000000000000000"), Case(0.000001, "0.000001"),
        Case(2.0, "2"), Case(1.5e-10, "1.5e-10"), Case(1e-100, "1e-100"), Case(1.5e300, "1.5e+300"),
        Case(-0.0, "-0"), Case(8080, "8080"), Case(0.1, "0.1"), Case(-1.25e-7, "-1.25e-7"),
        Case(1.25e21, "1.25e+21"), Case(1.5e-7, "1.5e-7"),
    ]

    @Test(arguments: jsonCases) func formatJSON(_ c: Case) {
        #expect(GoFloat.formatJSON(c.value) == c.expected)
    }

    @Test func jsonRejectsNonFinite() {
        #expect(GoFloat.formatJSON(.nan) == nil)
        #expect(GoFloat.formatJSON(.infinity) == nil)
    }

    @Test func exponentForm() {
        #expect(GoFloat.formatE(1.5) == "1.5e+00")
        #expect(GoFloat.formatE(0) == "0e+00")
        #expect(GoFloat.formatE(1e-300) == "1e-300")
        #expect(GoFloat.formatE(123.456) == "1.23456e+02")
    }

    @Test func yamlForm() {
        #expect(GoFloat.formatYAML(.infinity) == ".inf")
        #expect(GoFloat.formatYAML(-.infinity) == "-.inf")
        #expect(GoFloat.formatYAML(.nan) == ".nan")
        #expect(GoFloat.formatYAML(1e30) == "1e+30")
        #expect(GoFloat.formatYAML(2) == "2")
    }

    struct FixedCase: Sendable, CustomStringConvertible {
        let value: Double
        let fmt: Character
        let precision: Int
        let expected: String
        var description: String { "\(value) %.\(precision)\(fmt) → \(expected)" }
        init(_ value: Double, _ fmt: Character, _ precision: Int, _ expected: String) {
            self.value = value
            self.fmt = fmt
            self.precision = precision
            self.expected = expected
        }
    }

    static let fixedCases: [FixedCase] = [
        FixedCase(3.14159, "f", 2, "3.14"), FixedCase(2.5, "f", 0, "2"), FixedCase(1.5, "f", 0, "2"),
        FixedCase(0.5, "f", 0, "0"), FixedCase(1.005, "f", 2, "1.00"), FixedCase(0.009, "f", 2, "0.01"),
        FixedCase(0.0009, "f", 2, "0.00"), FixedCase(1234.5678, "e", 2, "1.23e+03"),
        FixedCase(0.000012345, "g", 3, "1.23e-05"), FixedCase(123456, "g", 3, "1.23e+05"),
        FixedCase(100, "g", 6, "100"), FixedCase(1.0, "e", 3, "1.000e+00"),
        FixedCase(0.1, "f", 20, "0.10000000000000000555"), FixedCase(1e23, "f", 0, "99999999999999991611392"),
        FixedCase(9.99, "f", 1, "10.0"), FixedCase(0, "f", 3, "0.000"), FixedCase(1e6, "g", 0, "1e+06"),
        FixedCase(99.5, "g", 2, "1e+02"), FixedCase(1234.5678, "E", 2, "1.23E+03"), FixedCase(0.000012345, "G", 3, "1.23E-05"), FixedCase(-1.25, "f", 1, "-1.2"), FixedCase(.leastNonzeroMagnitude, "e", 3, "4.941e-324"),
    ]

    @Test(arguments: fixedCases) func fixedPrecision(_ c: FixedCase) {
        #expect(GoFloat.format(c.value, c.fmt, precision: c.precision) == c.expected)
    }
}
