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
