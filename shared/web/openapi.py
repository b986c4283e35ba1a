"""``/openapi.json`` built from the routes and the models that validate them."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from pydantic import BaseModel

from shared.web.api import SPEC_ATTRIBUTE, EndpointSpec

_PATH_PARAM = re.compile(r"<(?:[a-z_]+:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_REF = "#/components/schemas/{model}"

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "code", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine-readable error code"},
        "detail": {"type": "string", "description": "explanation in Vietnamese"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = _valid_discriminators(model.model_json_schema(ref_template=_REF))
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    components[model.__name__] = schema
    return {"$ref": _REF.format(model=model.__name__)}


def _valid_discriminators(node: Any) -> Any:
    """OpenAPI wants a discriminator's mapping to name schemas by ``$ref`` string;
    pydantic inlines a nested union there (e.g. a kind whose variants are told
    apart by another field). Such entries are dropped: ``oneOf`` still lists them."""
    if isinstance(node, dict):
        mapping = node.get("discriminator", {}).get("mapping")
        if isinstance(mapping, dict):
            kept = {k: v for k, v in mapping.items() if isinstance(v, str)}
            if kept:
                node["discriminator"]["mapping"] = kept
            else:
                node["discriminator"].pop("mapping")
        for value in node.values():
            _valid_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _valid_discriminators(value)
    return node


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": _REF.format(model="Problem")}}},
    }


def _operation(spec: EndpointSpec, params: list[str], components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": spec.summary, "tags": list(spec.tags)}
    if params:
        op["parameters"] = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in params
        ]
    if spec.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(spec.body, components)}},
        }
    success: dict[str, Any] = {"description": "OK"}
    if spec.response is not None:
        schema = _schema_ref(spec.response, components)
        success["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {str(spec.status): success}
    if spec.body is not None:
        responses["422"] = _problem("Dữ liệu không hợp lệ")
    if not spec.public:
        op["security"] = [{"bearer": []}]
        responses["401"] = _problem("Thiếu hoặc sai mã truy cập")
        responses["403"] = _problem("Không có quyền")
    op["responses"] = responses
    return op


def build_spec(app: Flask, title: str, version: str) -> dict[str, Any]:
    components: dict[str, Any] = {"Problem": PROBLEM_SCHEMA}
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = getattr(app.view_functions[rule.endpoint], SPEC_ATTRIBUTE, None)
        if spec is None:
            continue
        path = _PATH_PARAM.sub(r"{\1}", rule.rule)
        params = _PATH_PARAM.findall(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(spec, params, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
