# Shared by the scripts that start the built CLI (source it after setting $bin and $work).

pids=()

# start NAME ARGS…: runs "$bin" ARGS on a free port in the background, waits until it listens,
# sets $pid, $port and $url (and adds the pid to $pids for the caller's cleanup trap).
start() {
  local name=$1; shift
  : >"$work/$name.log"   # before the server's shell opens it: the wait below reads it at once
  "$bin" "$@" --port 0 --log-level warning >"$work/$name.log" 2>&1 &
  pid=$!; pids+=("$pid")
  for _ in $(seq 200); do
    port=$(grep -oE 'listening on [^ ]*:[0-9]+' "$work/$name.log" | grep -oE '[0-9]+$' | head -1 || true)
    if [ -n "$port" ]; then url="http://127.0.0.1:$port"; return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  cat "$work/$name.log" >&2; echo "$name did not start" >&2; exit 1
}

# openapi_fixture KEY SPEC OUT: creates a task for KEY on $url (the published spec's task
# operations need a real id) and writes SPEC with the fake's listed deviations to OUT.
openapi_fixture() {
  local key=$1 spec=$2 out=$3 task
  command -v schemathesis >/dev/null || python3 -m pip install -q 'schemathesis>=4,<5'
  task=$(curl -sf "$url/v1/images/generations" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"model":"flux-pro","prompt":"schemathesis fixture"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  python3 scripts/openapi_deviations.py "$spec" "$out" "$task"
}
