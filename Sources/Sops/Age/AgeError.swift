import Core

/// The classes of age failure. Each has its own message prefix so callers (and the testkit test) can tell them
/// apart from a `CloakError` alone.
enum AgeFailure: CaseIterable {
    case noMatch, badMAC, header, payload, armor, unsupported, workFactor, passphrase

    /// The fixed start of every message of this class.
    var prefix: String {
        switch self {
        case .noMatch: "age: no identity matched any of the file's recipients"
        case .passphrase: "age: incorrect passphrase"
        case .badMAC: "age: bad header MAC"
        case .header: "age: malformed header"
        case .payload: "age: payload"
        case .armor: "age: invalid armor"
        case .unsupported: "age: unsupported"
        case .workFactor: "age: scrypt work factor too large"
        }
    }

    /// The class of an error produced by this module, if it is an age error.
    static func of(_ error: CloakError) -> AgeFailure? {
        allCases.first { error.message.hasPrefix($0.prefix) }
    }
}

extension CloakError {
    /// An age decryption failure of class `failure`, with optional detail after the class prefix.
    static func age(_ failure: AgeFailure, _ detail: String = "", code: Code = .decrypt) -> CloakError {
        CloakError(code, failure.prefix + detail)
    }

    /// A malformed recipient or identity string (the key text itself is never quoted).
    static func ageKey(_ detail: String) -> CloakError {
        CloakError(.config, "age: \(detail)")
    }
}
