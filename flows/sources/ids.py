"""Stable ids: an article's id is derived from its canonical URL (or its content), so a re-run
or a second feed listing the same link finds the same article."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$", re.I)


def digest(*parts: str | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update((part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, no fragment, no tracking parameters, no default port.
    A link that does not parse (an unbalanced "[" in the host, a port out of range) is kept as
    written: it still identifies its entry, and fetching it fails with a recorded error."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def url_id(url: str) -> str:
    return digest(canonical_url(url))
