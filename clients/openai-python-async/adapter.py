"""fakelab-conform/1 adapter for the official OpenAI Python SDK's *async* client, `openai.AsyncOpenAI`
(written against openai 3.57.0, pinned in clients/requirements.txt).

It uses the SDK the way its README suggests for an OpenAI-compatible gateway: `AsyncOpenAI(base_url=,
api_key=, timeout=)`, then `await client.images.generate / edit / create_variation`, with the SDK's own
retry policy (max_retries=2 by default). Job parameters the SDK method declares are passed as named
arguments; the rest (TokenLab's `aspect_ratio`, `operation`, `image_urls`, ...) go through `extra_body`,
which is the SDK's documented way to send fields it does not know. `.with_raw_response` is used only to
read the X-Request-ID header. No TokenLab-specific logic: no polling, no contract filtering, no URL
checks — its verdicts are the SDK's. Result URLs are downloaded with httpx (the SDK's own transport)."""
import asyncio, base64, inspect, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import load_job, write_result, save_image, log  # noqa: E402

import httpx  # noqa: E402
import openai  # noqa: E402

job = load_job()
timeout = float(job.get("request_timeout_seconds", 60))
result = {"status": "failed"}


def split_params(method, params):
    """Named arguments for what the SDK method declares, extra_body for the rest."""
    declared = set(inspect.signature(method).parameters)
    named = {k: v for k, v in params.items() if k in declared}
    extra = {k: v for k, v in params.items() if k not in declared}
    return named, extra


async def main():
    client = openai.AsyncOpenAI(base_url=os.environ["TOKENLAB_BASE_URL"], api_key=os.environ["TOKENLAB_API_KEY"], timeout=timeout)
    params = dict(job.get("parameters") or {})
    op = job["operation"]
    images = client.images.with_raw_response
    if op == "image-edit":
        files = [open(i["path"], "rb") for i in job.get("inputs", []) if "path" in i]
        named, extra = split_params(client.images.edit, params)
        if job.get("mask"):
            named["mask"] = open(job["mask"]["path"], "rb")
        raw = await images.edit(model=job["model"], prompt=job.get("prompt", ""), image=files if len(files) > 1 else files[0],
                                extra_body=extra or None, **named)
    elif op == "variation":
        named, extra = split_params(client.images.create_variation, params)
        raw = await images.create_variation(model=job["model"], image=open(job["inputs"][0]["path"], "rb"), extra_body=extra or None, **named)
    else:
        if op == "image-to-image":
            params.update(operation="image-to-image", image_urls=[i["url"] for i in job.get("inputs", []) if "url" in i])
        named, extra = split_params(client.images.generate, params)
        raw = await images.generate(model=job["model"], prompt=job.get("prompt", ""), extra_body=extra or None, **named)
    result["request_id"] = raw.headers.get("x-request-id")
    answer = raw.parse()
    saved = []
    async with httpx.AsyncClient(timeout=timeout) as http:
        for i, item in enumerate(answer.data or []):
            if item.b64_json:
                saved.append(save_image(job, i, base64.b64decode(item.b64_json)))
            elif item.url:
                r = await http.get(item.url)
                r.raise_for_status()
                saved.append(save_image(job, i, r.content))
    await client.close()
    if not saved:
        raise RuntimeError("no images in the answer (a task? the SDK does not poll)")
    result.update(status="succeeded", images=saved)


try:
    asyncio.run(main())
    write_result(job, result)
    sys.exit(0)
except openai.APIStatusError as e:
    body = e.body if isinstance(e.body, dict) else {}
    err = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
    result["error"] = {"status": e.status_code, "code": err.get("code"), "param": err.get("param"), "message": str(e)[:300]}
    result["request_id"] = e.response.headers.get("x-request-id")
except Exception as e:  # noqa: BLE001 — report any failure through the result file
    result["error"] = {"code": type(e).__name__, "message": str(e)[:300]}
log("failed:", result["error"].get("code"))
write_result(job, result)
sys.exit(1)
