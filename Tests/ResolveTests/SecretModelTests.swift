import Core
import Resolve
import Testing
import YAML

@Suite struct SecretReferenceTests {
    @Test(arguments: [
        ("API_KEY", "API_KEY", nil, nil),
        ("  API_KEY  ", "API_KEY", nil, nil),
        ("DB | path .password", "DB", ".password", nil),
        ("REDIS_URL | default \"redis://localhost:6379\"", "REDIS_URL", nil, "redis://localhost:6379"),
        ("X | default 'a b' | path .k", "X", ".k", "a b"),
        ("\"QUOTED\"", "QUOTED", nil, nil),
    ] as [(String, String, String?, String?)])
    func parses(text: String, name: String, path: String?, fallback: String?) throws {
        let r = try SecretReference(parsing: text)
        #expect(r.name == name)
        #expect(r.path == path)
        #expect(r.defaultValue == fallback)
    }

    @Test(arguments: [
        ("", "secret name cannot be empty"),
        (" | default x", "secret name cannot be empty"),
        ("X | default", "invalid !secret arguments: invalid modifier \"default\""),
        ("X | query .a", "invalid !secret arguments: unknown modifier \"query .a\""),
    ])
    func rejects(text: String, message: String) {
        #expect(captureError { _ = try SecretReference(parsing: text) }?.message == message)
    }

    @Test func resolverUsesDefaultsPathsAndReportsLocations() throws {
        let doc = try YAMLLoader.loadSingle(
            "a: !secret DB | path .user\nb: !secret MISSING | default fallback\nc: plain\n", file: "m.yaml")
        var seen = 0
        let resolved = try SecretReferenceResolver.resolve(
            doc,
            lookup: { (name) throws(CloakError) -> SecretValue in
                guard name == "DB" else { throw CloakError(.notInitialized, "secret is not initialized in its backend: \"\(name)\"") }
                var json = Array(#"{"user":"admin","password":"pw"}"#.utf8)
                return .json(SecretBytes(consuming: &json))
            }, onValue: { _ in seen += 1 })
        #expect(resolved["a"]?.scalarText == "admin")
        #expect(resolved["b"]?.scalarText == "fallback")
        #expect(resolved["c"]?.scalarText == "plain")
        #expect(seen == 1)
        let failing = try YAMLLoader.loadSingle("x:\n  y: !secret NOPE\n", file: "m.yaml")
        let error = captureError {
            _ = try SecretReferenceResolver.resolve(
                failing, lookup: { (n) throws(CloakError) -> SecretValue in throw CloakError(.notFound, "secret is not declared: \"\(n)\"") },
                onValue: { _ in })
        }
        #expect(error?.description == "m.yaml:2:6: error: secret is not declared: \"NOPE\" (declare it under the component's secrets.vars)")
    }
}

@Suite struct DotenvInputTests {
    @Test(arguments: [
        ("A=1 # c", "A", "1"),
        ("B=\"two # retained\"", "B", "two # retained"),
        ("C=three=with=eq", "C", "three=with=eq"),
        ("D=fragment#retained", "D", "fragment#retained"),
        ("export E='quoted'", "E", "quoted"),
        ("  F = spaced  ", "F", "spaced"),
    ])
    func atmosVectors(line: String, key: String, value: String) {
        let parsed = DotenvInput.parseEnv(line)
        #expect(parsed.count == 1)
        #expect(parsed.first?.key == key)
        #expect(parsed.first?.value == value)
    }

    @Test func skipsCommentsBlankAndMalformedLines() {
        let parsed = DotenvInput.parseEnv("# comment\n\nNOEQUALS\nK=v\n")
        #expect(parsed.map(\.key) == ["K"])
    }

    @Test func flatJSONKeepsNonStringsAsJSON() throws {
        let parsed = try DotenvInput.parseJSON(#"{"a": "x", "n": 2, "o": {"k": true}}"#, file: "in.json")
        #expect(parsed.map(\.value) == ["x", "2", #"{"k":true}"#])
    }
}

@Suite struct ProviderConfigTests {
    private func provider(_ yaml: String) throws -> SopsProviderConfig {
        let node = try YAMLLoader.loadSingle(yaml, file: "p.yaml")
        return try #require(try SopsProviderConfig.parseAll(node)["p"])
    }

