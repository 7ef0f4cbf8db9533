import Core

/// `credential_process`: runs the command through `/bin/sh -c` and reads its JSON (Version 1).
enum ProcessCredentials {
    static func fetch(command: String, profile: String, environment: Environment) throws(CloakError) -> AWSCredentials {
        let source = "credential_process of profile \(profile)"
        var result = try ShellCommand.capture(["/bin/sh", "-c", command], environment: environment)
        defer { for i in result.stdout.indices { result.stdout[i] = 0 } }
        guard result.status == 0 else {
            throw CloakError(.backend, "\(source) exited with status \(result.status)")
        }
        let secret = SecretBytes(consuming: &result.stdout)
        return try secret.withUnsafeBytes { (buf) throws(CloakError) -> AWSCredentials in
            try CredentialsJSON.parse(buf, source: source)
        }
    }
}
