import Core
import Synchronization
import Testing

@testable import Stores

@Suite struct CredentialChainTests {
    static func fileEnv(_ extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "AWS_CONFIG_FILE": StoresFixtures.path("aws/config"),
            "AWS_SHARED_CREDENTIALS_FILE": StoresFixtures.path("aws/credentials"),
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    @Test func iniParsingHandlesProfilesCommentsAndSubBlocks() throws {
        let shared = SharedConfig.load(testEnvironment(Self.fileEnv()))
        #expect(shared.profiles["dev"]?["region"] == "us-west-2")
        #expect(shared.profiles["dev"]?["max_concurrent_requests"] == nil)
        // The credentials file wins over the config file for the same profile.
        #expect(shared.profiles["dev"]?["aws_access_key_id"] == "AKIDCREDSDEV")
        #expect(shared.profiles["corp"] == nil)
        let ini = INIFile("[a]\nk = v # c\nurl = http://x/#frag\n; skip\n[b]\nx=1\n")
        #expect(ini.sections["a"]?["k"] == "v")
        #expect(ini.sections["a"]?["url"] == "http://x/#frag")
        #expect(ini.order == ["a", "b"])
    }

    @Test func environmentKeysComeFirst() throws {
        let ctx = testContext(ScriptedTransport(), env: ["AWS_SESSION_TOKEN": "tok"])
        let c = try DefaultCredentialChain(context: ctx, region: "us-east-1").credentials()
        #expect(c.accessKeyId == "AKIDTEST")
        #expect(c.sessionToken?.unsafeString() == "tok")
        #expect(c.source == "environment")
    }

    @Test func profilesFromFiles() throws {
        let ctx = testContext(ScriptedTransport(), env: Self.fileEnv(["AWS_PROFILE": "dev"]))
        let c = try DefaultCredentialChain(context: ctx, region: "us-east-1").credentials()
        #expect(c.accessKeyId == "AKIDCREDSDEV")
        #expect(c.secretAccessKey.unsafeString() == "creds-dev-secret")
        #expect(c.sessionToken?.unsafeString() == "creds-dev-token")
        let d = try DefaultCredentialChain(context: testContext(ScriptedTransport(), env: Self.fileEnv()), region: "x").credentials()
        #expect(d.accessKeyId == "AKIDDEFAULT")
        #expect(AWSRegion.resolve(option: nil, profile: "dev", environment: testEnvironment(Self.fileEnv())) == "us-west-2")
        #expect(AWSRegion.resolve(option: nil, profile: nil, environment: testEnvironment(Self.fileEnv())) == "eu-west-1")
        #expect(AWSRegion.resolve(option: "ap-south-1", profile: nil, environment: testEnvironment(Self.fileEnv())) == "ap-south-1")
    }

    @Test func credentialProcessIsRun() throws {
        let ctx = testContext(ScriptedTransport(), env: Self.fileEnv())
        let c = try DefaultCredentialChain(context: ctx, profile: "proc", region: "us-east-1").credentials()
        #expect(c.accessKeyId == "AKIDPROC")
        #expect(c.sessionToken?.unsafeString() == "proc-token")
        #expect(c.expiration == AmzDate.parse("2099-01-01T00:00:00Z"))
    }

    @Test func assumeRoleSignsAQueryRequestAndReadsXML() throws {
        let xml = """
            <AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId>\
            <SecretAccessKey>role&amp;secret</SecretAccessKey><SessionToken>role-token</SessionToken>\
            <Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>
            """
        let t = ScriptedTransport([ScriptedTransport.json(200, xml)])
        let ctx = testContext(t, env: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9/"])
        let base = DefaultCredentialChain(context: ctx, region: "us-east-1")
        let role = AssumeRoleProvider(base: base, roleArn: "arn:aws:iam::1:role/r", region: "us-east-1", context: ctx)
        let c = try role.credentials()
        #expect(c.accessKeyId == "ASIAROLE")
        #expect(c.secretAccessKey.unsafeString() == "role&secret")
        let sent = t.sent.withLock { $0[0] }
        #expect(sent.url == "http://127.0.0.1:9/")
        #expect(sent.header("Authorization")?.contains("/us-east-1/sts/aws4_request") == true)
        #expect(t.body(0).contains("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"))
        // Cached: no second STS call.
        _ = try role.credentials()
        #expect(t.count == 1)
    }

    @Test func circularSourceProfilesAreAConfigError() {
        let ctx = testContext(ScriptedTransport(), env: Self.fileEnv())
        #expect {
            _ = try DefaultCredentialChain(context: ctx, profile: "loop-a", region: "us-east-1").credentials()
        } throws: { e in (e as? CloakError)?.message.contains("too long or circular") == true }
    }

    @Test func ssoAndMissingProfilesSayWhy() {
        let ctx = testContext(ScriptedTransport(), env: Self.fileEnv())
        #expect {
            _ = try DefaultCredentialChain(context: ctx, profile: "sso", region: "us-east-1").credentials()
        } throws: { e in (e as? CloakError)?.message.contains("SSO") == true }
        #expect {
            _ = try DefaultCredentialChain(context: ctx, profile: "absent", region: "us-east-1").credentials()
        } throws: { e in (e as? CloakError)?.message.contains("\"absent\"") == true }
    }

    @Test func nothingConfiguredFailsWithoutNetwork() {
        let t = ScriptedTransport()
        let ctx = testContext(t, env: Self.fileEnv(["AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent"]))
        #expect(throws: CloakError.self) { _ = try DefaultCredentialChain(context: ctx, region: "us-east-1").credentials() }
        #expect(t.count == 0)  // instance metadata disabled, no container variables
    }

    @Test func containerCredentialsUseTheAuthorizationToken() throws {
        let body = #"{"AccessKeyId":"AKIDECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"2099-01-01T00:00:00Z"}"#
        let t = ScriptedTransport([ScriptedTransport.json(200, body)])
        let ctx = testContext(t, env: Self.fileEnv([
            "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "auth-tok",
        ]))
        let c = try DefaultCredentialChain(context: ctx, region: "us-east-1").credentials()
        #expect(c.accessKeyId == "AKIDECS")
        #expect(t.sent.withLock { $0[0].header("Authorization") } == "auth-tok")
    }

    @Test func instanceMetadataUsesAnIMDSv2Token() throws {
        let t = ScriptedTransport([
            ScriptedTransport.json(200, "imds-token"), ScriptedTransport.json(200, "my-role\n"),
            ScriptedTransport.json(200, #"{"Code":"Success","AccessKeyId":"AKIDIMDS","SecretAccessKey":"s","Token":"t"}"#),
        ])
        let ctx = testContext(t, env: Self.fileEnv([
            "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
            "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9",
        ]))
        let c = try DefaultCredentialChain(context: ctx, region: "us-east-1").credentials()
        #expect(c.accessKeyId == "AKIDIMDS")
        let sent = t.sent.withLock { $0 }
        #expect(sent[0].method == "PUT" && sent[0].url == "http://127.0.0.1:9/latest/api/token")
        #expect(sent[2].url == "http://127.0.0.1:9/latest/meta-data/iam/security-credentials/my-role")
        #expect(sent[2].header("X-aws-ec2-metadata-token") == "imds-token")
    }
}
