import Core
import Testing

@testable import Stores

/// The key names `!store` and `!store.get` read, per store (upstream rules; atmos-secrets.md §1.2).
@Suite struct StoreKeyReaderTests {
    @Test func rawKeyNamesFollowEachStoresUpstreamRule() throws {
        var r = RedisStoreOptions(name: "cache", url: try RedisURL.parse("redis://"))
        #expect(RedisStore(options: r).rawKeyName("k") == "k")
        r.prefix = "atmos"
        let redis = RedisStore(options: r)
        #expect(redis.rawKeyName("k") == "atmos:k")
        #expect(redis.keyName(SecretCoordinate(stack: "plat-ue2-dev", component: "vpc/main", key: "id")) == "atmos/plat-ue2-dev/vpc/main/id")
        var a = ArtifactoryStoreOptions(name: "art", url: "http://h/artifactory", repoName: "outputs")
        #expect(ArtifactoryStore(options: a).rawKeyName("shared/x") == "outputs/shared/x.json")
        a.prefix = "atmos"
        let art = ArtifactoryStore(options: a)
        #expect(art.rawKeyName("x.json") == "outputs/atmos/x.json")
        #expect(art.keyName(SecretCoordinate(stack: "dev", component: "vpc", key: "id")) == "outputs/atmos/dev/vpc/id")
        a.prefix = ""
        #expect(ArtifactoryStore(options: a).keyName(SecretCoordinate(stack: "dev", component: "vpc", key: "id")) == "outputs/dev/vpc/id")
    }

    @Test func cloudStoresRawKeyNames() {
        var v = VaultStoreOptions(name: "vault", address: "http://127.0.0.1:9", mount: "secret")
        #expect(VaultStore(options: v).rawKeyName("/shared/x/") == "shared/x")
        v.prefix = "/atmos/"
        #expect(VaultStore(options: v).rawKeyName("shared/x") == "atmos/shared/x")
        var az = AzureStoreOptions(name: "akv", vaultURL: "https://kv1.vault.azure.net")
        az.prefix = "ignored"
        #expect(AzureKeyVaultStore(options: az).rawKeyName("shared/db_host") == "shared-db-host")
        var g = GCPStoreOptions(name: "gsm", projectId: "p1")
        #expect(GCPSecretManagerStore(options: g).rawKeyName("shared/x") == "shared/x")
        g.prefix = "atmos"
        #expect(GCPSecretManagerStore(options: g).rawKeyName("db_host") == "atmos_db_host")
    }
}
