#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A score in [0, 1] with the readings behind it.
///
/// Each group's evidence is the weighted sum of its readings, turned into a
/// probability-like strength by `1 − exp(−sum)` (so independent evidence adds
/// up and no single signal saturates the score). Then
///
///     score = harvest × (0.35 + 0.65 × max(automation, coordination)-combined)
///
/// where automation and coordination are pooled into one strength. Harvest
/// evidence is required: automation alone is what legitimate back-ends and
/// evaluation jobs look like. Within harvest, the *context* signals (a jump
/// to a new model, topical coverage) can at most double the evidence of the
/// *content* signals (what the prompts ask for, how answers are requested):
/// following releases or working through one subject is normal on its own.
/// The reasons are the readings ranked by their weighted contribution.
public struct Score: Sendable, Equatable {
    /// The score.
    public var value: Double
    /// Strength of each group's evidence in [0, 1].
    public var harvest: Double, automation: Double
    /// All readings, strongest weighted contribution first.
    public var readings: [SignalReading]

    /// Combines readings with per-signal weights.
    public init(readings: [SignalReading], weights: [Signal: Double]) {
        var contentSum = 0.0, contextSum = 0.0, automationSum = 0.0
        var ranked: [(Double, SignalReading)] = []
        for r in readings {
            let w = weights[r.signal] ?? r.signal.defaultWeight
            let contribution = w * r.value
            if r.signal.group != .harvest {
                automationSum += contribution
            } else if r.signal.isContext {
                contextSum += contribution
            } else {
                contentSum += contribution
            }
            ranked.append((contribution, r))
        }
        harvest = 1 - exp(-(contentSum + min(contextSum, contentSum)))
        automation = 1 - exp(-automationSum)
        value = harvest * (0.35 + 0.65 * automation)
        self.readings = ranked.sorted { $0.0 > $1.0 }.map(\.1)
    }

    /// The strongest readings that contributed anything, at most `count`.
    public func topReasons(_ count: Int) -> [SignalReading] {
        Array(readings.filter { $0.value > 0 }.prefix(count))
    }
}
