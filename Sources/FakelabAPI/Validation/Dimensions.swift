import Foundation

/// Output pixel dimensions from `size`, or `aspect_ratio` + `resolution`, per the model's rule.
///
/// Mapping (documented in README "Image dimensions"):
/// - `size` models: `auto`/absent → the model's `auto_size`; `WxH` is used as given once it passes `size_rule`.
/// - `size_enum` models: one of the listed sizes.
/// - `aspect_ratio` models: the catalog's 1k table row for the ratio, times the resolution scale
///   (1k ×1, 2k ×2, 4k ×4). A `size: WxH` alias picks the nearest ratio and resolution.
/// - `input` models (utility edits): the input's size times `scale`, known once the pixels are.
enum Dimensions {
    static func resolve(_ fields: [String: JSONValue], model: ModelContract, catalog: Catalog, _ v: inout Violations) -> (width: Int, height: Int)? {
        let rule = model.dimensions
        let size = fields["size"]?.stringValue
        switch rule.mode {
        case .size:
            let requested = size ?? rule.defaultSize ?? "auto"
            if requested == "auto" { return parse(rule.autoSize ?? "1024x1024") }
            guard let (w, h) = parse(requested) else {
                v.add(code: ErrorCode.invalidValue, param: "size", "size: '\(requested)' is not auto or WIDTHxHEIGHT")
                return nil
            }
            if let limits = rule.sizeRule {
                let problems = check(width: w, height: h, limits)
                guard problems.isEmpty else {
                    v.add(
                        code: ErrorCode.invalidValue,
                        param: "size",
                        "size: \(requested) is not allowed for \(model.id): \(problems.joined(separator: "; "))"
                    )
                    return nil
                }
            }
            return (w, h)
        case .sizeEnum:
            let sizes = rule.sizes ?? []
            let requested = size ?? rule.defaultSize ?? sizes.first ?? "1024x1024"
            guard sizes.contains(requested), let dims = parse(requested) else {
                v.add(
                    code: ErrorCode.invalidValue,
                    param: "size",
                    "size: '\(requested)' is not one of \(sizes.joined(separator: ", "))",
                    hints: ["allowed_values": .array(sizes.map { .string($0) })]
                )
                return nil
            }
            return dims
        case .aspectRatio:
            return aspect(fields, model: model, catalog: catalog, size: size, &v)
        case .input:
            // The input's size decides (ImagesController); this is only the size of a result
            // made without the input's pixels (a reference URL the fake does not fetch).
            return parse(rule.autoSize ?? "1024x1024")
        }
    }

    private static func aspect(
        _ fields: [String: JSONValue],
        model: ModelContract,
        catalog: Catalog,
        size: String?,
        _ v: inout Violations
    ) -> (width: Int, height: Int)? {
        let rule = model.dimensions
        let ratios = rule.aspectRatios ?? ["1:1"]
        var ratio = fields["aspect_ratio"]?.stringValue
        var resolution = fields["resolution"]?.stringValue
        var ok = true
        if let r = ratio, !ratios.contains(r) {
            v.add(
                code: ErrorCode.invalidValue,
                param: "aspect_ratio",
                "aspect_ratio: '\(r)' is not one of \(ratios.joined(separator: ", "))",
                hints: ["allowed_aspect_ratios": .array(ratios.map { .string($0) })]
            )
            ok = false
        }
        if let r = resolution, !(rule.resolutions ?? []).contains(r) {
            let allowed = rule.resolutions ?? []
            v.add(
                code: ErrorCode.invalidValue,
                param: "resolution",
                "resolution: '\(r)' is not one of \(allowed.joined(separator: ", "))",
                hints: ["allowed_resolutions": .array(allowed.map { .string($0) })]
            )
            ok = false
        }
        if let size, size != "auto", ratio == nil {
            guard let (w, h) = parse(size) else {
                v.add(code: ErrorCode.invalidValue, param: "size", "size: '\(size)' is not auto or WIDTHxHEIGHT")
                return nil
            }
            ratio = nearestRatio(Double(w) / Double(h), among: ratios, catalog: catalog)
            if resolution == nil, let res = rule.resolutions, !res.isEmpty {
                resolution = res.min {
                    abs(Double(catalog.file.resolutionScale[$0] ?? 1) * 1024 - Double(max(w, h)))
                        < abs(Double(catalog.file.resolutionScale[$1] ?? 1) * 1024 - Double(max(w, h)))
                }
            }
        }
        guard ok else { return nil }
        let r = ratio ?? rule.defaultAspectRatio ?? "1:1"
        let res = resolution ?? rule.defaultResolution
        guard let dims = catalog.dimensions(aspectRatio: r, resolution: res) else {
            v.add(status: 500, code: nil, param: "aspect_ratio", "catalog has no dimensions for aspect ratio \(r)")
            return nil
        }
        return dims
    }

    static func nearestRatio(_ target: Double, among ratios: [String], catalog: Catalog) -> String? {
        ratios.min { a, b in
            distance(a, target, catalog) < distance(b, target, catalog)
        }
    }

    private static func distance(_ ratio: String, _ target: Double, _ catalog: Catalog) -> Double {
        guard let d = catalog.dimensions(aspectRatio: ratio, resolution: nil) else { return .infinity }
        return abs(log(Double(d.width) / Double(d.height) / target))
    }

    /// `WxH` with positive integers.
    static func parse(_ s: String) -> (Int, Int)? {
        var w = 0
        var h = 0
        var sawX = false
        var digits = 0
        for b in s.utf8 {
            if b == UInt8(ascii: "x"), !sawX, digits > 0 {
                sawX = true
                digits = 0
            } else if b >= 48, b <= 57, digits < 6 {
                if sawX { h = h * 10 + Int(b - 48) } else { w = w * 10 + Int(b - 48) }
                digits += 1
            } else {
                return nil
            }
        }
        return sawX && digits > 0 && w > 0 && h > 0 ? (w, h) : nil
    }

    static func check(width w: Int, height h: Int, _ rule: SizeRule) -> [String] {
        var problems: [String] = []
        if w % rule.multipleOf != 0 || h % rule.multipleOf != 0 { problems.append("both edges must be multiples of \(rule.multipleOf)") }
        if max(w, h) > rule.maxEdge { problems.append("the longest edge must be at most \(rule.maxEdge)px") }
        if Double(max(w, h)) / Double(min(w, h)) > rule.maxRatio {
            problems.append("the long:short ratio must be at most \(rule.maxRatio.compactText):1")
        }
        let pixels = w.multipliedReportingOverflow(by: h)
        if pixels.overflow || pixels.partialValue < rule.minPixels || pixels.partialValue > rule.maxPixels {
            problems.append("total pixels must be between \(rule.minPixels) and \(rule.maxPixels)")
        }
        return problems
    }
}
