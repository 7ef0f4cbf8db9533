
#if canImport(Glibc)
import CLI
import Core
import Glibc
import Sops
#endif

struct SopsEdit: Command {
    static let spec = CommandSpec(
        SopsEdit.self, name: "edit",
        abstract: "Edit a SOPS file in $EDITOR; re-encrypts on save, keeping unchanged ciphertexts.",
        discussion: """
            The plaintext copy lives in a private 0700 directory on memory-backed storage (/dev/shm, else \
            $XDG_RUNTIME_DIR, else $TMPDIR) and is overwritten and removed when the editor exits. A copy left behind \
            by an edit that was killed is wiped by the next 'cloak sops edit'. Content that does not parse is \
            refused: on a terminal you are asked to edit again; otherwise the file is left unchanged.
            """,
        options: SopsFileOptions.options, arguments: [SopsFileOptions.file]
    )
    let options: SopsFileOptions

    init(_ arguments: ParsedArguments) throws(CommandLineError) {
        options = try SopsFileOptions(arguments)
    }

    func run() throws {
        try Reporting.run {
            let format = try options.format()
            let services = try SopsKeys.services()
            let path = options.file
            guard FileSystem.exists(path) else {
                throw CloakError(.notFound, "\(path): file not found (create it with 'cloak sops set' or 'cloak sops encrypt')")
            }
            let editor = Environment.process.nonEmpty("VISUAL") ?? Environment.process.nonEmpty("EDITOR") ?? "vi"
            var changed = false
            try SopsFile.update(
                path: path, format: format, services: services,
                newFileRule: { () throws(CloakError) -> SopsCreationRule in try SopsConfig.creationRule(for: path) },
                edit: { (file: inout SopsFile) throws(CloakError) in
                    changed = try PlaintextEditSession.run(file: &file, editor: editor)
                })
            if !changed { Console.err("\(path): file has not changed") }
        }
    }
}

/// One round of editing a decrypted copy: private temp dir on tmpfs, editor, parse, wipe.
enum PlaintextEditSession {
    /// Returns whether the content changed; throws (leaving the file untouched) when the user gives up.
    static func run(file: inout SopsFile, editor: String) throws(CloakError) -> Bool {
        var original = try file.plaintext()
        defer { wipe(&original) }
        let workspace = try EditWorkspace.create()
        let dir = workspace.directory
        let name = Path.join(dir, "plaintext" + Path.fileExtension(file.file))
        defer {
            wipeFile(name)
            EditWorkspace.wipeDirectory(dir)
            rmdir(dir)
            workspace.release()
        }
        try writePrivate(name, original)
        while true {
            let status = try ShellCommand.interactive(["/bin/sh", "-c", "\(editor) \"$1\"", "sh", name])
            guard status == 0 else { throw CloakError(.io, "editor exited with status \(status); file left unchanged") }
            var edited = try FileSystem.readBytes(name)
            defer { wipe(&edited) }
            if edited == original { return false }
            do {
                try file.replaceContent(plaintext: edited, displayName: Path.basename(file.file) + " (edited)")
                return true
            } catch {
                guard Console.stdinIsTerminal else { throw error.prefixed("refusing to save invalid content") }
                Console.err("\(error.description)")
                Console.err("Press Enter to edit again, or Ctrl-C to abort (the file is unchanged).")
                _ = readLine()
            }
        }
    }

    private static func writePrivate(_ path: String, _ bytes: [UInt8]) throws(CloakError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileSystem.ioError("cannot create", path, errno) }
        defer { close(fd) }
        let ok = bytes.withUnsafeBytes { buf -> Bool in
            var off = 0
            while off < buf.count, let base = buf.baseAddress {
                let n = write(fd, base + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
        if !ok { throw FileSystem.ioError("cannot write", path, errno) }
    }

    /// Overwrites the file with zeros before unlinking it (the editor may have replaced it by rename).
    static func wipeFile(_ path: String) {
        if let size = FileSystem.fingerprint(path)?.size, size > 0 {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                let zeros = [UInt8](repeating: 0, count: Int(size))
                _ = zeros.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                fsync(fd)
                close(fd)
            }
        }
        unlink(path)
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }
}
