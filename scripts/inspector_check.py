"""Helper of scripts/inspector-check: drives real traffic at the fake and the recorder, then checks
the inspector's DOM (as headless Chromium left it) and its screenshot. Python stdlib only.
The API key comes from $FAKELAB_CHECK_KEY and is never printed.
   python3 inspector_check.py traffic FAKE_URL                 → prints the key_id
   python3 inspector_check.py record REC_URL | replay REP_URL
   python3 inspector_check.py dom FAKE_URL KEY_ID DOM.html
   python3 inspector_check.py replay-dom DOM.html
   python3 inspector_check.py shot SHOT.png"""
import json, os, re, struct, sys, time, zlib
import urllib.error, urllib.request
from html.parser import HTMLParser

KEY = os.environ["FAKELAB_CHECK_KEY"]
XSS = "<img id=xss src=x onerror=alert(1)>"
TOKEN_RE = re.compile(r"sk-[A-Za-z0-9_-]{8,}")
problems = []


def call(base, method, path, body=None, auth=True):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    if body is not None: req.add_header("Content-Type", "application/json")
    if auth: req.add_header("Authorization", "Bearer " + KEY)
    try:
        with urllib.request.urlopen(req, timeout=30) as r: status, raw = r.status, r.read()
    except urllib.error.HTTPError as e: status, raw = e.code, e.read()
    try: return status, json.loads(raw or b"null")
    except ValueError: return status, None


def expect(what, status, want):
    if status != want: sys.exit(f"inspector-check: {what}: HTTP {status}, expected {want}")


def traffic(fake):
    gen = "/v1/images/generations"
    # 1. a 400 naming the field: gpt-image-2 takes no `style`
    s, b = call(fake, "POST", gen, {"model": "gpt-image-2", "prompt": "a cup", "style": "vivid"})
    expect("unknown field", s, 400)
    # 2. a task polled to completion: pending for one read, processing for one, then completed
    expect("task policy", call(fake, "PUT", "/__fakelab/task-policy", {"policy": "polls:1,1"})[0], 200)
    s, task = call(fake, "POST", gen, {"model": "flux-pro", "prompt": "a fox in the snow"})
    expect("task create", s, 200)
    for _ in range(10):
        s, t = call(fake, "GET", task.get("poll_url") or "/v1/tasks/" + task["id"])
        if t.get("status") in ("completed", "failed"): break
    if t.get("status") != "completed": sys.exit(f"inspector-check: the task ended {t.get('status')}")
    # 3. a fault that fires once (503), then the retry that succeeds (an image to show)
    expect("fault rule", call(fake, "POST", "/__fakelab/faults", {"fault": "all_channels_failed", "route": gen, "method": "POST", "times": 1})[0], 200)
    # (the prompt carries markup: the page must show it as text, never as elements)
    cup = {"model": "gpt-image-2", "prompt": "a ceramic cup " + XSS, "size": "1024x1024"}
    expect("faulted call", call(fake, "POST", gen, cup)[0], 503)
    expect("retry", call(fake, "POST", gen, cup)[0], 200)
    s, keys = call(fake, "GET", "/__fakelab/keys", auth=False)
    expect("GET /__fakelab/keys", s, 200)
    if KEY in json.dumps(keys): sys.exit("inspector-check: /__fakelab/keys shows a key in full")
    mine = [k for k in keys["data"] if k.get("key", "").endswith(KEY[-4:])]
    if len(mine) != 1: sys.exit(f"inspector-check: expected one key ending …{KEY[-4:]} in /__fakelab/keys, found {len(mine)}")
    print(mine[0]["key_id"])


def recorded(base, size, want):
    s, b = call(base, "POST", "/v1/images/generations", {"model": "gpt-image-2", "prompt": "a fox", "size": size})
    expect(f"{size} through {base}", s, want)
    return b


# ---- the DOM as a small tree
class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []
    @property
    def classes(self): return (self.attrs.get("class") or "").split()
    def text(self): return "".join(k if isinstance(k, str) else k.text() for k in self.kids)
    def all(self, pred=lambda n: True):
        for k in self.kids:
            if isinstance(k, Node):
                if pred(k): yield k
                yield from k.all(pred)
    def find(self, tag=None, cls=None, **attrs):
        return [n for n in self.all(lambda n: (tag is None or n.tag == tag) and (cls is None or cls in n.classes)
                                    and all(n.attrs.get(a.replace("_", "-")) == v for a, v in attrs.items()))]
    def hidden(self):
        n = self
        while n is not None:
            if "hidden" in n.attrs: return True
            n = n.parent
        return False


