#!/usr/bin/env python3
"""Writes the published TokenLab OpenAPI with the fake's deliberate deviations applied.

Every place where Fakelab knowingly answers differently from ../shared/tokenlab/openapi.images.json
is listed here, once, with the reason. scripts/schemathesis-check runs against the result.

usage: openapi_deviations.py SOURCE.json OUTPUT.json [TASK_ID]

TASK_ID (not a deviation): a real task of the run's API key, set as the example of every `id`
path parameter so the status routes are exercised on a live task, not only on 404s.
"""
import json
import sys

DEVIATIONS = []


def deviation(why):
    def register(fn):
        DEVIATIONS.append((fn, why))
        return fn
    return register


@deviation("The list route also emits gen A's `public_contract_summary` next to `request_format_summary` "
           "(api-notes §0: emit both spellings). The published list extension is additionalProperties:false.")
def list_summary_alias(doc):
    ext = doc["components"]["schemas"]["ModelListTokenLabExtension"]["properties"]
    ext["public_contract_summary"] = {"$ref": "#/components/schemas/ModelListRequestFormatSummary"}


@deviation("GET /v1/tasks/{id} answers 404 async_task_not_found for unknown or expired tasks (CONFIRMED S6) "
           "and 400 for an id that is not ldtask_ + 32 hex; the published operation lists neither.")
def task_status_codes(doc):
    get = doc["paths"]["/v1/tasks/{id}"]["get"]["responses"]
    error = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
    get.setdefault("404", error)
    get.setdefault("400", error)


@deviation("Every create route can answer 413 payload_too_large (50 MiB per image, 200 MiB per request, S3/S10) "
           "and 429 rate_limit_exceeded (S12); generations lists no 413, edits and variations no 429.")
def create_status_codes(doc):
    error = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
    for path in ("/v1/images/generations", "/v1/images/edits", "/v1/images/variations"):
        responses = doc["paths"][path]["post"]["responses"]
        responses.setdefault("413", error)
        responses.setdefault("429", {"$ref": "#/components/responses/RateLimitExceeded"})


@deviation("GET /v1/files and POST /v1/files answer `oneOf` [OpenAI shape, Anthropic shape], but an empty "
           "OpenAI list (first_id/last_id null) also satisfies the Anthropic shape, so no answer can match exactly "
           "one: a fault of the published schema. Checked as anyOf.")
def files_one_of(doc):
    for method in ("get", "post"):
        schema = doc["paths"]["/v1/files"][method]["responses"]["200"]["content"]["application/json"]["schema"]
        if "oneOf" in schema:
            schema["anyOf"] = schema.pop("oneOf")


def add_examples(doc, values):
    for item in doc["paths"].values():
        ops = [item] + [op for op in item.values() if isinstance(op, dict)]
        for op in ops:
            for param in op.get("parameters", []):
                if param.get("in") == "path" and param.get("name") in values:
                    param["example"] = values[param["name"]]


def main():
    source, output = sys.argv[1], sys.argv[2]
    with open(source) as f:
        doc = json.load(f)
    for fn, why in DEVIATIONS:
        fn(doc)
        print(f"deviation: {fn.__name__}: {why}", file=sys.stderr)
    if len(sys.argv) > 3:
        add_examples(doc, {"id": sys.argv[3], "model": "gpt-image-2"})
    doc["servers"] = [{"url": "/"}]
    with open(output, "w") as f:
        json.dump(doc, f)


if __name__ == "__main__":
    main()
