import Foundation

/// ISO 8601 timestamps as the exchange log writes them:
/// `2026-11-29T10:00:00.123Z` (UTC, milliseconds).
///
/// Hand-written because `ISO8601DateFormatter` costs microseconds per call,
/// more than parsing the rest of an exchange line. Reading also accepts no
/// or any number of fraction digits, a space for `T`, and `±HH:MM` offsets.
public enum ExchangeTime {
    /// Parses a timestamp, or returns nil when it is not ISO 8601.
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses a timestamp from UTF-8 bytes.
    public static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Date? {
        func digits(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<at + n {
                let d = b[i] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == UInt8(ascii: "-"),
              let month = digits(5, 2), b[7] == UInt8(ascii: "-"), let day = digits(8, 2),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day) * 86_400)
        var i = 10
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " "),
                  let hour = digits(11, 2), b.count > 13, b[13] == UInt8(ascii: ":"), let minute = digits(14, 2)
            else { return nil }
            i = 16
            var second = 0
            if i < b.count, b[i] == UInt8(ascii: ":") {
                guard let s = digits(17, 2) else { return nil }
                second = s
                i = 19
            }
            guard hour < 24, minute < 60, second < 61 else { return nil }
            seconds += Double(hour * 3600 + minute * 60 + second)
            if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
                i += 1
                var scale = 0.1
                var fraction = 0.0
                let start = i
                while i < b.count, b[i] &- UInt8(ascii: "0") < 10 {
                    fraction += Double(b[i] &- UInt8(ascii: "0")) * scale
                    scale *= 0.1
                    i += 1
                }
                guard i > start else { return nil }
                seconds += fraction
            }
            if i < b.count {
                if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                    i += 1
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "+") ? 1.0 : -1.0
                    guard let oh = digits(i + 1, 2) else { return nil }
                    var j = i + 3
                    if j < b.count, b[j] == UInt8(ascii: ":") { j += 1 }
                    guard let om = digits(j, 2) else { return nil }
                    seconds -= sign * Double(oh * 3600 + om * 60)
                    i = j + 2
                } else {
                    return nil
                }
            }
            guard i == b.count else { return nil }
        }
        return Date(timeIntervalSince1970: seconds)
    }

    /// Formats a date as `YYYY-MM-DDTHH:MM:SS.mmmZ` in UTC.
    public static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var days = totalMillis / 86_400_000
        var millisOfDay = totalMillis % 86_400_000
        if millisOfDay < 0 { millisOfDay += 86_400_000; days -= 1 }
        let (y, m, d) = civilFromDays(Int(days))
        let ms = Int(millisOfDay)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func put(_ v: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = v
            for k in stride(from: width - 1, through: 0, by: -1) {
                digits[k] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            out.append(contentsOf: digits)
        }
        put(y, 4); out.append(UInt8(ascii: "-"))
        put(m, 2); out.append(UInt8(ascii: "-"))
        put(d, 2); out.append(UInt8(ascii: "T"))
        put(ms / 3_600_000, 2); out.append(UInt8(ascii: ":"))
        put(ms / 60_000 % 60, 2); out.append(UInt8(ascii: ":"))
        put(ms / 1000 % 60, 2); out.append(UInt8(ascii: "."))
        put(ms % 1000, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    // Howard Hinnant's civil-calendar algorithms (proleptic Gregorian): the one
    // copy of the calendar arithmetic in Aegis (STIX timestamps use it too).

    /// Days since 1970-01-01 of a proleptic Gregorian date (month 1…12).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian (year, month 1…12, day) of a day count since 1970-01-01.
    public static func civilFromDays(_ z: Int) -> (year: Int, month: Int, day: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
