"""The văn thư's web pages, served by intake under ``/web``.

Server-rendered (Flask + Jinja, autoescaped), in Vietnamese, no script. A
backend-for-frontend: signing in mints a short-lived API token for the user's body
and roles, kept server-side with the session; every page calls docgen, intake and
archive over HTTP with it. See ``views`` for the pages and ``session`` for the
cookie, the CSRF token and the session store.
"""

from services.intake.web.setup import install

__all__ = ["install"]
