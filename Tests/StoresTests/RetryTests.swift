import Core
import Testing
import Synchronization

@testable import Stores

@Suite struct RetryTests {
    @Test func backoffIsCappedExponentialWithFullJitter() {
        let p = RetryPolicy(maxAttempts: 5, baseDelay: 0.2, maxDelay: 1)
        #expect(p.delay(retry: 0, retryAfter: nil, unit: 1) == 0.2)
        #expect(p.delay(retry: 1, retryAfter: nil, unit: 1) == 0.4)
        #expect(p.delay(retry: 2, retryAfter: nil, unit: 0.5) == 0.4)
        #expect(p.delay(retry: 10, retryAfter: nil, unit: 1) == 1)
        #expect(p.delay(retry: 3, retryAfter: nil, unit: 0) == 0)
        #expect(p.delay(retry: 0, retryAfter: 3, unit: 0.1) == 3)
        #expect(p.delay(retry: 0, retryAfter: 99, unit: 0.1) == 20)
        #expect(RetryPolicy.retryAfterSeconds(" 2 ") == 2)
        #expect(RetryPolicy.retryAfterSeconds("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
    }

    @Test func throttlingIsRetriedUntilSuccessHonouringRetryAfter() throws {
        let throttle = ScriptedTransport.json(
            400, #"{"__type":"ThrottlingException","message":"slow down"}"#, headers: ["retry-after": "1"])
        let t = ScriptedTransport([throttle, throttle, ScriptedTransport.json(200, #"{"ok":true}"#)])
        let clock = FakeClock(draw: 0.5)
        let client = HTTPClient(transport: t, policy: RetryPolicy(maxAttempts: 3), clock: clock)
        let r = try client.send(
            "test Op", build: { (_: Int) throws(CloakError) -> HTTPRequest in HTTPRequest(method: "POST", url: "http://127.0.0.1:1/") },
            retryable: AWSErrorCode.isRetryable)
        #expect(r.status == 200)
        #expect(r.attempts == 3)
        #expect(t.count == 3)
        #expect(clock.all == [1, 1])
    }

    @Test func attemptsAreBoundedAndTheLastResponseReturned() throws {
        let t = ScriptedTransport(fallback: ScriptedTransport.json(500, #"{"__type":"InternalServerError"}"#))
        let clock = FakeClock(draw: 1)
        let client = HTTPClient(transport: t, policy: RetryPolicy(maxAttempts: 4, baseDelay: 0.1, maxDelay: 0.3), clock: clock)
        let r = try client.send("x", build: { (_: Int) throws(CloakError) -> HTTPRequest in HTTPRequest(method: "GET", url: "http://h/") })
        #expect(r.status == 500)
        #expect(t.count == 4)
        #expect(clock.all == [0.1, 0.2, 0.3])
    }

    @Test func clientErrorsAreNotRetried() throws {
        let t = ScriptedTransport(fallback: ScriptedTransport.json(400, #"{"__type":"ParameterNotFound"}"#))
        let client = HTTPClient(transport: t, policy: RetryPolicy(), clock: FakeClock())
        let r = try client.send(
            "x", build: { (_: Int) throws(CloakError) -> HTTPRequest in HTTPRequest(method: "GET", url: "http://h/") },
            retryable: AWSErrorCode.isRetryable)
        #expect(r.status == 400)
        #expect(t.count == 1)
    }

    @Test func transportFailuresRetryThenGiveOneLineError() {
        let t = ScriptedTransport(fallback: ScriptedTransport.fail(.timeout))
        let client = HTTPClient(transport: t, policy: RetryPolicy(maxAttempts: 3), clock: FakeClock())
        #expect {
            _ = try client.send(
                "ssm GetParameters", build: { (_: Int) throws(CloakError) -> HTTPRequest in
                    HTTPRequest(method: "POST", url: "https://user:pw@ssm.example:8443/path?q=secret")
                })
        } throws: { e in
            let m = (e as? CloakError)?.message ?? ""
            return m == "ssm GetParameters: request timed out after 3 attempts (https://ssm.example:8443)"
        }
        #expect(t.count == 3)
    }

    @Test func oversizeBodiesAreNotRetried() {
        let t = ScriptedTransport(fallback: ScriptedTransport.fail(.tooLarge(limit: 10 * 1024 * 1024)))
        let client = HTTPClient(transport: t, policy: RetryPolicy(maxAttempts: 3), clock: FakeClock())
        #expect(throws: CloakError.self) {
            _ = try client.send("x", build: { (_: Int) throws(CloakError) -> HTTPRequest in HTTPRequest(method: "GET", url: "http://h/") })
        }
        #expect(t.count == 1)
    }

    @Test func errorCodesComeFromHeaderJSONOrXML() {
        #expect(AWSErrorCode.of(HTTPResponse(status: 400, headers: ["x-amzn-errortype": "ThrottlingException:http://x/"], text: "")) == "ThrottlingException")
        #expect(AWSErrorCode.of(HTTPResponse(status: 400, text: #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"s3cr3t"}"#)) == "ParameterNotFound")
        #expect(AWSErrorCode.of(HTTPResponse(status: 403, text: "<ErrorResponse><Error><Code>InvalidClientTokenId</Code></Error></ErrorResponse>")) == "InvalidClientTokenId")
        #expect(AWSErrorCode.of(HTTPResponse(status: 502, text: "<html>bad gateway</html>")) == nil)
    }

    @Test func blockingThreadsRunEveryIndexOnce() {
        let seen = Mutex<[Int]>([])
        BlockingThreads.forEach(count: 37, width: 4) { i in seen.withLock { $0.append(i) } }
        #expect(seen.withLock { $0.sorted() } == Array(0..<37))
    }
}
