import AegisCore
import Foundation

/// STIX and TAXII timestamps: RFC 3339 in UTC with a `Z`, kept as whole
/// microseconds since 1970 so that versions compare exactly.
public enum STIXTimestamp {
    /// Microseconds since 1970 of a STIX timestamp such as
    /// `2026-11-29T10:00:00.123Z`; nil when it is not one.
    public static func microseconds(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard u.count >= 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A,
              u.last == 0x5A || u.last == 0x7A
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard (0x30...0x39).contains(u[i]) else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var micros = 0
        if u.count > 20 {
            guard u[19] == 0x2E, u.count >= 22 else { return nil }
            let digits = 20..<(u.count - 1)
            guard digits.count <= 9, let fraction = number(digits) else { return nil }
            micros = fraction
            if digits.count < 6 {
                for _ in digits.count..<6 { micros *= 10 }
            } else {
                for _ in 6..<digits.count { micros /= 10 }
            }
        } else if u.count != 20 {
            return nil
        }
        let days = ExchangeTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * 1_000_000 + Int64(micros)
    }

    /// The timestamp of `microseconds` since 1970 with `digits` fraction digits (3 or 6).
    public static func format(microseconds: Int64, digits: Int = 3) -> String {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = Int(microseconds - seconds * 1_000_000)
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = ExchangeTime.civilFromDays(days)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))"
        if digits >= 6 {
            text += "." + pad(micros, 6)
        } else {
            text += "." + pad(micros / 1000, 3)
        }
        return text + "Z"
    }

    /// A date as a STIX timestamp with millisecond precision.
    public static func format(_ date: Date) -> String {
        format(microseconds: microseconds(date))
    }

    /// A date as whole microseconds since 1970.
    public static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// Midnight UTC of the day that holds `date`, in microseconds.
    public static func dayStart(_ date: Date) -> Int64 {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        return day * 86_400 * 1_000_000
    }
}
