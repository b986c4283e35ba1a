"""The văn thư's web pages on a Flask test client: sign-in, CSRF, bodies kept apart,
escaping, the form renderer and the audit log."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.datastructures import MultiDict

from services.intake.app import create_app as intake_app
from services.intake.orm import incoming
from services.intake.web.state import EXTENSION
from shared.auth import InvalidToken, TokenStore
from shared.auth.users import UserStore, web_sessions_table
from shared.db import make_engine
from shared.db.types import new_id, utcnow
from tests.conftest import ORGAN, OTHER_ORGAN
from tests.integration.web.conftest import PASSWORD, URLS, Web, csrf_of, form_fields
from tests.support.pki import sign_pdf

pytestmark = pytest.mark.integration


def _draft_via_form(web: Web, browser: FlaskClient, subject: str) -> str:
    page = browser.get("/web/templates/cong-van")
    assert page.status_code == 200, page.text
    fields = [
        (name, subject if name == "data.subject" else value)
        for name, value in form_fields(page.text, "/web/templates/cong-van")
    ]
    created = browser.post("/web/templates/cong-van", data=MultiDict([*fields, ("preview", "1")]))
    assert created.status_code == 302, created.text
    return created.headers["Location"].rsplit("/", 1)[-1]


def _issue(browser: FlaskClient, draft_id: str) -> str:
    page = browser.get(f"/web/drafts/{draft_id}")
    assert page.status_code == 200, page.text
    fields = form_fields(page.text, f"/web/drafts/{draft_id}/issue")
    issued = browser.post(f"/web/drafts/{draft_id}/issue", data=MultiDict(fields))
    assert issued.status_code == 302, issued.text
    return issued.headers["Location"].split("/")[-1].split("?")[0]


def test_pages_require_sign_in(web: Web) -> None:
    browser = web.browser()
    for path in (
        "/web/",
        "/web/documents",
        "/web/templates/cong-van",
        "/web/incoming",
        "/web/registers/out",
        "/web/archive?q=x",
        "/web/drafts/abc",
    ):
        response = browser.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/web/login"), path
    assert browser.get("/").headers["Location"] == "/web/"
    login = browser.get("/web/login")
    assert login.status_code == 200
    assert "Đăng nhập" in login.text
    cookie = login.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "script-src" not in login.headers["Content-Security-Policy"]  # no script at all


def test_wrong_password_is_refused(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    refused = web.sign_in(browser, "van.thu", "sai-mat-khau")
    assert refused.status_code == 401
    assert "không đúng" in refused.text
    assert browser.get("/web/").status_code == 302
    unknown = web.sign_in(browser, "khong.co", PASSWORD)
    assert unknown.status_code == 401
    engine = make_engine(web.stack.config("intake").auth_database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM auth_web_sessions")).scalar_one() == 0
    engine.dispose()
    accepted = web.sign_in(browser, "van.thu")
    assert accepted.status_code == 302
    home = browser.get("/web/")
    assert home.status_code == 200
    assert "Cán bộ van.thu" in home.text
    assert "Ủy ban nhân dân huyện Sông Hình" in home.text  # the body's name in the header


def test_disabled_user_cannot_sign_in_and_loses_sessions(web: Web) -> None:
    web.user("nghi.viec")
    browser = web.browser()
    web.sign_in(browser, "nghi.viec")
    assert browser.get("/web/").status_code == 200
    engine = make_engine(web.stack.config("intake").auth_database_url)
    assert UserStore(engine).disable("nghi.viec")
    engine.dispose()
    assert browser.get("/web/").status_code == 302
    assert web.sign_in(web.browser(), "nghi.viec").status_code == 401


def test_post_without_csrf_token_is_refused_and_stores_nothing(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    # Sign-in itself needs the login form's token.
    refused = browser.post("/web/login", data={"username": "van.thu", "password": PASSWORD})
    assert refused.status_code == 400
    assert "CSRF" in refused.text
    web.sign_in(browser, "van.thu")
    page = browser.get("/web/templates/cong-van")
    fields = [
        (n, v) for n, v in form_fields(page.text, "/web/templates/cong-van") if n != "csrf_token"
    ]
    response = browser.post("/web/templates/cong-van", data=MultiDict(fields))
    assert response.status_code == 400
    assert "mã chống giả mạo (CSRF)" in response.text
    assert "Không có gì được lưu" in response.text
    wrong = browser.post(
        "/web/templates/cong-van", data=MultiDict([*fields, ("csrf_token", "x" * 43)])
    )
    assert wrong.status_code == 400
    assert web.count("docgen", "docgen_drafts") == 0
    assert browser.post("/web/logout").status_code == 400  # even signing out
    assert browser.get("/web/").status_code == 200


def test_sign_out_revokes_the_minted_token(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    engine = make_engine(web.stack.config("intake").auth_database_url)
    with engine.connect() as conn:
        row = conn.execute(web_sessions_table.select()).one()
    tokens = TokenStore(engine)
    with engine.connect() as conn:
        label = conn.execute(
            text("SELECT label, organ_id, roles FROM auth_tokens WHERE id = :id"),
            {"id": row.token_id},
        ).one()
    assert label == ("web session of van.thu", ORGAN, "clerk")
    assert "van.thu" not in row.sealed_token  # the token is sealed, not stored in clear
    page = browser.get("/web/")
    out = browser.post("/web/logout", data={"csrf_token": csrf_of(page.text)})
    assert out.status_code == 302
    with engine.connect() as conn:
        revoked = conn.execute(
            text("SELECT revoked_at FROM auth_tokens WHERE id = :id"), {"id": row.token_id}
        ).scalar_one()
        ended = conn.execute(web_sessions_table.select()).one()
    assert revoked is not None
    assert ended.ended_at is not None
    assert ended.sealed_token == ""
    with pytest.raises(InvalidToken):
        tokens.verify("vt_" + row.token_id + "_" + "A" * 43)
    assert browser.get("/web/").status_code == 302
    engine.dispose()


def test_draft_issue_and_document_pages(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    draft_id = _draft_via_form(web, browser, "đề nghị báo cáo tình hình thực hiện")
    page = browser.get(f"/web/drafts/{draft_id}")
    assert "Ban hành và cấp số" in page.text
    image = browser.get(f"/web/drafts/{draft_id}/page-1.png")
    assert image.status_code == 200
    assert image.data[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = browser.get(f"/web/drafts/{draft_id}/document.pdf")
    assert pdf.data[:5] == b"%PDF-"
    document_id = _issue(browser, draft_id)
    shown = browser.get(f"/web/documents/{document_id}?issued=1")
    assert shown.status_code == 200
    assert "Số: 01/UBND-VP" in shown.text, shown.text[shown.text.find("<main") :]
    assert "đề nghị báo cáo tình hình thực hiện" in shown.text
    listed = browser.get("/web/documents")
    assert "01/UBND-VP" in listed.text
    register = browser.get("/web/registers/out")
    assert register.status_code == 200
    assert "01/UBND-VP" in register.text
    assert "print.pdf" in register.text
    printed = browser.get(f"/web/registers/out/{_register_id(register.text)}/print.pdf")
    assert printed.status_code == 200
    assert printed.data[:5] == b"%PDF-"
    # the audit log has who, what, when and from where
    engine = make_engine(web.stack.config("intake").database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT action, username, token_id, target_id, outcome, ip, user_agent "
                "FROM intake_audit_log ORDER BY at"
            )
        ).all()
    engine.dispose()
    actions = [r.action for r in rows]
    assert actions[:2] == ["web.login", "web.draft.create"]
    assert {"web.draft.download", "web.document.issue", "web.register.print"} <= set(actions)
    issue = next(r for r in rows if r.action == "web.document.issue")
    assert issue.username == "van.thu"
    assert issue.target_id == document_id
    assert issue.token_id
    assert issue.ip == "127.0.0.1"
    assert issue.user_agent


def _register_id(html: str) -> str:
    marker = "/web/registers/out/"
    start = html.index(marker) + len(marker)
    return html[start:].split("/", 1)[0]


def test_form_renders_every_template_and_adds_and_removes_rows(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    listing = browser.get("/web/templates")
    ids = sorted({part.split('"')[0] for part in listing.text.split('href="/web/templates/')[1:]})
    assert "cong-van" in ids
    assert len(ids) >= 10
    for template_id in ids:
        page = browser.get(f"/web/templates/{template_id}")
        assert page.status_code == 200, template_id
        assert 'name="data.' in page.text, template_id
    page = browser.get("/web/templates/cong-van")
    fields = form_fields(page.text, "/web/templates/cong-van")
    count = dict(fields)["data.recipients#n"]
    added = browser.post(
        "/web/templates/cong-van", data=MultiDict([*fields, ("op", "add:data.recipients")])
    )
    assert added.status_code == 200
    assert f'name="data.recipients.{count}"' in added.text
    fields = form_fields(added.text, "/web/templates/cong-van")
    removed = browser.post(
        "/web/templates/cong-van", data=MultiDict([*fields, ("op", "del:data.recipients:0")])
    )
    second = dict(fields)["data.recipients.1"]
    assert f'name="data.recipients.0" value="{second}"' in removed.text
    assert web.count("docgen", "docgen_drafts") == 0  # rows are edited without a draft
    # A list of objects (rows of a form) can grow too.
    page = browser.get("/web/templates/mau-03a-tt")
    fields = form_fields(page.text, "/web/templates/mau-03a-tt")
    lists = [n[: -len("#n")] for n, _ in fields if n.endswith("#n")]
    assert lists
    grown = browser.post(
        "/web/templates/mau-03a-tt", data=MultiDict([*fields, ("op", f"add:{lists[0]}")])
    )
    assert grown.status_code == 200


def test_validation_errors_come_back_on_the_form(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    page = browser.get("/web/templates/cong-van")
    fields = [
        (n, "" if n == "data.subject" else v)
        for n, v in form_fields(page.text, "/web/templates/cong-van")
    ]
    refused = browser.post("/web/templates/cong-van", data=MultiDict(fields))
    assert refused.status_code == 422
    assert "Chưa tạo được bản dự thảo" in refused.text
    assert "Trích yếu" in refused.text
    assert web.count("docgen", "docgen_drafts") == 0


def test_html_in_a_field_is_shown_escaped(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    draft_id = _draft_via_form(web, browser, evil)
    document_id = _issue(browser, draft_id)
    for path in (f"/web/documents/{document_id}", "/web/documents", "/web/registers/out"):
        page = browser.get(path)
        assert page.status_code == 200
        assert "<script>alert" not in page.text, path
        assert "<img src=x" not in page.text, path
    shown = browser.get(f"/web/documents/{document_id}").text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in shown
    # Reflected input: a search query and a bad id are echoed escaped, if at all.
    reflected = browser.get("/web/archive?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in reflected.text
    bad = browser.get("/web/drafts/%3Cb%3Ex%3C%2Fb%3E")
    assert bad.status_code == 404
    assert "<b>x</b>" not in bad.text
    next_param = browser.get('/web/login?next=/web/"><script>x</script>')
    assert "<script>x" not in next_param.text


def _incoming_row(web: Web, organ_id: str) -> str:
    row_id = new_id()
    engine = make_engine(web.stack.config("intake").database_url)
    with engine.begin() as conn:
        conn.execute(
            incoming.insert().values(
                id=row_id,
                organ_id=organ_id,
                dedupe_key=new_id().replace("-", ""),
                sender_organ_id="000.00.00.H40",
                sender_name="UBND tỉnh",
                packet_document_id="doc-1",
                business_doc_type=0,
                code="12/UBND-VP",
                issued_on=date(2026, 1, 5),
                subject="Văn bản đến của cơ quan A",
                summary=json.dumps({"warnings": []}),
                state="registered",
                version=1,
                received_at=utcnow(),
            )
        )
    engine.dispose()
    return row_id


def test_a_body_never_sees_or_changes_another_bodys_data(web: Web) -> None:
    web.user("a.van.thu", ORGAN)
    web.user("b.van.thu", OTHER_ORGAN, ("clerk", "leader", "archivist", "admin"))
    a, b = web.browser(), web.browser()
    web.sign_in(a, "a.van.thu")
    web.sign_in(b, "b.van.thu")
    draft_id = _draft_via_form(web, a, "bí mật của cơ quan A")
    document_id = _issue(a, draft_id)
    register_id = _register_id(a.get("/web/registers/out").text)
    incoming_id = _incoming_row(web, ORGAN)
    assert "Văn bản đến của cơ quan A" in a.get("/web/incoming").text

    # Through the pages.
    for path in (
        f"/web/drafts/{draft_id}",
        f"/web/drafts/{draft_id}/document.pdf",
        f"/web/drafts/{draft_id}/page-1.png",
        f"/web/documents/{document_id}",
        f"/web/documents/{document_id}/document.pdf",
        f"/web/documents/{document_id}/signed.pdf",
        f"/web/registers/out?register={register_id}",
        f"/web/registers/out/{register_id}/print.pdf",
        f"/web/incoming/{incoming_id}",
    ):
        response = b.get(path)
        assert response.status_code in (403, 404), path
        assert "bí mật của cơ quan A" not in response.text, path
        assert "Văn bản đến của cơ quan A" not in response.text, path
    for path in (
        "/web/documents",
        "/web/registers/out",
        "/web/registers/in",
        "/web/incoming",
        "/web/",
    ):
        response = b.get(path)
        assert response.status_code == 200, path
        assert "bí mật của cơ quan A" not in response.text, path
        assert "Văn bản đến của cơ quan A" not in response.text, path
        assert "01/UBND-VP" not in response.text, path
    csrf = csrf_of(b.get("/web/").text)
    for path, data in (
        (f"/web/drafts/{draft_id}/issue", {}),
        (f"/web/incoming/{incoming_id}/accept", {}),
        (f"/web/incoming/{incoming_id}/reject", {"reason": "không"}),
        (f"/web/documents/{document_id}/signed", {}),
    ):
        response = b.post(path, data={"csrf_token": csrf, **data})
        assert response.status_code in (400, 403, 404), path
    engine = make_engine(web.stack.config("intake").database_url)
    with engine.connect() as conn:
        assert (
            conn.execute(
                text("SELECT state FROM intake_incoming WHERE id = :id"), {"id": incoming_id}
            ).scalar_one()
            == "registered"
        )
    engine.dispose()
    assert web.count("docgen", "docgen_documents") == 1

    # And through the APIs, with an API token of the other body.
    token = web.stack.token(("clerk", "leader", "archivist", "admin"), OTHER_ORGAN)
    auth = {"Authorization": f"Bearer {token}"}
    docgen, intake, archive = (web.clients[s] for s in ("docgen", "intake", "archive"))
    for client, path in (
        (docgen, f"/v1/drafts/{draft_id}"),
        (docgen, f"/v1/drafts/{draft_id}/document.pdf"),
        (docgen, f"/v1/documents/{document_id}"),
        (docgen, f"/v1/documents/{document_id}/document.pdf"),
        (docgen, f"/v1/registers/{register_id}"),
        (docgen, f"/v1/registers/{register_id}/entries"),
        (docgen, f"/v1/registers/{register_id}/print.pdf"),
        (intake, f"/v1/incoming/{incoming_id}"),
    ):
        response = client.get(path, headers=auth)
        assert response.status_code in (403, 404), path
    assert docgen.get("/v1/documents", headers=auth).json == {"documents": []}
    assert intake.get("/v1/incoming", headers=auth).json == {"incoming": []}
    assert docgen.post(f"/v1/drafts/{draft_id}/issue", headers=auth, json={}).status_code in (
        403,
        404,
    )
    assert intake.post(f"/v1/incoming/{incoming_id}/accept", headers=auth).status_code in (403, 404)
    records = archive.get("/v1/records?q=A", headers=auth)
    if records.status_code == 200:  # archive search is there
        assert (records.json or {}).get("records") == []
        assert archive.get(f"/v1/records/{new_id()}", headers=auth).status_code in (403, 404)


def test_archive_search_page_says_when_search_is_missing(web: Web) -> None:
    web.user("van.thu")
    browser = web.browser()
    web.sign_in(browser, "van.thu")
    page = browser.get("/web/archive?q=công văn")
    assert page.status_code == 200
    assert "Tìm thấy" in page.text or "chưa có" in page.text
    web.apps["intake"].extensions["vanthu.web"].urls["archive"] = "http://127.0.0.1:9"
    web.apps["intake"].extensions["vanthu.web"].transport = None  # real HTTP, nobody listening
    down = browser.get("/web/archive?q=x")
    assert down.status_code == 200
    assert "không phản hồi" in down.text


def test_audit_page_is_for_leaders_and_admins_of_the_body(web: Web) -> None:
    web.user("van.thu")
    web.user("lanh.dao", roles=("leader",))
    clerk, leader = web.browser(), web.browser()
    web.sign_in(clerk, "van.thu")
    web.sign_in(leader, "lanh.dao")
    assert clerk.get("/web/audit").status_code == 403
    page = leader.get("/web/audit")
    assert page.status_code == 200
    assert "web.login" in page.text
    assert "van.thu" in page.text


def test_guessing_a_password_is_stopped_for_a_while(web: Web) -> None:
    web.user("doan.mo")
    browser = web.browser()
    for _ in range(5):
        assert web.sign_in(browser, "doan.mo", "sai-mat-khau").status_code == 401
    stopped = web.sign_in(browser, "doan.mo")  # even the right password, for now
    assert stopped.status_code == 429
    assert "15 phút" in stopped.text
    # Another user signing in from the same office address is not held up.
    web.user("dong.nghiep")
    assert web.sign_in(web.browser(), "dong.nghiep").status_code == 302


def test_the_lockout_holds_whatever_the_case_of_the_username(web: Web) -> None:
    web.user("ratetest")
    for typed in ("ratetest", "RATETEST", "RateTest", " ratetest", "rAtEtEsT"):
        assert web.sign_in(web.browser(), typed, "sai-mat-khau").status_code == 401
    assert web.sign_in(web.browser(), "RaTeTeSt").status_code == 429  # right password, held
    assert web.sign_in(web.browser(), "ratetest").status_code == 429


def _behind_a_proxy(web: Web, **settings: object) -> FlaskClient:
    """The web pages of the same stack, made with other settings."""
    app = intake_app(web.stack.config("intake").replace(**settings))
    state = app.extensions[EXTENSION]
    state.urls, state.transport = dict(URLS), web.transport
    web.apps[f"intake {len(web.apps)}"] = app  # disposed with the others
    return app.test_client()


def _sign_in_from(client: FlaskClient, username: str, forwarded: str, password: str) -> int:
    headers = {"X-Forwarded-For": forwarded}
    page = client.get("/web/login", headers=headers)
    data = {"username": username, "password": password, "csrf_token": csrf_of(page.text)}
    return client.post("/web/login", data=data, headers=headers).status_code


def test_behind_a_trusted_proxy_the_limit_per_address_is_the_clients(web: Web) -> None:
    web.user("co.dinh")
    proxied = _behind_a_proxy(web, trusted_proxy_hops=1)
    for n in range(50):  # 50 refused sign-ins from one client address, all through the proxy
        assert _sign_in_from(proxied, f"khong.co.{n}", "203.0.113.7", "sai") == 401
    assert _sign_in_from(proxied, "co.dinh", "203.0.113.7", PASSWORD) == 429
    # Another person in the office, behind the same proxy, still signs in.
    assert _sign_in_from(proxied, "co.dinh", "203.0.113.8", PASSWORD) == 302
    rows = web.count("intake", "intake_audit_log WHERE ip = '203.0.113.7'")
    assert rows >= 50


def test_without_a_trusted_proxy_its_header_is_not_believed(web: Web) -> None:
    direct = _behind_a_proxy(web, trusted_proxy_hops=0)
    assert _sign_in_from(direct, "ai.do", "203.0.113.9", "sai") == 401
    assert web.count("intake", "intake_audit_log WHERE ip = '203.0.113.9'") == 0


def test_the_session_cookie_is_secure_when_the_pages_are_served_over_https(web: Web) -> None:
    web.user("an.toan")
    plain = web.browser()
    assert "Secure" not in _session_cookie(plain, web)
    tls = _behind_a_proxy(web, public_url="https://vanthu.example.gov.vn")
    assert "Secure" in _session_cookie(tls, web)


def _session_cookie(client: FlaskClient, web: Web) -> str:
    page = client.get("/web/login")
    reply = client.post(
        "/web/login",
        data={"username": "an.toan", "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert reply.status_code == 302
    return ";".join(reply.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("target", ["/web/x\r\nSet-Cookie: a=b", "/web/\nx", "/web/\x00"])
def test_a_next_page_with_control_characters_is_not_followed(web: Web, target: str) -> None:
    web.user("theo.sau")
    browser = web.browser()
    assert browser.get("/web/login", query_string={"next": target}).status_code == 200
    page = browser.get("/web/login")
    reply = browser.post(
        "/web/login",
        data={
            "username": "theo.sau",
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_of(page.text),
        },
    )
    assert reply.status_code == 302
    assert reply.headers["Location"].endswith("/web/")


def test_csrf_refusals_and_held_sign_ins_are_audited(web: Web) -> None:
    web.user("kiem.tra")
    browser = web.browser()
    browser.get("/web/login")
    forged = browser.post("/web/login", data={"username": "Kiem.Tra", "password": PASSWORD})
    assert forged.status_code == 400
    web.sign_in(browser, "kiem.tra")
    assert browser.post("/web/logout", data={}).status_code == 400  # signed in, no token
    for _ in range(5):
        web.sign_in(web.browser(), "kiem.tra", "sai-mat-khau")
    assert web.sign_in(web.browser(), "kiem.tra").status_code == 429
    rows = web.count("intake", "intake_audit_log WHERE action LIKE 'web.csrf %'")
    assert rows == 2
    named = web.count(
        "intake", "intake_audit_log WHERE action = 'web.csrf /web/login' AND username = 'kiem.tra'"
    )
    assert named == 1  # the username tried, as authentication would read it
    held = "intake_audit_log WHERE action = 'web.login' AND outcome = 'throttled'"
    assert web.count("intake", held) == 1


def test_an_unverified_signature_is_explained_on_the_page(web: Web) -> None:
    web.user("ky.so", roles=("clerk", "leader"))
    browser = web.browser()
    web.sign_in(browser, "ky.so")
    document_id = _issue(browser, _draft_via_form(web, browser, "Về việc ký số"))
    issued = browser.get(f"/web/documents/{document_id}/document.pdf").data
    page = browser.get(f"/web/documents/{document_id}")
    token = csrf_of(page.text)
    uploaded = browser.post(
        f"/web/documents/{document_id}/signed",
        data={"csrf_token": token, "file": (io.BytesIO(sign_pdf(issued)), "ky.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 200, uploaded.text
    assert "chưa xác minh" in uploaded.text  # no trust roots in this stack: said, and why
    assert "chứng thư gốc tin cậy" in uploaded.text
