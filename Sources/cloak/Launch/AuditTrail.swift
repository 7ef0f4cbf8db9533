import Core
import Injector
import Resolve
import YAML

#if canImport(Glibc)
import Glibc
#endif

/// A local, value-free record of every injection: one JSON line when a child starts (who, where, which stack and
/// component, the command's name and argument count, each secret variable's name, source and a keyed fingerprint of
/// its value), and one when a supervised child ends (exit status or signal, duration). Enabled by `CLOAK_AUDIT_LOG`
/// or atmos.yaml `settings.secrets.audit_log`; off by default.
///
/// Never written: a value, an argument after the command's name (it may hold a secret), or the environment.
/// Fingerprints are HMAC-SHA256 under a per-user key (`CLOAK_AUDIT_KEY_FILE`, default
/// `$XDG_DATA_HOME/cloak/audit.key`, 32 random bytes made on first use, mode 0600), cut to 16 hex digits: equal
/// values give equal fingerprints under one key, so a rotation shows, while the log alone cannot confirm a guess.
/// The log is opened for append with mode 0600 and each record is one locked `write`, so concurrent runs interleave
/// whole lines. A start record that cannot be written stops the run (an audit that silently skips is no audit).
struct AuditTrail {
    let path: String
    let run: String
    let started: Double
    private let keyFile: String

    /// The trail configured for this run, or nil when auditing is off.
    static func configured(_ config: AtmosConfig, component: ResolvedComponent, environment: Environment) -> AuditTrail? {
        let setting = component.settings["secrets"]?["audit_log"]?.scalarText
            ?? config.document["settings"]?["secrets"]?["audit_log"]?.scalarText
        guard let raw = environment.nonEmpty("CLOAK_AUDIT_LOG") ?? setting.flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        var path = environment.expandPath(raw)
        if !path.hasPrefix("/") { path = Path.join(config.basePath, path) }
        let keyFile = environment.nonEmpty("CLOAK_AUDIT_KEY_FILE").map(environment.expandPath)
            ?? Path.join(environment.dataHome, "cloak/audit.key")
        let run = Hex.encode(SecretBytes.randomPublic(count: 8))
        return AuditTrail(path: path, run: run, started: Self.now(), keyFile: keyFile)
    }

    /// Records a start: `strategy` is `exec` (cloak is replaced, so no end record follows) or `supervise`.
    func recordStart(
        launch: ComponentLaunch, arguments: [String], strategy: LaunchStrategy, hardened: Bool
    ) throws(CloakError) {
        let key = try Self.key(keyFile)
        var fields = header("start")
        fields.append(("cloak", .string(cloakVersion)))
        fields.append(("user", .string(Self.userName())))
        fields.append(("uid", .number(Int(getuid()))))
        fields.append(("host", .string(Self.hostName())))
        fields.append(("cwd", .string(FileSystem.currentDirectory())))
        fields.append(("stack", .string(launch.component.stack)))
        fields.append(("component", .string(launch.component.name)))
        let name = arguments.first.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? ""
        fields.append(("command", .string(name)))
        fields.append(("argc", .number(arguments.count)))
        fields.append(("strategy", .string(strategy == .exec ? "exec" : "supervise")))
        fields.append(("hardened", .bool(hardened)))
        var secrets: [String] = []
        for entry in launch.plan.entries where entry.isSecret {
            guard case .secret(let value) = entry.value else { continue }
            let mac = value.withUnsafeBytes { v in key.withUnsafeBytes { k in HMACSHA256.mac(key: k, message: v) } }
            secrets.append(
                Self.object([
                    ("name", .string(entry.name)), ("source", .string(entry.origin)),
                    ("fingerprint", .string("hmac-sha256:" + Hex.encode(mac.prefix(8)))),
                    ("file", .bool(entry.asFile)),
                ]))
        }
        fields.append(("secrets", .raw("[" + secrets.joined(separator: ",") + "]")))
        let skipped = launch.plan.problems.map { Self.quote($0.name) }.joined(separator: ",")
        fields.append(("skipped", .raw("[" + skipped + "]")))
        fields.append(("plain_variables", .number(launch.plan.entries.count { !$0.isSecret })))
        try append(Self.object(fields))
    }

