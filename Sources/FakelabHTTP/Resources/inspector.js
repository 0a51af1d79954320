// fakelab inspector: reads the control API (/__fakelab/…) and shows one key's traffic live.
// Every server string goes in through textContent or setAttribute (never innerHTML): the journal
// holds what clients sent. Token-shaped strings are masked again before display (defence in depth).
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const KEY_RE = /sk-[A-Za-z0-9_-]{8,}/g;
  const safe = (s) => String(s).replace(KEY_RE, (m) => "sk-…" + m.slice(-4));
  const enc = encodeURIComponent;

  // h("td", {class: "x", "data-seq": 3, onclick: f}, child, "text", [more]) → element
  function h(tag, props, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : safe(v));
    }
    add(e, kids);
    return e;
  }
  function add(e, kids) {
    for (const k of kids.flat(4)) if (k != null && k !== false && k !== "") e.append(k instanceof Node ? k : document.createTextNode(safe(k)));
    return e;
  }
  const fill = (e, ...kids) => { e.replaceChildren(); return add(e, kids); };
  const chip = (cls, text) => h("span", { class: "chip " + cls }, text);
  const code = (text) => h("code", null, text);
  const muted = (...k) => h("span", { class: "muted" }, ...k);
  const note = (...k) => h("p", { class: "muted" }, ...k);
  const td = (cls, ...k) => h("td", cls ? { class: cls } : null, ...k);
  // grid(["a", ["b", "num"]], rows, {id}) → a dense table
  const grid = (cols, rows, props) => h("table", { class: "grid", ...props },
    h("thead", null, h("tr", null, cols.map((c) => (Array.isArray(c) ? h("th", { class: c[1] }, c[0]) : h("th", null, c))))), h("tbody", null, rows));

  // ---- formatting
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  function clock(t) {
    if (typeof t !== "number") return "";
    const d = new Date(t * 1000);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  }
  const iso = (t) => (typeof t === "number" ? new Date(t * 1000).toISOString() : "");
  function ago(t) {
    if (typeof t !== "number") return "";
    const s = Date.now() / 1000 - t;
    if (s < 0 || s > 86400) return clock(t).slice(0, 8);
    if (s < 60) return `${Math.round(s)} s ago`;
    if (s < 3600) return `${Math.round(s / 60)} min ago`;
    return `${Math.round(s / 3600)} h ago`;
  }
  const ms = (v) => (typeof v !== "number" ? "" : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : String(Math.round(v)));
  function bytes(n) {
    if (typeof n !== "number") return "";
    return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`;
  }
  function statusClass(s, inFlight) {
    if (s == null) return inFlight ? "IDLE" : "ERROR";
    return s >= 500 ? "FAIL" : s >= 400 ? "NON-STRICT" : s >= 300 ? "IDLE" : s >= 200 ? "PASS" : "IDLE";
  }
  const statusChip = (s, inFlight) =>
    h("span", { class: "chip " + statusClass(s, inFlight), title: s == null ? (inFlight ? "in flight" : "no answer") : null }, s == null ? (inFlight ? "…" : "—") : String(s));
  const taskClass = (st) => (st === "completed" ? "PASS" : st === "failed" ? "FAIL" : "IDLE");
  const levelClass = (l) => (l === "MUST" ? "FAIL" : l === "SHOULD" ? "NON-STRICT" : "IDLE");
  const errorOf = (e) => e.error || (e.error_code ? { code: e.error_code } : null);
  const json = (v) => JSON.stringify(v, null, 2);

  // ---- state, kept in the URL hash so a reload keeps the view
  const S = {
    key: null, tab: "journal", seq: null, gen: 0, tick: 0,
    rows: new Map(), last: 0, inflight: new Set(), hits: new Set(),
    keys: new Map(), noKeys: false, cassette: null, seen: {},
    f: { path: "", status: "", method: "" },
  };
  function readHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    const key = p.get("key_id");
    S.want = p.get("tab") || (p.get("seq") ? "journal" : S.tab);
    S.f = { path: p.get("path") || "", status: p.get("status") || "", method: p.get("method") || "" };
    $("f-path").value = S.f.path; $("f-status").value = S.f.status; $("f-method").value = S.f.method;
    for (const { e, tr } of S.rows.values()) tr.hidden = !matches(e);
    const seq = p.get("seq") ? Number(p.get("seq")) : null;
    if (key && key !== S.key) selectKey(key, seq);
    else if (seq && seq !== S.seq) { S.pendingSeq = seq; showPendingSeq(); }
    setTab(S.want, false);
  }
  function writeHash() {
    const p = new URLSearchParams();
    if (S.key) p.set("key_id", S.key);
    if (S.tab !== "journal") p.set("tab", S.tab);
    if (S.seq) p.set("seq", S.seq);
    for (const k of ["path", "status", "method"]) if (S.f[k]) p.set(k, S.f[k]);
    const hash = "#" + p.toString();
    if (hash !== location.hash) history.replaceState(null, "", hash);
  }

  // ---- the control API; a 403 control_forbidden asks for the token once, then retries
  let login = null;
  async function api(path, opts = {}) {
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await fetch("/__fakelab/" + path, {
        method: opts.method || "GET", body: opts.body, credentials: "same-origin", cache: "no-store",
        headers: opts.body ? { "Content-Type": "application/json" } : {},
      });
      const text = await r.text();
      let body = null;
      try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
      if (r.status === 403 && !opts.noLogin && body && body.error && body.error.code === "control_forbidden") {
        await askToken(body.error.message);
        continue;
      }
      return { status: r.status, ok: r.ok, body };
    }
    throw new Error("control token refused");
  }
  function askToken(message) {
    if (login) return login;
    login = new Promise((resolve) => {
      const dlg = $("login");
      fill($("login-error"), message && !/X-Fakelab-Control-Token/.test(message) ? message : "");
      $("login-form").onsubmit = async (ev) => {
        ev.preventDefault();
        const r = await api("ui/login", { method: "POST", body: JSON.stringify({ token: $("login-token").value }), noLogin: true }).catch(() => null);
        if (r && r.ok) { $("login-token").value = ""; dlg.close(); login = null; resolve(); }
        else fill($("login-error"), (r && r.body && r.body.error && r.body.error.message) || "The token was not accepted.");
      };
      dlg.addEventListener("cancel", (ev) => ev.preventDefault());
      if (!dlg.open) dlg.showModal();
      $("login-token").focus();
    });
    return login;
  }

  // ---- keys
  async function loadKeys() {
    const r = await api("keys");
    if (r.status === 404) {
      if (!S.noKeys) { S.noKeys = true; fill($("keys-empty"), "This server keeps no per-key journal."); $("keys-empty").hidden = false; }
      return;
    }
    if (!r.ok) throw new Error(`keys: HTTP ${r.status}`);
    const data = (r.body && r.body.data) || [];
    $("keys-empty").hidden = data.length > 0;
    const list = $("keys");
    for (const k of data) {
      let item = S.keys.get(k.key_id);
      if (!item) {
        const stats = h("span", { class: "kstats muted" }), when = h("span", { class: "kwhen muted" });
        const btn = h("button", { type: "button", class: "keybtn", "data-key-id": k.key_id, onclick: () => selectKey(k.key_id) },
          h("span", { class: "mono kmask" }, k.key || k.key_id), stats, when);
        btn.setAttribute("aria-current", k.key_id === S.key ? "true" : "false");
        item = { li: h("li", null, btn), btn, stats, when };
        S.keys.set(k.key_id, item);
        list.append(item.li);
      }
      item.data = k;
      const stats = [`${k.requests ?? 0} req`, k.tasks ? `${k.tasks} task${k.tasks === 1 ? "" : "s"}` : "", k.rules ? `${k.rules} rule${k.rules === 1 ? "" : "s"}` : ""]
        .filter(Boolean).join(" · ");
      if (item.stats.textContent !== stats) item.stats.textContent = stats;
      const when = ago(k.last_seen);
      if (item.when.textContent !== when) { item.when.textContent = when; item.when.title = iso(k.last_seen); }
      if (k.key_id === S.key && $("key-label").textContent !== (k.key || "")) $("key-label").textContent = safe(k.key || "");
    }
    if (!S.key && data.length) {
      const latest = data.reduce((a, b) => ((b.last_seen || 0) > (a.last_seen || 0) ? b : a));
      selectKey(latest.key_id, S.pendingSeq);
    }
  }

  function selectKey(id, seq = null) {
    if (id === S.key) return;
    S.key = id; S.gen++; S.rows.clear(); S.last = 0; S.inflight.clear(); S.hits.clear(); S.seen = {};
    S.tasks = S.state = S.verdict = undefined;
    S.seq = null; S.pendingSeq = seq;
    $("jrows").replaceChildren();
    for (const p of ["tasks", "state", "verdict", "summary"]) $(p).replaceChildren();
    $("detail").hidden = true; $("jwrap").classList.remove("open");
    for (const [kid, item] of S.keys) item.btn.setAttribute("aria-current", kid === id ? "true" : "false");
    const k = S.keys.get(id);
    $("key-label").textContent = k ? safe(k.data.key || "") : id;
    writeHash();
    refreshKey(true).catch(offline);
  }

  // ---- journal
  async function pollJournal() {
    const g = S.gen;
    const since = S.inflight.size ? Math.min(...S.inflight) - 1 : S.last;
    const r = await api(`journal?key_id=${enc(S.key)}&since=${since}`);
    if (g !== S.gen) return false;
    if (!r.ok) throw new Error(`journal: HTTP ${r.status}`);
    let changed = false;
    for (const e of (r.body && r.body.data) || []) changed = upsert(e) || changed;
    if (changed) afterRows();
    return changed;
  }
  // A reset (or the ring emptied) restarts seqs: start over when the newest entry is older than ours.
  async function probeReset() {
    const g = S.gen;
    const r = await api(`journal?key_id=${enc(S.key)}&limit=1`);
    if (g !== S.gen || !r.ok) return;
    const top = ((r.body && r.body.data) || [])[0];
    if ((top ? top.seq : 0) < S.last) { const id = S.key; S.key = null; selectKey(id); }
  }
  function upsert(e) {
    const old = S.rows.get(e.seq);
    const sig = JSON.stringify(e);
    if (old && old.sig === sig) return false;
    const tr = row(e);
    if (old) {
      tr.className = old.tr.className;
      old.tr.replaceWith(tr);
    } else {
      let next = null;
      if (e.seq < S.last) for (const [s, o] of S.rows) if (s > e.seq && (!next || s < next.seq)) next = { seq: s, tr: o.tr };
      $("jrows").insertBefore(tr, next ? next.tr : null);
    }
    S.rows.set(e.seq, { e, tr, sig });
    S.last = Math.max(S.last, e.seq);
    if (e.in_flight) S.inflight.add(e.seq); else S.inflight.delete(e.seq);
    tr.hidden = !matches(e);
    if (S.hits.has(e.seq)) tr.classList.add("hit");
    if (S.seq === e.seq) { tr.classList.add("sel"); if (old) openDetail(e.seq, false); }
    return true;
  }
  function row(e) {
    const err = errorOf(e);
    const tr = h("tr", { id: "j" + e.seq, "data-seq": e.seq, "data-status": e.status ?? "", "data-method": e.method, onclick: () => openDetail(e.seq) },
      td("num", h("button", { type: "button", class: "seq", "aria-label": `request ${e.seq}: open detail` }, String(e.seq))),
      h("td", { class: "mono nowrap opt", title: iso(e.time) }, clock(e.time)),
      td("mono", e.method),
      h("td", { class: "path", title: e.path + (e.query ? "?" + e.query : "") }, e.path, e.query ? muted("?" + e.query) : null),
      h("td", { class: "c-status" }, statusChip(e.status, e.in_flight)),
      h("td", { class: "c-err" }, err ? [h("span", { class: "mono code" }, err.code || err.type || "error"), err.param ? [" · ", h("code", { class: "param" }, err.param)] : null] : null),
      h("td", { class: "c-fault" }, e.fault ? h("span", { class: "chip ERROR fault", title: e.fault }, e.fault) : null),
      h("td", { class: "c-task mono opt" }, e.task_id ? [h("span", { class: "tid", title: e.task_id }, e.task_id), e.task_status ? h("span", { class: "tstat " + taskClass(e.task_status) }, e.task_status) : null] : null),
      h("td", { class: "num opt" }, ms(e.duration_ms)));
    return tr;
  }
  function afterRows() {
    const n = S.rows.size;
    $("journal-empty").hidden = n > 0;
    fill($("n-journal"), n ? String(n) : "");
    countShown();
    if (S.pendingSeq) showPendingSeq();
  }
  function showPendingSeq() {
    const seq = S.pendingSeq;
    if (!seq || !S.rows.has(seq)) return;
    S.pendingSeq = null;
    goSeq(seq, [seq]);
  }

  // filters: path (substring, or a glob with *), status (2xx / 4xx,5xx / 404 / in flight), method
  function matches(e) {
    const f = S.f;
    if (f.method && e.method !== f.method) return false;
    if (f.path) {
      const p = e.path + (e.query ? "?" + e.query : "");
      if (f.path.includes("*")) {
        const re = new RegExp("^" + f.path.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
        if (!re.test(e.path)) return false;
      } else if (!p.includes(f.path)) return false;
    }
    if (f.status) {
      const ok = f.status.split(/[\s,]+/).filter(Boolean).some((t) => {
        t = t.toLowerCase();
        if (t === "in" || t === "flight" || t === "inflight") return !!e.in_flight;
        if (/^[1-5]xx$/.test(t)) return e.status != null && Math.floor(e.status / 100) === Number(t[0]);
        if (/^\d{3}$/.test(t)) return e.status === Number(t);
        return false;
      });
      if (!ok) return false;
    }
    return true;
  }
  function applyFilters() {
    S.f = { path: $("f-path").value.trim(), status: $("f-status").value.trim(), method: $("f-method").value };
    for (const { e, tr } of S.rows.values()) tr.hidden = !matches(e);
    countShown();
    writeHash();
  }
  function countShown() {
    let shown = 0;
    for (const { tr } of S.rows.values()) if (!tr.hidden) shown++;
    fill($("shown"), S.rows.size && shown !== S.rows.size ? `${shown} of ${S.rows.size} shown` : "");
  }

  // jump to a journal row from a task, a finding or a hash; `hits` are highlighted
  function goSeq(seq, hits) {
    setTab("journal");
    for (const s of S.hits) S.rows.get(s)?.tr.classList.remove("hit");
    S.hits = new Set(hits || [seq]);
    let cleared = false;
    for (const s of S.hits) {
      const r = S.rows.get(s);
      if (!r) continue;
      r.tr.classList.add("hit");
      if (r.tr.hidden && !cleared) { $("filters").reset(); cleared = true; }
    }
    if (cleared) applyFilters();
    const r = S.rows.get(seq);
    if (!r) { S.pendingSeq = seq; live(`request #${seq} is not in the journal (yet, or any more)`); return; }
    openDetail(seq);
    r.tr.scrollIntoView({ block: "center" });
    r.tr.querySelector("button.seq").focus({ preventScroll: true });
  }
  const seqButton = (seq, hits, label) =>
    h("button", { type: "button", class: "seq", "data-goto": seq, "aria-label": `journal row ${seq}`, onclick: (ev) => { ev.stopPropagation(); goSeq(seq, hits); } }, label || "#" + seq);

  // ---- the detail pane: request and answer of one entry
  async function openDetail(seq, focus = true) {
    const was = S.seq;
    if (was && was !== seq) S.rows.get(was)?.tr.classList.remove("sel");
    S.seq = seq;
    S.rows.get(seq)?.tr.classList.add("sel");
    writeHash();
    $("detail").hidden = false; $("jwrap").classList.add("open");
    const g = S.gen;
    const r = await api(`journal/${seq}?key_id=${enc(S.key)}`).catch((err) => (offline(err), null));
    if (!r || g !== S.gen || S.seq !== seq) return;
    // without the entry endpoint, the journal row itself (no answer to show)
    const row = S.rows.get(seq);
    if (!r.ok && !row) { fill($("d-title"), `#${seq}`); fill($("d-body"), h("p", { class: "no" }, errText(r))); return; }
    renderDetail(r.ok ? r.body : row.e);
    if (!r.ok) $("d-body").prepend(h("p", { class: "no" }, "The answer is not available: " + errText(r)));
    if (focus && was !== seq) $("detail").scrollTop = 0;
  }
  function closeDetail() {
    S.rows.get(S.seq)?.tr.classList.remove("sel");
    const seq = S.seq;
    S.seq = null; writeHash();
    $("detail").hidden = true; $("jwrap").classList.remove("open");
    S.rows.get(seq)?.tr.querySelector("button.seq").focus();
  }
  const errText = (r) => (r.body && r.body.error && r.body.error.message) || `HTTP ${r.status}`;
  function kv(pairs) {
    const dl = h("dl", { class: "kv" });
    for (const [k, v] of pairs) if (v != null && v !== "" && !(Array.isArray(v) && !v.length)) dl.append(h("dt", null, k), h("dd", null, v));
    return dl;
  }
  function headersTable(hd) {
    const names = Object.keys(hd || {}).sort();
    if (!names.length) return note("none");
    return h("table", { class: "grid hdrs" }, h("tbody", null, names.map((n) => h("tr", null, h("th", { scope: "row", class: "mono" }, n), td("mono", String(hd[n]))))));
  }
  function images(entry) {
    const out = new Set();
    const re = /^https?:\/\/[^\s"'<>]+\/(?:fakelab\/images|__fakelab\/media)\/[^\s"'<>]+$/;
    (function walk(v, depth) {
      if (depth > 12 || out.size >= 24) return;
      if (typeof v === "string") { if (re.test(v)) out.add(v); }
      else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
      else if (v && typeof v === "object") Object.values(v).forEach((x) => walk(x, depth + 1));
    })(entry.response && entry.response.body, 0);
    for (const u of (entry.result && entry.result.urls) || []) {
      if (typeof u !== "string") continue;
      if (/^https?:\/\//.test(u)) out.add(u); else if (u.startsWith("/")) out.add(location.origin + u);
    }
    return [...out];
  }
  // The inspector's own image fetches carry fakelab_ui=1 so the server can keep them out of the journal.
  const uiURL = (u) => u + (u.includes("?") ? "&" : "?") + "fakelab_ui=1";
  function renderDetail(e) {
    const err = errorOf(e), resp = e.response || {};
    fill($("d-title"), h("span", { class: "mono" }, `#${e.seq} ${e.method} ${e.path}`), " ", statusChip(e.status, e.in_flight));
    // the contract's summary ({kind, fields, files}); older journals kept the JSON body itself
    const body = !e.body ? {} : e.body.kind || e.body.fields || e.body.files ? e.body : { kind: "json", fields: e.body };
    const parts = [
      kv([
        ["time", h("span", { class: "mono", title: iso(e.time) }, iso(e.time))],
        ["duration", e.duration_ms != null ? `${ms(e.duration_ms)} ms` : null],
        ["query", e.query ? code(e.query) : null],
        ["request id", e.request_id ? code(e.request_id) : null],
        ["model", e.model ? code(e.model) : null],
        ["task", e.task_id ? [code(e.task_id), e.task_status ? [" ", chip(taskClass(e.task_status), e.task_status)] : null] : null],
        ["poll_url", e.poll_url ? code(e.poll_url) : null],
        ["fault", e.fault ? chip("ERROR", e.fault) : null],
        ["retry after", e.retry_after != null ? `${e.retry_after} s` : null],
        ["result", e.result ? `${e.result.kind}: ${(e.result.urls || []).length} url(s), ${e.result.b64 || 0} b64` : null],
        ["fingerprint", e.fingerprint ? h("code", { title: e.fingerprint }, e.fingerprint.slice(0, 16) + "…") : null],
      ]),
    ];
    if (err) {
      parts.push(h("div", { class: "errbox " + statusClass(e.status, e.in_flight) },
        h("b", { class: "mono" }, err.code || err.type || "error"), err.param ? [" param ", h("code", { class: "param" }, err.param)] : null,
        err.retryable != null ? muted(err.retryable ? " · retryable" : " · not retryable") : null,
        err.message ? h("div", null, err.message) : null));
    }
    const imgs = images(e);
    if (imgs.length) {
      parts.push(h("h3", null, `Images (${imgs.length})`), h("div", { class: "thumbs" },
        imgs.map((u) => h("a", { href: uiURL(u), target: "_blank", rel: "noopener noreferrer", title: u }, h("img", { class: "thumb", src: uiURL(u), alt: "result image " + u.split("/").pop(), loading: "lazy" })))));
    }
    parts.push(h("h3", null, "Request headers"), headersTable(e.headers));
    parts.push(h("h3", null, "Request body", body.kind ? muted(" · " + body.kind) : null));
    if (body.fields && Object.keys(body.fields).length) parts.push(h("pre", { class: "json" }, json(body.fields)));
    if (body.files && body.files.length) {
      parts.push(grid(["part", "file", "type", ["size", "num"], "sha256"], body.files.map((f) => h("tr", null, td("mono", f.name), td("mono", f.filename || ""),
        td(null, f.content_type || ""), td("num", bytes(f.size)), td("mono", (f.sha256 || "").slice(0, 12))))));
    }
    if (!body.kind && !e.body) parts.push(note("none"));
    else if (body.kind === "empty") parts.push(note("empty"));
    if (resp.headers) parts.push(h("h3", null, "Response headers"), headersTable(resp.headers));
    parts.push(h("h3", null, "Response body", resp.truncated ? muted(" · truncated") : null));
    if (resp.body != null) parts.push(h("pre", { class: "json resp" }, json(resp.body)));
    else if (resp.body_text) parts.push(h("pre", { class: "resp" }, resp.body_text));
    else parts.push(note(e.in_flight ? "in flight" : "none"));
    fill($("d-body"), parts);
  }

  // ---- tasks, state, verdict (re-rendered only when their JSON changed)
  function changed(name, body) {
    const sig = JSON.stringify(body);
    if (S.seen[name] === sig) return false;
    S.seen[name] = sig;
    return true;
  }
  async function loadPerKey(name) {
    const g = S.gen;
    const r = await api(`${name}?key_id=${enc(S.key)}`);
    if (g !== S.gen) return null;
    if (!r.ok) { S[name] = null; if (changed(name, r.status)) fill($(name), h("p", { class: "no pad" }, `${name}: ${errText(r)}`)); return null; }
    return changed(name, r.body) ? r.body : null;
  }
  async function loadTasks() {
    const b = await loadPerKey("tasks");
    if (!b) return;
    const tasks = b.data || [];
    S.tasks = tasks;
    $("tasks-empty").hidden = tasks.length > 0;
    fill($("n-tasks"), tasks.length ? String(tasks.length) : "");
    fill($("tasks"), tasks.map(taskCard));
    summary();
  }
  function createSeq(t) {
    let best = null;
    for (const { e } of S.rows.values()) if (e.task_id === t.id && e.method === "POST" && (!best || e.seq < best)) best = e.seq;
    return best;
  }
  function taskCard(t) {
    const t0 = t.created, line = t.timeline || [];
    // the create request: the server's "created" step when it sends one, else found in the journal
    const created = line[0] && line[0].status === "created" ? null : createSeq(t);
    const steps = line[0] && line[0].status === "created" ? [] : [h("li", { class: "step created" }, chip("IDLE", "created"),
      h("span", { class: "when muted", title: iso(t0) }, clock(t0)), created ? h("span", { class: "reads" }, seqButton(created, [created])) : null)];
    for (const s of line) {
      const reads = s.reads || [];
      steps.push(h("li", { class: "step " + s.status, "data-status": s.status },
        chip(taskClass(s.status), s.status),
        h("span", { class: "when muted", title: iso(s.from) }, typeof s.from === "number" && typeof t0 === "number" ? `+${(s.from - t0).toFixed(s.from - t0 < 10 ? 2 : 0)} s` : ""),
        h("span", { class: "reads" }, reads.length ? reads.map((q) => seqButton(q, reads)) : muted("not read"))));
    }
    const terminal = t.status === "completed" || t.status === "failed";
    if (!terminal) steps.push(h("li", { class: "step next muted" }, "…"));
    return h("article", { class: "task", id: "task-" + t.id, "data-status": t.status, "data-task-id": t.id },
      h("header", null, h("code", { class: "taskid" }, t.id), " ", chip(taskClass(t.status), t.status),
        t.model ? muted(" · ", code(t.model)) : null,
        t.policy ? muted(" · policy ", h("code", { class: "policy" }, t.policy)) : null,
        t.poll_url ? muted(" · ", code(t.poll_url)) : null),
      h("ol", { class: "timeline", "aria-label": "timeline of " + t.id }, steps));
  }
  async function loadState() {
    const st = await loadPerKey("state");
    if (!st) return;
    S.state = st;
    const rules = st.rules || [];
    const mp = Object.entries(st.model_task_policies || {});
    const off = st.clock_offset_seconds || 0;
    fill($("n-state"), rules.length ? String(rules.length) : "");
    fill($("state"),
      h("h2", null, "Task policy and clock"),
      kv([
        ["task policy", st.task_policy ? h("code", { class: "policy" }, st.task_policy) : muted("model or server default")],
        ["per model", mp.length ? mp.map(([m, p]) => h("div", null, code(m), " → ", h("code", { class: "policy" }, p))) : null],
        ["clock offset", h("span", { id: "clock-offset" }, `${off >= 0 ? "+" : ""}${off} s`)],
        ["key clock", typeof st.now === "number" ? h("span", { class: "mono", title: iso(st.now) }, iso(st.now)) : null],
        ["journal entries", st.journal_entries != null ? String(st.journal_entries) : null],
      ]),
      h("h2", null, `Fault rules (${rules.length})`),
      rules.length ? grid([["#", "num"], "fault", "route", "method", "model", ["times", "num"], ["after", "num"], ["probability", "num"], ["fired", "num"]],
        rules.map((r, i) => h("tr", { class: "rule", "data-fired": r.fired ?? 0, "data-fault": r.fault },
          td("num", String(i + 1)), td(null, chip("ERROR", r.fault)), td("path", r.route || "any"),
          td("mono", r.method || "any"), td("mono", r.model || "any"), td("num", r.times != null ? String(r.times) : "∞"),
          td("num", String(r.after || 0)), td("num", r.probability != null ? String(r.probability) : "1"),
          td("num fired", chip(r.fired ? "ERROR" : "IDLE", String(r.fired ?? 0))))), { id: "rules" })
        : note("No fault rules. Add some with POST /__fakelab/faults."));
    summary();
  }
  async function loadVerdict() {
    const v = await loadPerKey("verdict");
    if (!v) return;
    S.verdict = v;
    const fs = v.findings || [], c = v.counts || {};
    fill($("n-verdict"), fs.length ? String(fs.length) : "");
    fill($("verdict"),
      h("p", { class: "vhead" }, chip(verdictClass(v), verdictWord(v)), " ",
        `${c.requests ?? 0} requests · ${c.must ?? 0} MUST · ${c.should ?? 0} SHOULD`),
      fs.length ? h("div", { class: "findings" }, fs.map((f) => h("article", { class: "finding", "data-finding": f.finding },
        h("header", null, chip(levelClass(f.level), f.level), " ", h("code", { class: "fname" }, f.finding)),
        f.message ? h("p", null, f.message) : null,
        f.advice ? note("Advice: " + f.advice) : null,
        (f.requests || []).length ? h("p", { class: "reads" }, "requests ", f.requests.map((q) => seqButton(q, f.requests))) : null)))
        : note("No findings: the client behaved."));
    summary();
  }
  const verdictClass = (v) => (v.ok ? "PASS" : (v.counts && v.counts.must) ? "FAIL" : "NON-STRICT");
  const verdictWord = (v) => (v.ok ? "PASS" : (v.counts && v.counts.must) ? "FAIL" : "NON-STRICT");

  // ---- the summary cards over the tabs
  function summary() {
    if (!S.key) return;
    const by = { PASS: 0, "NON-STRICT": 0, FAIL: 0 };
    for (const { e } of S.rows.values()) { const c = statusClass(e.status, e.in_flight); if (c in by) by[c]++; }
    const rules = (S.state && S.state.rules) || [];
    const fired = rules.reduce((n, r) => n + (r.fired || 0), 0);
    const done = (S.tasks || []).filter((t) => t.status === "completed" || t.status === "failed").length;
    const card = (tab, label, ...value) => h("button", { type: "button", class: "card", onclick: () => setTab(tab) }, h("span", { class: "clabel" }, label), h("span", { class: "cval" }, value));
    const off = S.state ? S.state.clock_offset_seconds || 0 : 0;
    fill($("summary"),
      card("journal", "requests", String(S.rows.size), " ", chip("PASS", `${by.PASS} 2xx`), chip("NON-STRICT", `${by["NON-STRICT"]} 4xx`), chip("FAIL", `${by.FAIL} 5xx`)),
      card("verdict", "verdict", S.verdict ? [chip(verdictClass(S.verdict), verdictWord(S.verdict)), ` ${(S.verdict.findings || []).length} finding(s)`]
        : S.verdict === null ? muted("not available") : "…"),
      card("tasks", "tasks", `${(S.tasks || []).length}`, muted(` · ${done} finished`)),
      card("state", "faults", `${rules.length} rule${rules.length === 1 ? "" : "s"}`, muted(` · fired ${fired}×`)),
      card("state", "policy · clock", code((S.state && S.state.task_policy) || "default"), ` · ${off >= 0 ? "+" : ""}${off} s`));
  }

  // ---- cassette (record / replay servers only)
  async function loadCassette() {
    const r = await api("cassette");
    if (r.status === 404 || r.status === 405) { S.cassette = false; return; }
    if (!r.ok || !r.body || !changed("cassette", r.body)) return;
    const c = r.body, ex = c.exchanges || [], misses = c.misses || [];
    S.cassette = c;
    $("tab-cassette").hidden = false;
    if (S.want === "cassette" || (S.noKeys && S.tab === "journal")) setTab("cassette");
    fill($("n-cassette"), misses.length ? `${misses.length} miss${misses.length === 1 ? "" : "es"}` : String(ex.length));
    fill($("cassette"),
      kv([["cassette", code(c.path || "")], ["mode", c.mode ? code(c.mode) : null], ["exchanges", String(ex.length)], ["misses", String(misses.length)]]),
      h("h2", null, `Misses (${misses.length})`),
      misses.length ? misses.map(missCard) : note("No misses: every request found its recording."),
      h("h2", null, `Exchanges (${ex.length})`),
      grid([["id", "num"], "method", "path", ["ordinal", "num"], "status", ["request", "num"], ["response", "num"], "recorded"],
        ex.map((x) => h("tr", { id: "x" + x.id, "data-exchange": x.id },
          td("num", String(x.id)), td("mono", x.method), td("path", x.path),
          td("num", String(x.ordinal ?? "")), td(null, statusChip(x.status)), td("num", bytes(x.request_bytes)),
          td("num", bytes(x.response_bytes)), td("mono muted", x.recorded_at || ""))), { id: "exchanges" }));
  }
  function missCard(m) {
    const rep = m.report || {}, err = rep.error || rep;
    const near = err.near_misses || rep.near_misses || [];
    return h("article", { class: "miss", "data-path": m.path },
      h("header", null, chip("FAIL", "miss"), " ", code(`${m.method} ${m.path}`), " ", h("span", { class: "muted", title: iso(m.time) }, clock(m.time))),
      err.message ? h("p", { class: "msg" }, err.message) : null,
      near.length ? grid([["exchange", "num"], "recorded request", "differences"], near.map((n) => h("tr", null,
        td("num", h("button", { type: "button", class: "seq", onclick: () => { const x = $("x" + n.exchange); if (x) { x.classList.add("hit"); x.scrollIntoView({ block: "center" }); } } }, String(n.exchange))),
        td("mono", n.request || ""),
        td(null, h("ul", { class: "diffs" }, (n.differences || []).map((d) => h("li", { class: "mono" }, d)))))), { class: "grid near" })
        : note("No recording comes close."),
      h("details", null, h("summary", null, "near-miss report (JSON)"), h("pre", { class: "json" }, json(m.report))));
  }

  // ---- tabs
  function setTab(tab, write = true) {
    if (write) S.want = tab;
    if (!$("p-" + tab) || $("tab-" + tab).hidden) tab = "journal";
    S.tab = tab;
    for (const b of document.querySelectorAll("[role=tab]")) {
      const on = b.dataset.tab === tab;
      b.setAttribute("aria-selected", on ? "true" : "false");
      b.tabIndex = on ? 0 : -1;
      $("p-" + b.dataset.tab).hidden = !on;
    }
    if (write) writeHash();
  }

  // ---- the loop: journal every second; the rest when the journal moved, or every 5 s
  function live(text, bad) { const l = $("live"); l.textContent = text; l.classList.toggle("bad", !!bad); }
  function offline(err) { live("○ not connected: " + (err && err.message ? err.message : "retrying"), true); }
  let busy = null;
  function refreshKey(force) {
    if (!S.key) return Promise.resolve();
    if (busy) return force ? busy.then(() => refreshKey(true)) : busy;
    busy = refreshOnce(force).finally(() => { busy = null; });
    return busy;
  }
  async function refreshOnce(force) {
    const moved = await pollJournal();
    if (force || moved || S.tick % 5 === 0) {
      await Promise.all([loadState(), loadVerdict(), loadTasks()]);
      if (!force && S.tick % 5 === 0) await probeReset();
      summary();
    }
  }
  async function tick() {
    try {
      if (!document.hidden) {
        if (S.tick % 3 === 0 && !S.noKeys) await loadKeys();
        await refreshKey(false);
        if (S.cassette !== false && S.tick % 3 === 0) await loadCassette();
        live("● live · " + clock(Date.now() / 1000).slice(0, 8));
      }
    } catch (err) { offline(err); }
    S.tick++;
    setTimeout(tick, 1000);
  }

  // ---- wiring
  $("filters").addEventListener("input", applyFilters);
  $("filters").addEventListener("submit", (ev) => ev.preventDefault());
  $("filters").addEventListener("reset", () => setTimeout(applyFilters));
  $("d-close").addEventListener("click", closeDetail);
  document.addEventListener("keydown", (ev) => { if (ev.key === "Escape" && !$("detail").hidden && !$("login").open) closeDetail(); });
  const tabs = [...document.querySelectorAll("[role=tab]")];
  for (const b of tabs) {
    b.addEventListener("click", () => setTab(b.dataset.tab));
    b.addEventListener("keydown", (ev) => {
      if (ev.key !== "ArrowRight" && ev.key !== "ArrowLeft") return;
      const vis = tabs.filter((t) => !t.hidden), i = vis.indexOf(b);
      const next = vis[(i + (ev.key === "ArrowRight" ? 1 : vis.length - 1)) % vis.length];
      setTab(next.dataset.tab); next.focus();
    });
  }
  window.addEventListener("hashchange", readHash);
  readHash();
  tick();
})();
