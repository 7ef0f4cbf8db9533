import Core
import Resolve
import Testing
import YAML

/// URL parsing of the remote backends: from the reference text (as `RefKey` splits it) to what each provider reads.
@Suite struct RemoteRefLookupTests {
    /// The provider path and parameters of a reference (no `VALS_*` variables unless given).
    func parts(_ ref: String, env: [String: String] = [:]) throws -> (path: String, params: RefParams, wantsMap: Bool) {
        let key = try RefKey(parsing: String(ref.dropFirst("ref+".count)))
        return (key.providerPath, RefParams(query: key.query, rawQuery: key.rawQuery, environment: Environment(env)), key.fragment != nil)
    }

    func error(_ body: () throws -> Void) -> CloakError? {
        do { try body() } catch let e as CloakError { return e } catch { return nil }
        return nil
    }

    @Test func awsssmModes() throws {
        var p = try parts("ref+awsssm://foo/bar")
        var l = try SSMRefLookup(path: p.path, params: p.params, wantsMap: p.wantsMap)
        #expect(try l == SSMRefLookup.expected(name: "/foo/bar", version: nil, mode: .value))
        p = try parts("ref+awsssm:///foo/bar/?version=3")
        l = try SSMRefLookup(path: p.path, params: p.params, wantsMap: p.wantsMap)
        #expect(try l == SSMRefLookup.expected(name: "/foo/bar", version: 3, mode: .value))
        p = try parts("ref+awsssm://foo#/bar")
        l = try SSMRefLookup(path: p.path, params: p.params, wantsMap: p.wantsMap)
        #expect(l.mode == .tree(recursive: false) && l.name == "/foo")
        p = try parts("ref+awsssm://foo?recursive=true#/bar/a")
        #expect(try SSMRefLookup(path: p.path, params: p.params, wantsMap: p.wantsMap).mode == .tree(recursive: true))
        p = try parts("ref+awsssm://foo/bar?mode=singleparam#/BAR")
        #expect(try SSMRefLookup(path: p.path, params: p.params, wantsMap: p.wantsMap).mode == .singleParameterMap)
        p = try parts("ref+awsssm://foo?mode=multi#/x")
        #expect(error { _ = try SSMRefLookup(path: p.path, params: p.params, wantsMap: true) }?.message.contains("unsupported mode=multi") == true)
        p = try parts("ref+awsssm://foo?version=one")
        #expect(error { _ = try SSMRefLookup(path: p.path, params: p.params, wantsMap: false) }?.message.contains("version=one") == true)
        p = try parts("ref+awsssm://foo?recursive=yes#/x")
        #expect(error { _ = try SSMRefLookup(path: p.path, params: p.params, wantsMap: true) }?.message.contains("recursive=yes") == true)
        // VALS_VERSION is the fallback of a missing version parameter.
        p = try parts("ref+awsssm://foo", env: ["VALS_VERSION": "2"])
        #expect(try SSMRefLookup(path: p.path, params: p.params, wantsMap: false).version == 2)
    }

    @Test func awsssmTreeShapes() throws {
        let params: [(name: String, value: String)] = [("/foo/bar", "{\"BAR\":\"VALUE\"}"), ("/foo/bar/a", "A"), ("/foo/bar/b", "B"), ("/other/x", "no")]
        let flat = SSMRefLookup.tree(params, under: "/foo/bar", recursive: false)
        #expect(flat.keys == ["a", "b"])
        #expect(try RefFragment.walk(flat, fragment: "/a", failOnMissingKey: true).scalarText == "A")
        let top = SSMRefLookup.tree(params, under: "/foo", recursive: false)
        #expect(try RefFragment.walk(top, fragment: "/bar", failOnMissingKey: true).scalarText == "{\"BAR\":\"VALUE\"}")
        let nested = SSMRefLookup.tree(params, under: "/foo", recursive: true)
        #expect(try RefFragment.walk(nested, fragment: "/bar/a", failOnMissingKey: true).scalarText == "A")
        // A parameter that is also a parent yields to the nested map.
        #expect(try RefFragment.walk(nested, fragment: "/bar", failOnMissingKey: true).keys == ["a", "b"])
        #expect(SSMRefLookup.tree(params, under: "/none", recursive: true).keys.isEmpty)
    }

