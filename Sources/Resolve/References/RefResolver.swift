public import Core
public import YAML

/// Expands vals references in documents and strings (C.2–C.5): nested references inner-first (depth ≤ 10), a
/// string that is exactly one reference becomes the looked-up value with its type, references inside longer text
/// are interpolated with Go's `%v`. Lookups are cached per key for the resolver's lifetime; `resolve(_:)` first
/// collects every reference of the document and asks each provider once, with all its keys (`resolveBatch`).
///
/// Errors name the backend and the location of the string, never the key after nesting or any value.
public final class RefResolver {
    /// Backends by scheme.
    public let registry: RefRegistry
    /// A fragment naming a missing key is an error (the `vals eval` default) rather than null.
    public var failOnMissingKey: Bool
    /// Expand only `ref+…`, leaving `secretref+…` (and, as vals does, the rest of that string) untouched.
    public var excludeSecret = false
    /// Called with every value a reference produced (scalar leaves of maps and lists), for masking.
    public var onValue: ((SecretBytes) -> Void)?
    /// Every value produced so far (scalar leaves), for masking and var-file scrubbing.
    public private(set) var resolvedValues: [SecretBytes] = []

    private var cache: [String: Result<Node, CloakError>] = [:]
    private var nestedMemo: [String: String] = [:]
    /// Values substituted into keys by nesting: withheld from error messages (a provider names its path).
    private var nestedValues: [String] = []

    /// Maximum number of nested references expanded inside one string.
    public static let maximumNestingDepth = 10

    /// Creates a resolver over `registry`.
    public init(registry: RefRegistry, failOnMissingKey: Bool = true) {
        self.registry = registry
        self.failOnMissingKey = failOnMissingKey
    }

    // MARK: documents

    /// `node` with every reference in its string values expanded (keys are left alone, except a key that is a
    /// whole reference resolving to a map: its pairs are merged into the parent in its place).
    public func resolve(_ node: Node) throws(CloakError) -> Node {
        prefetch([node])
        return try expand(node)
    }

    /// Looks up every reference under `nodes` with one batch per provider, so later `resolve` calls hit the cache.
    /// Failures are remembered and reported where the reference is used.
    public func prefetch(_ nodes: [Node]) {
        var pending: [String: [(cacheKey: String, key: RefKey)]] = [:]
        var queued: Set<String> = []
        for node in nodes { collect(node, into: &pending, queued: &queued) }
        for (scheme, items) in pending.sorted(by: { $0.key < $1.key }) {
            fetch(scheme: scheme, items)
        }
    }

    /// The value of `text`: the typed value when it is exactly one reference, else the interpolated string (text
    /// without references comes back unchanged as a string).
    public func resolve(text: String, at location: SourceLocation? = nil) throws(CloakError) -> Node {
        try expandString(text, original: .string(text, location: location), location: location)
    }

    // MARK: static helpers

    /// Whether any string value under `node` contains a reference.
    public static func containsReferences(_ node: Node) -> Bool {
        switch node.content {
        case .scalar(let text, _): return isExpandable(node) && RefMatcher.containsReference(text)
        case .sequence(let items): return items.contains(where: containsReferences)
        case .mapping(let pairs): return pairs.contains { containsReferences($0.value) || (isExpandable($0.key) && RefMatcher.containsReference($0.key.scalarText ?? "")) }
        }
    }

    /// `node` with every string value that contains a reference replaced by `replacement`, resolving nothing
    /// (what `describe` prints in masked mode).
    public static func maskUnresolved(_ node: Node, replacement: String) -> Node {
        switch node.content {
        case .scalar(let text, _):
            guard isExpandable(node), RefMatcher.containsReference(text) else { return node }
            return Node(.scalar(replacement, .doubleQuoted), location: node.location)
        case .sequence(let items):
            var out = node
            out.content = .sequence(items.map { maskUnresolved($0, replacement: replacement) })
            return out
        case .mapping(let pairs):
            var out = node
            out.content = .mapping(pairs.map { Node.Pair(key: $0.key, value: maskUnresolved($0.value, replacement: replacement)) })
            return out
        }
    }

