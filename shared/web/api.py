"""Declaring an endpoint once: auth, request model, response model, OpenAPI.

``@endpoint(...)`` wraps a Flask view so that the same pydantic models that
validate a request also describe it in ``/openapi.json``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Response, current_app, g, json, request
from pydantic import BaseModel

from shared.auth import InvalidToken, Principal
from shared.web.problems import Problem
from shared.web.validation import parse_model

SPEC_ATTRIBUTE = "_vanthu_endpoint"


@dataclass(frozen=True)
class EndpointSpec:
    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    roles: frozenset[str] = frozenset()
    public: bool = False
    tags: tuple[str, ...] = ()


def current_principal() -> Principal:
    principal: Principal | None = g.get("principal")
    if principal is None:
        raise Problem("unauthenticated")
    return principal


def require_body(organ_id: str) -> None:
    """403 unless the caller's token belongs to the body that owns the data."""
    if current_principal().organ_id != organ_id:
        raise Problem("wrong_body")


# The id part of a token as issued ("vt_<16 hex>_<secret>"): what the audit log
# can name of a refused token, even one that does not exist.
_TOKEN_ID = re.compile(r"vt_([0-9a-f]{16})_")


def _authenticate(roles: frozenset[str]) -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    claimed = _TOKEN_ID.match(token.strip())
    g.claimed_token_id = claimed.group(1) if claimed else None
    if scheme.lower() != "bearer" or not token:
        raise Problem("unauthenticated")
    try:
        principal = current_app.extensions["vanthu"].tokens.verify(token)
    except InvalidToken:
        raise Problem(
            "unauthenticated", "Mã truy cập không hợp lệ, không tồn tại hoặc đã bị thu hồi."
        ) from None
    g.principal = principal  # known before the role check: a refusal is audited with it
    if roles and not principal.has_any(roles):
        raise Problem(
            "forbidden",
            "Vai trò của bạn không được phép thực hiện thao tác này "
            f"(cần một trong: {', '.join(sorted(roles))}).",
        )
    return principal


# Deeper than any document of ours (a form nests ~6 levels); recursive walks
# (validation, text normalisation) stay far from Python's recursion limit.
MAX_JSON_DEPTH = 64


def json_body() -> Any:
    """The request's JSON, refused with a problem when it is not JSON or nests too deep."""
    if not request.is_json:
        raise Problem("unsupported_media_type")
    data = parse_json(request.get_data(cache=True))  # a body over the limit raises 413 here
    if data is None:
        raise Problem("malformed_json")
    return data


def parse_json(raw: str | bytes, malformed: str | None = None) -> Any:
    """``raw`` parsed, or a problem: ``malformed_json`` (with ``malformed`` as its
    detail), or ``too_deep`` when arrays and objects nest beyond MAX_JSON_DEPTH."""
    try:
        data = json.loads(raw)
    except ValueError:
        raise Problem("malformed_json", malformed) from None
    except RecursionError:  # the JSON decoder's own limit (~1,000 levels)
        raise Problem("too_deep") from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise Problem("too_deep")
    return data


def json_depth(data: Any) -> int:
    """How deep arrays and objects nest in ``data`` (0 for a scalar), without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _respond(result: Any, status: int) -> Response:
    headers: dict[str, str] = {}
    if isinstance(result, tuple):
        result, status, *rest = result
        headers = rest[0] if rest else {}
    if isinstance(result, Response):
        return result
    payload = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
    response = Response(
        json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json"
    )
    response.headers.update(headers)
    return response


def endpoint(
    summary: str,
    *,
    body: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    roles: Iterable[str] = (),
    public: bool = False,
    tags: Iterable[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Response]]:
    spec = EndpointSpec(
        summary=summary,
        body=body,
        response=response,
        status=status,
        roles=frozenset(str(r) for r in roles),
        public=public,
        tags=tuple(tags),
    )

    def decorate(view: Callable[..., Any]) -> Callable[..., Response]:
        @functools.wraps(view)
        def wrapper(**kwargs: Any) -> Response:
            if not spec.public:
                _authenticate(spec.roles)
            if spec.body is not None:
                kwargs["payload"] = parse_model(spec.body, json_body())
            return _respond(view(**kwargs), spec.status)

        setattr(wrapper, SPEC_ATTRIBUTE, spec)
        return wrapper

    return decorate
