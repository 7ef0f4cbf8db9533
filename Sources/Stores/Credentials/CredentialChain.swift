public import Core

/// The default credential chain, in the AWS SDKs' order: a named profile when one is given explicitly; otherwise
/// environment keys, web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`), the shared-config profile
/// (`AWS_PROFILE` or `default`: static keys, `role_arn` with `source_profile`/`credential_source`/
/// `web_identity_token_file`, `credential_process`), container credentials, then EC2 instance metadata.
public struct DefaultCredentialChain: AWSCredentialProvider {
    /// The shared context.
    public let context: AWSContext
    /// A profile named by configuration (`aws_profile`), which then must exist.
    public let profile: String?
    /// Region for STS calls when the profile names none.
    public let region: String

    /// Creates the chain.
    public init(context: AWSContext, profile: String? = nil, region: String) {
        self.context = context
        self.profile = profile
        self.region = region
    }

    public func credentials() throws(CloakError) -> AWSCredentials {
        let chain = self
        return try context.cached("chain:\(profile ?? "")") { () throws(CloakError) -> AWSCredentials in
            try chain.resolve()
        }
    }

    func resolve() throws(CloakError) -> AWSCredentials {
        let env = context.environment
        if let explicit = profile, !explicit.isEmpty {
            let shared = SharedConfig.load(env)
            guard let creds = try profileCredentials(explicit, shared: shared, depth: 0) else {
                throw CloakError(.config, "AWS profile \"\(explicit)\" has no credentials (or is not in the shared config files)")
            }
            return creds
        }
        if let creds = Self.environmentCredentials(env) { return creds }
        if let tokenFile = env.nonEmpty("AWS_WEB_IDENTITY_TOKEN_FILE"), let role = env.nonEmpty("AWS_ROLE_ARN") {
            return try webIdentity(role: role, tokenFile: tokenFile, session: env.nonEmpty("AWS_ROLE_SESSION_NAME"), region: region)
        }
        let shared = SharedConfig.load(env)
        let name = SharedConfig.profileName(explicit: nil, environment: env)
        if let creds = try profileCredentials(name, shared: shared, depth: 0) { return creds }
        if name != "default" && shared.profiles[name] == nil {
            throw CloakError(.config, "AWS profile \"\(name)\" (AWS_PROFILE) is not in the shared config files")
        }
        if let creds = try ContainerCredentials.fetch(environment: env, http: context.http) { return creds }
        if let creds = try InstanceMetadataCredentials.fetch(environment: env, http: context.http) { return creds }
        throw CloakError(
            .backend,
            "no AWS credentials found (checked AWS_ACCESS_KEY_ID, web identity, profile \"\(name)\", container and instance metadata)")
    }

    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`).
    static func environmentCredentials(_ env: Environment) -> AWSCredentials? {
        guard let id = env.nonEmpty("AWS_ACCESS_KEY_ID"), let secret = env.nonEmpty("AWS_SECRET_ACCESS_KEY") else {
            return nil
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: .text(secret), sessionToken: env.nonEmpty("AWS_SESSION_TOKEN").map(SecretBytes.text),
            source: "environment")
    }

    func profileCredentials(_ name: String, shared: SharedConfig, depth: Int) throws(CloakError) -> AWSCredentials? {
        guard depth < 8 else { throw CloakError(.config, "AWS profile \"\(name)\": source_profile chain is too long or circular") }
        guard let p = shared.profiles[name] else { return nil }
        let stsRegion = p["region"].flatMap { $0.isEmpty ? nil : $0 } ?? region
        if let role = p["role_arn"], !role.isEmpty {
            let session = p["role_session_name"]
            if let tokenFile = p["web_identity_token_file"], p["source_profile"] == nil {
                return try webIdentity(role: role, tokenFile: context.environment.expandPath(tokenFile), session: session, region: stsRegion)
            }
            let base: AWSCredentials
            if let source = p["source_profile"], !source.isEmpty {
                if source == name {
                    guard let own = Self.staticCredentials(p, profile: name) else {
                        throw CloakError(.config, "AWS profile \"\(name)\" is its own source_profile but has no keys")
                    }
                    base = own
                } else {
                    guard let got = try profileCredentials(source, shared: shared, depth: depth + 1) else {
                        throw CloakError(.config, "AWS profile \"\(name)\": source_profile \"\(source)\" has no credentials")
                    }
                    base = got
                }
            } else if let cs = p["credential_source"] {
                base = try credentialSource(cs, profile: name)
            } else {
                throw CloakError(.config, "AWS profile \"\(name)\" has role_arn but no source_profile or credential_source")
            }
            let sts = STSClient(region: stsRegion, environment: context.environment, http: context.http)
            return try sts.assumeRole(
                roleArn: role, sessionName: session ?? "cloak-\(context.now())", externalId: p["external_id"],
                durationSeconds: p["duration_seconds"].flatMap { Int($0) }, base: base)
        }
        if let creds = Self.staticCredentials(p, profile: name) { return creds }
        if let command = p["credential_process"], !command.isEmpty {
            return try ProcessCredentials.fetch(command: command, profile: name, environment: context.environment)
        }
        if p["sso_session"] != nil || p["sso_start_url"] != nil {
            throw CloakError(
                .config, "AWS profile \"\(name)\" uses IAM Identity Center (SSO), which cloak does not support yet; export credentials with `aws configure export-credentials`")
        }
        return nil
    }

    static func staticCredentials(_ p: [String: String], profile: String) -> AWSCredentials? {
        guard let id = p["aws_access_key_id"], !id.isEmpty, let secret = p["aws_secret_access_key"], !secret.isEmpty else {
            return nil
        }
        let token = p["aws_session_token"].flatMap { $0.isEmpty ? nil : SecretBytes.text($0) }
        return AWSCredentials(accessKeyId: id, secretAccessKey: .text(secret), sessionToken: token, source: "profile \(profile)")
    }

    func credentialSource(_ source: String, profile: String) throws(CloakError) -> AWSCredentials {
        let env = context.environment
        let found: AWSCredentials?
        switch source {
        case "Environment": found = Self.environmentCredentials(env)
        case "EcsContainer": found = try ContainerCredentials.fetch(environment: env, http: context.http)
        case "Ec2InstanceMetadata": found = try InstanceMetadataCredentials.fetch(environment: env, http: context.http)
        default:
            throw CloakError(.config, "AWS profile \"\(profile)\": unknown credential_source \"\(source)\"")
        }
        guard let found else { throw CloakError(.backend, "AWS profile \"\(profile)\": credential_source \(source) has no credentials") }
        return found
    }

    func webIdentity(role: String, tokenFile: String, session: String?, region: String) throws(CloakError) -> AWSCredentials {
        var bytes: [UInt8]
        do { bytes = try FileSystem.readBytes(tokenFile) } catch {
            throw CloakError(.io, "cannot read the web identity token file \"\(tokenFile)\"")
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        let token = SecretBytes(consuming: &bytes)
        let sts = STSClient(region: region, environment: context.environment, http: context.http)
        return try sts.assumeRoleWithWebIdentity(roleArn: role, sessionName: session ?? "cloak-\(context.now())", token: token)
    }
}

/// Credentials for a role assumed with base credentials (SSM `read_role_arn`/`write_role_arn`, sops `role`).
public struct AssumeRoleProvider: AWSCredentialProvider {
    /// Where the base credentials come from.
    public let base: any AWSCredentialProvider
    /// The role.
    public let roleArn: String
    /// STS region.
    public let region: String
    /// The shared context.
    public let context: AWSContext

    /// Creates the provider.
    public init(base: any AWSCredentialProvider, roleArn: String, region: String, context: AWSContext) {
        self.base = base
        self.roleArn = roleArn
        self.region = region
        self.context = context
    }

    public func credentials() throws(CloakError) -> AWSCredentials {
        let me = self
        return try context.cached("role:\(roleArn)") { () throws(CloakError) -> AWSCredentials in
            let baseCreds = try me.base.credentials()
            let sts = STSClient(region: me.region, environment: me.context.environment, http: me.context.http)
            return try sts.assumeRole(roleArn: me.roleArn, sessionName: "cloak-\(me.context.now())", base: baseCreds)
        }
    }
}
