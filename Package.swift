// swift-tools-version: 6.2
import Foundation
import PackageDescription

// libsodium, libyaml, libseccomp and libcrypto are linked from their static archives (Debian's -dev packages ship
// them): binding ~5,000 symbols of shared libraries at every start cost about a third of `cloak exec`'s time
// (docs/BENCHMARKS.md). The trade-off is the one every Go tool makes: a security update of one of these libraries
// needs a rebuild of cloak. CLOAK_SHARED_LIBS=1 links the shared libraries instead (for distribution packages).
let sharedLibraries = Context.environment["CLOAK_SHARED_LIBS"] == "1"

/// How a target links the Debian library `name`: its static archive, or the shared library with CLOAK_SHARED_LIBS=1.
func systemLibrary(_ name: String) -> [LinkerSetting] {
    sharedLibraries ? [.linkedLibrary(name)] : [.unsafeFlags(["-Xlinker", "-l:lib\(name).a"])]
}

/// libstdc++ (the Swift runtime's) from its archive too: the static-stdlib link says `-lstdc++`, and `link/` — searched
/// before the compiler's directories — holds `libstdc++.a`, a symlink to Debian 12's archive (gcc 12). The second
/// `-lstdc++` serves archives that the linker reads after the first. Where the symlink does not resolve (another
/// distribution), the shared libstdc++ is used as before. libgcc's unwinder comes from its archive as well
/// (`-static-libgcc`), which spares the loader one more library.
let cxxArchive = "\(Context.packageDirectory)/link/libstdc++.a"
let staticCxx = !sharedLibraries && FileManager.default.fileExists(atPath: cxxArchive)
    ? ["-Xclang-linker", "-L\(Context.packageDirectory)/link", "-Xlinker", "-lstdc++", "-Xclang-linker", "-static-libgcc"] : []

/// DT_RELR packed relative relocations through lld; CLOAK_RELR=0 links with the default linker and plain RELA
/// (for glibc older than 2.36, which cannot load DT_RELR).
let packedRelocations = Context.environment["CLOAK_RELR"] == "0"
    ? [] : ["-Xclang-linker", "-fuse-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"]

let package = Package(
    name: "cloak",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cloak", targets: ["cloak"])
    ],
    targets: [
        // System libraries from Debian: each directory holds only module.modulemap and shim.h.
        .systemLibrary(name: "CSodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CLibYAML", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CSeccomp", providers: [.apt(["libseccomp-dev"])]),
        // Our own C: what the Glibc module hides (_GNU_SOURCE) or what must be async-signal-safe.
        .target(name: "CCloakLinux", cSettings: [.define("_GNU_SOURCE")]),
        // libcurl through dlopen on first use (headers from libcurl4-openssl-dev, never linked): see ccurl.h.
        .target(name: "CCurl"),
        // OpenSSL's EVP/BN/PEM layers through dlopen on first use (headers from libssl-dev, never linked): see ccrypto.h.
        .target(name: "CCrypto"),
        // A TLS client from libssl through dlopen on first use (only rediss:// needs it): see ctls.h.
        .target(name: "CTLS"),
        // AES-256-GCM on AES-NI + OpenSSL's GCM mode, bypassing EVP's provider start-up: see aesgcm.h.
        .target(name: "CAESGCM", linkerSettings: systemLibrary("crypto")),

        .target(name: "Core", dependencies: ["CSodium"], linkerSettings: systemLibrary("sodium")),
        .target(name: "YAML", dependencies: ["Core", "CLibYAML"], linkerSettings: systemLibrary("yaml")),
        .target(name: "Sops", dependencies: ["Core", "YAML", "CSodium", "CCrypto", "CAESGCM"]),
        .target(name: "Stores", dependencies: ["Core", "YAML", "Sops", "CCurl", "CCrypto", "CTLS"]),
        .target(name: "Resolve", dependencies: ["Core", "YAML"]),
        .target(name: "Sandbox", dependencies: ["Core", "CSeccomp", "CCloakLinux"], linkerSettings: systemLibrary("seccomp")),
        .target(name: "Injector", dependencies: ["Core", "YAML", "Resolve", "Sandbox", "CCloakLinux"]),
        // cloak's own command-line parser: declarative specs, help, completion; no dependencies, prints nothing.
        .target(name: "CLI"),
        .executableTarget(
            name: "cloak",
            dependencies: ["Core", "YAML", "Sops", "Stores", "Resolve", "Sandbox", "Injector", "CLI"],
            // The Swift runtime linked in: loading its shared libraries cost ~2 ms of every start (docs/BENCHMARKS.md).
            // lld (shipped with the toolchain) packs the relative relocations of this PIE into a DT_RELR bitmap of a
            // few KiB (glibc >= 2.36) instead of RELA entries the loader reads at every start.
            linkerSettings: [.unsafeFlags(["-static-stdlib"] + staticCxx + packedRelocations)]
        ),

        // Test-only: drives the launcher from its command line so tests can send real signals and use real PTYs.
        .executableTarget(name: "launch-probe", dependencies: ["Injector", "Sandbox", "Core"], path: "Tests/LaunchProbe"),

        // libFuzzer targets (scripts/reliability builds them with -sanitize=fuzzer); a normal build replays inputs.
        .executableTarget(name: "cloak-fuzz", dependencies: ["Core", "YAML", "Sops", "Stores", "Resolve"], path: "Fuzz/Sources"),

        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "Core"]),
        .testTarget(name: "SopsTests", dependencies: ["Sops", "YAML", "Core", "CAESGCM"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ResolveTests", dependencies: ["Resolve", "YAML", "Core"], resources: [.copy("Fixtures")]),
        .testTarget(name: "InjectorTests", dependencies: ["Injector", "Core"]),
        .testTarget(name: "StoresTests", dependencies: ["Stores", "Core", "YAML"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Injector", "Core"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
    ]
)

// Every Swift target: Swift 6 mode plus the upcoming features that keep C types and existentials explicit.
for target in package.targets where target.type != .system {
    if ["CCloakLinux", "CCurl", "CCrypto", "CTLS", "CAESGCM"].contains(target.name) { continue }
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    // No Swift concurrency in the product (libcurl transfers run on plain pthreads): without the implicit import
    // the concurrency runtime and libdispatch stay out of the binary, with their relocations and conformances.
    if target.type != .test, target.name != "launch-probe" {
        settings.append(.unsafeFlags(["-Xfrontend", "-disable-implicit-concurrency-module-import"]))
    }
    target.swiftSettings = settings
}
