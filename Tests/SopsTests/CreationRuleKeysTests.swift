import Core
import Testing
import YAML
@testable import Sops

/// `.sops.yaml` creation rules with cloud key types, and sops's key notations.
@Suite struct CreationRuleKeysTests {
    private func rule(_ yaml: String, path: String = "x.yaml") throws(CloakError) -> SopsCreationRule? {
        try SopsConfig.rule(in: Array(yaml.utf8), file: ".sops.yaml", relativePath: path)
    }

    private func message(_ yaml: String) -> String {
        do throws(CloakError) {
            _ = try rule(yaml)
            return "no error"
        } catch { return error.description }
    }

    @Test func flatRuleHasEveryKeyTypeInSopsOrder() throws {
        let r = try rule("""
            creation_rules:
              - path_regex: \\.yaml$
                hc_vault_transit_uri: http://127.0.0.1:8200/v1/sops/transit/keys/app
                azure_keyvault: https://v.vault.azure.net/keys/sops/abc123,https://w.vault.azure.net/keys/other
                gcp_kms: projects/p/locations/global/keyRings/r/cryptoKeys/k
                kms: arn:aws:kms:us-east-1:123456789012:key/one+arn:aws:iam::123456789012:role/r, arn:aws:kms:eu-west-1:1:key/two
                aws_profile: prod
                pgp: 'AB CD'
                age: [age1a, "age1b,age1a"]
            """)
        let entries = try #require(r).keyGroups[0].entries
        #expect(entries.map(\.type) == ["age", "age", "pgp", "kms", "kms", "gcp_kms", "azure_kv", "azure_kv", "hc_vault"])
        #expect(entries[2].fields == ["fp": "ABCD"])
        #expect(entries[3].fields == [
            "arn": "arn:aws:kms:us-east-1:123456789012:key/one", "role": "arn:aws:iam::123456789012:role/r",
            "aws_profile": "prod",
        ])
        #expect(entries[4].fields == ["arn": "arn:aws:kms:eu-west-1:1:key/two", "aws_profile": "prod"])
        #expect(entries[5].fields == ["resource_id": "projects/p/locations/global/keyRings/r/cryptoKeys/k"])
        #expect(entries[6].fields == ["vault_url": "https://v.vault.azure.net", "name": "sops", "version": "abc123"])
        #expect(entries[7].fields == ["vault_url": "https://w.vault.azure.net", "name": "other", "version": ""])
        #expect(entries[8].fields == [
            "vault_address": "http://127.0.0.1:8200", "engine_path": "sops/transit", "key_name": "app",
        ])
    }

    @Test func encryptionContextGoesOnFlatKMSKeysOnly() throws {
        let yaml = """
            creation_rules:
              - kms: arn:aws:kms:us-east-1:1:key/a
            """
        let r = try SopsConfig.rule(in: Array(yaml.utf8), file: ".sops.yaml", relativePath: "x", kmsContext: ["app": "cloak"])
        #expect(try #require(r).keyGroups[0].entries[0].context == ["app": "cloak"])
        #expect(try SopsMasterKeys.encryptionContext("a:b, c:d:e") == ["a": "b", "c": "d:e"])
    }

    @Test func keyGroupsWithMergeAndShamir() throws {
        let r = try #require(try rule("""
            creation_rules:
              - shamir_threshold: 2
                key_groups:
                  - kms:
                      - arn: arn:aws:kms:us-east-1:1:key/a
                        role: arn:aws:iam::1:role/r
                        context: {app: cloak, env: dev}
                        aws_profile: p
                    hc_vault: [http://h:8200/v1/transit/keys/k]
                  - gcp_kms: [{resource_id: projects/p/locations/l/keyRings/r/cryptoKeys/k}]
                    azure_keyvault: [{vaultUrl: https://v.vault.azure.net, key: n, version: ""}]
                    merge:
                      - age: [age1x]
                      - pgp: [FP1]
                  - age: [age1y]
            """))
        #expect(r.shamirThreshold == 2 && r.keyGroups.count == 3)
        let kms = r.keyGroups[0].entries[0]
        #expect(kms.context == ["app": "cloak", "env": "dev"])
        #expect(kms.fields == ["arn": "arn:aws:kms:us-east-1:1:key/a", "role": "arn:aws:iam::1:role/r", "aws_profile": "p"])
        #expect(r.keyGroups[0].entries[1].type == "hc_vault")
        #expect(r.keyGroups[1].entries.map(\.type) == ["age", "pgp", "gcp_kms", "azure_kv"])
    }

    @Test func unknownKeysAreErrorsAtTheirLine() {
        #expect(message("""
            creation_rules:
              - path_regex: other
                age: age1a
              - path_regex: x
                kms_arn: arn:aws:kms:us-east-1:1:key/a
            """).hasPrefix(".sops.yaml:5:5: error: unknown creation rule key 'kms_arn' (known: age, aws_profile,"))
        #expect(message("""
            creation_rules:
              - key_groups:
                  - agee: [age1a]
            """).hasPrefix(".sops.yaml:3:9: error: unknown key group key 'agee'"))
        #expect(message("""
            creation_rules:
              - key_groups:
                  - kms: [{arn: "arn:aws:kms:us-east-1:1:key/a", profile: p}]
            """).hasPrefix(".sops.yaml:3:54: error: unknown kms entry key 'profile'"))
        #expect(message("""
            creation_rules:
              - hckms: [x]
            """) == ".sops.yaml:2:5: error: creation rule key 'hckms' is not supported by cloak (use sops for it)")
    }

    @Test func badNotationsAndThresholdsAreClear() {
        #expect(message("creation_rules:\n  - kms: not-an-arn\n")
            == ".sops.yaml:2:10: error: kms key 'not-an-arn' is not a key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID)")
        #expect(message("creation_rules:\n  - gcp_kms: projects/p/keyRings/r\n").contains(
            "gcp_kms key 'projects/p/keyRings/r' is not projects/P/locations/L/keyRings/R/cryptoKeys/K"))
        #expect(message("creation_rules:\n  - azure_keyvault: https://v/secrets/x\n").contains("is not https://VAULT/keys/NAME[/VERSION]"))
        #expect(message("creation_rules:\n  - hc_vault_transit_uri: http://h/v1/transit/k\n").contains("is not ADDRESS/v1/ENGINE/keys/NAME"))
        #expect(message("creation_rules:\n  - shamir_threshold: 3\n    key_groups: [{age: [a]}, {age: [b]}]\n")
            == ".sops.yaml:2:23: error: shamir_threshold 3 is more than the 2 key group(s) of the rule")
    }

    @Test func explicitKeysReplaceTheConfig() throws {
        let keys = try SopsMasterKeys.kms("arn:aws:kms:us-east-1:1:key/a,arn:aws:kms:us-east-1:1:key/a", context: ["k": "v"])
        let r = try SopsConfig.creationRule(for: "/nonexistent/dir/x.yaml", explicitKeys: keys)
        #expect(r.keyGroups.count == 1 && r.keyGroups[0].entries.count == 1)
        #expect(r.keyGroups[0].entries[0].fields["aws_profile"] == "")
    }
}
