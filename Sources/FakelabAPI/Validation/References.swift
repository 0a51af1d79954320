/// Collects reference images in every shape TokenLab accepts, checking each against the
/// operation's allowed shapes, the image-count limit, the URL policy and the file type.
enum References {
    struct Collected {
        var images: [ImageReference] = []
        var mask: ImageReference?
    }

    static func collect(
        _ request: ImageRequest,
        names: [String],
        op: OperationContract,
        model: ModelContract,
        allowLoopback: Bool = false,
        _ v: inout Violations
    ) -> Collected {
        // Sorted, as `names` is.
        let sent = names.filter(Validator.isReferenceShape)
        if sent.isEmpty, op.operation == .textToImage { return Collected() }
        reportUnacceptedShapes(sent, op: op, model: model, &v)
        let allowed = sent.filter(op.references.contains)
        let multipart = request.encoding == .multipart
        if request.endpoint == .edits, !multipart { checkSingleEditShape(allowed, &v) }

        let out = gather(request, allowed: allowed, multipart: multipart, &v)
        checkImageCount(out, op: op, model: model, &v)
        for ref in out.images { checkSource(ref, allowLoopback: allowLoopback, &v) }
        if let mask = out.mask { checkSource(mask, allowLoopback: allowLoopback, &v) }
        return out
    }

    /// One violation per reference shape sent that the operation does not take.
    private static func reportUnacceptedShapes(_ sent: [String], op: OperationContract, model: ModelContract, _ v: inout Violations) {
        for name in sent where !op.references.contains(name) {
            let accepted = op.references.isEmpty ? "no reference images" : "references as \(op.references.joined(separator: ", "))"
            v.unsupported(name, model: model, op: op, reason: "\(model.id) takes \(accepted) for \(op.operation.rawValue)")
        }
    }

    /// A JSON edit names its source images one way only: image_url, image_urls or images.
    private static func checkSingleEditShape(_ allowed: [String], _ v: inout Violations) {
        let shapes = allowed.filter(["image_url", "image_urls", "images"].contains)
        if shapes.count > 1 {
            v.add(
                code: ErrorCode.invalidValue,
                param: shapes[1],
                "send exactly one of image_url, image_urls or images, not \(shapes.joined(separator: " and "))"
            )
        }
    }

    /// Reads the source images and mask from every allowed shape, in a fixed shape order.
    private static func gather(_ request: ImageRequest, allowed: [String], multipart: Bool, _ v: inout Violations) -> Collected {
        var out = Collected()
        for name in ["image_url", "mask_url"] where allowed.contains(name) {
            guard let s = request.fields[name]?.stringValue else {
                v.typeMismatch(name, expected: .string, got: request.fields[name] ?? .null)
                continue
            }
            let ref = ImageReference(source: .url(s), param: name)
            if name == "mask_url" { out.mask = ref } else { out.images.append(ref) }
        }
        for name in ["image_urls", "reference_image_urls"] where allowed.contains(name) {
            out.images += urlList(name, request.fields[name], multipart: multipart, &v)
        }
        for name in ["image", "image[]"] where allowed.contains(name) {
            if let files = request.files[name] {
                for (i, file) in files.enumerated() {
                    out.images.append(ImageReference(source: .upload(file), param: files.count > 1 ? "\(name)[\(i)]" : name))
                }
            } else {
                v.add(code: ErrorCode.invalidType, param: name, "\(name): send the image as a multipart file part")
            }
        }
        if allowed.contains("images") { out.images += imageObjects(request.fields["images"], &v) }
        if allowed.contains("mask") { out.mask = mask(request, &v) }
        return out
    }