class Tree(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    def __init__(self, text):
        super().__init__(); self.root = Node("#root", {}, None); self.at = self.root; self.feed(text)
    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.at); self.at.kids.append(n)
        if tag not in self.VOID: self.at = n
    def handle_endtag(self, tag):
        n = self.at
        while n is not self.root and n.tag != tag: n = n.parent
        if n is not self.root: self.at = n.parent
    def handle_data(self, data): self.at.kids.append(data)


def check(ok, what):
    print(("  ok    " if ok else "  FAIL  ") + what)
    if not ok: problems.append(what)


def no_key(dom, page):
    check(KEY not in dom, f"{page}: the API key never appears in full")
    leaked = TOKEN_RE.findall(dom)
    check(not leaked, f"{page}: no token-shaped string (sk-…, 8+ characters) in the DOM" + (f" ({len(leaked)} found)" if leaked else ""))


def dom_check(fake, key_id, path):
    dom = open(path, encoding="utf-8", errors="replace").read()
    t = Tree(dom).root
    s, j = call(fake, "GET", f"/__fakelab/journal?key_id={key_id}", auth=False)
    expect("journal by key_id", s, 200)
    entries = j["data"]
    bad = next(e for e in entries if e["status"] == 400)
    faulted = next(e for e in entries if e["status"] == 503)
    task_id = next(e["task_id"] for e in entries if e.get("task_id") and e["method"] == "POST")
    print(f"inspector DOM ({len(dom)} bytes): key {key_id}, {len(entries)} journal entries, 400 at #{bad['seq']}, 503 at #{faulted['seq']}, task {task_id}")

    check(any(b.attrs.get("aria-current") == "true" for b in t.find("button", "keybtn", data_key_id=key_id)), "the key is listed and selected (masked)")
    shown = [r for r in t.all(lambda n: n.tag == "tr" and "data-seq" in n.attrs)]
    check(len(shown) == len(entries), f"the journal shows all {len(entries)} requests ({len(shown)} rows)")
    row = (t.find("tr", None, data_seq=str(bad["seq"])) or [None])[0]
    err = row and row.find("td", "c-err")
    check(bool(err) and "unsupported_parameter" in err[0].text() and any(p.text() == "style" for p in err[0].find("code", "param")),
          f"row #{bad['seq']}: 400 with unsupported_parameter · param style")
    check(bool(row) and row.attrs.get("data-status") == "400" and bool(row.find("span", "NON-STRICT")), f"row #{bad['seq']}: a 4xx status chip")
    row = (t.find("tr", None, data_seq=str(faulted["seq"])) or [None])[0]
    check(bool(row) and "all_channels_failed" in "".join(c.text() for c in row.find("td", "c-fault")), f"row #{faulted['seq']}: 503 with fault all_channels_failed")
    card = (t.find("article", "task", data_task_id=task_id) or [None])[0]
    steps = card.find("li", "step") if card else []
    names = [next((c for c in s.classes if c != "step"), "") for s in steps]
    check(bool(card) and card.attrs.get("data-status") == "completed", f"task {task_id}: completed")
    check(names[:4] == ["created", "pending", "processing", "completed"], f"task timeline created → pending → processing → completed (saw {' → '.join(names)})")
    check(all(s.find("button", "seq") for s in steps[:4]) and len(steps) >= 4, "each state lists the request (journal seq) that saw it")
    check(bool(card) and any(p.text() == "polls:1,1" for p in card.find("code", "policy")), "the task shows the policy that drove it (polls:1,1)")
    rules = t.find("tr", "rule")
    fired = [int(r.attrs.get("data-fired", "0")) for r in rules if (r.attrs.get("data-fault") or "").startswith("all_channels_failed")]
    check(bool(fired) and fired[0] >= 1, f"fault rule all_channels_failed fired ≥ 1 (fired {fired[0] if fired else 'absent'})")
    check(any("polls:1,1" in p.text() for p in t.find("code", "policy")), "the key's task policy is shown")
    findings = t.find("article", "finding")
    names = [f.attrs.get("data-finding") for f in findings]
    unsupported = [f for f in findings if f.attrs.get("data-finding") == "unsupported_field_sent"]
    check(bool(t.find("p", "vhead")), f"the verdict is rendered ({len(findings)} finding(s): {', '.join(names) or 'none'})")
    check(bool(unsupported) and any(b.attrs.get("data-goto") == str(bad["seq"]) for b in unsupported[0].find("button", "seq")),
          f"finding unsupported_field_sent links to request #{bad['seq']}")
    detail = t.find("aside", "detail")
    thumbs = detail[0].find("img", "thumb") if detail else []
    check(bool(detail) and not detail[0].hidden() and any("/fakelab/images/" in (i.attrs.get("src") or "") for i in thumbs),
          f"the detail pane of the last request shows its image as a thumbnail ({len(thumbs)})")
    check(not t.find(None, None, id="xss") and "&lt;img id=xss" in dom,
          "markup a client sent is shown as text, not elements")
    script = open(os.path.join(ASSETS, "inspector.js")).read()
    check(not re.search(r"\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write", script), "the page's script never parses strings as HTML")
    no_key(dom, "inspector")