    @Test func awssecretsIds() throws {
        var p = try parts("ref+awssecrets://myteam/mydoc?version_stage=AWSPREVIOUS&version_id=v1#/foo")
        var l = try AWSSecretsRefLookup(path: p.path, params: p.params)
        #expect(l.secretId == "myteam/mydoc" && l.versionStage == "AWSPREVIOUS" && l.versionId == "v1")
        #expect(l.metaId == "myteam/mydoc/meta")
        p = try parts("ref+awssecrets://arn:aws:secretsmanager:us-east-1:123456789012:secret:/myteam/mydoc/?region=ap-southeast-2#/secret/key")
        l = try AWSSecretsRefLookup(path: p.path, params: p.params)
        #expect(l.secretId == "arn:aws:secretsmanager:us-east-1:123456789012:secret:/myteam/mydoc")
        #expect(l.versionStage == nil && p.params.value("region") == "ap-southeast-2")
        let meta = try YAMLLoader.loadSingle("github.com/helmfile/vals: [a, /b, 3]\n", file: "meta")
        #expect(try AWSSecretsRefLookup.metaSuffixes(meta) == ["a", "b", "3"])
        let bad = try YAMLLoader.loadSingle("github.com/helmfile/vals: a\n", file: "meta")
        #expect(error { _ = try AWSSecretsRefLookup.metaSuffixes(bad) }?.message.contains("not a list") == true)
        #expect(error { _ = try AWSSecretsRefLookup.metaSuffixes(.mapping([])) }?.message.contains("not found") == true)
    }

    @Test func vaultFieldSplit() throws {
        var p = try parts("ref+vault://secret/foo/bar")
        var l = try VaultRefLookup(path: p.path, wantsMap: p.wantsMap)
        #expect(l.secretPath == "secret/foo" && l.field == "bar")
        p = try parts("ref+vault://secret/foo/bar#/baz")
        l = try VaultRefLookup(path: p.path, wantsMap: p.wantsMap)
        #expect(l.secretPath == "secret/foo/bar" && l.field == nil)
        p = try parts("ref+vault://secret/data/foo?address=http://127.0.0.1:8200&token_env=T#/x")
        l = try VaultRefLookup(path: p.path, wantsMap: p.wantsMap)
        #expect(l.secretPath == "secret/data/foo" && p.params.value("address") == "http://127.0.0.1:8200")
        #expect(error { _ = try VaultRefLookup(path: "secret", wantsMap: false) }?.message.contains("names no field") == true)
    }

    @Test func gcpProjectAndOptions() throws {
        var p = try parts("ref+gcpsecrets://myproject/mysecret?version=3&trim_nl=true#/a")
        var l = try GCPSecretRefLookup(path: p.path, params: p.params, environment: Environment([:]))
        #expect(l.project == "myproject" && l.secret == "mysecret" && l.version == "3" && l.trimNewline && !l.optional)
        p = try parts("ref+gcpsecrets://mysecret?optional=true&fallback_value=fb")
        l = try GCPSecretRefLookup(path: p.path, params: p.params, environment: Environment(["GCP_PROJECT": "envproj"]))
        #expect(l.project == "envproj" && l.secret == "mysecret" && l.version == "latest" && l.optional && l.fallback == "fb")
        #expect(error { _ = try GCPSecretRefLookup(path: "mysecret", params: p.params, environment: Environment([:])) }?.message.contains("GCP_PROJECT") == true)
    }

    @Test func azureVaultURLs() throws {
        var l = try AzureSecretRefLookup(path: try parts("ref+azurekeyvault://myvault/mysecret").path)
        #expect(l.vaultURL == "https://myvault.vault.azure.net" && l.secret == "mysecret" && l.version == nil)
        l = try AzureSecretRefLookup(path: try parts("ref+azurekeyvault://myvault.vault.azure.cn/mysecret/abc123/").path)
        #expect(l.vaultURL == "https://myvault.vault.azure.cn" && l.version == "abc123")
        l = try AzureSecretRefLookup(path: try parts("ref+azurekeyvault://127.0.0.1:8471/s").path)
        #expect(l.vaultURL == "https://127.0.0.1:8471")
        #expect(error { _ = try AzureSecretRefLookup(path: "myvault") }?.message.contains("invalid secret specifier") == true)
        #expect(error { _ = try AzureSecretRefLookup(path: "a/b/c/d") }?.message.contains("invalid secret specifier") == true)
    }

    @Test func onePasswordVaultAndItem() throws {
        let l = try OnePasswordRefLookup(path: try parts("ref+onepasswordconnect://myVault/myItem#/mySection.username").path)
        #expect(l.vault == "myVault" && l.item == "myItem")
        #expect(error { _ = try OnePasswordRefLookup(path: "myVault", scheme: "onepassword") }?.message.hasPrefix("onepassword: invalid URI") == true)
    }
}

extension SSMRefLookup {
    /// A lookup with the given fields, for comparisons.
    static func expected(name: String, version: Int?, mode: Mode) throws -> SSMRefLookup {
        var l = try SSMRefLookup(path: name, params: RefParams(query: [:], environment: Environment([:])), wantsMap: false)
        l.version = version
        l.mode = mode
        return l
    }
}
