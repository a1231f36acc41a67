/// Cryptographically secure random bytes from the operating system.
///
/// Swift's `SystemRandomNumberGenerator` reads the kernel's CSPRNG
/// (getrandom(2) on Linux, arc4random on Darwin), which is what secrets need.
public enum SystemRandom {
    /// Returns `count` bytes from the system's cryptographically secure generator.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
