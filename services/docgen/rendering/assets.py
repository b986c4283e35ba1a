"""What a PDF render may load: the project's own assets, held in memory, nothing else.

WeasyPrint fetches every URL a document or stylesheet names (images, fonts,
stylesheets) with its URL fetcher; the default one follows http(s), file://
and data: URLs. User text is escaped before it reaches the HTML, so a
``<img src="http://…">`` in a field stays text; this is the second wall, for a
template that would ever let one through. Only the exact URLs registered here
resolve, to bytes already in memory: no network, no file system, no redirects.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SCHEME = "vanthu-asset"


class RefusedURL(ValueError):
    """A render asked for a resource that is not one of the project's assets."""


@dataclass(frozen=True)
class Asset:
    data: bytes
    media_type: str


@dataclass
class AssetResolver:
    """Exact-match table of ``vanthu-asset:`` URLs; records what it refused."""

    assets: Mapping[str, Asset]
    refused: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @staticmethod
    def url(name: str) -> str:
        return f"{SCHEME}:{name}"

    def resolve(self, url: str) -> Asset:
        asset = self.assets.get(url)
        if asset is None:
            with self._lock:
                self.refused.append(url[:200])
            raise RefusedURL(f"resource not allowed in a rendered document: {url[:200]!r}")
        return asset


def weasyprint_fetcher(resolver: AssetResolver) -> Any:
    """A WeasyPrint URL fetcher that only serves ``resolver``'s assets.

    Built on demand so that importing this module does not import WeasyPrint.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415

    class AssetFetcher(URLFetcher):
        def __init__(self) -> None:
            # No protocol at all for the inherited opener: fetch() below never uses it.
            super().__init__(allowed_protocols=(), allow_redirects=False)

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
            asset = resolver.resolve(url)
            return URLFetcherResponse(url, asset.data, {"Content-Type": asset.media_type})

    return AssetFetcher()
