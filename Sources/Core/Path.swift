/// Pure string operations on POSIX paths (no filesystem access).
public enum Path {
    /// Joins `base` and `component`; an absolute `component` replaces `base`.
    public static func join(_ base: String, _ component: String) -> String {
        if component.hasPrefix("/") || base.isEmpty { return component }
        if component.isEmpty { return base }
        return base.hasSuffix("/") ? base + component : base + "/" + component
    }

    /// Joins several components left to right.
    public static func join(_ base: String, _ components: String...) -> String {
        components.reduce(base) { join($0, $1) }
    }

    /// Lexically removes `.` and `..` segments and duplicate slashes (does not resolve symlinks).
    public static func normalize(_ path: String) -> String {
        // Byte-wise over UTF-8 ('/' and '.' are ASCII, so no multi-byte sequence is split): the generic
        // Substring/joined route resolves conformances at run time, a measurable part of every start.
        let bytes = Array(path.utf8)
        let absolute = bytes.first == UInt8(ascii: "/")
        var parts: [Range<Int>] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
            defer { start = i + 1 }
            let part = start..<i
            if part.isEmpty || (part.count == 1 && bytes[part.lowerBound] == UInt8(ascii: ".")) { continue }
            let isParent = part.count == 2 && bytes[part.lowerBound] == UInt8(ascii: ".")
                && bytes[part.lowerBound + 1] == UInt8(ascii: ".")
            if isParent {
                if let last = parts.last, !(last.count == 2 && bytes[last.lowerBound] == UInt8(ascii: ".")
                    && bytes[last.lowerBound + 1] == UInt8(ascii: "."))
                {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        var out: [UInt8] = absolute ? [UInt8(ascii: "/")] : []
        out.reserveCapacity(bytes.count + 1)
        for (n, part) in parts.enumerated() {
            if n > 0 { out.append(UInt8(ascii: "/")) }
            out.append(contentsOf: bytes[part])
        }
        return out.isEmpty ? "." : String(decoding: out, as: UTF8.self)
    }

    /// Makes `path` absolute against `directory` and normalizes it.
    public static func absolute(_ path: String, relativeTo directory: String) -> String {
        normalize(join(directory, path))
    }

    /// The directory part (`/a/b/c.yaml` → `/a/b`; `c.yaml` → `.`).
    public static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component (`/a/b/c.yaml` → `c.yaml`).
    public static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `path` relative to `base` when it lies inside it, otherwise `path` unchanged.
    public static func relative(_ path: String, to base: String) -> String {
        let b = base.hasSuffix("/") ? base : base + "/"
        if path == base { return "." }
        if path.hasPrefix(b) { return String(path.dropFirst(b.count)) }
        return path
    }

    /// The extension including the dot (`a.yaml.tmpl` → `.tmpl`), or "" when there is none.
    public static func fileExtension(_ path: String) -> String {
        let name = basename(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[dot...])
    }

    /// `path` without the given suffix, when present.
    public static func dropSuffix(_ path: String, _ suffix: String) -> String {
        path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) : path
    }
}