    /// Only untagged (or `!!str`) string scalars are expanded; `!secret` and other functions are left alone.
    static func isExpandable(_ node: Node) -> Bool {
        guard node.isScalar else { return false }
        if let tag = node.tag, tag != Node.coreTagPrefix + "str" { return false }
        return node.isStringScalar
    }

    // MARK: collecting and fetching

    private func collect(_ node: Node, into pending: inout [String: [(cacheKey: String, key: RefKey)]], queued: inout Set<String>) {
        switch node.content {
        case .scalar(let text, _):
            guard Self.isExpandable(node), text.contains("ref+"),
                let expanded = try? nested(text, location: node.location)
            else { return }
            for m in RefMatcher.matches(in: expanded) {
                if excludeSecret && m.kind == .secretref { break }
                guard let key = try? RefKey(parsing: m.key) else { continue }
                let ck = cacheKey(key)
                if cache[ck] != nil || queued.contains(ck) { continue }
                queued.insert(ck)
                pending[key.scheme, default: []].append((ck, key))
            }
        case .sequence(let items):
            for item in items { collect(item, into: &pending, queued: &queued) }
        case .mapping(let pairs):
            for pair in pairs {
                collect(pair.key, into: &pending, queued: &queued)
                collect(pair.value, into: &pending, queued: &queued)
            }
        }
    }

    private func fetch(scheme: String, _ items: [(cacheKey: String, key: RefKey)]) {
        let provider: any RefProvider
        do { provider = try registry.provider(for: scheme) } catch {
            for item in items { cache[item.cacheKey] = .failure(error) }
            return
        }
        let requests = items.map { RefRequest(path: $0.key.providerPath, params: params($0.key), wantsMap: $0.key.fragment != nil) }
        let results = provider.resolveBatch(requests)
        for (i, item) in items.enumerated() {
            cache[item.cacheKey] = i < results.count ? results[i] : .failure(CloakError(.internal, "provider \(scheme) returned too few results"))
        }
    }

    private func params(_ key: RefKey) -> RefParams {
        RefParams(query: key.query, rawQuery: key.rawQuery)
    }

    private func cacheKey(_ key: RefKey) -> String {
        (key.fragment != nil ? "M\u{0}" : "S\u{0}") + key.documentKey
    }

    // MARK: expanding

    private func expand(_ node: Node) throws(CloakError) -> Node {
        switch node.content {
        case .scalar(let text, _):
            guard Self.isExpandable(node), text.contains("ref+") else { return node }
            return try expandString(text, original: node, location: node.location)
        case .sequence(let items):
            var out = node
            var mapped: [Node] = []
            mapped.reserveCapacity(items.count)
            for item in items { mapped.append(try expand(item)) }
            out.content = .sequence(mapped)
            return out
        case .mapping(let pairs):
            var out = node
            var mapped: [Node.Pair] = []
            for pair in pairs {
                if Self.isExpandable(pair.key), let keyText = pair.key.scalarText, isWholeReference(keyText) {
                    let resolved = try expandString(keyText, original: pair.key, location: pair.key.location)
                    if let spliced = resolved.pairs {
                        mapped += spliced
                        continue
                    }
                }
                mapped.append(Node.Pair(key: pair.key, value: try expand(pair.value)))
            }
            out.content = .mapping(mapped)
            return out
        }
    }

    private func isWholeReference(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        let ms = RefMatcher.matches(in: s)
        return ms.count == 1 && ms[0].range == 0..<s.count
    }

    private func expandString(_ text: String, original: Node, location: SourceLocation?) throws(CloakError) -> Node {
        let expanded = try nested(text, location: location)
        let s = Array(expanded.unicodeScalars)
        let matches = RefMatcher.matches(in: s)
        guard !matches.isEmpty else {
            if expanded == text { return original }
            return Node(.scalar(expanded, .doubleQuoted), location: location)
        }
        if excludeSecret && matches[0].kind == .secretref { return original }
        if matches.count == 1 && matches[0].range == 0..<s.count {
            var value = try lookup(matches[0], location: location)
            value.location = location
            return value
        }
        var out = String.UnicodeScalarView()
        var cursor = 0
        for m in matches {
            if excludeSecret && m.kind == .secretref { break }  // upstream quirk: the rest stays as written
            out.append(contentsOf: s[cursor..<m.range.lowerBound])
            let value = try lookup(m, location: location)
            let text = GoValueFormat.format(value)
            if value.isScalar && !value.isNull { register(text) }
            out.append(contentsOf: text.unicodeScalars)
            cursor = m.range.upperBound
        }
        out.append(contentsOf: s[cursor...])
        return Node(.scalar(String(out), .doubleQuoted), location: location)
    }

