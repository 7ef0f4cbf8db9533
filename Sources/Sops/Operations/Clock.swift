import Glibc

/// UTC timestamps in sops's `lastmodified` form.
public enum SopsClock {
    /// Seconds since the epoch, now.
    public static func now() -> Int64 { Int64(time(nil)) }

    /// RFC 3339 UTC with whole seconds: `2026-11-22T03:17:09Z`.
    public static func format(_ epoch: Int64) -> String {
        var t = time_t(epoch)
        var tmv = tm()
        _ = gmtime_r(&t, &tmv)
        func p(_ v: Int32, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(p(tmv.tm_year + 1900, 4))-\(p(tmv.tm_mon + 1, 2))-\(p(tmv.tm_mday, 2))T"
            + "\(p(tmv.tm_hour, 2)):\(p(tmv.tm_min, 2)):\(p(tmv.tm_sec, 2))Z"
    }

    /// What sops uses as the MAC's AAD: `lastmodified` parsed as RFC 3339 and formatted again (fractional seconds
    /// dropped, `+00:00` written as `Z`); the text unchanged when it does not parse.
    static func normalized(_ text: String) -> String {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 45, b[7] == 45, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == 58, b[16] == 58
        else { return text }
        var i = 19
        if i < b.count && b[i] == 46 {
            i += 1
            while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
        }
        var zone = String(decoding: b[i...], as: UTF8.self)
        if zone == "z" || zone == "+00:00" { zone = "Z" }
        var head = Array(b[0..<19])
        head[10] = UInt8(ascii: "T")
        return String(decoding: head, as: UTF8.self) + zone
    }
}

extension SopsClock {
    /// Seconds since the epoch of a `YYYY-MM-DDTHH:MM:SSZ` timestamp (as written in `lastmodified`), or nil.
    public static func epoch(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 20, b[19] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int32? { Int32(String(decoding: b[r], as: UTF8.self)) }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16),
              let s = num(17..<19)
        else { return nil }
        var t = tm()
        t.tm_year = y - 1900
        t.tm_mon = mo - 1
        t.tm_mday = d
        t.tm_hour = h
        t.tm_min = mi
        t.tm_sec = s
        return Int64(timegm(&t))
    }
}
