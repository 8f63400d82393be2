from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from civitas.web.rendering import Site, negotiate_language

SITE = Site(name={"en": "S"}, languages=("en", "pt"), primary_colour="#000", accent_colour="#ff0")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.5", "pt"),
        ("en-GB,en;q=0.9,pt;q=0.8", "en"),
        ("fr-FR,fr;q=0.9", "en"),
        ("fr;q=0.9,pt;q=0.4,en;q=0.3", "pt"),
        ("", "en"),
        ("pt;q=abc,en", "en"),
    ],
)
def test_the_best_site_language_is_chosen_from_accept_language(header: str, expected: str) -> None:
    assert negotiate_language(header, SITE) == expected


def test_api_errors_speak_the_language_the_client_asked_for(client: TestClient) -> None:
    body = client.get("/api/v1/services/no-such-service", params={"lang": "pt"}).json()
    english = client.get("/api/v1/services/no-such-service").json()
    assert body["status"] == 404
    assert body["error"] != english["error"]
