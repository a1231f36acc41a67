/// Which payload values to test and which accounts each one stands for.
///
/// The gateway embeds in every answer a payload derived from the account served;
/// an attribution tests each payload value once and names the accounts behind the
/// significant ones. Without accounts, every value of a b-bit payload is tested.
public struct PayloadDirectory: Sendable, Equatable {
    /// The payload values to test, ascending, without repeats.
    public let payloads: [UInt32]
    private let accountsByPayload: [UInt32: [String]]

    /// No payload: the text carries only the unshifted watermark.
    public static let none = PayloadDirectory(payloads: [], accounts: [:])

    /// Every value of a `bits`-bit payload, with no account attached.
    /// - Throws: when 2^bits values are too many to scan (more than 16 bits): give accounts instead.
    public static func all(bits: Int) throws(ForensicsError) -> PayloadDirectory {
        guard bits >= 1 else { return .none }
        guard bits <= 16 else {
            throw .invalidInput("testing all 2^\(bits) payloads is too costly; give the accounts (--accounts or --accounts-log) so only their payloads are tested")
        }
        return PayloadDirectory(payloads: (0..<(UInt32(1) << UInt32(bits))).map { $0 }, accounts: [:])
    }

    /// The payloads of `accounts`, computed with `rule` (the gateway's account → payload rule).
    public static func accounts(_ accounts: [String], rule: (String) -> UInt32) -> PayloadDirectory {
        var map: [UInt32: [String]] = [:]
        for account in Set(accounts).sorted() { map[rule(account), default: []].append(account) }
        return PayloadDirectory(payloads: map.keys.sorted(), accounts: map)
    }

    private init(payloads: [UInt32], accounts: [UInt32: [String]]) {
        self.payloads = payloads
        accountsByPayload = accounts
    }

    /// Whether accounts were given (so the report names accounts, or says it names none).
    public var hasAccounts: Bool { !accountsByPayload.isEmpty }

    /// The accounts served with `payload`.
    public func accounts(payload: UInt32) -> [String] { accountsByPayload[payload] ?? [] }
}
