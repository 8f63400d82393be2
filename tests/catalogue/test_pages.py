from __future__ import annotations

from fastapi.testclient import TestClient


def test_home_redirects_to_the_language_the_browser_prefers(client: TestClient) -> None:
    response = client.get(
        "/", headers={"Accept-Language": "pt-PT,pt;q=0.9"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/pt/"


def test_start_page_asks_what_is_happening_in_your_life(client: TestClient) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert "What is happening in your life?" in response.text


def test_unknown_language_is_a_clear_404_page(client: TestClient) -> None:
    response = client.get("/fr/")
    assert response.status_code == 404
    assert "This site has no pages in &#39;fr&#39;." in response.text


def test_search_forgives_a_swapped_letter(client: TestClient) -> None:
    response = client.get("/en/search", params={"q": "birht"})
    assert response.status_code == 200
    assert "/en/services/register-a-birth" in response.text
