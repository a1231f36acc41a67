/// One simulated account: who it is, where it connects from and how it behaves.
struct SimulatedActor {
    var name: String
    var population: Population
    var campaign: String?
    var ips: [String]
    var asn: Int
    var country: String
    var userAgents: [String]
    var payment: String
    var emailDomain: String
    var tier: String
    var created: Double
    /// Hours east of UTC of the person or its users.
    var timeZone: Int
    /// Which template (app back-ends, eval prompt style).
    var template: Int
    /// Eval teams asking for log-probabilities of a one-token answer.
    var logprobStyle: Bool
    /// When the account starts sending (seconds since 1970).
    var activeFrom: Double
}

/// One request to generate: when, by whom, and a step number whose meaning
/// depends on the population (turn in a session, item in a sweep; negative
/// for a campaign's cover traffic).
struct SimulatedEvent {
    var time: Double
    var actor: Int32
    var step: Int32
}
