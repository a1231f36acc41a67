/// Signals that answers are being collected to train a model on: what the
/// prompts ask for and how the answers are requested. Shares are of all the
/// account's requests, so a hydra account that hides harvesting among ordinary
/// traffic still shows it in proportion.
enum HarvestSignals {
    static func evaluate(_ s: ActivitySummary) -> [SignalReading] {
        let c = s.counters
        let n = Double(c.requests)
        var out: [SignalReading] = []
        guard c.requests >= 5 else { return out }

        func category(_ p: PromptCategory) -> Double { Double(c.categories[p.rawValue]) / n }

        // Plain "step by step" is what tutoring asks for; it counts for little.
        let cot = category(.reasoningElicitation) + 0.05 * category(.stepByStep)
        out.append(SignalReading(.reasoningElicitation, cot / 0.25,
                                 "\(percent(category(.reasoningElicitation))) ask for the model's full reasoning, \(percent(category(.stepByStep))) for steps"))
        out.append(SignalReading(.rubricGrading, category(.rubricGrading) / 0.25,
                                 "\(percent(category(.rubricGrading))) use the model as a grader (rubrics, scores, comparisons)"))
        out.append(SignalReading(.safeRewrite, category(.safeRewrite) / 0.15,
                                 "\(percent(category(.safeRewrite))) ask for censorship-safe rewrites"))
        out.append(SignalReading(.trainingFormat, category(.trainingFormat) / 0.2,
                                 "\(percent(category(.trainingFormat))) ask for training-data formats"))

        // The same request in any words: concept families, not phrases (ReasoningCues).
        let asked = Double(c.reasoningRequests) / n
        out.append(SignalReading(.reasoningRequest, asked / 0.3,
                                 "\(percent(asked)) ask, in whatever words, for the reasoning written out"))

        // Many generated tool environments with trajectories written by the client:
        // an agent developer has a handful of tool sets; a harvester draws from a pool.
        if c.toolRequests >= 10 {
            let trajectories = Double(c.toolTrajectories) / Double(c.toolRequests)
            let pool = s.toolEnvironments
            out.append(SignalReading(.toolEnvironmentPool, unit((pool - 3) / 9) * unit(trajectories / 0.5),
                                     "\(Int(pool.rounded())) distinct tool environments over \(c.toolRequests) tool requests, \(percent(trajectories)) carrying a trajectory"))
        }
        if c.requests >= 10, c.answered > 0 {
            let long = Double(c.longAnswers) / Double(c.answered)
            out.append(SignalReading(.longAnswers, (long - 0.3) / 0.5, "\(percent(long)) of answers 500 tokens or longer"))
            let large = Double(c.largeMaxTokens) / n
            out.append(SignalReading(.largeMaxTokens, (large - 0.2) / 0.6, "\(percent(large)) ask max_tokens of 16,384 or more"))
        }

        if c.requests >= 10, c.answered > 0, c.promptTokens > 0 {
            let ratio = Double(c.completionTokens) / Double(c.promptTokens)
            out.append(SignalReading(.outputRatio, (ratio - 3) / 7, "answers \(format(ratio))× as long as prompts"))
            let share = Double(c.lengthHits) / Double(c.answered)
            out.append(SignalReading(.maxTokensHits, (share - 0.2) / 0.5, "\(percent(share)) of answers cut at max_tokens"))
        }

        if c.requests >= 10 {
            let share = Double(max(c.multiSample, c.logprobs)) / n
            out.append(SignalReading(.multiSample, share / 0.5,
                                     "\(percent(Double(c.multiSample) / n)) ask n>1, \(percent(Double(c.logprobs) / n)) ask logprobs"))
        }

        // Few topics but ever-new items: working through a task space.
        let classified = n - Double(c.topics[0])
        if classified >= 30 {
            var top = 0
            for t in 1..<16 where c.topics[t] > c.topics[top] || top == 0 { top = t }
            let topShare = Double(c.topics[top]) / classified
            let fresh = min(1, s.distinctPrompts / n)
            let name = Topic(rawValue: UInt8(top)).map { "\($0)" } ?? "?"
            out.append(SignalReading(.topicalCoverage, unit((topShare - 0.5) / 0.4) * unit((fresh - 0.6) / 0.3),
                                     "\(percent(topShare)) of topical prompts on \(name), \(percent(fresh)) of prompts new"))
        }

        if c.releaseWindow >= 10 {
            let share = Double(c.newModel) / Double(c.releaseWindow)
            out.append(SignalReading(.newModelJump, (share - 0.25) / 0.35,
                                     "\(percent(share)) of traffic moved to a model within 24 h of its release"))
        }
        return out
    }
}

/// Clamps to [0, 1].
func unit(_ x: Double) -> Double {
    x.isFinite ? min(1, max(0, x)) : 0
}
