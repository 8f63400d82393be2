from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from civitas.web import BodySizeLimit


async def echo_length(request: Request) -> PlainTextResponse:
    return PlainTextResponse(str(len(await request.body())))


def refuse(_request: Request, max_bytes: int) -> PlainTextResponse:
    return PlainTextResponse(f"over {max_bytes}", status_code=413)


def limited_app(max_bytes: int) -> BodySizeLimit:
    app = Starlette(routes=[Route("/", echo_length, methods=["POST"])])
    return BodySizeLimit(app, max_bytes, refuse)


def test_a_request_larger_than_the_limit_gets_a_413_in_the_json_shape(client: TestClient) -> None:
    response = client.post("/api/v1/health", content=b"x" * 2_000_000)
    assert response.status_code == 413
    body = response.json()
    assert body["ok"] is False
    assert body["status"] == 413
    assert body["hint"] == "Send at most 1000000 bytes."


def test_a_page_request_larger_than_the_limit_gets_a_page_in_its_language(
    client: TestClient,
) -> None:
    response = client.post("/pt/search", content=b"x" * 2_000_000)
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert 'lang="pt"' in response.text


def test_a_streamed_body_without_a_declared_length_is_cut_off_at_the_limit() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 1_000

    with TestClient(limited_app(10_000)) as client:
        response = client.post("/", content=chunks())
    assert response.status_code == 413
    assert response.text == "over 10000"


def test_a_body_within_the_limit_reaches_the_application() -> None:
    with TestClient(limited_app(10_000)) as client:
        response = client.post("/", content=b"x" * 9_000)
    assert response.text == "9000"
