"""Posting forms as a browser does: with the form token its pages carry (civitas.web.csrf)."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.testclient import TestClient
from httpx2 import Response

from civitas.web.csrf import COOKIE, FIELD


def form_token(client: TestClient) -> str:
    """This test browser's form token; a first page gives it one."""
    if COOKIE not in client.cookies:
        client.get("/")
    return client.cookies[COOKIE]


def post_form(
    client: TestClient, url: str, data: Mapping[str, str | list[str]], follow: bool = True
) -> Response:
    """Send a form the way one of our pages would, token included."""
    return client.post(url, data={FIELD: form_token(client), **data}, follow_redirects=follow)
