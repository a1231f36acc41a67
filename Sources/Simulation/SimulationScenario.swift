/// A traffic mix for the simulator.
public enum SimulationScenario: String, Sendable, CaseIterable, Codable {
    /// Every legitimate population and four campaign styles (reasoning harvest,
    /// rubric grading, censorship-safe rewrites with training formats, a hydra).
    case mixed
    /// One large hydra cluster (thousands of accounts at scale) behind reseller
    /// proxies, mixing harvesting with resold ordinary traffic.
    case hydra
    /// Campaign accounts that avoid shared infrastructure and look like people
    /// in timing; only templates, sign-up bursts and content give them away.
    case stealth
    /// Harvesters whose wording avoids every phrase in the detector's lexicon
    /// and who share no payment or IP: a test of the structural signals alone.
    case evasive
    /// Legitimate populations only: every flag is a false positive.
    case legit

    /// Share of the exchanges each population sends.
    var mix: [(Population, Double)] {
        switch self {
        case .mixed:
            return [(.individual, 0.34), (.appBackend, 0.18), (.evalTeam, 0.08), (.tutoring, 0.12),
                    (.campaign(.reasoningHarvest), 0.09), (.campaign(.rubricGrading), 0.05),
                    (.campaign(.safeRewrite), 0.04), (.campaign(.hydra), 0.10)]
        case .hydra:
            return [(.individual, 0.35), (.appBackend, 0.12), (.evalTeam, 0.05), (.tutoring, 0.08), (.campaign(.hydra), 0.40)]
        case .stealth:
            return [(.individual, 0.45), (.appBackend, 0.15), (.evalTeam, 0.07), (.tutoring, 0.13), (.campaign(.stealth), 0.20)]
        case .evasive:
            return [(.individual, 0.45), (.appBackend, 0.15), (.evalTeam, 0.07), (.tutoring, 0.13), (.campaign(.evasive), 0.20)]
        case .legit:
            return [(.individual, 0.50), (.appBackend, 0.22), (.evalTeam, 0.10), (.tutoring, 0.18)]
        }
    }
}

/// Who sends traffic in a simulation.
enum Population: Hashable, Sendable {
    case individual, appBackend, evalTeam, tutoring
    case campaign(CampaignStyle)

    var label: String {
        switch self {
        case .individual: "individual"
        case .appBackend: "app_backend"
        case .evalTeam: "eval_team"
        case .tutoring: "tutoring"
        case .campaign: "campaign"
        }
    }

    /// Typical requests per account over the simulated span.
    var requestsPerAccount: Int {
        switch self {
        case .individual: 60
        case .appBackend: 6000
        case .evalTeam: 1500
        case .tutoring: 5000
        case .campaign(let s): s.requestsPerAccount
        }
    }
}

/// How a campaign behaves (the styles of the public 2026 reports).
public enum CampaignStyle: String, Hashable, Sendable, Codable {
    /// Chain-of-thought elicitation over task sets, paced under the rate limit, round the clock.
    case reasoningHarvest = "reasoning_harvest"
    /// The model as a reward model: rubric scoring and pairwise comparisons.
    case rubricGrading = "rubric_grading"
    /// Censorship-safe rewrites and training-data formats.
    case safeRewrite = "safe_rewrite"
    /// Reseller-proxy accounts mixing harvesting with resold ordinary traffic.
    case hydra
    /// Low and slow: person-like timing, no shared payment or IP.
    case stealth
    /// Paced harvesting in words outside the lexicon, no shared payment or IP.
    case evasive

    var requestsPerAccount: Int {
        switch self {
        case .reasoningHarvest: 120
        case .rubricGrading: 100
        case .safeRewrite: 90
        case .hydra: 45
        case .stealth: 30
        case .evasive: 60
        }
    }

    /// Share of the account's traffic that is ordinary (cover) traffic.
    var coverShare: Double {
        switch self {
        case .hydra: 0.6
        case .stealth: 0.5
        case .evasive: 0.3
        default: 0.1
        }
    }
}
