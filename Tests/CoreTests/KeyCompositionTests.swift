import Core
import Testing

@Suite struct KeyCompositionTests {
    private func c(_ stack: String, _ component: String, _ key: String) -> SecretCoordinate {
        SecretCoordinate(stack: stack, component: component, key: key)
    }

    @Test(arguments: [
        ("/atmos/secrets", "plat-ue2-dev", "api", "K", "/atmos/secrets/plat/ue2/dev/api/K"),
        ("", "plat-ue2-dev", "api", "K", "/plat/ue2/dev/api/K"),
        ("atmos", "prod-ue1", "vpc", "image_tag", "atmos/prod/ue1/vpc/image_tag"),
        ("atmos", "prod", "network/vpc", "k", "atmos/prod/network/vpc/k"),
        ("/cloak", "dev", "secret-consumer", "SSM_INSTANCE_TOKEN", "/cloak/dev/secret-consumer/SSM_INSTANCE_TOKEN"),
        ("/cloak", "dev", "", "SSM_STACK_TOKEN", "/cloak/dev/SSM_STACK_TOKEN"),
        ("/cloak", "", "", "GLOBAL_SHARED_TOKEN", "/cloak/GLOBAL_SHARED_TOKEN"),
        ("/", "dev", "api", "K", "/dev/api/K"),
        ("a/", "dev", "/x", "K", "a/dev/x/K"),
        ("a//", "dev", "api", "K", "a//dev/api/K"),
    ])
    func awsNames(prefix: String, stack: String, component: String, key: String, expected: String) {
        #expect(KeyComposition.aws(prefix: prefix, coordinate: c(stack, component, key)) == expected)
    }

    @Test func vaultKeepsTheStackWhole() {
        #expect(KeyComposition.vault(prefix: "app", coordinate: c("plat-ue2-dev", "api", "K")) == "app/plat-ue2-dev/api/K")
        // Stack and global scope work (upstream rejected an empty stack or component).
        #expect(KeyComposition.vault(prefix: "app", coordinate: c("dev", "", "K")) == "app/dev/K")
        #expect(KeyComposition.vault(prefix: "app", coordinate: c("", "", "K")) == "app/K")
    }

    @Test func azureNormalisation() {
        #expect(KeyComposition.azureNormalize("path/to/secret") == "path-to-secret")
        #expect(KeyComposition.azureNormalize("secret@#$%^&*()") == "secret")
        #expect(KeyComposition.azureNormalize("") == "default")
        #expect(KeyComposition.azure(prefix: "", coordinate: c("dev", "api", "DATADOG_API_KEY")) == "dev-api-DATADOG-API-KEY")
        #expect(
            KeyComposition.azure(prefix: "cloak", coordinate: c("dev", "secret-consumer", "AZURE_INSTANCE_TOKEN"))
                == "cloak-dev-secret-consumer-AZURE-INSTANCE-TOKEN")
        #expect(KeyComposition.azure(prefix: "p", coordinate: c("", "", "K")) == "p-K")
    }

    @Test func gcpCleanup() {
        #expect(
            KeyComposition.gcp(prefix: "test-prefix", coordinate: c("dev-usw2", "app/service", "config/key"))
                == "test-prefix_dev_usw2_app_service_config_key")
        #expect(
            KeyComposition.gcp(prefix: "p", coordinate: c("dev", "secret-consumer", "GCP_INSTANCE_TOKEN"))
                == "p_dev_secret-consumer_GCP_INSTANCE_TOKEN")
        #expect(KeyComposition.gcp(prefix: "", coordinate: c("", "", "K")) == "K")
    }

    @Test func keychainAndGitHub() {
        #expect(KeyComposition.keychain(coordinate: c("dev", "api", "K")) == "atmos/dev/api/K")
        #expect(KeyComposition.keychain(coordinate: c("dev", "age-key", "dev-sops")) == "atmos/dev/age-key/dev-sops")
        #expect(KeyComposition.githubActions(prefix: "app", key: "db-pass.word") == "APP_DB_PASS_WORD")
        #expect(KeyComposition.githubActions(prefix: "", key: "github_token") == nil)
    }
}