def replay_dom_check(path):
    dom = open(path, encoding="utf-8", errors="replace").read()
    t = Tree(dom).root
    print(f"replay server's inspector DOM ({len(dom)} bytes)")
    tab = t.find("button", None, id="tab-cassette")
    check(bool(tab) and "hidden" not in tab[0].attrs, "the Cassette tab is shown (GET /__fakelab/cassette answered 200)")
    check(any(True for _ in t.all(lambda n: n.tag == "tr" and "data-exchange" in n.attrs)), "the cassette's exchanges are listed")
    misses = t.find("article", "miss")
    diffs = [li.text() for m in misses for li in m.find("li")]
    check(len(misses) >= 1, f"the miss is listed ({len(misses)})")
    check(any("size" in d for d in diffs), "its near-miss report says what differs (body.size)")
    no_key(dom, "replay inspector")


# ---- the screenshot: decoded with zlib (Chromium writes 8-bit RGB/RGBA, non-interlaced)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshot_check import read_png  # noqa: E402  (one PNG decoder for both page checks)


# fakelab.css: chip colours (the report's verdict colours) and the header bar
COLOURS = {(0xD9, 0xF2, 0xD9): "2xx/PASS", (0xFF, 0xF2, 0xC2): "4xx/NON-STRICT", (0xF8, 0xD0, 0xD0): "5xx/FAIL", (0xE3, 0xC7, 0xF0): "fault/ERROR", (0x1F, 0x27, 0x33): "bar"}


def shot_check(path):
    width, height, px = read_png(path)
    counts, distinct, ink = {v: 0 for v in COLOURS.values()}, set(), 0
    for row in px:
        for p in row:
            distinct.add(p)
            if p in COLOURS: counts[COLOURS[p]] += 1
            elif sum(p) < 600: ink += 1
    share = ink / (width * height)
    print(f"screenshot {width}x{height}: {len(distinct)} colours, {share:.1%} ink, " + ", ".join(f"{k} {v} px" for k, v in counts.items()))
    check(len(distinct) >= 64, "not blank: at least 64 distinct colours")
    check(share >= 0.02, "not blank: at least 2% of the pixels are text or lines")
    check(counts["bar"] >= width * 20, "the header bar is drawn (fakelab.css loaded)")
    for k in ("2xx/PASS", "4xx/NON-STRICT", "5xx/FAIL", "fault/ERROR"):
        check(counts[k] >= 150, f"{k} chips on screen")


ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "FakelabHTTP", "Resources")
cmd, args = sys.argv[1], sys.argv[2:]
if cmd == "traffic": traffic(*args)
elif cmd == "record": recorded(args[0], "1024x1024", 200)
elif cmd == "replay":
    recorded(args[0], "1024x1024", 200)                      # the recorded request: a hit
    miss = recorded(args[0], "512x512", 404)                   # another size: a miss
    if (miss or {}).get("error", {}).get("code") != "cassette_miss": sys.exit("inspector-check: the replay miss is not cassette_miss")
elif cmd == "dom": dom_check(*args)
elif cmd == "replay-dom": replay_dom_check(*args)
elif cmd == "shot": shot_check(*args)
else: sys.exit(__doc__)
if problems:
    print(f"inspector check FAILED: {len(problems)} problem(s): " + "; ".join(problems)); sys.exit(1)
