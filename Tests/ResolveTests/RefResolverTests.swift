import Core
import Resolve
import Synchronization
import Testing
import YAML

/// Records every batch it is asked for; values come from a fixed table (documents for fragment lookups).
final class RecordingProvider: RefProvider, @unchecked Sendable {
    let batches = Mutex<[[String]]>([])
    let strings: [String: String]
    let documents: [String: String]
    init(strings: [String: String] = [:], documents: [String: String] = [:]) {
        self.strings = strings
        self.documents = documents
    }
    var isLocal: Bool { false }
    func getString(_ path: String, params: RefParams) throws(CloakError) -> String {
        guard let v = strings[path] else { throw CloakError(.notFound, "rec: \(path) not found") }
        return v
    }
    func getMap(_ path: String, params: RefParams) throws(CloakError) -> Node {
        guard let v = documents[path] else { throw CloakError(.notFound, "rec: \(path) not found") }
        return try YAMLLoader.loadSingle(v, file: path)
    }
    func resolveBatch(_ requests: [RefRequest]) -> [Result<Node, CloakError>] {
        batches.withLock { $0.append(requests.map { ($0.wantsMap ? "M:" : "S:") + $0.path }) }
        return requests.map { (r) -> Result<Node, CloakError> in
            do throws(CloakError) {
                return .success(r.wantsMap ? try getMap(r.path, params: r.params) : .string(try getString(r.path, params: r.params)))
            } catch { return .failure(error) }
        }
    }
}

func resolver(_ extra: [String: any RefProvider] = [:], environment: Environment = Environment([:])) -> RefResolver {
    var registry = RefRegistry.local(environment: environment)
    for (scheme, p) in extra { registry.register(scheme, p) }
    registry.markUnavailable("awsssm")
    return RefResolver(registry: registry)
}

func yaml(_ text: String) throws -> Node { try YAMLLoader.loadSingle(text, file: "doc.yaml") }

@Suite struct RefResolverTests {
    @Test func wholeValueKeepsTypeEmbeddedUsesPercentV() throws {
        let rec = RecordingProvider(documents: ["cfg/": "port: 5432\nratio: 1.5\nbig: 1e21\non: true\nnone: null\nm: {b: two, a: 1}\nl: [x, y]\nname: db\n"])
        let r = resolver(["rec": rec])
        let doc = try yaml("""
            port: ref+rec://cfg#/port
            ratio: ref+rec://cfg#/ratio
            m: ref+rec://cfg#/m
            text: "p=ref+rec://cfg#/port+ r=ref+rec://cfg#/ratio+ b=ref+rec://cfg#/big+ t=ref+rec://cfg#/on+ n=ref+rec://cfg#/none+ m=ref+rec://cfg#/m+ l=ref+rec://cfg#/l+!"
            nothing: ref+rec://cfg#/none
            """)
        let out = try r.resolve(doc)
        #expect(out["port"]?.scalarValue == .int(5432))
        #expect(out["ratio"]?.scalarValue == .float(1.5))
        #expect(out["m"]?["a"]?.scalarValue == .int(1))
        #expect(out["text"]?.scalarText == "p=5432 r=1.5 b=1e+21 t=true n=<nil> m=map[a:1 b:two] l=[x y]!")
        #expect(out["nothing"]?.isNull == true)
        // One document fetched once, in one batch, for all those fragments.
        #expect(rec.batches.withLock { $0 } == [["M:cfg/"]])
    }

    @Test func allReferencesOfADocumentAreBatchedPerProviderAndDeduplicated() throws {
        let rec = RecordingProvider(strings: ["aa/": "A", "bb/": "B"])
        let r = resolver(["rec": rec])
        let doc = try yaml("x: ref+rec://aa\ny: [ref+rec://bb, ref+rec://aa]\nz: {w: pre-ref+rec://bb+-post}\ne: ref+echo://hello\n")
        let out = try r.resolve(doc)
        #expect(out["x"]?.scalarText == "A")
        #expect(out["y"]?.items?.map { $0.scalarText } == ["B", "A"])
        #expect(out["z"]?["w"]?.scalarText == "pre-B-post")
        #expect(out["e"]?.scalarText == "hello")
        #expect(rec.batches.withLock { $0 } == [["S:aa/", "S:bb/"]])
        // Cached for the resolver's lifetime.
        _ = try r.resolve(text: "ref+rec://aa")
        #expect(rec.batches.withLock { $0.count } == 1)
        #expect(r.resolvedValues.count >= 3)
    }

    @Test func plainStringsAndNonStringsPassThrough() throws {
        let r = resolver()
        let doc = try yaml("a: 1\nb: true\nc: plain text\nd: !secret NAME\ne: ref+echo://a\nf: [1, null]\n")
        let out = try r.resolve(doc)
        #expect(out["a"]?.scalarValue == .int(1))
        #expect(out["b"]?.scalarValue == .bool(true))
        #expect(out["c"]?.scalarText == "plain text")
        #expect(out["d"]?.tag == "!secret")
        #expect(out["e"]?.scalarText == "ref+echo://a")  // too short: literal text
        #expect(r.resolvedValues.isEmpty)
    }

