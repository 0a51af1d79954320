#!/usr/bin/env python3
"""Writes the published TokenLab OpenAPI with the fake's deliberate deviations applied.

Every place where Fakelab knowingly answers differently from ../shared/tokenlab/openapi.images.2026-09.json
(OpenAPI 3.1, the docs of 2026-09-25) is listed here, once, with the reason. scripts/schemathesis-check
and scripts/fuzz run against the result. Nothing else is changed: no schema is loosened beyond the
deviation named.

usage: openapi_deviations.py SOURCE.json OUTPUT.json [TASK_ID]

TASK_ID (not a deviation): a real task of the run's API key, set as the example of every `id`
path parameter so the status routes are exercised on a live task, not only on 404s. Likewise
FAKELAB_OPENAPI_FILE_IDS="READ_ID,DELETE_ID" (environment): real files of the run's key, the
examples of `file_id` (one to read, one to delete, so the delete cannot empty the reads).
"""
import json
import os
import sys

DEVIATIONS = []
ERROR = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}


def deviation(why):
    def register(fn):
        DEVIATIONS.append((fn, why))
        return fn
    return register


@deviation("GET /v1/tasks/{id} answers 404 async_task_not_found for unknown or expired tasks (CONFIRMED S6; "
           "docs/tokenlab.md §4.1: the docs say 404, the OpenAPI lists only 200/401/403/500) "
           "and 400 for an id that is not ldtask_ + 32 hex.")
def task_status_codes(doc):
    get = doc["paths"]["/v1/tasks/{id}"]["get"]["responses"]
    get.setdefault("404", ERROR)
    get.setdefault("400", ERROR)


@deviation("Every create route can answer 413 payload_too_large (50 MiB per image, 200 MiB per request, S3/S10) "
           "and 429 rate_limit_exceeded (S12, the rate limiter covers every image route); "
           "generations lists no 413, edits and variations no 429.")
def create_status_codes(doc):
    for path in ("/v1/images/generations", "/v1/images/edits", "/v1/images/variations"):
        responses = doc["paths"][path]["post"]["responses"]
        responses.setdefault("413", ERROR)
        responses.setdefault("429", {"$ref": "#/components/responses/RateLimitExceeded"})


@deviation("The /v1/files answers are `oneOf` [OpenAI shape, Anthropic shape], but an empty OpenAI list "
           "(first_id/last_id null) also satisfies AnthropicFileListResponse, and FileDeletedObject "
           "{id, object, deleted} also satisfies AnthropicDeletedFile (only `id` required, open): no such answer can "
           "match exactly one, a fault of the published schema. Checked as anyOf.")
def files_one_of(doc):
    for path, item in doc["paths"].items():
        if not path.startswith("/v1/files"):
            continue
        for op in item.values():
            for content in op.get("responses", {}).get("200", {}).get("content", {}).values():
                schema = content.get("schema", {})
                if "oneOf" in schema:
                    schema["anyOf"] = schema.pop("oneOf")


@deviation("GET /v1/files answers 400 (invalid_request_error, param named) for a `limit` outside 1-1000, a `purpose` "
           "outside its enum, an unknown `after` cursor, and the Anthropic-only `after_id`/`before_id`/`scope_id` "
           "(the docs: scope_id is 'an explicit unsupported error rather than silently ignoring this value'); "
           "the published operation lists only 200 and 401.")
def files_list_400(doc):
    doc["paths"]["/v1/files"]["get"]["responses"].setdefault("400", {"$ref": "#/components/responses/BadRequest"})


@deviation("GET /v1/files/{file_id}/content returns the stored image bytes with their own Content-Type "
           "(image/png, image/jpeg, image/webp): TokenLab's Files docs say 'Image-reference files are returned as "
           "binary content'; the OpenAPI declares only text/plain.")
def file_content_binary(doc):
    content = doc["paths"]["/v1/files/{file_id}/content"]["get"]["responses"]["200"].setdefault("content", {})
    for mime in ("image/png", "image/jpeg", "image/webp"):
        content.setdefault(mime, {"schema": {"type": "string", "format": "binary"}})


@deviation("GET /v1/files/{file_id} and GET /v1/files/{file_id}/content answer 401 invalid_api_key without a valid key, "
           "as every keyed route does (DELETE on the same path documents its 401); the two GETs list only 200 and 404.")
def file_reads_401(doc):
    for path in ("/v1/files/{file_id}", "/v1/files/{file_id}/content"):
        doc["paths"][path]["get"]["responses"].setdefault("401", {"$ref": "#/components/responses/Unauthorized"})


def add_examples(doc, values, per_operation=None):
    """Path-parameter examples: `values` by name, `per_operation[(method, path)]` winning."""
    per_operation = per_operation or {}
    for path, item in doc["paths"].items():
        shared = item.get("parameters", [])
        for method, op in item.items():
            if not isinstance(op, dict) or method == "parameters":
                continue
            for param in shared + op.get("parameters", []):
                name = param.get("name")
                if param.get("in") != "path":
                    continue
                value = per_operation.get((method, path, name), values.get(name))
                if value is not None:
                    param["example"] = value


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source) as f:
        doc = json.load(f)
    for fn, why in DEVIATIONS:
        fn(doc)
        print(f"deviation: {fn.__name__}: {why}", file=sys.stderr)
    values = {"model": "gpt-image-2"}
    if len(sys.argv) > 3:
        values["id"] = sys.argv[3]
    per_operation = {}
    files = [f for f in os.environ.get("FAKELAB_OPENAPI_FILE_IDS", "").split(",") if f]
    if files:
        values["file_id"] = files[0]
        per_operation[("delete", "/v1/files/{file_id}", "file_id")] = files[-1]
    add_examples(doc, values, per_operation)
    doc["servers"] = [{"url": "/"}]
    with open(output, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main()