    @Test func filePathsFromTemplateOrDefaults() throws {
        let templated = try provider("p:\n  kind: sops/age\n  spec:\n    file: \"secrets/{{ .atmos_stack }}.{{ .atmos_component }}.enc.yaml\"\n")
        #expect(try templated.file(for: SecretCoordinate(stack: "dev", component: "api", key: "K")) == "secrets/dev.api.enc.yaml")
        let derived = try provider("p:\n  kind: sops/age\n  spec:\n    path: vault\n")
        #expect(try derived.file(for: SecretCoordinate(stack: "dev", component: "api", key: "K")) == "vault/dev.api.enc.yaml")
        #expect(try derived.file(for: SecretCoordinate(stack: "dev", component: "", key: "K")) == "vault/dev.enc.yaml")
        #expect(try derived.file(for: SecretCoordinate(stack: "dev", component: "net/vpc", key: "K")) == "vault/dev.net/vpc.enc.yaml")
        let global = captureError { _ = try derived.file(for: SecretCoordinate(stack: "", component: "", key: "K")) }
        #expect(global?.message.hasPrefix("secret scope not supported by backend") == true)
    }

    @Test func ageKeyForms() throws {
        let inline = try provider("p:\n  spec:\n    age_key: AGE-SECRET-KEY-1XYZ\n    age_recipients: \"age1a, age1b\"\n")
        #expect(inline.ageKey == "AGE-SECRET-KEY-1XYZ")
        #expect(inline.ageRecipients == ["age1a", "age1b"])
        let stored = try provider("p:\n  spec:\n    age_key: {store: keychain, path: team}\n")
        #expect(stored.ageKeyStore == "keychain")
        #expect(stored.ageKeyPath == "team")
    }

    @Test(arguments: [
        ("secrets/{{ .atmos_stack }}.enc.yaml", "secrets/.*\\.enc\\.yaml$"),
        ("secrets/{{ .atmos_stack }}.{{ .atmos_component }}.enc.yaml", "secrets/.*\\..*\\.enc\\.yaml$"),
        ("vault/prod.enc.yaml", "vault/prod\\.enc\\.yaml$"),
    ])
    func creationRuleRegex(template: String, expected: String) throws {
        let p = try provider("p:\n  spec:\n    file: \"\(template)\"\n")
        #expect(SopsRuleRegex.derive(from: p) == expected)
    }

    @Test func storesAreNormalisedAndUnsafeSecretStoresRejected() throws {
        let ok = try StoreConfig.parseAll(
            try YAMLLoader.loadSingle("a: {type: aws-ssm-parameter-store, secret: true}\nb: {kind: keyring}\nc: {kind: redis}\n", file: "s.yaml"))
        #expect(ok["a"]?.kind == "aws/ssm")
        #expect(ok["b"]?.kind == "keychain")
        #expect(ok["b"]?.isSecret == true)
        #expect(ok["c"]?.isSecret == false)
        let bad = captureError {
            _ = try StoreConfig.parseAll(try YAMLLoader.loadSingle("r: {kind: redis, secret: true}\n", file: "s.yaml"))
        }
        #expect(bad?.message.hasPrefix("store cannot be marked secret: backend does not encrypt values at rest") == true)
    }

    @Test func declarationWithBothBackendsIsAnError() throws {
        let node = try YAMLLoader.loadSingle("vars:\n  X: {store: a, sops: b}\n", file: "d.yaml")
        let error = captureError { _ = try SecretDeclaration.parseAll(node) }
        #expect(error?.message == "secret \"X\" declares both store: and sops:; keep exactly one backend")
        #expect(error?.location?.line == 2)
    }
}

@Suite struct AuthIdentityTests {
    static let auth = """
        identities:
          sso-user: {kind: aws/profile, profile: corp}
          admin:
            kind: aws/assume-role
            principal: {assume_role: "arn:aws:iam::1:role/admin"}
            via: {identity: sso-user}
          deploy:
            kind: aws/assume-role
            default: true
            principal: {assume_role: "arn:aws:iam::2:role/deploy"}
            via: {identity: admin}
          loop-a: {kind: aws/assume-role, principal: {assume_role: a}, via: {identity: loop-b}}
          loop-b: {kind: aws/assume-role, principal: {assume_role: b}, via: {identity: loop-a}}
          gh: {kind: github/oidc}

        """