    @Test func nestedReferencesResolveInnerFirst() throws {
        let r = resolver(environment: Environment(["VAR": "resolved"]))
        #expect(try r.resolve(text: "ref+echo://ref+envsubst://$VAR/path").scalarText == "resolved/path")
        #expect(try r.resolve(text: "ref+echo://ref+echo://xx+/y").scalarText == "xx/y")
        // Separated by a space: two independent references, not nesting.
        #expect(try r.resolve(text: "ref+echo://ab ref+echo://cd").scalarText == "ab cd")
    }

    @Test func nestingDepthIsLimited() throws {
        let r = resolver()
        var deep = "ref+echo://leaf"
        for _ in 0..<10 { deep = "ref+echo://" + deep }
        #expect(try r.resolve(text: deep).scalarText == "leaf")  // 10 nested expansions
        let tooDeep = "ref+echo://" + deep
        let e = captureError { _ = try r.resolve(text: tooDeep, at: SourceLocation(file: "s.yaml", line: 3, column: 7)) }
        #expect(e?.message == "reference: maximum nesting depth (10) exceeded")
        #expect(e?.location?.description == "s.yaml:3:7")
    }

    @Test func nestedReferencesMustBeNonNullScalars() throws {
        let rec = RecordingProvider(documents: ["d/": "n: null\nm: {a: 1}\n"])
        let r = resolver(["rec": rec])
        let nilError = captureError { _ = try r.resolve(text: "ref+echo://ref+rec://d#/n") }
        #expect(nilError?.message == "nested ref+rec reference resolved to nil")
        let mapError = captureError { _ = try r.resolve(text: "ref+echo://ref+rec://d#/m") }
        #expect(mapError?.message.contains("nested refs must resolve to scalar values") == true)
    }

    @Test func errorsNameBackendAndLocationNeverValues() throws {
        let r = resolver()
        let doc = try YAMLLoader.loadSingle("a:\n  b: ref+file:///nonexistent/secret.txt\n", file: "stacks/dev.yaml")
        let e = captureError { _ = try r.resolve(doc) }
        #expect(e?.location?.description == "stacks/dev.yaml:2:6")
        #expect(e?.message.hasPrefix("cannot resolve ref+file reference: file:") == true)
        let unavailable = captureError { _ = try r.resolve(text: "ref+awsssm://p/x") }
        #expect(unavailable?.message == "cannot resolve ref+awsssm reference: backend awsssm is not available in this build yet")
        let unknown = captureError { _ = try r.resolve(text: "ref+nope://p/x") }
        #expect(unknown?.message.contains("unknown reference backend \"nope\"") == true)
        // The nested value (a secret) never appears in the message of the outer failure.
        let nested = captureError { _ = try r.resolve(text: "ref+file://ref+echo://s3cr3tvalue+/x") }
        #expect(nested?.message.contains("s3cr3tvalue") == false)
    }

    @Test func missingFragmentKeyFailsByDefault() throws {
        let r = resolver()
        let e = captureError { _ = try r.resolve(text: "ref+echo://a/b#/zz") }
        #expect(e?.message == "cannot resolve ref+echo reference: no value found for key /zz")
        r.failOnMissingKey = false
        #expect(try r.resolve(text: "ref+echo://a/b#/zz").isNull)
        #expect(try r.resolve(text: "x=ref+echo://a/b#/zz").scalarText == "x=<nil>")
    }

    @Test func excludeSecretLeavesSecretRefsAndTheRestOfTheString() throws {
        let r = resolver()
        r.excludeSecret = true
        #expect(try r.resolve(text: "secretref+echo://hidden").scalarText == "secretref+echo://hidden")
        #expect(try r.resolve(text: "a=ref+echo://one+ b=secretref+echo://two+ c=ref+echo://three").scalarText
            == "a=one b=secretref+echo://two+ c=ref+echo://three")
        r.excludeSecret = false
        #expect(try r.resolve(text: "b=secretref+echo://two+ c").scalarText == "b=two c")
    }

    @Test func keyThatIsAReferenceToAMapIsSpliced() throws {
        let r = resolver()
        let out = try r.resolve(try yaml("keep: 1\nref+echo://a/b/c#/a: ignored\nref+echo://x/y#/x: stays\n"))
        #expect(out.keys == ["keep", "b", "ref+echo://x/y#/x"])
        #expect(out["b"]?.scalarText == "c")
        #expect(out["ref+echo://x/y#/x"]?.scalarText == "stays")  // resolves to a scalar: the key is left alone
    }

    @Test func maskUnresolvedAndContains() throws {
        let doc = try yaml("a: ref+echo://xx\nb: plain\nc: [pre ref+file://f/x+ post]\nd: !secret X\n")
        #expect(RefResolver.containsReferences(doc))
        #expect(!RefResolver.containsReferences(try yaml("a: b\n")))
        let masked = RefResolver.maskUnresolved(doc, replacement: "<MASKED>")
        #expect(masked["a"]?.scalarText == "<MASKED>")
        #expect(masked["b"]?.scalarText == "plain")
        #expect(masked["c"]?.items?.first?.scalarText == "<MASKED>")
        #expect(masked["d"]?.tag == "!secret")
    }
}
