import Foundation
import Store
import Testing
@testable import Gateway

/// `aegis serve`'s config file decodes onto the settings' own defaults.
@Suite struct ConfigurationTests {
    @Test func absentKeysKeepTheDefaultsAndPresentOnesWin() throws {
        let file = #"{"port": 9090, "account-rpm": 600, "served-model": "m1", "log-interval-ms": 50, "upstream-timeout": 30,"#
            + #" "detection": "enforce", "throttle-at": 0.5, "throttle-tpm": 100, "detection-refresh": 2.5, "detection-replay-hours": 1,"#
            + #" "model": "ignored-here.gguf"}"#
        let gateway = try JSONDecoder().decode(GatewayConfiguration.self, from: Data(file.utf8))
        let defaults = GatewayConfiguration()
        #expect(gateway.port == 9090 && gateway.host == defaults.host)
        #expect(gateway.accountLimits == RateLimits(requestsPerMinute: 600))
        #expect(gateway.servedModels == ["m1"])
        #expect(gateway.logIntervalMilliseconds == 50 && gateway.upstreamTimeout == 30)
        #expect(gateway.upstreamConnections == defaults.upstreamConnections && gateway.maxBodyBytes == defaults.maxBodyBytes)

        let detection = try JSONDecoder().decode(LiveDetectionSettings.self, from: Data(file.utf8))
        let detectionDefaults = LiveDetectionSettings()
        #expect(detection.mode == .enforce && detection.throttleAt == 0.5 && detection.degradeAt == detectionDefaults.degradeAt)
        #expect(detection.throttleLimits.tokensPerMinute == 100)
        #expect(detection.throttleLimits.requestsPerMinute == detectionDefaults.throttleLimits.requestsPerMinute)
        #expect(detection.refreshSeconds == 2.5 && detection.replaySeconds == 3600)
    }

    @Test func anEmptyFileIsTheDefaultsAndAWrongTypeIsAnError() throws {
        let gateway = try JSONDecoder().decode(GatewayConfiguration.self, from: Data("{}".utf8))
        #expect(gateway.port == GatewayConfiguration().port && gateway.servedModels == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(GatewayConfiguration.self, from: Data(#"{"port":"x"}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LiveDetectionSettings.self, from: Data(#"{"detection":"sometimes"}"#.utf8))
        }
    }
}
