import NIOCore

/// Refuses a part header name holding a byte ≥ 0x80 before MultipartKit sees it.
///
/// MultipartKit 4.7.1 looks such bytes up in a 128-entry table and traps (index out of range,
/// MultipartParser.swift:316): one request would kill the server. Found by `scripts/fuzz`
/// (schemathesis, negative mode). The guard follows the body line by line as it streams: after a
/// line that is exactly `--boundary`, lines are part headers until an empty line, and the name
/// of each (the bytes before `:`) must be ASCII. Only a line's first bytes are kept, so it costs
/// no memory beyond a few bytes whatever the body holds.
struct MultipartHeaderGuard {
    private let delimiter: [UInt8]
    private var line: [UInt8] = []
    private var lineLength = 0
    private var inHeaders = false
    private var inName = true

    init(boundary: String) {
        delimiter = Array("--\(boundary)".utf8)
        line.reserveCapacity(delimiter.count + 2)
    }

    /// False when a header name carries a non-ASCII byte.
    mutating func accept(_ buffer: ByteBuffer) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                if byte == UInt8(ascii: "\n") {
                    endLine()
                    continue
                }
                if inHeaders && inName {
                    if byte == UInt8(ascii: ":") { inName = false } else if byte >= 0x80 { return false }
                }
                lineLength += 1
                if line.count <= delimiter.count + 1 { line.append(byte) }
            }
            return true
        }
    }

    private mutating func endLine() {
        var content = line[...]
        var length = lineLength
        if content.last == UInt8(ascii: "\r") {
            content = content.dropLast()
            length -= 1
        }
        if inHeaders {
            if length == 0 { inHeaders = false }
        } else if length == delimiter.count, content.elementsEqual(delimiter) {
            inHeaders = true
        }
        line.removeAll(keepingCapacity: true)
        lineLength = 0
        inName = true
    }
}
