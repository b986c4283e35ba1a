"""The pages: sign in/out, drafting from a template, issuing, documents, registers,
incoming documents, failed packets, archive search and the audit log."""

from __future__ import annotations

import functools
import hmac
import io
import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any, NoReturn
from urllib.parse import urlencode

import pypdfium2
from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.exceptions import HTTPException

from services.intake.web import audit
from services.intake.web.client import Reply, Services, Unavailable, segment
from services.intake.web.forms import LABELS, Form, apply_op, shift_raw, vn_date
from services.intake.web.state import EXTENSION, WebState
from shared.auth.users import ROLE_NAMES, WebSession, normalise_username
from shared.clock import VIETNAM, system_clock, vietnam_date

bp = Blueprint(
    "web",
    __name__,
    url_prefix="/web",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SERVICE_NAMES = {
    "docgen": "soạn thảo (docgen)",
    "intake": "tiếp nhận (intake)",
    "archive": "lưu trữ (archive)",
}
MAX_PREVIEW_PAGES = 6


class WebError(Exception):
    def __init__(self, status: int, message: str, title: str = "Không thực hiện được") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.title = title


def _state() -> WebState:
    state: WebState = current_app.extensions[EXTENSION]
    return state


def _web() -> WebSession:
    web: WebSession | None = g.get("web")
    if web is None:
        raise WebError(401, "Cần đăng nhập.")
    return web


def _services() -> Services:
    return Services(_state().urls, _web().token, _state().transport)


def _actor(username: str | None = None) -> audit.Actor:
    """Who is acting: the signed-in user, else nobody known (``username``: the one tried)."""
    web: WebSession | None = g.get("web")
    return audit.Actor(
        organ_id=web.user.organ_id if web else "",
        user_id=web.user.id if web else None,
        username=web.user.username if web else username,
        token_id=web.token_id if web else None,
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )


def _audit(
    action: str,
    target: str | None = None,
    outcome: str = "ok",
    *,
    username: str | None = None,
    **detail: Any,
) -> None:
    audit.record(
        _state().audit_engine,
        _actor(username),
        action,
        target,
        outcome=outcome,
        detail=detail or None,
    )


# ---------------------------------------------------------------- request lifecycle


@bp.before_request
def _load_session() -> Response | None:
    g.web = None
    key = session.get("k")
    if isinstance(key, str) and key:
        g.web = _state().sessions.resume(key)
        if g.web is None:
            session.pop("k", None)
    if request.method == "POST":
        _check_csrf()
    return None


def _check_csrf() -> None:
    sent = request.form.get("csrf_token", "")
    expected = g.web.csrf if g.web is not None else session.get("login_csrf", "")
    if not sent or not expected or not hmac.compare_digest(str(sent), str(expected)):
        tried = normalise_username(request.form.get("username", ""))[:40] or None
        _audit(f"web.csrf {request.path}"[:60], outcome="refused", username=tried, reason="csrf")
        raise WebError(
            400,
            "Yêu cầu bị từ chối: thiếu hoặc sai mã chống giả mạo (CSRF). Không có gì được lưu. "
            "Hãy tải lại trang rồi thực hiện lại.",
            "Yêu cầu không hợp lệ",
        )


@bp.after_request
def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def csrf_token() -> str:
    web: WebSession | None = g.get("web")
    if web is not None:
        return web.csrf
    token = session.get("login_csrf")
    if not token:
        token = session["login_csrf"] = secrets.token_urlsafe(32)
    return str(token)


@bp.app_template_filter("role_names")
def _role_names(roles: frozenset[str]) -> str:
    return ", ".join(ROLE_NAMES.get(r, r) for r in sorted(roles))


def _page(name: str, status: int = 200, /, **context: Any) -> Response:
    web: WebSession | None = g.get("web")
    body = g.get("body_name") or (web.user.organ_id if web else "")
    html = render_template(f"web/{name}", web=web, body_name=body, **context)
    return make_response(html, status)


@bp.errorhandler(WebError)
def _on_web_error(exc: WebError) -> Response:
    return _page("error.html", exc.status, title=exc.title, message=exc.message)


@bp.errorhandler(HTTPException)
def _on_http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    messages = {
        404: "Không tìm thấy trang này.",
        405: "Thao tác không được hỗ trợ ở địa chỉ này.",
        413: "Tệp gửi lên quá lớn.",
    }
    return _page(
        "error.html", status, title="Lỗi", message=messages.get(status, "Yêu cầu không hợp lệ.")
    )


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Any:
        if g.get("web") is None:
            target = request.full_path if request.method == "GET" else ""
            if target.startswith("/web/"):
                return redirect(url_for("web.login", next=target.rstrip("?")))
            return redirect(url_for("web.login"))
        _body_name()
        return view(**kwargs)

    return wrapper


def _body_name() -> None:
    """The body's name for the header, from docgen's register settings (best effort)."""
    web = _web()
    cached = session.get("body")
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == web.user.organ_id:
        g.body_name = cached[1]
        return
    name = web.user.organ_id
    try:
        reply = _services().get("docgen", "/v1/registers/settings")
        if reply.ok:
            name = str(reply.json().get("name") or name)
    except Unavailable:
        pass
    session["body"] = [web.user.organ_id, name]
    g.body_name = name


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/web/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()  # no CR/LF or other control characters for the Location header
    ):
        return target
    return url_for("web.home")


