"""The unit's sensitive-term list: from a text file (one term a line, # comments) or the server."""

from __future__ import annotations

import json

from baomi.scanner.extractors.text import detect


def parse_terms(data: bytes) -> list[str]:
    encoding, bom = detect(data[:65536])
    text = data[bom:].decode(encoding or "utf-8", "replace")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_terms(path: str) -> list[str]:
    with open(path, "rb") as f:
        return parse_terms(f.read())


def fetch_terms(url: str, token: str = "", timeout: float = 60) -> list[str]:
    """GET the list: JSON (a list of strings, {"terms": [...]}, or {"items": [{"term": …}]})
    or plain text, one term a line."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    import urllib.request  # only when the network is used: start-up

    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data = response.read()
        kind = response.headers.get_content_type()
    if kind != "application/json":
        return parse_terms(data)
    body = json.loads(data)
    if isinstance(body, dict):
        body = body.get("terms", body.get("items", []))
    return [item["term"] if isinstance(item, dict) else str(item) for item in body]
