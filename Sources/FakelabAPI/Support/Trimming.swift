extension StringProtocol {
    /// Without leading and trailing whitespace (spaces, tabs, line breaks): the one trim for
    /// header parameters, multipart text fields, fault specs and flag lists.
    public func trimmingWhitespace() -> SubSequence {
        var s = self[...]
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return s
    }
}
