import AegisCore
import Detection
import Testing
@testable import Gateway

/// A reseller whose one distillation customer is flagged: only that stream is acted on.
@Suite struct StreamScopedStandingTests {
    let extractor = FeatureExtractor()

    func request(system: String?, user: String) -> JSONValue {
        var messages: [JSONValue] = []
        if let system { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": "hello"])
        return ["model": "m", "user": .string(user), "messages": .array(messages)]
    }

    @Test func aFlaggedStreamScopesTheDecision() {
        let distiller = extractor.streamName(of: request(system: "You are a meticulous solver.", user: "u1"))
        let customer = extractor.streamName(of: request(system: nil, user: "alice"))
        #expect(distiller.hasPrefix("system:"))
        #expect(customer.hasPrefix("user:"))
        #expect(extractor.streamName(of: ["model": "m", "prompt": "hi"]) == "none")
        let verdict = AccountVerdict(
            account: "reseller", flagged: true, score: 0.8, campaign: nil,
            reasons: [.init(signal: "reasoning_request", value: 1, detail: "stream \(distiller) (300 requests): 95% ask …")],
            streams: [StreamVerdict(stream: distiller, requests: 300, score: 0.8, flagged: true),
                      StreamVerdict(stream: customer, requests: 900, score: 0.1, flagged: false)])
        let standing = AccountStanding(verdict: verdict, settings: LiveDetectionSettings())
        #expect(standing.scopedStreams == [distiller])
        #expect(standing.action != .allow)
    }

    @Test func anAccountFindingIsNotScoped() {
        let verdict = AccountVerdict(account: "a", flagged: true, score: 0.8, campaign: "cmp_1",
                                     reasons: [.init(signal: "cluster_size", value: 1, detail: "campaign cmp_1: 9 accounts linked")])
        #expect(AccountStanding(verdict: verdict, settings: LiveDetectionSettings()).scopedStreams == nil)
    }
}
