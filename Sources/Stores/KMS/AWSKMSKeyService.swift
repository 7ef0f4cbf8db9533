public import Core
public import Sops

/// The sops `kms` key type over AWS KMS: the data key is wrapped with `Encrypt` and unwrapped with `Decrypt`,
/// passing the entry's `context` as `EncryptionContext`. The entry's `aws_profile` picks a shared-config profile
/// and `role` is assumed first. The region comes from the key ARN; the endpoint from `AWS_ENDPOINT_URL_KMS` or
/// `AWS_ENDPOINT_URL` when set.
public final class AWSKMSKeyService: SopsKeyService, Sendable {
    /// `kms`.
    public let keyType = "kms"
    private let context: AWSContext

    /// Creates the service over a shared AWS context.
    public init(context: AWSContext) { self.context = context }

    public func decrypt(entry: SopsKeyEntry) throws(CloakError) -> SecretBytes {
        let arn = entry.fields["arn"] ?? ""
        let client = try client(for: entry)
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("CiphertextBlob", entry.encryptedKey)
        if !arn.isEmpty { w.field("KeyId", arn) }
        writeContext(entry.context, w)
        w.endObject()
        let what = "kms Decrypt \(arn)"
        switch try client.call("Decrypt", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let key = doc.with { buf, root in
                root.member("Plaintext", in: buf)?.stringRange.flatMap {
                    AWSBase64.decodeSecret(UnsafeRawBufferPointer(rebasing: buf[$0]))
                }
            }
            response.body.reset()
            guard let key else { throw CloakError(.decrypt, "\(what): the response has no Plaintext") }
            return key
        }
    }

    public func encrypt(dataKey: SecretBytes, for entry: SopsKeyEntry) throws(CloakError) -> SopsKeyEntry {
        let arn = entry.fields["arn"] ?? ""
        guard !arn.isEmpty else { throw CloakError(.config, "a kms key entry needs an arn") }
        let client = try client(for: entry)
        let encoded = SecureBuffer(capacity: dataKey.count * 2 + 8)
        dataKey.withUnsafeBytes { AWSBase64.encode($0, into: encoded) }
        let w = JSONBodyWriter()
        w.beginObject()
        w.field("KeyId", arn)
        w.key("Plaintext")
        w.string(encoded.secret())
        encoded.reset()
        writeContext(entry.context, w)
        w.endObject()
        let what = "kms Encrypt \(arn)"
        switch try client.call("Encrypt", body: w.finish()) {
        case .failed(let code, let status, let attempts):
            throw AWSJSONClient.failure(what, code: code, status: status, attempts: attempts)
        case .ok(let response):
            let doc = try AWSJSONClient.parse(response, what)
            let blob = doc.with { buf, root in
                root.member("CiphertextBlob", in: buf)?.stringRange.flatMap { JSONScanner.plainString(buf, $0) }
            }
            guard let blob, !blob.isEmpty else { throw CloakError(.backend, "\(what): the response has no CiphertextBlob") }
            var out = entry
            out.encryptedKey = blob
            out.fields["created_at"] = AmzDate.rfc3339(context.now())
            return out
        }
    }

    /// The region in `arn:aws:kms:<region>:<account>:key/<id>`.
    static func region(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[2] == "kms", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    private func client(for entry: SopsKeyEntry) throws(CloakError) -> AWSJSONClient {
        let arn = entry.fields["arn"] ?? ""
        let profile = entry.fields["aws_profile"].flatMap { $0.isEmpty ? nil : $0 }
        guard let region = Self.region(ofARN: arn) ?? AWSRegion.resolve(option: nil, profile: profile, environment: context.environment)
        else {
            throw CloakError(.config, "kms key \(arn): cannot tell its region (use a key ARN or set AWS_REGION)")
        }
        var creds: any AWSCredentialProvider = DefaultCredentialChain(context: context, profile: profile, region: region)
        if let role = entry.fields["role"], !role.isEmpty {
            creds = AssumeRoleProvider(base: creds, roleArn: role, region: region, context: context)
        }
        let endpoint = AWSEndpoints.resolve(
            explicit: nil, serviceEnv: "KMS", hostPrefix: "kms", region: region, environment: context.environment)
        return AWSJSONClient(
            service: "kms", targetPrefix: "TrentService", endpoint: endpoint, region: region, credentials: creds,
            http: context.http)
    }

    private func writeContext(_ ctx: [String: String], _ w: JSONBodyWriter) {
        guard !ctx.isEmpty else { return }
        w.key("EncryptionContext")
        w.beginObject()
        for k in ctx.keys.sorted() { w.field(k, ctx[k] ?? "") }
        w.endObject()
    }
}
