import Core
import Synchronization

@testable import Stores

/// A transport that answers from a script and records what it was sent.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    typealias Reply = @Sendable (HTTPRequest) -> Result<HTTPResponse, TransportFailure>
    private let replies: Mutex<[Reply]>
    private let fallback: Reply
    let sent = Mutex<[HTTPRequest]>([])

    init(_ replies: [Reply] = [], fallback: @escaping Reply = { _ in .success(HTTPResponse(status: 200, text: "{}")) }) {
        self.replies = Mutex(replies)
        self.fallback = fallback
    }

    func perform(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        sent.withLock { $0.append(request) }
        let next = replies.withLock { r in r.isEmpty ? nil : r.removeFirst() }
        return (next ?? fallback)(request)
    }

    var count: Int { sent.withLock { $0.count } }

    /// The body of request `i` as text (test data only).
    func body(_ i: Int) -> String {
        sent.withLock { $0[i].body?.unsafeString() ?? "" }
    }

    static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Reply {
        { _ in .success(HTTPResponse(status: status, headers: headers, text: text)) }
    }

    static func fail(_ f: TransportFailure) -> Reply { { _ in .failure(f) } }
}

/// A clock that records sleeps instead of sleeping.
final class FakeClock: RetryClock, @unchecked Sendable {
    let sleeps = Mutex<[Double]>([])
    let draw: Double
    init(draw: Double = 0.5) { self.draw = draw }
    func sleep(seconds: Double) { sleeps.withLock { $0.append(seconds) } }
    func unit() -> Double { draw }
    var all: [Double] { sleeps.withLock { $0 } }
}

/// An environment that can reach nothing: instance metadata off, no files, fixed keys.
func testEnvironment(_ extra: [String: String] = [:]) -> Environment {
    var values: [String: String] = [
        "HOME": "/nonexistent-cloak-home", "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test-secret",
        "AWS_CONFIG_FILE": "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        "PATH": "/usr/bin:/bin",
    ]
    for (k, v) in extra { values[k] = v }
    return Environment(values)
}

/// A context over a scripted transport and a fake clock.
func testContext(_ transport: ScriptedTransport, env: [String: String] = [:], clock: FakeClock = FakeClock()) -> AWSContext {
    AWSContext(
        environment: testEnvironment(env), http: HTTPClient(transport: transport, policy: RetryPolicy(), clock: clock),
        now: { 1_700_000_000 })
}
