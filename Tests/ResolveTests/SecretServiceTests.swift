import Core
import Resolve
import Synchronization
import Testing
import YAML

/// An in-memory backend for service tests (a test double, not a product backend).
final class InMemoryBackend: SecretBackend, @unchecked Sendable {
    let label: String
    let local: Bool
    let values = Mutex<[SecretCoordinate: String]>([:])
    init(label: String, local: Bool = true) {
        self.label = label
        self.local = local
    }
    var isLocal: Bool { local }
    func supports(_ scope: SecretScope) -> Bool { true }
    func get(_ c: SecretCoordinate) throws(CloakError) -> SecretValue {
        guard let v = values.withLock({ $0[c] }) else { throw CloakError(.notInitialized, "no value at \(c)") }
        var bytes = Array(v.utf8)
        return .text(SecretBytes(consuming: &bytes))
    }
    func set(_ c: SecretCoordinate, _ value: SecretValue) throws(CloakError) {
        let text = value.bytes.unsafeString()
        values.withLock { $0[c] = text }
    }
    func delete(_ c: SecretCoordinate) throws(CloakError) { _ = values.withLock { $0.removeValue(forKey: c) } }
    func exists(_ c: SecretCoordinate) throws(CloakError) -> Bool { values.withLock { $0[c] != nil } }
}

@Suite struct SecretServiceTests {
    static let atmos = """
        stacks: {base_path: stacks, name_pattern: "{stage}"}
        stores:
          vault: {kind: hashicorp/vault, secret: true}
          plain: {kind: aws/ssm}
        secrets:
          providers:
            files: {kind: sops/age, spec: {file: "x.enc.yaml"}}

        """

    private func setup(_ stack: String) throws -> (StackCatalog, InMemoryBackend, SecretBackends) {
        let repo = try TestRepo(["atmos.yaml": Self.atmos, "stacks/dev.yaml": stack])
        let backend = InMemoryBackend(label: "mem")
        let remote = InMemoryBackend(label: "remote", local: false)
        let backends = SecretBackends(
            sops: { (_) throws(CloakError) -> any SecretBackend in backend },
            store: { (_) throws(CloakError) -> any SecretBackend in remote })
        return (try repo.catalog(), backend, backends)
    }

    static let stack = """
        vars: {stage: dev}
        secrets:
          vars:
            SHARED: {sops: files}
        components:
          terraform:
            api:
              secrets:
                vars:
                  TOKEN: {sops: files, required: true}
                  REMOTE: {store: vault}
                  BAD_STORE: {store: nope}
                  NOT_SECRET: {store: plain}
                  BAD_PROVIDER: {sops: fils}
                  NOTHING: {description: no backend}

        """

    @Test func coordinatesFollowScope() throws {
        let (catalog, backend, backends) = try setup(Self.stack)
        let service = try SecretService(component: try catalog.component("api", stack: "dev"), config: catalog.config, backends: backends)
        var v = Array("t".utf8)
        #expect(try service.set("TOKEN", .text(SecretBytes(consuming: &v)), componentGiven: true) == "Set secret `TOKEN` for component `api` in stack `dev`")
        #expect(backend.values.withLock { $0[SecretCoordinate(stack: "dev", component: "api", key: "TOKEN")] } == "t")
        #expect(try service.get("TOKEN").bytes.unsafeString() == "t")
    }

    @Test func stackScopedSecretIsNotWrittenThroughAComponent() throws {
        let (catalog, backend, backends) = try setup(Self.stack)
        let api = try SecretService(component: try catalog.component("api", stack: "dev"), config: catalog.config, backends: backends)
        var v = Array("s".utf8)
        let error = captureError { _ = try api.set("SHARED", .text(SecretBytes(consuming: &v)), componentGiven: true) }
        #expect(error?.message.contains("is stack-scoped at component \"api\"") == true)
        #expect(backend.values.withLock { $0.isEmpty })
        let stackLevel = try SecretService(
            stack: "dev", component: nil, secrets: try catalog.stackSecrets(stack: "dev"), config: catalog.config, backends: backends)
        var w = Array("s".utf8)
        #expect(try stackLevel.set("SHARED", .text(SecretBytes(consuming: &w)), componentGiven: false).hasPrefix("Set stack-scoped secret `SHARED` for stack `dev`"))
        #expect(backend.values.withLock { $0[SecretCoordinate(stack: "dev", component: "", key: "SHARED")] } == "s")
        #expect(try api.get("SHARED").bytes.unsafeString() == "s")  // the component reads the stack value
    }

    @Test(arguments: [
        ("BAD_STORE", "referenced store is not configured: \"nope\" (secret \"BAD_STORE\")"),
        ("NOT_SECRET", "referenced store is not a secret store (set `secret: true`): \"plain\" (secret \"NOT_SECRET\")"),
        ("BAD_PROVIDER", "referenced secrets provider is not configured: \"fils\" (secret \"BAD_PROVIDER\") (did you mean \"files\"?)"),
        ("NOTHING", "secret declaration has no backend (set store: or sops:): secret \"NOTHING\""),
        ("UNDECLARED", "secret is not declared: \"UNDECLARED\""),
    ])
    func errorsNameTheSecret(name: String, message: String) throws {
        let (catalog, _, backends) = try setup(Self.stack)
        let service = try SecretService(component: try catalog.component("api", stack: "dev"), config: catalog.config, backends: backends)
        #expect(captureError { _ = try service.get(name) }?.message == message)
    }

    @Test func statusChecksRemoteStoresOnlyWithVerify() throws {
        let (catalog, _, backends) = try setup(Self.stack)
        let service = try SecretService(component: try catalog.component("api", stack: "dev"), config: catalog.config, backends: backends)
        let remote = try service.declaration("REMOTE")
        #expect(service.status(remote, verify: false) == .unknown)
        #expect(service.status(remote, verify: true) == .missing)
        #expect(service.status(try service.declaration("TOKEN"), verify: false) == .missing)
        if case .error = service.status(try service.declaration("BAD_STORE"), verify: false) {} else { Issue.record("expected error") }
    }

    @Test func resolveAllReportsEachFailureByNameAndKeepsGoing() throws {
        let (catalog, backend, backends) = try setup(Self.stack)
        backend.values.withLock { $0[SecretCoordinate(stack: "dev", component: "api", key: "TOKEN")] = "v" }
        let service = try SecretService(component: try catalog.component("api", stack: "dev"), config: catalog.config, backends: backends)
        let results = service.resolveAll()
        #expect(results.count == service.declarations.count)
        let token = results.first { $0.0.name == "TOKEN" }
        if case .success(let v)? = token?.1 { #expect(v.bytes.unsafeString() == "v") } else { Issue.record("TOKEN should resolve") }
        let failures = results.filter { if case .failure = $0.1 { return true } else { return false } }
        #expect(failures.count == service.declarations.count - 1)
    }
}
