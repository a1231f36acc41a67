import AegisCore
import Foundation

/// Turning a scheduled event into an exchange: the prompt, sampling
/// parameters and response a member of that population would produce.
extension TrafficSimulator {
    mutating func exchange(_ e: SimulatedEvent, serial: Int) -> Exchange {
        let a = actors[Int(e.actor)]
        let afterRelease = e.time >= release
        var system: String?
        var user: String
        var history: [(String, String)] = []
        var params: [(String, JSONValue)] = []
        var completion = 300.0, spread = 150.0, maxTokens = 1024
        var model = Self.baseModel

        func ordinary(_ r: inout SeededGenerator) -> String { r.pick(prompts.ordinary) }
        func task(_ r: inout SeededGenerator) -> String { r.pick(prompts.tasks) }

        switch a.population {
        case .individual:
            (user, history) = chatTurn(e.step)
            params = [("temperature", 0.7), ("stream", true)]
            if afterRelease && r.chance(0.15) { model = Self.newModel }
        case .appBackend:
            user = PromptTemplates.fill(PromptTemplates.apps[a.template], passage: ordinary(&r))
            params = [("temperature", 0.2), ("max_tokens", 150)]
            completion = 45; spread = 15; maxTokens = 150
        case .tutoring:
            system = PromptTemplates.tutorSystem
            if e.step > 1 {
                user = r.pick(PromptTemplates.tutorFollowUps)
                history = [(task(&r), "Let's work through it together…")]
            } else {
                user = task(&r)
            }
            params = [("temperature", 0.5), ("max_tokens", 800)]
            completion = 380; spread = 120; maxTokens = 800
            if afterRelease && r.chance(0.05) { model = Self.newModel }
        case .evalTeam:
            let item = prompts.tasks[Int(e.step) * 7 % prompts.tasks.count]
            user = PromptTemplates.fill(PromptTemplates.evaluation[a.template], task: item)
            if a.logprobStyle {
                params = [("temperature", 0), ("max_tokens", 1), ("logprobs", true), ("top_logprobs", 5)]
                completion = 1; spread = 0; maxTokens = 1
            } else {
                params = [("temperature", 0), ("max_tokens", 512)]
                completion = 160; spread = 80; maxTokens = 512
            }
            // Evaluation jobs test a new model as soon as it is out: legitimate, and a hard case.
            if afterRelease && (Int(e.time / 3600) % 2 == 0) { model = Self.newModel }
        case .campaign(let style):
            if e.step < 0 {
                (user, history) = chatTurn(-e.step)
                params = [("temperature", 0.7)]
                if afterRelease && r.chance(0.15) { model = Self.newModel }
            } else {
                (system, user, params, completion, spread, maxTokens) = harvest(style, a)
                if afterRelease && r.chance(0.7) { model = Self.newModel }
            }
        }

        var messages: [JSONValue] = []
        if let system { messages.append(["role": "system", "content": .string(system)]) }
        for (u, assistant) in history {
            messages.append(["role": "user", "content": .string(u)])
            messages.append(["role": "assistant", "content": .string(assistant)])
        }
        messages.append(["role": "user", "content": .string(user)])
        var request = JSONObject([(key: "model", value: .string(model)), (key: "messages", value: .array(messages))])
        for (k, v) in params { request.append(key: k, value: v) }

        let promptTokens = max(1, ((system?.utf8.count ?? 0) + user.utf8.count + history.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }) / 4)
        let choices = (request["n"]?.intValue ?? 1)
        var tokens = 0
        var choiceList: [ExchangeResponse.Choice] = []
        for _ in 0..<choices {
            let want = max(1, Int(r.normal(mean: completion, sd: spread)))
            let got = min(want, maxTokens)
            tokens += got
            choiceList.append(.init(text: Self.answerText(got), finishReason: want > maxTokens ? "length" : "stop"))
        }
        let ip = r.pick(a.ips)
        return Exchange(
            id: "ex_" + String(serial, radix: 16), time: Date(timeIntervalSince1970: (e.time * 1000).rounded() / 1000),
            account: a.name, keyID: "key_" + String(a.name.suffix(4)),
            client: ClientInfo(ip: ip, userAgent: r.pick(a.userAgents), asn: a.asn, country: a.country),
            accountMeta: AccountMeta(created: Date(timeIntervalSince1970: a.created.rounded()), paymentFingerprint: a.payment,
                                     emailDomain: a.emailDomain, tier: a.tier),
            model: model, endpoint: "chat.completions", request: .object(request),
            response: ExchangeResponse(status: 200, choices: choiceList,
                                       usage: .init(promptTokens: promptTokens, completionTokens: tokens)),
            session: history.isEmpty ? nil : "s_" + String(a.name.suffix(6)))
    }

    private mutating func chatTurn(_ step: Int32) -> (String, [(String, String)]) {
        let user = r.pick(prompts.ordinary)
        guard step > 1 else { return (user, []) }
        return (r.pick(PromptTemplates.chatFollowUps), [(user, "Here are a few thoughts on that…")])
    }

    private mutating func harvest(_ style: CampaignStyle, _ a: SimulatedActor)
        -> (String?, String, [(String, JSONValue)], Double, Double, Int)
    {
        let task = r.pick(prompts.tasks)
        switch style {
        case .rubricGrading:
            let t = r.pick(PromptTemplates.rubric)
            let user = PromptTemplates.fill(t, task: task, answer: Self.answerText(60), answer2: Self.answerText(80))
            return (nil, user, [("temperature", 0), ("max_tokens", 300)], 180, 60, 300)
        case .safeRewrite:
            if r.chance(0.3) {
                let user = PromptTemplates.fill(r.pick(PromptTemplates.trainingFormat), task: task, passage: r.pick(prompts.ordinary))
                return (nil, user, [("temperature", 0.8), ("max_tokens", 1500)], 700, 250, 1500)
            }
            let passage = r.pick(prompts.ordinary) + " " + r.pick(prompts.ordinary)
            let user = PromptTemplates.fill(r.pick(PromptTemplates.rewrite), passage: passage)
            return (nil, user, [("temperature", 0.3), ("max_tokens", 1024)], 250, 80, 1024)
        case .evasive:
            let user = PromptTemplates.fill(r.pick(PromptTemplates.paraphrasedReasoning), task: task)
            return (nil, user, [("temperature", 0.6), ("max_tokens", 1024)], 800, 300, 1024)
        case .stealth:
            let user = PromptTemplates.fill(PromptTemplates.reasoning[r.int(0...1)], task: task)
            return (nil, user, [("temperature", 0.65), ("top_p", 0.9), ("max_tokens", 1800)], 900, 300, 1800)
        case .reasoningHarvest, .hydra:
            let user = PromptTemplates.fill(r.pick(PromptTemplates.reasoning), task: task)
            var params: [(String, JSONValue)] = [("temperature", 0.6), ("top_p", 0.95), ("max_tokens", 1024)]
            if style == .reasoningHarvest && r.chance(0.2) { params.append(("n", 4)) }
            if style == .hydra && r.chance(0.3) {
                let formatted = PromptTemplates.fill(PromptTemplates.trainingFormat[0], task: task)
                return (nil, formatted, params, 800, 300, 1024)
            }
            return (nil, user, params, 800, 300, 1024)
        }
    }

    /// Filler answer text of about the right length (the detector reads token counts, not answers).
    static func answerText(_ tokens: Int) -> String {
        let words = ["The", "answer", "follows", "from", "the", "steps", "above", "and", "checks", "out", "in", "each", "case."]
        var out = ""
        for i in 0..<min(tokens, 40) { out += (i == 0 ? "" : " ") + words[i % words.count] }
        return out
    }

    func labels(exchanges: Int) -> SimulationLabels {
        var accounts: [String: SimulationLabels.AccountLabel] = [:]
        var sizes: [String: Int] = [:]
        for a in actors {
            var style: String?
            if case .campaign(let s) = a.population { style = s.rawValue }
            accounts[a.name] = .init(population: a.population.label, campaign: a.campaign, style: style)
            if let c = a.campaign { sizes[c, default: 0] += 1 }
        }
        var campaigns: [String: SimulationLabels.CampaignLabel] = [:]
        for (id, style) in campaignStyles { campaigns[id] = .init(style: style.rawValue, accounts: sizes[id] ?? 0) }
        return SimulationLabels(scenario: options.scenario.rawValue, seed: options.seed, exchanges: exchanges,
                                promptOrigin: prompts.origin, newModel: Self.newModel,
                                modelRelease: Date(timeIntervalSince1970: release), accounts: accounts, campaigns: campaigns)
    }
}