# ---------------------------------------------------------------- talking to services


def _expect(reply: Reply, what: str = "") -> Reply:
    """A 2xx reply, or the page that explains why not."""
    if reply.ok:
        return reply
    if reply.status == 401:
        _drop_session()
        raise WebError(401, "Phiên làm việc đã hết hạn hoặc đã bị thu hồi. Hãy đăng nhập lại.")
    if reply.status == 403:
        raise WebError(403, reply.detail, "Không có quyền")
    if reply.status == 404:
        raise WebError(404, f"Không tìm thấy {what or 'dữ liệu này'}.", "Không tìm thấy")
    raise WebError(reply.status if reply.status >= 400 else 502, reply.detail)


def _call(service: str, method: str, path: str, what: str = "", **kwargs: Any) -> Reply:
    try:
        reply = _services().call(service, method, path, **kwargs)
    except Unavailable:
        raise WebError(
            503,
            f"Dịch vụ {SERVICE_NAMES[service]} không phản hồi. Hãy thử lại sau "
            "hoặc báo quản trị viên.",
            "Dịch vụ tạm ngừng",
        ) from None
    return _expect(reply, what)


def _id(value: str) -> str:
    try:
        return segment(value)
    except ValueError:
        raise WebError(404, "Mã không hợp lệ.", "Không tìm thấy") from None


def _file(reply: Reply, default_name: str) -> Response:
    response = Response(
        reply.content, mimetype=reply.headers.get("Content-Type", "application/octet-stream")
    )
    disposition = (
        reply.headers.get("Content-Disposition") or f'attachment; filename="{default_name}"'
    )
    response.headers["Content-Disposition"] = disposition
    return response


def _fail(status: int, message: str) -> NoReturn:
    raise WebError(status, message)


# ---------------------------------------------------------------- sign in / out


@bp.get("/login")
def login() -> Response:
    if g.get("web") is not None:
        return redirect(url_for("web.home"))  # type: ignore[return-value]
    return _page("login.html", next=_safe_next(request.args.get("next")), error="")


# Guessing passwords: after this many refused sign-ins for one username (or, much
# more, from one address: a district office signs in from behind one address)
# within the window, sign-in is refused without checking the password.
LOGIN_ATTEMPTS = 5
LOGIN_ATTEMPTS_PER_ADDRESS = 50
LOGIN_WINDOW = timedelta(minutes=15)


