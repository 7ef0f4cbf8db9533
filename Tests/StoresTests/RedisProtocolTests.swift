import Core
import Testing

@testable import Stores

@Suite struct RedisProtocolTests {
    func parse(_ text: String) throws -> (RESPReply, Int)? {
        try Array(text.utf8).withUnsafeBytes { (b) throws(CloakError) in try RESPReply.parse(b) }
    }

    func text(_ s: SecretBytes?) -> String? { s.map { $0.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } } }

    @Test func urlWithUserPasswordPortAndDatabase() throws {
        let u = try RedisURL.parse("redis://ops:p%40ss@cache.internal:6380/3")
        #expect(u.host == "cache.internal")
        #expect(u.port == 6380)
        #expect(u.database == 3)
        #expect(u.user == "ops")
        #expect(text(u.password) == "p@ss")
        #expect(!u.tls)
        // What messages show never holds the credentials.
        #expect(u.shown == "redis://cache.internal:6380/3")
    }

    @Test func urlDefaultsPasswordOnlyIPv6TLSAndUnix() throws {
        let d = try RedisURL.parse("redis://")
        #expect(d.host == "localhost" && d.port == 6379 && d.database == 0 && d.password == nil)
        let p = try RedisURL.parse("redis://:only-pass@h")
        #expect(p.user == nil)
        #expect(text(p.password) == "only-pass")
        let bare = try RedisURL.parse("redis://word@h")
        #expect(bare.user == nil && text(bare.password) == "word")
        let v6 = try RedisURL.parse("rediss://[::1]:7000?db=2")
        #expect(v6.host == "::1" && v6.port == 7000 && v6.tls && v6.database == 2)
        #expect(v6.shown == "rediss://[::1]:7000/2")
        let unix = try RedisURL.parse("unix:///run/redis.sock?db=1&password=pw")
        #expect(unix.socketPath == "/run/redis.sock" && unix.database == 1 && text(unix.password) == "pw")
    }

    @Test func badURLsAreOneLineErrorsWithoutTheURL() {
        for bad in ["http://h", "redis://h:99999", "redis://h/x", "unix://relative.sock", "redis://:secretpw@h:0"] {
            do {
                _ = try RedisURL.parse(bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(!error.message.contains("secretpw"))
                #expect(!error.message.contains("\n"))
            }
        }
    }

    @Test func repliesOfEveryType() throws {
        guard case (.simple("OK"), 5)? = try parse("+OK\r\n") else { Issue.record("simple"); return }
        guard case (.error("WRONGPASS bad"), 16)? = try parse("-WRONGPASS bad\r\n") else { Issue.record("error"); return }
        guard case (.integer(-42), 6)? = try parse(":-42\r\n") else { Issue.record("integer"); return }
        guard case (.bulk(nil), 5)? = try parse("$-1\r\n") else { Issue.record("nil bulk"); return }
        guard case (.bulk(let v?), 11)? = try parse("$5\r\nhe\r\no\r\n") else { Issue.record("bulk"); return }
        #expect(text(v) == "he\r\no")
        guard case (.array(let items?), _)? = try parse("*3\r\n$1\r\na\r\n$-1\r\n$0\r\n\r\n") else {
            Issue.record("array")
            return
        }
        #expect(items.count == 3)
        guard case .bulk(let first?) = items[0], case .bulk(nil) = items[1], case .bulk(let empty?) = items[2] else {
            Issue.record("array items")
            return
        }
        #expect(text(first) == "a" && empty.count == 0)
    }

    @Test func incompleteRepliesWaitForMoreBytes() throws {
        let whole = "*2\r\n$5\r\nhello\r\n$3\r\nabc\r\n"
        for cut in 0..<whole.utf8.count {
            #expect(try parse(String(whole.utf8.prefix(cut))!) == nil, "cut at \(cut)")
        }
        #expect(try parse(whole)?.1 == whole.utf8.count)
    }

    @Test func malformedAndOversizeRepliesAreErrors() {
        for bad in ["?x\r\n", ":12a\r\n", "$-2\r\n", "$3\r\nabcd\r\n", "*-5\r\n", ":-\r\n", "$99999999999\r\n"] {
            #expect(throws: CloakError.self, "\(bad.debugDescription)") { _ = try parse(bad) }
        }
        let deep = String(repeating: "*1\r\n", count: 9) + ":1\r\n"
        #expect(throws: CloakError.self) { _ = try parse(deep) }
    }

    @Test func requestsAreMultiBulkWithSecretArguments() {
        var pw = Array("s3cr3t".utf8)
        let request = RESPArgument.request([.text("AUTH"), .text("ops"), .secret(SecretBytes(consuming: &pw))])
        let bytes = request.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        #expect(bytes == "*3\r\n$4\r\nAUTH\r\n$3\r\nops\r\n$6\r\ns3cr3t\r\n")
    }
}
