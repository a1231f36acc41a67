/// Every signal the detector computes, with its JSON name and default weight.
///
/// Signals fall in three groups (see ``SignalGroup``): *automation* says a
/// program drives the account, *harvest* says the answers are being collected
/// to train on, *coordination* says several accounts act as one. Automation
/// alone is legitimate (app back-ends, evaluation jobs), so a score needs
/// harvest evidence; automation and coordination raise it. docs/detection.md
/// gives, per signal, what it catches, what it costs and how it is fooled.
public enum Signal: String, Sendable, CaseIterable, Codable {
    // Automation
    case volume
    case rateCeiling = "rate_ceiling"
    case roundTheClock = "round_the_clock"
    case regularIntervals = "regular_intervals"
    case singleTurn = "single_turn"
    case templateReuse = "template_reuse"
    case newAccount = "new_account"
    // Harvest
    case reasoningElicitation = "cot_elicitation"
    case rubricGrading = "rubric_grading"
    case safeRewrite = "safe_rewrite"
    case trainingFormat = "training_format"
    case outputRatio = "output_ratio"
    case maxTokensHits = "max_tokens_hits"
    case multiSample = "n_logprobs"
    case topicalCoverage = "topical_coverage"
    case newModelJump = "new_model_jump"
    case reasoningRequest = "reasoning_request"
    case toolEnvironmentPool = "tool_environment_pool"
    case longAnswers = "long_answers"
    case largeMaxTokens = "large_max_tokens"
    // Coordination (campaigns only)
    case clusterSize = "cluster_size"
    case sharedPayment = "shared_payment"
    case sharedIP = "shared_ip"
    case sharedSubnet = "shared_subnet"
    case sharedClient = "shared_client"
    case sharedEmailDomain = "shared_email_domain"
    case signupBurst = "signup_burst"
    case templateCluster = "template_cluster"
    case correlatedActivity = "correlated_activity"
    case sharedSampling = "shared_sampling"
    case sharedSystemPrompt = "shared_system_prompt"
    case sharedToolSchema = "shared_tool_schema"
    case sharedWork = "shared_work"
    case sharedWindow = "shared_window"

    /// Which part of the score the signal feeds.
    public var group: SignalGroup {
        switch self {
        case .volume, .rateCeiling, .roundTheClock, .regularIntervals, .singleTurn, .templateReuse, .newAccount:
            return .automation
        case .reasoningElicitation, .rubricGrading, .safeRewrite, .trainingFormat, .outputRatio, .maxTokensHits,
             .multiSample, .topicalCoverage, .newModelJump, .reasoningRequest, .toolEnvironmentPool, .longAnswers,
             .largeMaxTokens:
            return .harvest
        default:
            return .coordination
        }
    }

    /// Harvest signals that describe the setting rather than the requests:
    /// they amplify content evidence but cannot make a score on their own.
    public var isContext: Bool {
        self == .newModelJump || self == .topicalCoverage || self == .longAnswers || self == .largeMaxTokens
    }

    /// The default weight: how much evidence a fully-on signal (value 1) adds.
    ///
    /// Content signals that ordinary users almost never produce in bulk weigh
    /// most; habits that legitimate automation shares weigh least. For
    /// coordination signals this is also the edge weight of the shared key in
    /// the account graph (two accounts join when their edges sum to ≥ 0.6).
    public var defaultWeight: Double {
        switch self {
        case .volume: 0.6
        case .rateCeiling: 0.9
        case .roundTheClock: 0.7
        case .regularIntervals: 0.6
        case .singleTurn: 0.3
        case .templateReuse: 0.6
        case .newAccount: 0.4
        case .reasoningElicitation: 1.4
        case .rubricGrading: 1.2
        case .safeRewrite: 1.4
        case .trainingFormat: 1.2
        case .outputRatio: 0.5
        case .maxTokensHits: 0.4
        case .multiSample: 0.5
        case .topicalCoverage: 0.5
        case .newModelJump: 0.8
        case .clusterSize: 1.0
        case .sharedPayment: 1.0
        case .sharedIP: 0.6
        case .sharedSubnet: 0.3
        case .sharedClient: 0.15
        case .sharedEmailDomain: 0.4
        case .signupBurst: 0.3
        case .templateCluster: 0.4
        case .correlatedActivity: 0.6
        case .sharedSampling: 0.15
        case .reasoningRequest: 1.2
        case .toolEnvironmentPool: 1.2
        case .longAnswers: 0.6
        case .largeMaxTokens: 0.4
        case .sharedSystemPrompt: 0.5
        case .sharedToolSchema: 0.5
        case .sharedWork: 0.3
        case .sharedWindow: 0.25
        }
    }
}

/// The three parts of a score.
public enum SignalGroup: String, Sendable {
    /// A program drives the account.
    case automation
    /// The answers are being collected to train on.
    case harvest
    /// Several accounts act as one.
    case coordination
}

/// One signal measured on an account or campaign.
public struct SignalReading: Sendable, Equatable {
    /// Which signal.
    public var signal: Signal
    /// Strength in [0, 1].
    public var value: Double
    /// What was measured, in words.
    public var detail: String

    /// Creates a reading; the value is clamped to [0, 1].
    public init(_ signal: Signal, _ value: Double, _ detail: String) {
        self.signal = signal
        self.value = min(1, max(0, value.isFinite ? value : 0))
        self.detail = detail
    }
}
