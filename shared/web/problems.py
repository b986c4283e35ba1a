"""Errors as ``application/problem+json`` (RFC 9457) with Vietnamese details.

``code`` is the stable, machine-readable name a client may branch on; ``detail``
is for the person at the desk and is written in Vietnamese.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, json
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"

# Default title and detail per stable code (title in English for logs/tools,
# detail in Vietnamese for people).
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "validation_failed": (422, "Validation failed", "Dữ liệu gửi lên không hợp lệ."),
    "malformed_json": (400, "Malformed JSON", "Nội dung gửi lên không phải JSON hợp lệ."),
    "too_deep": (
        400,
        "JSON nested too deep",
        "Dữ liệu JSON lồng nhau quá nhiều tầng (tối đa 64 tầng mảng và đối tượng).",
    ),
    "unsupported_media_type": (
        415,
        "Unsupported media type",
        "Kiểu nội dung không được hỗ trợ; hãy gửi application/json.",
    ),
    "unauthenticated": (
        401,
        "Authentication required",
        "Cần mã truy cập (API token) hợp lệ trong tiêu đề Authorization.",
    ),
    "forbidden": (403, "Forbidden", "Bạn không có quyền thực hiện thao tác này."),
    "wrong_body": (
        403,
        "Other body's data",
        "Dữ liệu này thuộc cơ quan, tổ chức khác; bạn không có quyền truy cập.",
    ),
    "not_found": (404, "Not found", "Không tìm thấy tài nguyên được yêu cầu."),
    "method_not_allowed": (
        405,
        "Method not allowed",
        "Phương thức HTTP này không được hỗ trợ cho đường dẫn này.",
    ),
    "conflict": (409, "Conflict", "Yêu cầu xung đột với dữ liệu hiện có."),
    "payload_too_large": (
        413,
        "Payload too large",
        "Nội dung gửi lên vượt quá dung lượng cho phép.",
    ),
    "bad_request": (400, "Bad request", "Yêu cầu không hợp lệ."),
    "internal_error": (
        500,
        "Internal error",
        "Hệ thống gặp lỗi không mong muốn; vui lòng thử lại hoặc báo quản trị viên.",
    ),
    "not_ready": (503, "Not ready", "Dịch vụ chưa sẵn sàng."),
}

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        code: str,
        detail: str | None = None,
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> None:
        default_status, title, default_detail = CATALOGUE.get(code, (400, code, code))
        self.code = code
        self.status = status or default_status
        self.title = title
        self.detail = detail or default_detail
        self.errors = errors
        self.extra = extra
        super().__init__(f"{code}: {self.detail}")

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"urn:vanthu:problem:{self.code}",
            "title": self.title,
            "status": self.status,
            "code": self.code,
            "detail": self.detail,
        }
        request_id = g.get("request_id") if g else None
        if request_id:
            body["request_id"] = request_id
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def problem_response(problem: Problem) -> Response:
    return Response(
        json.dumps(problem.to_dict(), ensure_ascii=False),
        status=problem.status,
        mimetype=PROBLEM_MEDIA_TYPE,
    )


def install(app: Flask) -> None:
    """Every error a request can meet leaves as problem+json, never as HTML."""

    @app.errorhandler(Problem)
    def on_problem(problem: Problem) -> Response:
        return problem_response(problem)

    @app.errorhandler(HTTPException)
    def on_http(exc: HTTPException) -> Response:
        code = _HTTP_CODES.get(exc.code or 500, "bad_request")
        response = problem_response(Problem(code, status=exc.code))
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(Exception)
    def on_crash(exc: Exception) -> Response:
        log.exception("unhandled error")
        return problem_response(Problem("internal_error"))
