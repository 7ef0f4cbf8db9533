import Core
import Resolve
import Testing
import YAML

@Suite struct StackProcessingTests {
    static let atmos = """
        base_path: "."
        stacks:
          base_path: stacks
          included_paths: ["deploy/**/*"]
          excluded_paths: ["**/_*.yaml"]
          name_template: "{{ .vars.tenant }}-{{ .vars.stage }}"
        components:
          terraform:
            base_path: components/terraform
        env:
          FROM_ATMOS: "yes"

        """

    @Test func importFormsMergeDepthFirstWithImporterLast() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/globals.yaml": "vars:\n  tenant: acme\n  region: from-globals\n  level: globals\n",
            "stacks/catalog/app.yaml": "components:\n  terraform:\n    app:\n      vars:\n        flavor: plain\n",
            "stacks/catalog/app.yaml.tmpl": "components:\n  terraform:\n    app:\n      vars:\n        flavor: {{ .flavor }}\n        size: {{ get . \"size\" | default \"small\" }}\n",
            "stacks/catalog/db-main.yaml": "components:\n  terraform:\n    db:\n      vars:\n        engine: postgres\n",
            "stacks/catalog/dns.yaml": "components:\n  terraform:\n    dns:\n      vars:\n        zone: example.com\n",
            "stacks/deploy/_mixin.yaml": "vars:\n  level: mixin\n",
            "stacks/deploy/prod.yaml": """
                import:
                  - globals
                  - path: catalog/app
                    context:
                      flavor: blue
                  - catalog/d*
                  - ./_mixin
                  - path: catalog/not-there
                    skip_if_missing: true
                vars:
                  stage: prod
                components:
                  terraform:
                    db:
                      vars:
                        size: large

                """,
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.entries().map(\.name) == ["acme-prod"])
        let app = try catalog.component("app", stack: "acme-prod")
        #expect(app.vars["flavor"]?.scalarText == "blue")  // the .tmpl file wins over app.yaml and gets the context
        #expect(app.vars["size"]?.scalarText == "small")
        #expect(app.vars["level"]?.scalarText == "mixin")  // later imports merge over earlier ones
        #expect(app.vars["region"]?.scalarText == "from-globals")
        let db = try catalog.component("db", stack: "acme-prod")
        #expect(db.vars["engine"]?.scalarText == "postgres")  // from the glob
        #expect(db.vars["size"]?.scalarText == "large")  // the importer merges last
        #expect(try catalog.componentNames(stack: "acme-prod").map(\.name) == ["app", "db", "dns"])
        #expect(catalog.config.env.map(\.name) == ["FROM_ATMOS"])
    }

    @Test func sectionsMergeInAtmosOrder() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/deploy/dev.yaml": """
                vars: {tenant: t, stage: dev, who: global, tags: {a: global}}
                env: {LEVEL: global}
                settings: {owner: platform}
                terraform:
                  vars: {who: type-level}
                  backend_type: s3
                  backend: {s3: {bucket: tf-state}}
                components:
                  terraform:
                    base:
                      metadata: {type: abstract, component: shared}
                      vars: {who: base, tags: {b: base}}
                      env: {LEVEL: base}
                    svc:
                      metadata: {inherits: [base]}
                      vars: {tags: {c: svc}}
                overrides:
                  vars: {who: override}

                """,
        ])
        let svc = try repo.catalog().component("svc", stack: "t-dev")
        #expect(svc.vars["who"]?.scalarText == "override")
        #expect(svc.vars["tags"]?.keys == ["a", "b", "c"])
        #expect(svc.env["LEVEL"]?.scalarText == "base")
        #expect(svc.settings["owner"]?.scalarText == "platform")
        #expect(svc.section("backend")["s3"]?["bucket"]?.scalarText == "tf-state")
        #expect(svc.section("backend_type").scalarText == "s3")
        #expect(svc.componentPath == "shared")  // metadata.component is inherited
        #expect(svc.workspace == "t-dev-svc")
        #expect(!svc.isAbstract)
        #expect(try repo.catalog().component("base", stack: "t-dev").isAbstract)
    }

    @Test func overridesApplyOnlyToTheirFileAndImports() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/teams/data.yaml": """
                components:
                  terraform:
                    warehouse: {vars: {size: m}}
                overrides:
                  vars: {owner: data-team}

                """,
            "stacks/deploy/prod.yaml": """
                import: [teams/data]
                vars: {tenant: t, stage: prod}
                components:
                  terraform:
                    vpc: {vars: {cidr: 10.0.0.0/16}}

                """,
        ])
        let catalog = try repo.catalog()
        #expect(try catalog.component("warehouse", stack: "t-prod").vars["owner"]?.scalarText == "data-team")
        #expect(try catalog.component("vpc", stack: "t-prod").vars["owner"] == nil)
    }

    @Test func yamlFunctionsRunAtLoadTime() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "config/network.json": #"{"cidr": "10.9.0.0/16", "zones": ["a", "b"]}"#,
            "config/team.yaml": "owner: sre\nnested:\n  level: deep\n",
            "config/motd.txt": "hello\n",
            "stacks/deploy/prod.yaml": """
                vars: {tenant: t, stage: prod}
                components:
                  terraform:
                    app:
                      vars:
                        network: !include config/network.json
                        cidr: !include config/network.json .cidr
                        level: !include config/team.yaml .nested.level
                        motd: !include.raw config/motd.txt
                        region: !env CLOAK_TEST_REGION
                        fallback: !env CLOAK_TEST_UNSET us-east-1
                        echoed: !exec echo hi
                        token: !secret API_TOKEN
                        out: !terraform.output vpc .id

                """,
        ])
        let app = try repo.catalog(environment: ["CLOAK_TEST_REGION": "eu-west-1"]).component("app", stack: "t-prod")
        #expect(app.vars["network"]?["zones"]?.items?.count == 2)
        #expect(app.vars["cidr"]?.scalarText == "10.9.0.0/16")
        #expect(app.vars["level"]?.scalarText == "deep")
        #expect(app.vars["motd"]?.scalarText == "hello\n")
        #expect(app.vars["region"]?.scalarText == "eu-west-1")
        #expect(app.vars["fallback"]?.scalarText == "us-east-1")
        #expect(app.vars["echoed"]?.scalarText == "hi")
        #expect(app.vars["token"]?.tag == "!secret")  // deferred
        #expect(app.vars["token"]?.scalarText == "API_TOKEN")
        #expect(app.vars["out"]?.tag == "!terraform.output")
        let masked = Redaction.maskSecretTags(app.vars)
        #expect(masked["token"]?.scalarText == "<MASKED>")
    }

    @Test func secretDeclarationsAreStampedWithTheirScope() throws {
        let repo = try TestRepo([
            "atmos.yaml": Self.atmos,
            "stacks/deploy/prod.yaml": """
                vars: {tenant: t, stage: prod}
                secrets:
                  vars:
                    DB_PASSWORD: {store: ssm, required: true}
                    SHARED: {store: ssm, scope: global}
                components:
                  terraform:
                    api:
                      secrets:
                        vars:
                          API_KEY: {sops: dev-sops}
                    worker:
                      secrets:
                        vars:
                          DB_PASSWORD: {description: own copy}

                """,
        ])
        let catalog = try repo.catalog()
        let api = try catalog.component("api", stack: "t-prod").secrets["vars"]
        #expect(api?["DB_PASSWORD"]?["scope"]?.scalarText == "stack")
        #expect(api?["SHARED"]?["scope"]?.scalarText == "global")
        #expect(api?["API_KEY"]?["scope"]?.scalarText == "instance")
        let worker = try catalog.component("worker", stack: "t-prod").secrets["vars"]
        #expect(worker?["DB_PASSWORD"]?["scope"]?.scalarText == "instance")
        #expect(worker?["DB_PASSWORD"]?["store"]?.scalarText == "ssm")
    }

    @Test func namePatternAndPathNames() throws {
        let repo = try TestRepo([
            "atmos.yaml": """
                stacks:
                  base_path: stacks
                  included_paths: ["orgs/**/*"]
                  name_pattern: "{tenant}-{environment}-{stage}"

                """,
            "stacks/orgs/acme/ue2/dev.yaml": "vars: {tenant: acme, environment: ue2, stage: dev}\ncomponents: {terraform: {vpc: {}}}\n",
            "stacks/orgs/acme/ue2/prod.yaml": "vars: {tenant: acme, environment: ue2, stage: prod}\ncomponents: {terraform: {vpc: {}}}\n",
        ])
        #expect(try repo.catalog().entries().map(\.name) == ["acme-ue2-dev", "acme-ue2-prod"])
        let plain = try TestRepo([
            "atmos.yaml": "stacks:\n  base_path: stacks\n",
            "stacks/deploy/dev.yaml": "components: {terraform: {vpc: {}}}\n",
        ])
        #expect(try plain.catalog().entries().map(\.name) == ["deploy/dev"])
    }
}
