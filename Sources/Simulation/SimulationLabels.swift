import AegisCore
import Foundation

/// The truth about a simulated log, written to its own file.
public struct SimulationLabels: Sendable, Equatable {
    /// What one account really is.
    public struct AccountLabel: Sendable, Equatable {
        /// `individual`, `app_backend`, `eval_team`, `tutoring` or `campaign`.
        public var population: String
        /// The campaign id, for campaign accounts.
        public var campaign: String?
        /// The campaign style, for campaign accounts.
        public var style: String?
    }

    /// One campaign's style and size.
    public struct CampaignLabel: Sendable, Equatable {
        /// The style (``CampaignStyle`` raw value).
        public var style: String
        /// Accounts in it.
        public var accounts: Int
    }

    /// Scenario name, seed and exchanges written.
    public var scenario: String, seed: UInt64, exchanges: Int
    /// Where prompt text came from.
    public var promptOrigin: String
    /// The model released mid-span and when.
    public var newModel: String, modelRelease: Date
    /// Every account by name.
    public var accounts: [String: AccountLabel]
    /// Every campaign by id.
    public var campaigns: [String: CampaignLabel]

    /// The labels as JSON (snake_case keys, accounts sorted).
    public var json: JSONValue {
        var acc = JSONObject()
        for name in accounts.keys.sorted() {
            guard let l = accounts[name] else { continue }
            acc.append(key: name, value: .object(JSONObject([
                (key: "population", value: .string(l.population)),
                (key: "campaign", value: l.campaign.map { .string($0) } ?? .null),
                (key: "style", value: l.style.map { .string($0) } ?? .null),
            ])))
        }
        var camps = JSONObject()
        for id in campaigns.keys.sorted() {
            guard let c = campaigns[id] else { continue }
            camps.append(key: id, value: ["style": .string(c.style), "accounts": .number(Double(c.accounts))])
        }
        return .object(JSONObject([
            (key: "scenario", value: .string(scenario)),
            (key: "seed", value: .number(Double(seed))),
            (key: "exchanges", value: .number(Double(exchanges))),
            (key: "prompt_origin", value: .string(promptOrigin)),
            (key: "new_model", value: .string(newModel)),
            (key: "model_release", value: .string(ExchangeTime.format(modelRelease))),
            (key: "accounts", value: .object(acc)),
            (key: "campaigns", value: .object(camps)),
        ]))
    }
}
