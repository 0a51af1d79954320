import FakelabAPI
import Foundation

extension Reports {
    /// A fake that stays up after the run (`fakelab conform --url`): each request in the report
    /// links to the inspector's view of it, `{baseURL}/__fakelab/ui#key_id=…&seq=N`.
    public struct InspectorLink: Sendable {
        public var baseURL: String
        /// The `key_id` the fake's `/__fakelab/keys` gives an API key.
        public var keyID: @Sendable (String) -> String

        public init(baseURL: String, keyID: @escaping @Sendable (_ apiKey: String) -> String) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.keyID = keyID
        }

        func url(_ run: ScenarioRun, seq: Int? = nil) -> String {
            "\(baseURL)/__fakelab/ui#key_id=\(keyID(run.apiKey))" + (seq.map { "&seq=\($0)" } ?? "")
        }
    }

    /// One self-contained page (thumbnails as data: URIs): the verdict table, then per scenario its
    /// rule, checks with evidence, the request timeline (the inspector's columns and status chips)
    /// and the images the client saved. `stylesheet` is the inspector's `fakelab.css`
    /// (`Inspector.stylesheet` in FakelabHTTP), inlined so both pages look like one product;
    /// without it the page keeps its own minimal styles.
    public static func html(_ runs: [ScenarioRun], client: String, stylesheet: String? = nil, inspector: InspectorLink? = nil) -> String {
        let esc = { (s: String) in xml(s).replacingOccurrences(of: "&#10;", with: "<br>") }
        let thumb = { (i: ScenarioRun.Image, png: [UInt8]) in
            #"<img class="thumb" alt="\#(esc(i.source))" src="data:image/png;base64,\#(Base64.encode(png))">"#
        }
        var h = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>fakelab conform — \(esc(client))</title>
            <style>\(stylesheet?.replacingOccurrences(of: "</", with: "<\\/") ?? minimalStyles)</style></head><body class="report">
            """
        if stylesheet != nil { h += #"<header class="bar"><span class="brand">fakelab</span><span class="title">conform</span></header>"# }
        h += """
            <h1>fakelab conform — <code>\(esc(client))</code></h1><p id="summary">\(esc(summary(runs)))</p>
            <table id="verdicts"><tr><th>scenario</th><th>title</th><th>verdict</th><th>time</th><th>images</th></tr>
            """
        for r in runs {
            let thumbs = r.images.compactMap { i in i.thumbnail.map { thumb(i, $0) } }.joined()
            h += "<tr><td><a href=\"#\(esc(r.scenario.id))\">\(esc(r.scenario.id))</a></td><td>\(esc(r.scenario.title))</td>"
            h +=
                "<td class=\"\(r.verdict.rawValue)\">\(r.verdict.rawValue)</td><td>\(String(format: "%.1f", r.seconds)) s</td><td>\(thumbs)</td></tr>"
        }
        h += "</table>"
        for r in runs {
            h += #"<section id="\#(esc(r.scenario.id))"><h2 class="\#(r.verdict.rawValue)">"#
            h += "\(r.verdict.rawValue) — \(esc(r.scenario.id)): \(esc(r.scenario.title))</h2><p><b>Rule:</b> \(esc(r.scenario.rule))</p>"
            if let e = r.errorReason { h += "<p class=\"no\"><b>Error:</b> \(esc(e))</p>" }
            if let reason = r.notGradable { h += "<p><b>Not graded:</b> \(esc(reason))</p>" }
            h += "<table><tr><th>check</th><th>level</th><th>result</th><th>expected</th><th>actual</th></tr>"
            for c in r.outcomes {
                h +=
                    "<tr><td>\(esc(c.check))</td><td>\(c.level.rawValue)</td><td class=\"\(c.passed ? "ok" : "no")\">\(c.passed ? "pass" : "FAIL")</td>"
                h += "<td>\(esc(c.expected))</td><td>\(esc(c.actual))</td></tr>"
            }
            h += "</table><details><summary>Request timeline (\(r.entries.count))"
            if let inspector { h += #" · <a href="\#(esc(inspector.url(r)))">open in the inspector</a>"# }
            h += "</summary>" + timeline(r, inspector: inspector, esc: esc) + "</details>"
            let thumbs = r.images.map { i in i.thumbnail.map { thumb(i, $0) } ?? "<span class=\"no\">\(esc(i.problem ?? i.source))</span>" }
            if !thumbs.isEmpty { h += "<p>" + thumbs.joined() + "</p>" }
            h += "</section>"
        }
        return h + "</body></html>\n"
    }

    /// The journal as the inspector shows it: seq (a link into the inspector when the fake is
    /// live), time from the first request, method, path, status chip, error · param, fault, task.
    static func timeline(_ r: ScenarioRun, inspector: InspectorLink?, esc: (String) -> String) -> String {
        var h = #"<table class="grid journal"><tr><th class="num">#</th><th class="num">+s</th><th>method</th><th>path</th>"#
        h += "<th>status</th><th>error · param</th><th>fault</th><th>task</th></tr>"
        let t0 = r.entries.first?.time ?? 0
        for e in r.entries {
            let code = e.error?.code ?? e.error?.type
            let link = inspector.map { #"<a class="seq" href="\#(esc($0.url(r, seq: e.seq)))">\#(e.seq)</a>"# } ?? "\(e.seq)"
            h += "<tr data-seq=\"\(e.seq)\"><td class=\"num\">\(link)</td><td class=\"num\">\(String(format: "%.2f", e.time - t0))</td>"
            h += "<td class=\"mono\">\(esc(e.method))</td><td class=\"path\">\(esc(e.path))</td>"
            h += "<td><span class=\"chip \(statusClass(e.status))\">\(e.status.map(String.init) ?? "—")</span></td>"
            h += "<td class=\"mono\">\(esc(code ?? ""))\(e.error?.param.map { " · <code class=\"param\">\(esc($0))</code>" } ?? "")</td>"
            h += "<td>\(e.fault.map { "<span class=\"chip ERROR\">\(esc($0))</span>" } ?? "")</td>"
            h += "<td class=\"mono\">\(esc(e.taskStatus ?? ""))</td></tr>"
        }
        return h + "</table>"
    }

    /// The report's styles when no stylesheet is given (the verdict colours are the inspector's).
    static let minimalStyles = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}table{border-collapse:collapse;margin:8px 0}
        td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
        .PASS{background:#d9f2d9}.SKIP{background:#e8e8e8}.NON-STRICT{background:#fff2c2}.FAIL{background:#f8d0d0}.ERROR{background:#e3c7f0}
        .ok{color:#1a7f1a}.no{color:#b00}code{font-size:12px}section{border-top:1px solid #ccc;margin-top:18px;padding-top:6px}
        img.thumb{border:1px solid #aaa;margin:4px;image-rendering:pixelated;max-width:96px}
        """

    /// The inspector's status colours: 2xx PASS, 4xx NON-STRICT, 5xx FAIL, no answer ERROR, else IDLE.
    static func statusClass(_ status: Int?) -> String {
        guard let s = status else { return "ERROR" }
        return s >= 500 ? "FAIL" : s >= 400 ? "NON-STRICT" : (200..<300).contains(s) ? "PASS" : "IDLE"
    }
}