    /// At least one source image where the operation needs one (reported only when nothing else
    /// is wrong), and no more than the operation's limit.
    private static func checkImageCount(_ out: Collected, op: OperationContract, model: ModelContract, _ v: inout Violations) {
        let needsImages = op.operation != .textToImage
        if needsImages, out.images.isEmpty, v.isEmpty {
            let shape = op.references.first { $0 != "mask" && $0 != "mask_url" } ?? "image"
            v.add(
                code: ErrorCode.missingRequired,
                param: shape,
                "\(shape): \(op.operation.rawValue) needs at least one source image (\(op.references.filter { $0 != "mask" && $0 != "mask_url" }.joined(separator: ", ")))"
            )
        }
        if out.images.count > op.maxImages, op.maxImages > 0 {
            v.add(
                code: ErrorCode.tooManyImages,
                param: out.images[op.maxImages].param,
                "\(model.id) takes at most \(op.maxImages) source image\(op.maxImages == 1 ? "" : "s") for \(op.operation.rawValue); got \(out.images.count)"
            )
        }
    }

    /// A URL must pass the reference URL policy; an upload must be a PNG, JPEG or WebP image.
    private static func checkSource(_ ref: ImageReference, allowLoopback: Bool, _ v: inout Violations) {
        switch ref.source {
        case .url(let url):
            if let problem = ReferenceURLPolicy.problem(with: url, allowLoopback: allowLoopback) {
                v.add(code: ErrorCode.invalidImageURL, param: ref.param, "\(ref.param): \(problem)")
            }
        case .upload(let file):
            if ImageFormat.sniff(file.bytes) == nil {
                v.add(code: ErrorCode.invalidImage, param: ref.param, "\(ref.param): the file is not a PNG, JPEG or WebP image")
            }
        case .fileID: break
        }
    }

    private static func urlList(_ name: String, _ value: JSONValue?, multipart: Bool, _ v: inout Violations) -> [ImageReference] {
        var urls: [String] = []
        switch value {
        case .string(let s) where multipart:
            urls = s.split(separator: ",").map { String($0.trimmingWhitespace()) }
        case .array(let items):
            for (i, item) in items.enumerated() {
                guard let s = item.stringValue else {
                    v.typeMismatch("\(name)[\(i)]", expected: .string, got: item)
                    return []
                }
                urls.append(s)
            }
        default:
            v.typeMismatch(name, expected: .array, got: value ?? .null)
            return []
        }
        if urls.isEmpty || urls.count > 16 {
            v.add(code: ErrorCode.invalidValue, param: name, "\(name): send between 1 and 16 URLs, not \(urls.count)")
            return []
        }
        return urls.enumerated().map { ImageReference(source: .url($1), param: "\(name)[\($0)]") }
    }

    private static func imageObjects(_ value: JSONValue?, _ v: inout Violations) -> [ImageReference] {
        guard let items = value?.arrayValue else {
            v.typeMismatch("images", expected: .array, got: value ?? .null)
            return []
        }
        if items.isEmpty || items.count > 16 {
            v.add(code: ErrorCode.invalidValue, param: "images", "images: send between 1 and 16 items, not \(items.count)")
            return []
        }
        var refs: [ImageReference] = []
        for (i, item) in items.enumerated() {
            if let ref = urlOrFileID(item, param: "images[\(i)]", &v) { refs.append(ref) }
        }
        return refs
    }

    private static func mask(_ request: ImageRequest, _ v: inout Violations) -> ImageReference? {
        if let file = request.files["mask"]?.first {
            if ImageFormat.sniff(file.bytes) != .png {
                v.add(code: ErrorCode.invalidImage, param: "mask", "mask: must be a PNG image")
                return nil
            }
            return ImageReference(source: .upload(file), param: "mask")
        }
        guard let value = request.fields["mask"] else { return nil }
        return urlOrFileID(value, param: "mask", &v)
    }

    /// `{"image_url": …}` or `{"file_id": …}`, exactly one of the two.
    private static func urlOrFileID(_ item: JSONValue, param: String, _ v: inout Violations) -> ImageReference? {
        guard let object = item.objectValue else {
            v.typeMismatch(param, expected: .object, got: item)
            return nil
        }
        let url = object["image_url"]?.stringValue
        let fileID = object["file_id"]?.stringValue
        switch (url, fileID) {
        case (let url?, nil): return ImageReference(source: .url(url), param: param)
        case (nil, let id?): return ImageReference(source: .fileID(id), param: param)
        default:
            v.add(code: ErrorCode.invalidValue, param: param, "\(param): give exactly one of image_url or file_id")
            return nil
        }
    }
}
