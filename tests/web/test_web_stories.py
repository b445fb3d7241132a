"""Stories in the web UI: /stories, /stories/ID (outlets side by side) and /api/stories, escaped."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import HOSTILE_OUTLET, STORY_ID, XSS, XSS_IMG

A1, A2, A4 = (f"{n:020x}" for n in (1, 2, 4))


def test_api_lists_stories_and_filters_by_article(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    assert [s["id"] for s in stories] == [STORY_ID]
    assert stories[0]["members"] == [A1, A2, A4] and stories[0]["languages"] == ["de", "en"]
    assert client.get("/api/stories", params={"article": A2}).json()[0]["id"] == STORY_ID
    assert client.get("/api/stories", params={"article": f"{3:020x}"}).json() == []


def test_api_story_compares_outlets(client: TestClient) -> None:
    body = client.get(f"/api/stories/{STORY_ID}").json()
    assert [a["id"] for a in body["articles"]] == [A1, A2, A4]
    columns = {c["outlet"]: c for c in body["outlets"]}
    assert list(columns) == ["Abendpost", "Pacific Observer", HOSTILE_OUTLET]  # by first date
    abend, pacific = columns["Abendpost"], columns["Pacific Observer"]
    assert abend["actors_linked"] and pacific["actors_linked"]
    names = {f["name"]: f for f in abend["actors"]}
    assert "Wladimir Putin" in names or any("Putin" in n for n in names)
    # Russia is featured by the Abendpost only; Putin by every outlet
    own = [f["name"] for f in abend["actors"] if not f["shared"]]
    assert any("Russ" in n for n in own), abend["actors"]
    assert [q["speaker"] for q in pacific["quotes"]] == ["Xi", "Jones"]
    assert client.get("/api/stories/story-missing").status_code == 404


def test_story_pages_are_linked_and_escaped(client: TestClient) -> None:
    assert '<a href="/stories">Stories</a>' in client.get("/").text
    listing = client.get("/stories")
    assert listing.status_code == 200 and f"/stories/{STORY_ID}" in listing.text
    assert XSS not in listing.text and "&lt;script&gt;" in listing.text
    page = client.get(f"/stories/{STORY_ID}")
    assert page.status_code == 200
    html = page.text
    assert 'id="story-compare"' in html and "Pacific Observer" in html and "Abendpost" in html
    assert "the deal favours China" in html
    assert XSS not in html and XSS_IMG not in html and "&lt;img src=x" in html
    assert client.get("/stories/story-missing").status_code == 404
