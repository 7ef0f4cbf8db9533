public import Core

/// How one `ref+gcpsecrets://PROJECT/SECRET[?version=N&optional=true&fallback_value=…&trim_nl=true][#/frag]`
/// reference is read (C.6): the path splits at its first `/`; a single segment takes the project from
/// `GCP_PROJECT`. The version defaults to `latest`.
public struct GCPSecretRefLookup: Sendable, Equatable {
    /// The project id.
    public var project: String
    /// The secret id.
    public var secret: String
    /// `version=`, else `latest`.
    public var version: String
    /// `optional=true`: a failed read yields an empty value.
    public var optional: Bool
    /// `fallback_value=`: a failed read yields this value.
    public var fallback: String?
    /// `trim_nl=true`: one trailing newline is dropped.
    public var trimNewline: Bool

    /// Interprets a provider path, its parameters and `GCP_PROJECT`.
    public init(path: String, params: RefParams, environment: Environment) throws(CloakError) {
        var p = Substring(path)
        while p.hasSuffix("/") { p = p.dropLast() }
        if let slash = p.firstIndex(of: "/") {
            project = String(p[..<slash])
            secret = String(p[p.index(after: slash)...])
        } else if let env = environment.nonEmpty("GCP_PROJECT") {
            project = env
            secret = String(p)
        } else {
            throw CloakError(.config, "gcpsecrets: \"\(p)\" names no project (write PROJECT/SECRET, or set GCP_PROJECT)")
        }
        guard !project.isEmpty, !secret.isEmpty else {
            throw CloakError(.config, "gcpsecrets: \"\(p)\" needs both a project and a secret (PROJECT/SECRET)")
        }
        version = params.value("version").flatMap { $0.isEmpty ? nil : $0 } ?? "latest"
        optional = params.value("optional") == "true"
        fallback = params.value("fallback_value")
        trimNewline = params.value("trim_nl") == "true"
    }
}
