import Core
import Testing

@testable import Stores

/// AWS's published SigV4 test-suite vectors (transcribed into Fixtures/sigv4).
@Suite struct SigV4Tests {
    static let vectors = [
        "get-vanilla", "get-vanilla-query-order-key-case", "get-vanilla-query-unreserved", "get-vanilla-utf8-query",
        "get-vanilla-empty-query-key", "get-unreserved", "get-header-value-trim", "get-header-key-duplicate",
        "post-vanilla", "post-header-key-sort", "post-header-value-case", "post-x-www-form-urlencoded",
        "post-x-www-form-urlencoded-parameters", "post-sts-header-before",
    ]

    struct Vector {
        var input: SigV4.Input
        var expected: String
    }

    static func load(_ name: String) throws -> Vector {
        let text = try StoresFixtures.text("sigv4/\(name).sreq")
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        let requestLine = parts[0].split(separator: " ")
        let target = String(requestLine[1])
        let path: String
        let query: String
        if let q = target.firstIndex(of: "?") {
            path = String(target[..<q])
            query = String(target[target.index(after: q)...])
        } else {
            path = target
            query = ""
        }
        var headers: [(name: String, value: String)] = []
        var expected = ""
        var i = 1
        while i < parts.count, !parts[i].isEmpty {
            let line = parts[i]
            let colon = line.firstIndex(of: ":")!
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            if name == "Authorization" { expected = value.trimmingCharacters() } else { headers.append((name, value)) }
            i += 1
        }
        let body = parts[(i + 1)...].joined(separator: "\n")
        let hash = SHA256Hash.hex(SHA256Hash.digest(Array(body.utf8)))
        return Vector(
            input: SigV4.Input(method: String(requestLine[0]), path: path, query: query, headers: headers, payloadHash: hash),
            expected: expected)
    }

    @Test(arguments: vectors)
    func matchesPublishedVector(_ name: String) throws {
        let v = try Self.load(name)
        let auth = SigV4.authorization(
            v.input, accessKeyId: "AKIDEXAMPLE", secret: StoresFixtures.secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            amzDate: "20150830T123600Z", region: "us-east-1", service: "service")
        #expect(auth == v.expected)
    }

    @Test func canonicalRequestOfGetVanilla() throws {
        let v = try Self.load("get-vanilla")
        let (creq, signed) = SigV4.canonicalRequest(v.input)
        #expect(signed == "host;x-amz-date")
        #expect(
            creq == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func signerAddsDateTokenAndHost() {
        var request = HTTPRequest(
            method: "POST", url: "http://127.0.0.1:5000/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonSSM.GetParameter")],
            body: StoresFixtures.secret("{}"))
        let creds = AWSCredentials(
            accessKeyId: "AKID", secretAccessKey: StoresFixtures.secret("secret"),
            sessionToken: StoresFixtures.secret("tok"), source: "test")
        SigV4Signer(service: "ssm", region: "us-east-1").sign(&request, credentials: creds, now: 1_440_938_160)
        #expect(request.header("Host") == "127.0.0.1:5000")
        #expect(request.header("X-Amz-Date") == "20150830T123600Z")
        #expect(request.header("X-Amz-Security-Token") == "tok")
        let auth = request.header("Authorization") ?? ""
        #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ssm/aws4_request, "))
        #expect(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"))
    }

    @Test func amzDateRoundTrips() {
        #expect(AmzDate.basic(1_440_938_160) == "20150830T123600Z")
        #expect(AmzDate.parse("2015-08-30T12:36:00Z") == 1_440_938_160)
        #expect(AmzDate.parse("2015-08-30T14:36:00.123+02:00") == 1_440_938_160)
        #expect(AmzDate.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(AmzDate.parse("nope") == nil)
    }
}
