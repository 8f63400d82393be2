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


def limited_app(max_bytes: int) -> BodySizeLimit:
    return BodySizeLimit(Starlette(routes=[Route("/", echo_length, methods=["POST"])]), max_bytes)


def test_a_request_larger_than_the_limit_gets_a_413_in_the_json_shape(client: TestClient) -> None:
    response = client.post("/api/v1/health", content=b"x" * 2_000_000)
    assert response.status_code == 413
    body = response.json()
    assert body["ok"] is False
    assert body["status"] == 413


def test_a_streamed_body_without_a_declared_length_is_cut_off_at_the_limit() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b"x" * 1_000

    with TestClient(limited_app(10_000)) as client:
        response = client.post("/", content=chunks())
    assert response.status_code == 413


def test_a_body_within_the_limit_reaches_the_application() -> None:
    with TestClient(limited_app(10_000)) as client:
        response = client.post("/", content=b"x" * 9_000)
    assert response.text == "9000"
