import FakelabAPI
import FakelabHTTP
import FakelabImaging
import Hummingbird

/// `POST /v1/images/generations`, `/edits`, `/variations`: auth → body → contract → engine.
struct ImagesController {
    let state: ServerState

    func add(to router: some RouterMethods<FakelabContext>) {
        for endpoint in Endpoint.allCases {
            router.post(RouterPath(endpoint.rawValue)) { request, context in
                try await create(request, context: context, endpoint: endpoint)
            }
        }
    }

    func create(_ request: Request, context: FakelabContext, endpoint: Endpoint) async throws -> Response {
        let key = try APIKey.require(request, context)
        let delivery = try Self.deliveryPolicy(request)
        let decoded: RequestBodyDecoder.Decoded
        if let early = context.decodedBody {
            decoded = try early.get()
        } else {
            decoded = try await state.bodyDecoder.decode(request, endpoint: endpoint)
        }
        let raw = decoded.request
        let body = JournalBody(decoded, method: request.method.rawValue, path: request.uri.path)
        let job: ImageJob
        switch state.validator.validate(raw) {
        case .success(let j):
            job = j
            context.notes.update {
                $0.body = body
                $0.model = j.model.id
            }
        case .failure(let failure):
            context.notes.update { $0.body = body }
            throw APIError(failure)
        }
        let now = context.now
        if let tier = delivery.tier,
            state.tenants.with(key, { $0.unavailableTiers.contains(tier) })
                || job.model.deliveryAvailability?.serves(tier.rawValue, operation: job.operation) == false
        {
            throw FaultResponses.deliveryTierUnavailable(model: job.model.id, tier: tier.rawValue)
        }
        var plan = context.faults
        if let modelPlan = FaultPlan.forModel(job.model.id, request: request, context: context, state: state) {
            plan = modelPlan
            try await modelPlan.applyBefore(context: context, state: state, model: job.model.id)
        }
        let specs = ResultImage.specs(for: job, serverSeed: state.configuration.seed)
        var derived: [(name: String, bytes: [UInt8])]?
        if !job.references.isEmpty || job.mask != nil {
            let inputs = try await resolveInputs(job, key: key)
            derived = try Self.derive(job, inputs: inputs, specs: specs, cache: state.images)
        }
        let base = baseURL(request) + (plan.expiresURLs ? ResultImage.expiredPrefix + key.id + "/" : ResultImage.routePrefix)
        let names = derived?.map(\.name) ?? specs.map(ResultImage.name)
        let billingID = state.ids.billingID()
        if wantsTask(job) {
            let id = state.ids.taskID()
            let urls = names.map { base + $0 }
            var policy = state.taskPolicy(for: key, model: job.model)
            if let failure = plan.taskFailure { policy.failure = failure }
            let pollPath = state.pollPath(for: key, model: job.model)
            let taskBody = state.tasks.create(
                id: id,
                owner: key,
                model: job.model.id,
                policy: policy,
                pollPath: pollPath,
                results: urls,
                billingID: billingID,
                now: now
            )
            context.notes.update {
                $0.taskID = id
                $0.taskStatus = TaskStatus.pending.rawValue
                $0.pollURL = pollPath.url(for: id)
                $0.result = JournalEntry.Result(kind: .task)
                $0.response = JournalResponse.keep(bytes: taskBody)
            }
            var headers = HTTPFields()
            headers[.xTaskID] = id
            return .json(bytes: taskBody, headers: headers)
        }
        var data: [JSONValue] = []
        data.reserveCapacity(specs.count)
        for (i, spec) in specs.enumerated() {
            switch job.responseFormat {
            case .url: data.append(["url": .string(base + names[i])])
            case .b64Json:
                let b64 = try derived.map { Base64.encode($0[i].bytes) } ?? state.images.base64(spec)
                data.append(["b64_json": .string(b64)])
            }
        }
        var result: [String: JSONValue] = [
            "created": .int(Int(now)), "data": .array(data), "billing_transaction_id": .string(billingID),
        ]
        if state.configuration.usageEcho, job.model.ownedBy == "openai", job.model.pricingUnit == "per_token" {
            result.merge(Self.usageEcho(job), uniquingKeysWith: { a, _ in a })
        }
        let answer = JSONValue.object(result)
        let bytes = answer.serialized()  // once: for the wire and, when small, for the journal
        let inline = job.responseFormat == .url
        context.notes.update {
            $0.result = JournalEntry.Result(kind: .inline, urls: inline ? specs.indices.map { base + names[$0] } : [], b64: inline ? 0 : specs.count)
            $0.response = bytes.count <= JournalResponse.limit ? bytes : JournalResponse.keep(answer)
        }
        var headers = HTTPFields()
        headers[.xBillingTransactionID] = billingID
        return .json(bytes: bytes, headers: headers)
    }

