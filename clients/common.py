"""Helpers the Python adapters share: the job, the result file, multipart bodies, image saving.
The adapter protocol itself is documented in scenarios/README.md."""
import base64, json, os, sys, uuid


def load_job():
    with open(os.environ["FAKELAB_JOB"]) as f:
        return json.load(f)


def write_result(job, result):
    with open(job["result_file"], "w") as f:
        json.dump(result, f, indent=2)


def multipart(fields, files):
    """fields: [(name, value)], files: [(name, filename, content_type, bytes)] -> (body, content_type)."""
    boundary = "fakelab-" + uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, ctype, data in files:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'.encode()
        out += data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def sniff(data):
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return "bin"


def save_image(job, index, data):
    name = f"image-{index}.{sniff(data)}"
    with open(os.path.join(job["output_dir"], name), "wb") as f:
        f.write(data)
    return {"path": name}


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def retry_after_seconds(header, body_value=None, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP-date, RFC 9110 §10.2.3),
    else from error.retry_after; None when neither says. An HTTP-date has whole seconds only, so
    the wait runs to that second and a little past it."""
    import email.utils, time
    if header:
        header = header.strip()
        try:
            return max(0.0, float(header))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(header).timestamp()
            return max(0.0, when - (time.time() if now is None else now)) + 0.05
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    if body_value is not None:
        try:
            return max(0.0, float(body_value))
        except (TypeError, ValueError):
            pass
    return None


def task_error(task):
    """The failure a failed task reports: error_details {status, type, code, message, param?,
    retryable} when present (docs/tokenlab.md §4.3), else `error` as a string or an object."""
    details = task.get("error_details") if isinstance(task.get("error_details"), dict) else {}
    err = task.get("error")
    out = {k: details[k] for k in ("status", "type", "code", "message", "param", "retryable") if k in details}
    if isinstance(err, dict):
        for k in ("code", "message", "type", "param"):
            if k in err:
                out.setdefault(k, err[k])
    elif err:
        out.setdefault("message", str(err))
    out.setdefault("code", task.get("error_code") or "task_failed")
    out.setdefault("message", "the task failed")
    if task.get("status") != "failed":
        out["message"] = f"task ended {task.get('status')}: {out['message']}"
    return out
