import FakelabAPI
import FakelabImaging

extension TaskStore {
    /// A task's result names as stored: 16 bytes each, the first inline in the record (most
    /// tasks have one image, so most records hold no array). Names are rendered when read.
    struct Results: Sendable {
        private let first: Packed?
        private let rest: [Packed]
        /// Names that do not pack (a side past 65,535 or a quality past 254): kept as they are.
        private let unpacked: [ResultImage.Name]

        /// A name in 16 bytes.
        private struct Packed: Sendable {
            var seed: UInt64
            var width: UInt16
            var height: UInt16
            /// The index in `ImageFormat.allCases`.
            var format: UInt8
            /// 255: none.
            var quality: UInt8
            var derived: Bool

            init?(_ name: ResultImage.Name) {
                let spec = name.spec
                guard let width = UInt16(exactly: spec.width), let height = UInt16(exactly: spec.height),
                    let format = ImageFormat.allCases.firstIndex(of: spec.format), (spec.quality ?? 0) >= 0, (spec.quality ?? 0) < 255
                else { return nil }
                (self.seed, self.width, self.height) = (spec.seed, width, height)
                (self.format, self.quality, self.derived) = (UInt8(format), spec.quality.map(UInt8.init) ?? 255, name.derived)
            }

            var name: ResultImage.Name {
                let spec = ImageSpec(
                    width: Int(width),
                    height: Int(height),
                    format: ImageFormat.allCases[Int(format)],
                    seed: seed,
                    quality: quality == 255 ? nil : Int(quality)
                )
                return ResultImage.Name(spec: spec, derived: derived)
            }
        }

        init(_ names: [ResultImage.Name]) {
            let packed = names.compactMap(Packed.init)
            guard packed.count == names.count else {
                (first, rest, unpacked) = (nil, [], names)
                return
            }
            first = packed.first
            rest = packed.count > 1 ? Array(packed.dropFirst()) : []
            unpacked = []
        }

        var names: [ResultImage.Name] {
            guard let first else { return unpacked }
            return [first.name] + rest.map(\.name)
        }
    }
}