    /// `X-TokenLab-Delivery-Policy`: `auto` (also when absent), `verified` or `official`.
    static func deliveryPolicy(_ request: Request) throws(APIError) -> DeliveryPolicy {
        guard let text = request.headers[.xTokenLabDeliveryPolicy] else { return .auto }
        guard let policy = DeliveryPolicy(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw .badRequest(
                code: ErrorCode.invalidValue,
                param: "X-TokenLab-Delivery-Policy",
                "X-TokenLab-Delivery-Policy: '\(text)' is not one of auto, verified, official"
            )
        }
        return policy
    }

    /// The pixels a request brought: uploaded parts and `file_id`s (which must belong to the
    /// caller and to this model); remote URLs only with `--allow-fetch`.
    struct Inputs {
        var images: [(bytes: [UInt8], param: String)] = []
        var mask: [UInt8]?
    }

    func resolveInputs(_ job: ImageJob, key: APIKey) async throws(APIError) -> Inputs {
        var inputs = Inputs()
        func bytes(_ ref: ImageReference) async throws(APIError) -> [UInt8]? {
            switch ref.source {
            case .upload(let file): return file.bytes
            case .url(let url):
                guard let fetcher = state.fetcher else { return nil }
                return try await fetcher.fetch(url, param: ref.param)
            case .fileID(let id):
                guard case .found(let file) = state.files.file(id, for: key) else {
                    throw .badRequest(
                        code: ErrorCode.invalidValue,
                        param: ref.param,
                        "\(ref.param): file_id '\(id)' is not a file uploaded with this API key"
                    )
                }
                guard file.model == job.model.id else {
                    throw .badRequest(
                        code: ErrorCode.invalidValue,
                        param: ref.param,
                        "\(ref.param): file_id '\(id)' was uploaded for \(file.model), not \(job.model.id)"
                    )
                }
                return file.bytes
            }
        }
        // 200 MiB across every input, masks and fetched references included (docs/tokenlab.md §3.4).
        let limit = state.configuration.limits.maxBodyBytes
        var total = 0
        for ref in job.references {
            if let b = try await bytes(ref) {
                total += b.count
                if total > limit { throw APIError.payloadTooLarge(limit: limit, param: ref.param, what: "sum of the request's images") }
                inputs.images.append((b, ref.param))
            }
        }
        if let mask = job.mask {
            inputs.mask = try await bytes(mask)
            if total + (inputs.mask?.count ?? 0) > limit {
                throw APIError.payloadTooLarge(limit: limit, param: "mask", what: "sum of the request's images")
            }
        }
        return inputs
    }

