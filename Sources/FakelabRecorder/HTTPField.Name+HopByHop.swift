import FakelabCassettes
import HTTPTypes

extension HTTPField.Name {
    /// `Exchange.Header.isHopByHop` (the one list) for a wire field name.
    var isHopByHop: Bool { Exchange.Header.isHopByHop(canonicalName) }
}
