import Foundation

/// How `aegis exchange publish` turns campaigns into STIX.
public struct PublishOptions: Sendable {
    /// How keyed fingerprints are written.
    public enum Encoding: String, Sendable, CaseIterable {
        /// Only the `x-aegis-keyed-fingerprint` extension observable.
        case extensionObservable = "extension"
        /// Only core STIX (artifact hashes in patterns).
        case core
        /// Both, as two indicators per digest.
        case both
    }

    /// The producer's name, the `identity` every object it authors points to.
    public var producer = "Aegis provider"
    /// The TLP level marked on every object the producer authors.
    public var tlp = TLPMarking.amberStrict
    /// Days an indicator stays valid after the day it is published.
    public var validDays = 30
    /// A template is published only when at least this many of the campaign's accounts sent it.
    public var minTemplateAccounts = 3
    /// Most templates published per campaign (the most widely used first).
    public var maxTemplatesPerCampaign = 20
    /// How keyed fingerprints are written.
    public var encoding = Encoding.both
    /// A /24 is published only when at least this share of its requests came from the campaign.
    public var networkShare = 0.9
    /// The publication time (the day it falls on dates the indicators).
    public var now = Date()

    /// The defaults.
    public init() {}
}
