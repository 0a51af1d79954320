extension Duration {
    /// The duration in milliseconds, with its fraction (journal `duration_ms`, cassette `latency_ms`).
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
