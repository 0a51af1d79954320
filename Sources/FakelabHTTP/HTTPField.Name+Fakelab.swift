import FakelabAPI
import HTTPTypes

/// Every header name Fakelab reads or writes beyond the standard ones, in one place.
extension HTTPField.Name {
    /// TokenLab's request id, on every answer (and `error.request_id` in every error body).
    public static let xRequestID = Self("X-Request-ID")!
    public static let xTaskID = Self("X-Task-ID")!
    public static let xBillingTransactionID = Self("X-Billing-Transaction-ID")!
    public static let xRateLimitLimit = Self("X-RateLimit-Limit")!
    public static let xRateLimitRemaining = Self("X-RateLimit-Remaining")!
    public static let xRateLimitReset = Self("X-RateLimit-Reset")!
    /// TokenLab's delivery tier choice on the three create routes: `auto`, `verified` or `official`.
    public static let xTokenLabDeliveryPolicy = Self("X-TokenLab-Delivery-Policy")!
    /// A fault staged for this one request (`X-Fakelab-Fault: delay; ms=1500`).
    public static let xFakelabFault = Self("X-Fakelab-Fault")!
    public static let xFakelabControlToken = Self(Secrets.controlTokenHeader)!
    /// `record`, `replay` or `passthrough`: where a recorder's answer came from.
    public static let xFakelabCassette = Self("X-Fakelab-Cassette")!
    /// Set when the recorder could not write an exchange (the reason is in its log).
    public static let xFakelabRecordRefused = Self("X-Fakelab-Record-Refused")!
}

extension HTTPFields {
    /// A field's value as `self[name]` reads it (a repeated field's values joined), without the
    /// copy that join makes of the one value most requests have. The request path reads a
    /// header this way.
    public func value(_ name: HTTPField.Name) -> String? {
        // Matched by index on the canonical name: a `for field in self` loop copies every field
        // it passes (three strings: a retain and a release each).
        let canonical = name.canonicalName
        guard let first = firstIndex(where: { $0.name.canonicalName == canonical }) else { return nil }
        if self[index(after: first)...].contains(where: { $0.name.canonicalName == canonical }) { return self[name] }
        return self[first].value
    }
}
