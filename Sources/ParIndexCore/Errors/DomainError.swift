/// Every error the domain raises carries a stable machine code (for API clients and
/// logs) and a Vietnamese message (for the civil servant in front of the screen).
/// The server maps these to RFC 9457 problem details in one place.
public protocol DomainError: Error, Sendable {
    var code: String { get }
    var messageVI: String { get }
}
