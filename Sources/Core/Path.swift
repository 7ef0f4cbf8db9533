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
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = out.last, last != ".." {
                    out.removeLast()
                } else if !absolute {
                    out.append(part)
                }
                continue
            }
            out.append(part)
        }
        // Appended by hand: the generic `joined(separator:)` over Substrings resolves its conformances at run time,
        // a measurable part of every start.
        var result = absolute ? "/" : ""
        result.reserveCapacity(path.utf8.count + 1)
        for (i, part) in out.enumerated() {
            if i > 0 { result += "/" }
            result += part
        }
        return result.isEmpty ? "." : result
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
