"""fakelab-conform/1 adapter for LangChain's OpenAI image wrapper,
`langchain_community.utilities.dalle_image_generator.DallEAPIWrapper` (written against
langchain-community 0.4.2 with langchain-openai 1.7.4 and openai 3.57.0, pinned in
clients/requirements.txt).

Why this class: langchain-openai 1.x has no Images-API class of its own — its image generation is the
Responses API `image_generation` tool bound to `ChatOpenAI`, which calls `/v1/responses`, not TokenLab's
`/v1/images/*`. The class LangChain documents for OpenAI image generation (and the one behind its
`OpenAIDALLEImageGenerationTool` agent tool) is `DallEAPIWrapper`, so that is what a LangChain user
pointing at TokenLab picks.

It is used the way its docs show: `DallEAPIWrapper(model=, api_key=, base_url=, timeout=, size=, ...)`,
then `.run(prompt)`, which returns the image URLs as one string; the adapter downloads them. Job
parameters go in as constructor keywords: the ones the wrapper declares (`size`, `quality`, `n`) are
sent, any other lands in `model_kwargs` (the wrapper warns, and — as its code stands — never sends them).
The wrapper only generates from text: it has no edit, variation or reference-image call, so those jobs
fail here without a request. It gives no access to response headers, so no request id is reported."""
import os, sys, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from common import load_job, write_result, save_image, log  # noqa: E402

import warnings  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)  # langchain-community's sunset notice
from langchain_community.utilities.dalle_image_generator import DallEAPIWrapper  # noqa: E402
import openai  # noqa: E402

job = load_job()
timeout = float(job.get("request_timeout_seconds", 60))
result = {"status": "failed"}


class Unsupported(Exception):
    pass


def main():
    op = job["operation"]
    if op in ("image-edit", "variation"):
        raise Unsupported(f"DallEAPIWrapper has no {op} call (text-to-image only)")
    params = dict(job.get("parameters") or {})
    if op == "image-to-image":
        # The only place the wrapper takes extra fields is model_kwargs, which run() does not send.
        params.update(operation="image-to-image", image_urls=[i["url"] for i in job.get("inputs", []) if "url" in i])
    wrapper = DallEAPIWrapper(model=job["model"], api_key=os.environ["TOKENLAB_API_KEY"], base_url=os.environ["TOKENLAB_BASE_URL"],
                              timeout=timeout, **params)
    answer = wrapper.run(job.get("prompt", ""))
    urls = [u for u in answer.split(wrapper.separator) if u.startswith(("http://", "https://"))]
    if not urls:
        raise RuntimeError(f"the wrapper returned no image URL: {answer[:100]!r}")
    saved = []
    for i, url in enumerate(urls):
        with urllib.request.urlopen(url, timeout=timeout) as r:
            saved.append(save_image(job, i, r.read()))
    result.update(status="succeeded", images=saved)


try:
    main()
    write_result(job, result)
    sys.exit(0)
except Unsupported as e:
    result["error"] = {"code": "library_has_no_such_call", "message": str(e)}
except openai.APIStatusError as e:  # the wrapper lets the OpenAI SDK's errors through
    body = e.body if isinstance(e.body, dict) else {}
    err = body.get("error", body) if isinstance(body.get("error", body), dict) else {}
    result["error"] = {"status": e.status_code, "code": err.get("code"), "param": err.get("param"), "message": str(e)[:300]}
    result["request_id"] = e.response.headers.get("x-request-id")
except Exception as e:  # noqa: BLE001 — report any failure through the result file
    result["error"] = {"code": type(e).__name__, "message": str(e)[:300]}
log("failed:", result["error"].get("code"))
write_result(job, result)
sys.exit(1)
