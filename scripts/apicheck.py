#!/usr/bin/env python3
"""Validates JSON bodies against the schemas of an OpenAPI 3.1 document with
jsonschema, an implementation independent of Dateline. OpenAPI 3.1 schemas
are JSON Schema 2020-12, so Draft202012Validator checks them as written.

Usage: apicheck.py OPENAPI_FILE < CHECKS

CHECKS is a JSON array of [target, body] pairs. A target is a schema name
(`ArticleList`, meaning #/components/schemas/ArticleList) or an operation
and status (`get /articles/{id} 200`), meaning the JSON schema the document
gives for that response. Prints {"checked": n, "failures": [...]} as JSON
and exits with status 1 when any body does not match.
"""
import json
import sys

from jsonschema import Draft202012Validator

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def response_schema(document, target):
    """The JSON schema of `method path status`, following $refs to
    #/components/responses/..."""
    method, path, status = target.split()
    operation = document.get("paths", {}).get(path, {}).get(method.lower())
    if operation is None:
        raise LookupError(f"the document has no operation {method.upper()} {path}")
    response = operation.get("responses", {}).get(status)
    if response is None:
        raise LookupError(f"{method.upper()} {path} documents no {status} response")
    while "$ref" in response:
        name = response["$ref"].removeprefix("#/components/responses/")
        response = document["components"]["responses"][name]
    try:
        return response["content"]["application/json"]["schema"]
    except KeyError:
        raise LookupError(f"{target}: no application/json schema") from None


def schema_for(document, target):
    """A schema whose $refs resolve inside the document's components."""
    if " " in target:
        inner = response_schema(document, target)
    else:
        if target not in document.get("components", {}).get("schemas", {}):
            raise LookupError(f"the document has no schema {target}")
        inner = {"$ref": f"#/components/schemas/{target}"}
    return {"$schema": DIALECT, "components": document["components"], "allOf": [inner]}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        document = json.load(f)
    checks = json.load(sys.stdin)
    failures = []
    for target, body in checks:
        try:
            schema = schema_for(document, target)
            Draft202012Validator.check_schema(schema)
        except Exception as error:  # a broken document is a failure too
            failures.append({"target": target, "errors": [str(error)]})
            continue
        validator = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        errors = [
            f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
            for e in validator.iter_errors(body)
        ]
        if errors:
            failures.append({"target": target, "errors": errors[:10]})
    print(json.dumps({"checked": len(checks), "failures": failures}, ensure_ascii=False))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