    /// Expands nested references inner-first: working from the right, a prefix directly inside the previous
    /// reference (no space, LF, CR, TAB, `"` or `,` between the two prefixes) is resolved and replaced by its `%v`.
    private func nested(_ text: String, location: SourceLocation?) throws(CloakError) -> String {
        if let hit = nestedMemo[text] { return hit }
        var s = Array(text.unicodeScalars)
        var depth = 0
        while true {
            let starts = RefMatcher.prefixStarts(in: s)
            var replaced = false
            var i = starts.count - 1
            while i >= 1 {
                defer { i -= 1 }
                let between = s[starts[i - 1]..<starts[i]]
                if between.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\"" || $0 == "," }) { continue }
                guard let m = RefMatcher.match(in: s, at: starts[i]), !(excludeSecret && m.kind == .secretref) else { continue }
                depth += 1
                if depth > Self.maximumNestingDepth {
                    throw CloakError(.config, "reference: maximum nesting depth (\(Self.maximumNestingDepth)) exceeded", at: location)
                }
                let value = try lookup(m, location: location)
                let scheme = (try? RefKey(parsing: m.key).scheme) ?? "?"
                if value.isNull {
                    throw CloakError(.config, "nested ref+\(scheme) reference resolved to nil", at: location)
                }
                guard value.isScalar else {
                    throw CloakError(
                        .config, "nested ref+\(scheme) reference resolved to a \(value.kindName): nested refs must resolve to scalar values",
                        at: location)
                }
                let formatted = GoValueFormat.format(value)
                register(formatted)
                if !formatted.isEmpty { nestedValues.append(formatted) }
                s.replaceSubrange(m.range, with: Array(formatted.unicodeScalars))
                replaced = true
                break
            }
            if !replaced { break }
        }
        var out = ""
        out.unicodeScalars.append(contentsOf: s)
        nestedMemo[text] = out
        return out
    }

    /// The value of one match: cached document or string, then the fragment walked.
    private func lookup(_ m: RefMatch, location: SourceLocation?) throws(CloakError) -> Node {
        let key: RefKey
        do { key = try RefKey(parsing: m.key) } catch { throw CloakError(error.code, error.message, at: location) }
        let ck = cacheKey(key)
        if cache[ck] == nil { fetch(scheme: key.scheme, [(ck, key)]) }
        let value: Node
        do throws(CloakError) {
            let document = try (cache[ck] ?? .failure(CloakError(.internal, "reference not fetched"))).get()
            if let fragment = key.fragment {
                value = try RefFragment.walk(document, fragment: fragment, failOnMissingKey: failOnMissingKey)
            } else {
                value = document
            }
        } catch {
            throw CloakError(error.code, "cannot resolve ref+\(key.scheme) reference: \(withheld(error.message))", at: location)
        }
        registerLeaves(value)
        return value
    }

    private func withheld(_ message: String) -> String {
        var text = message
        for value in nestedValues where text.contains(value) { text = text.replacing(value, with: "<MASKED>") }
        return text
    }

    private func registerLeaves(_ node: Node) {
        switch node.content {
        case .scalar(let text, _): if !node.isNull { register(text) }
        case .sequence(let items): for item in items { registerLeaves(item) }
        case .mapping(let pairs): for pair in pairs { registerLeaves(pair.value) }
        }
    }

    private func register(_ text: String) {
        guard !text.isEmpty else { return }
        var bytes = Array(text.utf8)
        let secret = SecretBytes(consuming: &bytes)
        resolvedValues.append(secret)
        onValue?(secret)
    }
}