@bp.post("/login")
def login_post() -> Response:
    # As authentication reads it: the lockout counts ratetest and RaTeTeSt as one user.
    username = normalise_username(request.form.get("username", ""))[:40]
    password = request.form.get("password", "")[:1000]
    state = _state()
    since = datetime.now(UTC) - LOGIN_WINDOW
    engine = state.audit_engine
    address = request.remote_addr or ""
    if (
        username and audit.refused_logins(engine, since=since, username=username) >= LOGIN_ATTEMPTS
    ) or (
        address
        and audit.refused_logins(engine, since=since, ip=address) >= LOGIN_ATTEMPTS_PER_ADDRESS
    ):
        # Recorded, but not as a refused sign-in: waiting out the lock must end it.
        _audit("web.login", outcome="throttled", username=username or None, reason="too_many")
        return _page(
            "login.html",
            429,
            next=_safe_next(request.form.get("next")),
            username=username,
            error="Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.",
        )
    user = state.users.authenticate(username, password)
    target = _safe_next(request.form.get("next"))
    if user is None:
        audit.record(
            state.audit_engine,
            audit.Actor(
                "", None, username or None, None, request.remote_addr, request.user_agent.string
            ),
            "web.login",
            outcome="refused",
        )
        return _page(
            "login.html",
            401,
            next=target,
            username=username,
            error="Tên đăng nhập hoặc mật khẩu không đúng.",
        )
    key, web = state.sessions.start(user, request.remote_addr, request.user_agent.string)
    session.clear()  # a fresh cookie: nothing from before sign-in carries over
    session["k"] = key
    session.permanent = True
    g.web = web
    _audit("web.login", user.id, token=web.token_id)
    return redirect(target)  # type: ignore[return-value]


def _drop_session() -> None:
    key = session.get("k")
    if isinstance(key, str) and key:
        _state().sessions.end(key)
    session.clear()


@bp.post("/logout")
def logout() -> Response:
    if g.get("web") is not None:
        _audit("web.logout", g.web.user.id, token=g.web.token_id)
    _drop_session()
    g.web = None
    return redirect(url_for("web.login"))  # type: ignore[return-value]


# ---------------------------------------------------------------- home


@bp.get("/")
@login_required
def home() -> Response:
    services = _services()
    documents: list[dict[str, Any]] = []
    waiting: list[dict[str, Any]] = []
    notes: list[str] = []
    try:
        reply = services.get("docgen", "/v1/documents", params={"limit": "8"})
        documents = reply.json().get("documents", []) if reply.ok else []
    except Unavailable:
        notes.append("Dịch vụ soạn thảo không phản hồi.")
    try:
        reply = services.get("intake", "/v1/incoming", params={"state": "registered"})
        waiting = reply.json().get("incoming", [])[:8] if reply.ok else []
    except Unavailable:
        notes.append("Dịch vụ tiếp nhận không phản hồi.")
    return _page("home.html", documents=documents, waiting=waiting, notes=notes, nav="home")


# ---------------------------------------------------------------- drafting


@bp.get("/templates")
@login_required
def templates() -> Response:
    listed = _call("docgen", "GET", "/v1/templates").json().get("templates", [])
    return _page("templates.html", templates=listed, nav="new")


def _template_info(template_id: str) -> dict[str, Any]:
    for item in _call("docgen", "GET", "/v1/templates").json().get("templates", []):
        if item.get("id") == template_id:
            return dict(item)
    raise WebError(404, "Không có mẫu văn bản này.", "Không tìm thấy")


def _example(template_id: str) -> dict[str, Any]:
    """The template's example data, as the starting point of the form."""
    try:
        path = resources.files("services.docgen") / "templates" / "examples" / f"{template_id}.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, ModuleNotFoundError):
        return {}
    if not isinstance(data, dict):
        return {}
    data.pop("number", None)
    if "issued_on" in data:
        data["issued_on"] = vietnam_date(system_clock()).isoformat()
    issuer = data.get("issuer")
    if isinstance(issuer, dict):
        try:
            reply = _services().get("docgen", "/v1/registers/settings")
        except Unavailable:
            reply = None
        if reply is not None and reply.ok:
            settings = reply.json()
            if settings.get("name"):
                issuer["name"] = str(settings["name"]).upper()
            if settings.get("parent_name"):
                issuer["parent"] = str(settings["parent_name"]).upper()
            if settings.get("abbreviation"):
                issuer["abbreviation"] = settings["abbreviation"]
    return data