    /// Records how a supervised child ended; a failure only warns (the child has already run).
    func recordEnd(_ report: ExitOutcome) {
        var fields = header("end")
        switch report {
        case .exited(let code): fields.append(("exit", .number(Int(code))))
        case .signaled(let signo, let core):
            fields.append(("signal", .number(Int(signo))))
            fields.append(("core_dumped", .bool(core)))
        }
        fields.append(("duration_ms", .number(Int(((Self.now() - started) * 1000).rounded()))))
        do throws(CloakError) { try append(Self.object(fields)) } catch {
            Console.err("warning: \(error.message)")
        }
    }

    /// Records a start that failed (command not found, not executable, spawn error) with cloak's exit status.
    func recordFailure(exitCode: Int32) {
        var fields = header("end")
        fields.append(("exit", .number(Int(exitCode))))
        fields.append(("started", .bool(false)))
        fields.append(("duration_ms", .number(Int(((Self.now() - started) * 1000).rounded()))))
        do throws(CloakError) { try append(Self.object(fields)) } catch {
            Console.err("warning: \(error.message)")
        }
    }

    private enum Value {
        case string(String)
        case number(Int)
        case bool(Bool)
        case raw(String)
    }

    private func header(_ event: String) -> [(String, Value)] {
        [("time", .string(Self.timestamp())), ("event", .string(event)), ("run", .string(run))]
    }

    private static func object(_ fields: [(String, Value)]) -> String {
        let body = fields.map { (k, v) -> String in
            let value: String
            switch v {
            case .string(let s): value = quote(s)
            case .number(let n): value = String(n)
            case .bool(let b): value = b ? "true" : "false"
            case .raw(let r): value = r
            }
            return quote(k) + ":" + value
        }
        return "{" + body.joined(separator: ",") + "}"
    }

    static func quote(_ s: String) -> String { JSON.quote(s, escapeHTML: false) }

    private func append(_ line: String) throws(CloakError) {
        let dir = Path.dirname(path)
        if !dir.isEmpty && !FileSystem.isDirectory(dir) {
            do throws(CloakError) { try FileSystem.createDirectories(dir, mode: 0o700) } catch {
                throw CloakError(.io, "cannot write the audit log \(path): \(error.message); fix CLOAK_AUDIT_LOG or settings.secrets.audit_log")
            }
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw CloakError(.io, "cannot open the audit log \(path) (\(String(cString: strerror(errno)))); fix CLOAK_AUDIT_LOG or settings.secrets.audit_log")
        }
        defer { close(fd) }
        _ = flock(fd, LOCK_EX)
        let bytes = Array((line + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw CloakError(.io, "cannot write the audit log \(path) (\(String(cString: strerror(errno))))")
        }
    }

    /// The fingerprint key: read, or made once (under the directory lock, so concurrent first runs agree).
    private static func key(_ file: String) throws(CloakError) -> SecretBytes {
        if var bytes = try? FileSystem.readBytes(file), bytes.count == 32 { return SecretBytes(consuming: &bytes) }
        var made: SecretBytes?
        try AtomicFile.update(path: file, mode: 0o600) { (existing) throws(CloakError) -> [UInt8] in
            if var current = existing, current.count == 32 {
                let copy = current
                made = SecretBytes(consuming: &current)
                return copy
            }
            if existing != nil {
                throw CloakError(.config, "the audit key \(file) is not 32 bytes; remove it to make a new one")
            }
            let fresh = SecretBytes.random(count: 32)
            made = fresh
            return fresh.withUnsafeBytes { Array($0) }
        }
        guard let made else { throw CloakError(.internal, "the audit key was not made") }
        return made
    }

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let ms = Int(ts.tv_nsec / 1_000_000)
        let msText = ms < 10 ? "00\(ms)" : ms < 100 ? "0\(ms)" : "\(ms)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
            + "\(two(parts.tm_min)):\(two(parts.tm_sec)).\(msText)Z"
    }

    private static func userName() -> String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return String(getuid())
    }

    private static func hostName() -> String {
        var buf = [UInt8](repeating: 0, count: 256)
        let ok = buf.withUnsafeMutableBytes { gethostname($0.baseAddress!.assumingMemoryBound(to: CChar.self), 255) } == 0
        return ok ? String(decoding: buf.prefix { $0 != 0 }, as: UTF8.self) : ""
    }

}
