import FakelabAPI
import FakelabHTTP
import FakelabImaging
import HTTPTypes
import Hummingbird

/// What the fake does with a validated image request, once admitted: it names the results
/// (from the request, so the same request gives the same images), derives pixels from what the
/// request brought, and answers inline or with a task to poll. The controller around it decodes,
/// validates and fires model faults; the engine never sees a raw body.
struct ImageEngine {
    let state: ServerServices

    /// One request's answer, and what the journal learns of it.
    struct Answer {
        var body: [UInt8]
        var headers: HTTPFields

        /// An inline answer: its body and the `X-Billing-Transaction-ID` header.
        static func inline(_ body: [UInt8], billing: String) -> Answer {
            Answer(body: body, headers: Response.jsonHeaders(HTTPField(name: .xBillingTransactionID, value: billing)))
        }
    }

    /// - Parameters:
    ///   - base: where result URLs point (`http://host` + the result route, or the expired route).
    nonisolated(nonsending) func answer(
        _ job: ValidatedImageRequest,
        key: APIKey,
        plan: FaultPlan,
        base: String,
        now: Double,
        notes: JournalNotes
    ) async throws(APIError) -> Answer {
        let specs = ResultImage.specs(for: job, serverSeed: state.configuration.seed)
        let derived = job.references.isEmpty && job.mask == nil ? nil : try await derived(job, specs: specs, key: key)
        return try respond(job, key: key, plan: plan, base: base, now: now, notes: notes, specs: specs, derived: derived)
    }

    /// Results made from the request's own images (nil when it brought no pixels). Its own
    /// (never inlined) async function: an async function's frame holds every local it has, and
    /// a generation without inputs should not carry these.
    @inline(never)
    nonisolated(nonsending) private func derived(
        _ job: ValidatedImageRequest,
        specs: [ImageSpec],
        key: APIKey
    ) async throws(APIError) -> [(name: ResultImage.Name, bytes: [UInt8])]? {
        let inputs = try await resolveInputs(job, key: key)
        return try Self.derive(job, inputs: inputs, specs: specs, cache: state.images)
    }

    /// The answer, inline or a task: the synchronous rest of `answer`, outside its async frame.
    @inline(never)
    private func respond(
        _ job: ValidatedImageRequest,
        key: APIKey,
        plan: FaultPlan,
        base: String,
        now: Double,
        notes: JournalNotes,
        specs: [ImageSpec],
        derived made: [(name: ResultImage.Name, bytes: [UInt8])]?
    ) throws(APIError) -> Answer {
        // The i-th result's name, one rule for every path: a list of them is made only where a
        // path needs one (the url answer makes its URLs from them one by one).
        let count = made?.count ?? specs.count
        func name(_ i: Int) -> ResultImage.Name { made?[i].name ?? ResultImage.Name(spec: specs[i]) }
        let billing = state.ids.billingID()
        if wantsTask(job) {
            return task(job, key: key, plan: plan, base: base, names: (0..<count).map(name), billing: billing, now: now, notes: notes)
        }
        let billingText = billing.description  // once: the body and the header
        let echo = state.configuration.usageEcho && job.model.ownedBy == "openai" && job.model.pricingUnit == "per_token"
        if job.responseFormat == .url, !echo {
            // The common answer, written without a dictionary (nor a list of names first).
            let urls = (0..<count).map { name($0).url(base) }
            let bytes = Self.urlAnswer(billing: billingText, created: Int(now), urls: urls)
            notes.update {
                $0.result = JournalEntry.Result(kind: .inline, urls: urls)
                $0.response = JournalResponse.keep(bytes: bytes)
                $0.resultURLsInResponse = bytes.count <= JournalResponse.limit
            }
            return .inline(bytes, billing: billingText)
        }
        return try inlineAnswer(
            job,
            names: (0..<count).map(name),
            specs: specs,
            derived: made?.map(\.bytes),
            echo: echo,
            base: base,
            billing: billingText,
            now: now,
            notes: notes
        )
    }

