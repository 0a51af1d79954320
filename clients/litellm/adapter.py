"""fakelab-conform/1 adapter for LiteLLM's image API (written against litellm 1.110.2, pinned in
clients/requirements.txt).

It uses LiteLLM the way its docs tell users to reach an OpenAI-compatible gateway: the model named with
the `openai/` provider prefix (`openai/gpt-image-2`), `api_base` and `api_key` given per call, and
`litellm.image_generation` / `litellm.image_edit` / `litellm.image_variation`. Job parameters go in as
keyword arguments, which LiteLLM forwards to an OpenAI-compatible provider as they are (that is how a
LiteLLM user sends TokenLab's `aspect_ratio`, `operation`, `image_urls`). Retries and timeouts are
LiteLLM's defaults, except `timeout`, which the job sets; `litellm.drop_params` stays at its default
(False), so LiteLLM refuses a field its own table of OpenAI's models says the model lacks, instead of
dropping it. The X-Request-ID is read from the response's
`_hidden_params["headers"]` (where LiteLLM's docs say provider headers are kept). No TokenLab-specific
logic: no polling, no contract filtering, no URL checks. Result URLs are downloaded with httpx.

Run through clients/litellm/run, which sets LITELLM_LOCAL_MODEL_COST_MAP=True so that importing LiteLLM
does not fetch its model-cost map from the internet (the adapter must stay on loopback)."""
import base64, os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import load_job, write_result, save_image, log  # noqa: E402

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
import httpx  # noqa: E402
import litellm  # noqa: E402

job = load_job()
timeout = float(job.get("request_timeout_seconds", 60))
result = {"status": "failed"}
conn = {"api_base": os.environ["TOKENLAB_BASE_URL"], "api_key": os.environ["TOKENLAB_API_KEY"], "timeout": timeout}


def request_id(obj):
    hidden = getattr(obj, "_hidden_params", None) or {}
    headers = hidden.get("headers") or {}
    extra = hidden.get("additional_headers") or {}
    return headers.get("x-request-id") or extra.get("llm_provider-x-request-id")


def main():
    model = "openai/" + job["model"]
    params = dict(job.get("parameters") or {})
    op = job["operation"]
    if op == "image-edit":
        files = [open(i["path"], "rb") for i in job.get("inputs", []) if "path" in i]
        if job.get("mask"):
            params["mask"] = open(job["mask"]["path"], "rb")
        answer = litellm.image_edit(model=model, prompt=job.get("prompt", ""), image=files if len(files) > 1 else files[0], **conn, **params)
    elif op == "variation":
        answer = litellm.image_variation(model=model, image=open(job["inputs"][0]["path"], "rb"), **conn, **params)
    else:
        if op == "image-to-image":
            params.update(operation="image-to-image", image_urls=[i["url"] for i in job.get("inputs", []) if "url" in i])
        answer = litellm.image_generation(model=model, prompt=job.get("prompt", ""), **conn, **params)
    result["request_id"] = request_id(answer)
    saved = []
    for i, item in enumerate(answer.data or []):
        if item.b64_json:
            saved.append(save_image(job, i, base64.b64decode(item.b64_json)))
        elif item.url:
            r = httpx.get(item.url, timeout=timeout)
            r.raise_for_status()
            saved.append(save_image(job, i, r.content))
    if not saved:
        raise RuntimeError("no images in the answer (a task? LiteLLM does not poll)")
    result.update(status="succeeded", images=saved)


try:
    main()
    write_result(job, result)
    sys.exit(0)
except Exception as e:  # noqa: BLE001 — LiteLLM maps every provider error to its own exception types
    # LiteLLM's exceptions (subclasses of openai's) carry status_code, message and request_id; code and
    # param are set only when LiteLLM parsed them (otherwise the exception's class names the error).
    status = getattr(e, "status_code", None)
    result["error"] = {"code": getattr(e, "code", None) or type(e).__name__, "message": str(e)[:300]}
    if getattr(e, "param", None):
        result["error"]["param"] = e.param
    if str(status).isdigit():
        result["error"]["status"] = int(status)
    response = getattr(e, "response", None)
    rid = getattr(e, "request_id", None) or (getattr(response, "headers", None) or {}).get("x-request-id")
    if rid:
        result["request_id"] = rid
log("failed:", result["error"].get("code"), result["error"].get("status"))
write_result(job, result)
sys.exit(1)