    /// Results made from the first input image (and the mask), stored under their URL names;
    /// nil when the request brought no pixels (results are then synthesized).
    static func derive(_ job: ImageJob, inputs: Inputs, specs: [ImageSpec], cache: ImageCache) throws(APIError) -> [(name: String, bytes: [UInt8])]? {
        guard let (fileBytes, param) = inputs.images.first else { return nil }
        let maxPixels = 50_000_000
        let input: PixelBuffer
        do { input = try ImageCodec.decode(fileBytes, maxPixels: maxPixels).0 } catch {
            throw APIError.badRequest(code: ErrorCode.invalidImage, param: param, "\(param): the image cannot be decoded: \(error.description)")
        }
        var mask: PixelBuffer?
        if let m = inputs.mask {
            do { mask = try ImageCodec.decode(m, maxPixels: maxPixels).0 } catch {
                throw APIError.badRequest(code: ErrorCode.invalidImage, param: "mask", "mask: the PNG cannot be decoded: \(error.description)")
            }
            if let mask, mask.width != input.width || mask.height != input.height {
                throw APIError.badRequest(
                    code: ErrorCode.invalidValue,
                    param: "mask",
                    "mask: \(mask.width)x\(mask.height) does not match the image's \(input.width)x\(input.height)"
                )
            }
        }
        let (width, height) = try outputSize(job, input: input, param: param)
        // The uploaded bytes are part of the identity: other inputs, other names and pixels.
        var identity = StableHash()
        identity.combine(fileBytes)
        if let m = inputs.mask { identity.combine(m) }
        var out: [(name: String, bytes: [UInt8])] = []
        for var spec in specs {
            spec.seed = SplitMix64.mix(spec.seed ^ identity.value)
            let pixels = Deriver.derive(job.model.derivation, input, mask: mask, width: width, height: height, seed: spec.seed)
            let bytes: [UInt8]
            do { bytes = try ImageCodec.encode(pixels, as: spec.format, quality: spec.quality) } catch {
                throw APIError.unexpected
            }
            var named = spec
            named.width = width
            named.height = height
            let name = ResultImage.derivedName(named)
            cache.insert(named: name, bytes: bytes)
            out.append((name, bytes))
        }
        return out
    }

    /// Edits without a size keep the input's dimensions (as OpenAI-style edit models do); `input`
    /// models (background remover, upscaler) scale them, up to the model's `max_output_pixels`.
    static func outputSize(_ job: ImageJob, input: PixelBuffer, param: String) throws(APIError) -> (Int, Int) {
        let rule = job.model.dimensions
        if rule.mode == .input {
            let (w, h) = rule.size(forInput: input.width, input.height)
            if let limit = rule.maxOutputPixels, w * h > limit {
                throw .badRequest(
                    code: ErrorCode.invalidValue,
                    param: param,
                    "\(param): \(input.width)x\(input.height) gives a \(w)x\(h) result, over \(job.model.id)'s limit of \(limit) pixels"
                )
            }
            return (w, h)
        }
        let keepInput = job.endpoint == .edits && (job.fields["size"] == nil || job.fields["size"] == "auto")
        return keepInput ? (input.width, input.height) : (job.width, job.height)
    }

    /// Task or inline, by the model's status mode (docs/tokenlab.md §3.6).
    func wantsTask(_ job: ImageJob) -> Bool {
        switch job.model.statusMode {
        case .inline: false
        case .task: true
        case .inlineOrTask: job.asyncRequested
        }
    }

    func baseURL(_ request: Request) -> String {
        if let configured = state.configuration.publicBaseURL { return configured }
        let host = request.head.authority ?? "\(state.configuration.host):\(state.configuration.port)"
        return "http://" + host
    }

    /// OpenAI-style echo for token-priced models (OPENAI-CONV, docs/tokenlab.md §3.5): an optional extra.
    static func usageEcho(_ job: ImageJob) -> [String: JSONValue] {
        let promptTokens = max(1, job.prompt.utf8.count / 4)
        let imageTokens = job.references.count * 65
        let outputTokens = job.n * max(16, job.width * job.height / 1024)
        return [
            "size": .string("\(job.width)x\(job.height)"),
            "quality": job.fields["quality"] ?? "auto",
            "background": job.fields["background"] ?? "auto",
            "output_format": .string(job.outputFormat),
            "usage": [
                "input_tokens": .int(promptTokens + imageTokens),
                "input_tokens_details": ["text_tokens": .int(promptTokens), "image_tokens": .int(imageTokens)],
                "output_tokens": .int(outputTokens),
                "total_tokens": .int(promptTokens + imageTokens + outputTokens),
            ],
        ]
    }
}