    @Test func flattensTheViaChainBaseFirst() throws {
        let auth = try YAMLLoader.loadSingle(Self.auth, file: "atmos.yaml")
        let deploy = try AuthIdentity.resolve(nil, auth: auth)
        #expect(deploy == AuthIdentity(name: "deploy", profile: "corp", roles: ["arn:aws:iam::1:role/admin", "arn:aws:iam::2:role/deploy"]))
        #expect(try AuthIdentity.resolve("sso-user", auth: auth) == AuthIdentity(name: "sso-user", profile: "corp", roles: []))
        #expect(try AuthIdentity.resolve(nil, auth: nil) == nil)
    }

    @Test func errorsNameTheIdentity() throws {
        let auth = try YAMLLoader.loadSingle(Self.auth, file: "atmos.yaml")
        #expect(captureError { _ = try AuthIdentity.resolve("admn", auth: auth) }?.message.contains("did you mean \"admin\"") == true)
        #expect(captureError { _ = try AuthIdentity.resolve("loop-a", auth: auth) }?.message.contains("via cycle") == true)
        #expect(captureError { _ = try AuthIdentity.resolve("gh", auth: auth) }?.message.contains("kind \"github/oidc\"") == true)
    }
}

@Suite struct TemplateLimitTests {
    @Test func hugeIntegerRangeIsAnErrorNotACrash() throws {
        // Found by the template fuzz target (Fuzz/regressions/template).
        let t = try GoTemplate("{{ range 11111111111110 }}x{{ end }}", name: "t")
        let error = captureError { _ = try t.render(.mapping([]), environment: [:]) }
        #expect(error?.message.contains("exceeds the limit of 100000 iterations") == true)
        #expect(try GoTemplate("{{ range 3 }}x{{ end }}", name: "t").render(.mapping([]), environment: [:]) == "xxx")
    }

    @Test func deepNestingIsAnErrorNotAStackOverflow() throws {
        let texts = [
            "{{ print " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000) + " }}",
            String(repeating: "{{ if 1 }}", count: 5000) + String(repeating: "{{ end }}", count: 5000),
            String(repeating: "{{ range 1 }}", count: 5000) + String(repeating: "{{ end }}", count: 5000),
        ]
        for text in texts {
            let error = captureError { _ = try GoTemplate(text, name: "t") }
            #expect(error?.message.contains("max expression depth exceeded") == true, "\(text.prefix(20))")
        }
        let nested = "{{ print " + String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50) + " }}"
            + String(repeating: "{{ if 1 }}", count: 50) + "x" + String(repeating: "{{ end }}", count: 50)
        #expect(try GoTemplate(nested, name: "t").render(.mapping([]), environment: [:]) == "1x")
    }

    @Test func runawayOutputIsAnErrorNotAnOutOfMemoryKill() throws {
        let wide = try GoTemplate(#"{{ range 100000 }}{{ printf "%999999d" 1 }}{{ end }}"#, name: "t")
        let error = captureError { _ = try wide.render(.mapping([]), environment: [:]) }
        #expect(error?.message.contains("template output exceeds the limit of 64 MiB") == true)
        #expect(error?.location?.line == 1 && (error?.location?.column ?? 0) > 18)
        let repeated = try GoTemplate(#"{{ repeat 9223372036854775807 "ab" }}"#, name: "t")
        #expect(captureError { _ = try repeated.render(.mapping([]), environment: [:]) }?.message
            .contains("exceeds the template output limit") == true)
        let indented = try GoTemplate(#"{{ indent 99999999999 "x" }}"#, name: "t")
        #expect(captureError { _ = try indented.render(.mapping([]), environment: [:]) }?.message
            .contains("indent width 99999999999 is too large") == true)
        #expect(try GoTemplate(#"{{ repeat 3 "ab" }}|{{ printf "%5d" 1 }}"#, name: "t")
            .render(.mapping([]), environment: [:]) == "ababab|    1")
    }
}
