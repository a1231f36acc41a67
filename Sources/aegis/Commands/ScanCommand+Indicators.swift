import AegisCore
import Consortium

extension ScanCommand {
    /// Matches the log against peer indicators in a second pass and adds the
    /// matches to the verdicts (see `IndicatorHits.apply`).
    func applyIndicators(_ path: String, to verdicts: inout Verdicts, since: Double?, progress: Progress) throws {
        let peer = try PeerIndicators(path: path)
        let keys = try consortiumKey.keys()
        if keys.isEmpty && peer.entries.contains(where: { if case .keyed = $0.value { true } else { false } }) {
            progress.note("warning: no consortium key (--consortium-key or AEGIS_CONSORTIUM_KEY): keyed indicators cannot match")
        }
        let hits = try IndicatorScan.run(path: events, indicators: peer, extractor: IndicatorExtractor(keys: keys),
                                         since: since, threads: max(1, threads))
        hits.apply(to: &verdicts)
        var line = "peer indicators: \(peer.entries.count) usable, \(hits.accounts.count) accounts matched"
        if peer.skipped > 0 { line += ", \(peer.skipped) revoked or expired skipped" }
        progress.note(line)
    }
}
