import FakelabAPI
import Foundation

extension Reports {
    /// One self-contained page (inline CSS, thumbnails as data: URIs): the verdict table, then per
    /// scenario its rule, checks with evidence, the request timeline and the images the client saved.
    public static func html(_ runs: [ScenarioRun], client: String) -> String {
        let esc = { (s: String) in xml(s).replacingOccurrences(of: "&#10;", with: "<br>") }
        var h = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>fakelab conform — \(esc(client))</title>
            <style>
            body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}table{border-collapse:collapse;margin:8px 0}
            td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
            .PASS{background:#d9f2d9}.NON-STRICT{background:#fff2c2}.FAIL{background:#f8d0d0}.ERROR{background:#e3c7f0}
            .ok{color:#1a7f1a}.no{color:#b00}code{font-size:12px}section{border-top:1px solid #ccc;margin-top:18px;padding-top:6px}
            img.thumb{border:1px solid #aaa;margin:4px;image-rendering:pixelated;max-width:96px}
            </style></head><body>
            <h1>fakelab conform — <code>\(esc(client))</code></h1><p id="summary">\(esc(summary(runs)))</p>
            <table id="verdicts"><tr><th>scenario</th><th>title</th><th>verdict</th><th>time</th><th>images</th></tr>
            """
        for r in runs {
            let thumbs = r.images.compactMap { i in
                i.thumbnail.map { #"<img class="thumb" alt="\#(esc(i.source))" src="data:image/png;base64,\#(Base64.encode($0))">"# }
            }.joined()
            h += "<tr><td><a href=\"#\(esc(r.scenario.id))\">\(esc(r.scenario.id))</a></td><td>\(esc(r.scenario.title))</td>"
            h +=
                "<td class=\"\(r.verdict.rawValue)\">\(r.verdict.rawValue)</td><td>\(String(format: "%.1f", r.seconds)) s</td><td>\(thumbs)</td></tr>"
        }
        h += "</table>"
        for r in runs {
            h +=
                #"<section id="\#(esc(r.scenario.id))"><h2 class="\#(r.verdict.rawValue)">\#(r.verdict.rawValue) — \#(esc(r.scenario.id)): \#(esc(r.scenario.title))</h2>"#
            h += "<p><b>Rule:</b> \(esc(r.scenario.rule))</p>"
            if let e = r.errorReason { h += "<p class=\"no\"><b>Error:</b> \(esc(e))</p>" }
            h += "<table><tr><th>check</th><th>level</th><th>result</th><th>expected</th><th>actual</th></tr>"
            for c in r.outcomes {
                h +=
                    "<tr><td>\(esc(c.check))</td><td>\(c.level.rawValue)</td><td class=\"\(c.passed ? "ok" : "no")\">\(c.passed ? "pass" : "FAIL")</td><td>\(esc(c.expected))</td><td>\(esc(c.actual))</td></tr>"
            }
            h +=
                "</table><details><summary>Request timeline (\(r.journal.count))</summary><table><tr><th>#</th><th>+s</th><th>request</th><th>status</th><th>note</th></tr>"
            let t0 = r.journal.first?["time"]?.doubleValue ?? 0
            for e in r.journal {
                let note = [
                    e["fault"]?.stringValue.map { "fault: \($0)" }, e["error_code"]?.stringValue, e["task_status"]?.stringValue.map { "task: \($0)" },
                ].compactMap { $0 }.joined(separator: ", ")
                h +=
                    "<tr><td>\(e["seq"]?.intValue ?? 0)</td><td>\(String(format: "%.2f", (e["time"]?.doubleValue ?? t0) - t0))</td><td><code>\(esc(e["method"]?.stringValue ?? "")) \(esc(e["path"]?.stringValue ?? ""))</code></td><td>\(e["status"]?.intValue.map(String.init) ?? "no answer")</td><td>\(esc(note))</td></tr>"
            }
            h += "</table></details>"
            let thumbs = r.images.map { i in
                i.thumbnail.map { #"<img class="thumb" alt="\#(esc(i.source))" src="data:image/png;base64,\#(Base64.encode($0))">"# }
                    ?? "<span class=\"no\">\(esc(i.problem ?? i.source))</span>"
            }
            if !thumbs.isEmpty { h += "<p>" + thumbs.joined() + "</p>" }
            h += "</section>"
        }
        return h + "</body></html>\n"
    }
}