    /// An inline answer as a `JSONValue`: b64_json results, or URLs with the usage echo.
    private func inlineAnswer(
        _ job: ValidatedImageRequest,
        names: [ResultImage.Name],
        specs: [ImageSpec],
        derived: [[UInt8]]?,
        echo: Bool,
        base: String,
        billing billingText: String,
        now: Double,
        notes: JournalNotes
    ) throws(APIError) -> Answer {
        var data: [JSONValue] = []
        data.reserveCapacity(names.count)
        var urls: [String] = []
        for (i, name) in names.enumerated() {
            switch job.responseFormat {
            case .url:
                let url = name.url(base)
                urls.append(url)
                data.append(["url": .string(url)])
            case .b64Json:
                let b64: String
                if let derived {
                    b64 = Base64.encode(derived[i])
                } else {
                    do { b64 = try state.images.base64(specs[i]) } catch { throw APIError.unexpected }
                }
                data.append(["b64_json": .string(b64)])
            }
        }
        var result: [String: JSONValue] = [
            "created": .int(Int(now)), "data": .array(data), "billing_transaction_id": .string(billingText),
        ]
        if echo {
            result.merge(Self.usageEcho(job), uniquingKeysWith: { a, _ in a })
        }
        let answer = JSONValue.object(result)
        let bytes = answer.serialized()  // once: for the wire and, when small, for the journal
        notes.update {
            $0.result = JournalEntry.Result(kind: .inline, urls: urls, b64: job.responseFormat == .b64Json ? names.count : 0)
            $0.response = bytes.count <= JournalResponse.limit ? bytes : JournalResponse.keep(answer)
        }
        return .inline(bytes, billing: billingText)
    }

    /// `{"billing_transaction_id":…,"created":…,"data":[{"url":…},…]}`: an inline answer of
    /// URLs, written in the sorted key order `JSONValue.serialized()` uses (`InlineAnswerTests`
    /// hold it equal to the `JSONValue` form).
    static func urlAnswer(billing: String, created: Int, urls: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + billing.utf8.count + urls.reduce(0) { $0 + $1.utf8.count + 12 })
        out.append(contentsOf: #"{"billing_transaction_id":"#.utf8)
        JSONValue.string(billing).write(into: &out)
        out.append(contentsOf: #","created":"#.utf8)
        JSONValue.int(created).write(into: &out)
        out.append(contentsOf: #","data":["#.utf8)
        for (i, url) in urls.enumerated() {
            out.append(contentsOf: (i == 0 ? #"{"url":"# : #",{"url":"#).utf8)
            JSONValue.string(url).write(into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// A task for the request: its policy and poll path (the key's, the model's, the server's),
    /// its first body, and the `X-Task-ID` header.
    private func task(
        _ job: ValidatedImageRequest,
        key: APIKey,
        plan: FaultPlan,
        base: String,
        names: [ResultImage.Name],
        billing: BillingID,
        now: Double,
        notes: JournalNotes
    ) -> Answer {
        let id = state.ids.taskID()
        let (policy, pollPath) = state.taskSettings(for: key, model: job.model, failure: plan.taskFailure)
        let body = state.tasks.create(
            TaskStore.Record(
                id: id,
                owner: key,
                model: job.model.id,
                created: now,
                updated: now,
                policy: policy,
                pollPath: pollPath,
                resultBase: base,
                results: .init(names),
                billing: billing
            )
        )
        let text = id.description
        notes.update {
            $0.taskID = text
            $0.taskStatus = TaskStatus.pending.rawValue
            $0.pollURL = pollPath.url(for: text)
            $0.result = JournalEntry.Result(kind: .task)
            $0.response = JournalResponse.keep(bytes: body)
        }
        var headers = HTTPFields()
        headers[.xTaskID] = text
        return Answer(body: body, headers: headers)
    }

    /// Task or inline, by the model's status mode (docs/tokenlab.md §3.6).
    func wantsTask(_ job: ValidatedImageRequest) -> Bool {
        switch job.model.statusMode {
        case .inline: false
        case .task: true
        case .inlineOrTask: job.asyncRequested
        }
    }

    /// The pixels a request brought: uploaded parts and `file_id`s (which must belong to the
    /// caller and to this model); remote URLs only with `--allow-fetch`.
    struct Inputs {
        var images: [(bytes: [UInt8], param: String)] = []
        var mask: [UInt8]?
    }

    func resolveInputs(_ job: ValidatedImageRequest, key: APIKey) async throws(APIError) -> Inputs {
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
    static func derive(
        _ job: ValidatedImageRequest,
        inputs: Inputs,
        specs: [ImageSpec],
        cache: ImageCache
    ) throws(APIError) -> [(name: ResultImage.Name, bytes: [UInt8])]? {
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
        var out: [(name: ResultImage.Name, bytes: [UInt8])] = []
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
            let name = ResultImage.Name(spec: named, derived: true)
            cache.insert(named: name.text, bytes: bytes)
            out.append((name, bytes))
        }
        return out
    }

    /// Edits without a size keep the input's dimensions (as OpenAI-style edit models do); `input`
    /// models (background remover, upscaler) scale them, up to the model's `max_output_pixels`.
    static func outputSize(_ job: ValidatedImageRequest, input: PixelBuffer, param: String) throws(APIError) -> (Int, Int) {
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

    /// OpenAI-style echo for token-priced models (OPENAI-CONV, docs/tokenlab.md §3.5): an optional extra.
    static func usageEcho(_ job: ValidatedImageRequest) -> [String: JSONValue] {
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