def _form_page(
    template_id: str,
    info: dict[str, Any],
    form: Form,
    data: dict[str, Any],
    *,
    raw: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> Response:
    return _page(
        "form.html",
        status,
        template=info,
        template_id=template_id,
        root=form.widgets(data, raw, errors),
        problems=problems or [],
        nav="new",
    )


@bp.get("/templates/<template_id>")
@login_required
def new_draft(template_id: str) -> Response:
    tid = _id(template_id)
    info = _template_info(template_id)
    schema = _call("docgen", "GET", f"/v1/templates/{tid}/schema", "mẫu này").json()
    return _form_page(template_id, info, Form(schema), _example(template_id))


@bp.post("/templates/<template_id>")
@login_required
def submit_draft(template_id: str) -> Response:
    tid = _id(template_id)
    info = _template_info(template_id)
    schema = _call("docgen", "GET", f"/v1/templates/{tid}/schema", "mẫu này").json()
    form = Form(schema)
    data, raw, errors = form.parse(request.form)
    op = request.form.get("op", "")
    if op:  # add or remove a row: show the form again, nothing sent
        return _form_page(template_id, info, form, apply_op(data, op), raw=shift_raw(raw, op))
    if errors:
        return _form_page(
            template_id,
            info,
            form,
            data,
            raw=raw,
            errors=errors,
            problems=["Một số trường chưa hợp lệ; xem các ô được đánh dấu."],
            status=422,
        )
    try:
        reply = _services().post(
            "docgen", "/v1/drafts", json={"template": template_id, "data": data}
        )
    except Unavailable:
        raise WebError(503, "Dịch vụ soạn thảo không phản hồi.") from None
    if reply.status == 422:
        found: dict[str, str] = {}
        listed: list[str] = []
        for error in reply.problem.get("errors") or []:
            name, message = str(error.get("field", "")), str(error.get("message", ""))
            found[name] = message
            listed.append(f"{_field_label(name)}: {message}")
        _audit("web.draft.create", template_id, "refused", errors=len(listed))
        return _form_page(
            template_id,
            info,
            form,
            data,
            raw=raw,
            errors=found,
            problems=listed or [reply.detail],
            status=422,
        )
    draft = _expect(reply).json()
    _audit("web.draft.create", draft["id"], template=template_id)
    return redirect(url_for("web.draft", draft_id=draft["id"]))  # type: ignore[return-value]


def _field_label(name: str) -> str:
    parts = [p for p in name.split(".") if p and p != "data"]
    shown = [LABELS.get(p, str(int(p) + 1) if p.isdigit() else p) for p in parts]
    return " › ".join(shown) or "Dữ liệu"


@bp.get("/drafts/<draft_id>")
@login_required
def draft(draft_id: str) -> Response:
    did = _id(draft_id)
    shown = _call("docgen", "GET", f"/v1/drafts/{did}", "bản dự thảo").json()
    pdf = _call("docgen", "GET", f"/v1/drafts/{did}/document.pdf", "bản dự thảo").content
    pages = min(_page_count(pdf), MAX_PREVIEW_PAGES)
    registers: list[dict[str, Any]] = []
    units: dict[str, str] = {}
    try:
        reply = _services().get("docgen", "/v1/registers")
        if reply.ok:
            registers = [r for r in reply.json().get("registers", []) if r.get("active", True)]
        reply = _services().get("docgen", "/v1/registers/settings")
        if reply.ok:
            units = dict(reply.json().get("units") or {})
    except Unavailable:
        pass
    info = {}
    try:
        info = _template_info(shown["template"])
    except WebError:
        info = {"id": shown["template"], "title": shown["template"], "kind": ""}
    return _page(
        "draft.html",
        draft=shown,
        template=info,
        pages=pages,
        registers=registers,
        units=units,
        nav="new",
    )


def _page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


@bp.get("/drafts/<draft_id>/page-<int:number>.png")
@login_required
def draft_page(draft_id: str, number: int) -> Response:
    did = _id(draft_id)
    pdf = _call("docgen", "GET", f"/v1/drafts/{did}/document.pdf", "bản dự thảo").content
    document = pypdfium2.PdfDocument(pdf)
    try:
        if not 1 <= number <= min(len(document), MAX_PREVIEW_PAGES):
            _fail(404, "Không có trang này.")
        image = document[number - 1].render(scale=1.25).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    finally:
        document.close()
    response = Response(out.getvalue(), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/drafts/<draft_id>/document.<fmt>")
@login_required
def draft_file(draft_id: str, fmt: str) -> Response:
    return _rendering("drafts", draft_id, fmt, "bản dự thảo", "web.draft.download", "du-thao")


@bp.post("/drafts/<draft_id>/issue")
@login_required
def issue(draft_id: str) -> Response:
    did = _id(draft_id)
    body: dict[str, Any] = {}
    register_id = request.form.get("register_id", "").strip()
    unit = request.form.get("unit", "").strip()
    if register_id:
        body["register_id"] = register_id[:36]
    if unit:
        body["unit"] = unit[:20]
    try:
        reply = _services().post(
            "docgen",
            f"/v1/drafts/{did}/issue",
            json=body,
            headers={"Idempotency-Key": f"web-issue-{draft_id}"},
        )
    except Unavailable:
        raise WebError(
            503, "Dịch vụ soạn thảo không phản hồi; văn bản chưa được ban hành."
        ) from None
    if not reply.ok:
        _audit(
            "web.document.issue",
            draft_id,
            "refused",
            status=reply.status,
            code=reply.problem.get("code"),
        )
    issued = _expect(reply, "bản dự thảo").json()
    _audit("web.document.issue", issued["id"], draft=draft_id, code=issued.get("code"))
    return redirect(url_for("web.document", document_id=issued["id"], issued=1))  # type: ignore[return-value]


# ---------------------------------------------------------------- documents


@bp.get("/documents")
@login_required
def documents() -> Response:
    year = request.args.get("year", "")
    params = {"limit": "200"}
    if year.isdigit() and len(year) == 4:
        params["year"] = year
    listed = _call("docgen", "GET", "/v1/documents", params=params).json().get("documents", [])
    return _page("documents.html", documents=listed, year=year, nav="documents")


@bp.get("/documents/<document_id>")
@login_required
def document(document_id: str) -> Response:
    did = _id(document_id)
    shown = _call("docgen", "GET", f"/v1/documents/{did}", "văn bản").json()
    signed = None
    reply = _services().get("docgen", f"/v1/documents/{did}/signed.pdf", params={})
    if reply.ok:
        signed = True
    return _page(
        "document.html",
        document=shown,
        signed=signed,
        just_issued=request.args.get("issued") == "1",
        upload=None,
        nav="documents",
    )


@bp.get("/documents/<document_id>/document.<fmt>")
@login_required
def document_file(document_id: str, fmt: str) -> Response:
    return _rendering("documents", document_id, fmt, "văn bản", "web.document.download", "van-ban")


def _rendering(  # noqa: PLR0917 - one docgen file, named for the person downloading it
    kind: str, item_id: str, fmt: str, what: str, action: str, name: str
) -> Response:
    """docgen's DOCX or PDF of a draft or an issued document, downloaded and audited."""
    if fmt not in ("pdf", "docx"):
        _fail(404, "Chỉ có tệp PDF và DOCX.")
    reply = _call("docgen", "GET", f"/v1/{kind}/{_id(item_id)}/document.{fmt}", what)
    _audit(action, item_id, format=fmt)
    return _file(reply, f"{name}.{fmt}")


@bp.get("/documents/<document_id>/signed.pdf")
@login_required
def signed_file(document_id: str) -> Response:
    did = _id(document_id)
    reply = _call("docgen", "GET", f"/v1/documents/{did}/signed.pdf", "bản đã ký")
    _audit("web.document.download", document_id, format="signed.pdf")
    return _file(reply, "van-ban-da-ky.pdf")


@bp.post("/documents/<document_id>/signed")
@login_required
def upload_signed(document_id: str) -> Response:
    did = _id(document_id)
    upload = request.files.get("file")
    content = upload.read() if upload is not None else b""
    if not content:
        raise WebError(400, "Hãy chọn tệp PDF đã ký số để tải lên.")
    try:
        reply = _services().post(
            "docgen", f"/v1/documents/{did}/signed", data=content, content_type="application/pdf"
        )
    except Unavailable:
        raise WebError(503, "Dịch vụ soạn thảo không phản hồi; tệp chưa được nhận.") from None
    if not reply.ok:
        _audit(
            "web.document.signed",
            document_id,
            "refused",
            status=reply.status,
            code=reply.problem.get("code"),
        )
    result = _expect(reply, "văn bản").json()
    _audit(
        "web.document.signed", document_id, sha256=result.get("sha256"), status=result.get("status")
    )
    shown = _call("docgen", "GET", f"/v1/documents/{did}", "văn bản").json()
    return _page(
        "document.html",
        document=shown,
        signed=True,
        just_issued=False,
        upload=result,
        nav="documents",
    )


# ---------------------------------------------------------------- registers

DIRECTIONS = {"out": ("docgen", "Sổ văn bản đi"), "in": ("intake", "Sổ văn bản đến")}


@bp.get("/registers/<direction>")
@login_required
def registers(direction: str) -> Response:
    if direction not in DIRECTIONS:
        _fail(404, "Không có sổ này.")
    service, title = DIRECTIONS[direction]
    listed = _call(service, "GET", "/v1/registers").json().get("registers", [])
    chosen = request.args.get("register") or (listed[0]["id"] if listed else "")
    year = request.args.get("year", "")
    if not (year.isdigit() and len(year) == 4):
        year = str(vietnam_date(system_clock()).year)
    entries: list[dict[str, Any]] = []
    current = None
    if chosen:
        rid = _id(chosen)
        current = next((r for r in listed if r["id"] == chosen), None)
        if current is None:
            _fail(404, "Không có sổ này trong các sổ của cơ quan.")
        entries = (
            _call(service, "GET", f"/v1/registers/{rid}/entries", "sổ", params={"year": year})
            .json()
            .get("entries", [])
        )
    return _page(
        "registers.html",
        direction=direction,
        title=title,
        registers=listed,
        current=current,
        entries=entries,
        year=year,
        nav=f"registers-{direction}",
    )


@bp.get("/registers/<direction>/<register_id>/print.<fmt>")
@login_required
def register_print(direction: str, register_id: str, fmt: str) -> Response:
    if direction not in DIRECTIONS or fmt not in ("pdf", "xlsx"):
        _fail(404, "Không có bản in này.")
    service, _ = DIRECTIONS[direction]
    rid = _id(register_id)
    year = request.args.get("year", "")
    params = {"year": year} if year.isdigit() and len(year) == 4 else {}
    reply = _call(service, "GET", f"/v1/registers/{rid}/print.{fmt}", "sổ", params=params)
    _audit("web.register.print", register_id, format=fmt, year=year)
    return _file(reply, f"so-van-ban.{fmt}")


# ---------------------------------------------------------------- incoming

STATES = {
    "registered": "Chờ tiếp nhận",
    "issued": "Đã ban hành",
    "reserved": "Giữ số",
    "cancelled": "Đã hủy",
    "recorded": "Đã vào sổ",
    "signed": "Đã ký số",
    "accepted": "Đã tiếp nhận",
    "rejected": "Đã từ chối",
    "recalled": "Đã thu hồi",
    "failed": "Lỗi",
    "retried": "Đã xử lý lại",
}


SOURCES = {"system": "Phần mềm", "typed": "Vào sổ tay", "edxml": "Liên thông"}


@bp.app_template_filter("state_name")
def _state_name(state: str) -> str:
    return STATES.get(state, state)


@bp.app_template_filter("vn_date")
def _vn_date(value: Any) -> str:
    """Dates as Vietnamese offices write them: 05/03/2024."""
    return vn_date(value) if value else ""


@bp.app_template_filter("vn_time")
def _vn_time(value: Any) -> str:
    """An instant (UTC, ISO text or datetime) as Vietnam's wall clock: 05/03/2024 14:30."""
    if not value:
        return ""
    instant = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


@bp.app_template_filter("source_name")
def _source_name(source: str) -> str:
    return SOURCES.get(source, source)


@bp.get("/incoming")
@login_required
def incoming() -> Response:
    state = request.args.get("state", "")
    params = {"state": state} if state in STATES else {}
    listed = _call("intake", "GET", "/v1/incoming", params=params).json().get("incoming", [])
    return _page("incoming.html", incoming=listed, state=state, states=STATES, nav="incoming")


@bp.get("/incoming/<incoming_id>")
@login_required
def incoming_one(incoming_id: str) -> Response:
    iid = _id(incoming_id)
    shown = _call("intake", "GET", f"/v1/incoming/{iid}", "văn bản đến").json()
    return _page("incoming_one.html", item=shown, nav="incoming")


@bp.get("/incoming/<incoming_id>/files/<file_id>")
@login_required
def incoming_file(incoming_id: str, file_id: str) -> Response:
    iid, fid = _id(incoming_id), _id(file_id)
    reply = _call("intake", "GET", f"/v1/incoming/{iid}/files/{fid}", "tệp")
    _audit("web.incoming.download", incoming_id, file=file_id)
    return _file(reply, "tep-van-ban-den")


@bp.post("/incoming/<incoming_id>/<decision>")
@login_required
def decide_incoming(incoming_id: str, decision: str) -> Response:
    if decision not in ("accept", "reject"):
        _fail(404, "Không có thao tác này.")
    path = f"/v1/incoming/{_id(incoming_id)}/{decision}"
    _decide(path, f"web.incoming.{decision}", incoming_id, decision, "văn bản đến")
    return redirect(url_for("web.incoming"))  # type: ignore[return-value]


@bp.get("/failed")
@login_required
def failed() -> Response:
    listed = _call("intake", "GET", "/v1/failed-packets").json().get("failed", [])
    return _page("failed.html", failed=listed, nav="failed")


@bp.post("/failed/<packet_id>/<decision>")
@login_required
def decide_failed(packet_id: str, decision: str) -> Response:
    if decision not in ("retry", "reject"):
        _fail(404, "Không có thao tác này.")
    path = f"/v1/failed-packets/{_id(packet_id)}/{decision}"
    _decide(path, f"web.failed.{decision}", packet_id, decision, "gói tin")
    return redirect(url_for("web.failed"))  # type: ignore[return-value]


def _decide(path: str, action: str, target: str, decision: str, what: str) -> None:
    """A clerk's decision on intake: a reason is required to reject; audited either way."""
    body: dict[str, Any] | None = None
    if decision == "reject":
        reason = request.form.get("reason", "").strip()
        if not reason:
            raise WebError(400, "Hãy ghi lý do từ chối.")
        body = {"reason": reason[:1000]}
    try:
        reply = _services().post("intake", path, json=body)
    except Unavailable:
        raise WebError(503, "Dịch vụ tiếp nhận không phản hồi.") from None
    _audit(action, target, "ok" if reply.ok else "refused", status=reply.status)
    _expect(reply, what)


# ---------------------------------------------------------------- archive


@bp.get("/archive")
@login_required
def archive() -> Response:
    q = request.args.get("q", "").strip()[:200]
    records: list[dict[str, Any]] = []
    missing = ""
    searched = False
    if q:
        searched = True
        try:
            reply = _services().get("archive", "/v1/records", params={"q": q})
        except Unavailable:
            reply = None
            missing = "Dịch vụ lưu trữ không phản hồi; chưa tra cứu được."
        if reply is not None:
            if reply.status in (404, 405):
                missing = "Chức năng tra cứu lưu trữ chưa có trên máy chủ này."
            else:
                records = list(_expect(reply).json().get("records", []))
    return _page(
        "archive.html", q=q, records=records, missing=missing, searched=searched, nav="archive"
    )


@bp.get("/archive/<record_id>/file")
@login_required
def archive_file(record_id: str) -> Response:
    rid = _id(record_id)
    reply = _call("archive", "GET", f"/v1/records/{rid}/file", "văn bản lưu trữ")
    _audit("web.archive.download", record_id)
    return _file(reply, "van-ban-luu-tru")


# ---------------------------------------------------------------- audit log

AUDITORS = frozenset({"admin", "leader"})


@bp.get("/audit")
@login_required
def audit_log() -> Response:
    web = _web()
    if not web.user.roles & AUDITORS:
        raise WebError(403, "Chỉ lãnh đạo và quản trị xem được nhật ký.", "Không có quyền")
    entries = audit.recent(_state().audit_engine, web.user.organ_id)
    return _page("audit.html", entries=entries, nav="audit")


@bp.app_template_filter("query")
def _query(values: dict[str, str]) -> str:
    return urlencode({k: v for k, v in values.items() if v})
