import json
import struct
import uuid

import pytest

from ai.notebook import count_words
from commands.content import LessonFields, TopicFields
from tests.integration.ai_api.lesson_text import lesson_markdown
from tests.integration.submissions.conftest import ADMIN, auth, token_for

pytestmark = pytest.mark.integration
TARGETS = {"brief": 200, "standard": 500, "detailed": 1000}


@pytest.fixture(scope="session")
def lesson_id(container):
    suffix = uuid.uuid4().hex[:8]
    topic = container.content.create_topic(ADMIN, TopicFields(f"Lists {suffix}", f"lists-{suffix}"))
    fields = LessonFields(topic.id, "Python Lists", f"python-lists-{suffix}", lesson_markdown())
    lesson = container.content.create_lesson(ADMIN, fields)
    container.content.approve(ADMIN, "lesson", lesson.id)
    return lesson.id


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def texts(node):
    yield node["text"]
    for child in node.get("children", []):
        yield from texts(child)


@pytest.mark.parametrize("style", ["hierarchical", "radial", "tree"])
def test_a_lesson_mind_map_exports_open_as_png_pdf_and_json(client, app, lesson_id, style):
    _, token = token_for(app)
    res = client.post(
        "/v1/ai/notebook/mindmap",
        json={"source_type": "lesson", "source_id": str(lesson_id), "style": style},
        headers=auth(token),
    )
    assert res.status_code == 200, res.text
    data = res.json()["data"]
    assert data["type"] == "mindmap" and data["style"] == style
    root = data["structure"]["root"]
    assert root["text"] == "Python Lists"
    labels = set(texts(root))
    assert {"Creating Lists", "List Methods", "Common Mistakes", "append"} <= labels
    urls = data["export_urls"]
    png = client.get(urls["png"], headers=auth(token))
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    width, height = png_size(png.content)
    assert width >= 800 and height >= 600
    pdf = client.get(urls["pdf"], headers=auth(token))
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert pdf.content.rstrip().endswith(b"%%EOF")
    exported = json.loads(client.get(urls["json"], headers=auth(token)).content)
    assert exported["structure"] == data["structure"]


def test_exports_are_served_to_their_owner_only(client, app):
    _, owner = token_for(app)
    _, other = token_for(app)
    _, admin = token_for(app, "admin")
    res = client.post(
        "/v1/ai/notebook/mindmap",
        json={"content_type": "custom", "custom_text": "# Graphs\n- BFS\n- DFS\n"},
        headers=auth(owner),
    )
    assert res.status_code == 200, res.text
    url = res.json()["data"]["export_urls"]["png"]
    assert client.get(url, headers=auth(owner)).status_code == 200
    assert client.get(url, headers=auth(other)).status_code == 404
    assert client.get(url, headers=auth(admin)).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get(f"/v1/ai/exports/{uuid.uuid4()}.png", headers=auth(owner)).status_code == 404
    assert client.get("/v1/ai/exports/passwd.png", headers=auth(owner)).status_code == 404
    assert client.get(url.replace(".png", ".exe"), headers=auth(owner)).status_code == 404


def test_mind_maps_from_a_problem_and_a_note(client, app, sum_list_problem):
    _, token = token_for(app)
    res = client.post("/v1/ai/notebook/mindmap", json={"source_type": "problem",
                      "source_id": str(sum_list_problem)}, headers=auth(token))  # fmt: skip
    assert res.status_code == 200, res.text
    assert res.json()["data"]["structure"]["root"]["text"].startswith("Problem ")
    note = client.post(
        "/v1/ai/notebook/notes",
        json={
            "title": "Heaps",
            "content_markdown": "# Heaps\n## Push\n- sift up\n## Pop\n- sift down\n",
        },
        headers=auth(token),
    )
    assert note.status_code == 201, note.text
    note_id = note.json()["data"]["id"]
    res = client.post("/v1/ai/notebook/mindmap", json={"source_type": "note", "source_id": note_id},
                      headers=auth(token))  # fmt: skip
    assert res.status_code == 200, res.text
    assert {"Push", "Pop", "sift up"} <= set(texts(res.json()["data"]["structure"]["root"]))
    _, other = token_for(app)
    stolen = client.post("/v1/ai/notebook/mindmap", json={"source_type": "note",
                         "source_id": note_id}, headers=auth(other))  # fmt: skip
    assert stolen.status_code == 404


@pytest.mark.parametrize("length", ["brief", "standard", "detailed"])
@pytest.mark.parametrize("fmt", ["bullets", "paragraphs", "outline"])
def test_a_summary_of_each_length_has_the_promised_word_count(client, app, lesson_id, length, fmt):
    _, token = token_for(app)
    res = client.post(
        "/v1/ai/notebook/summary",
        json={
            "source_type": "lesson",
            "source_id": str(lesson_id),
            "length": length,
            "format": fmt,
        },
        headers=auth(token),
    )
    assert res.status_code == 200, res.text
    data = res.json()["data"]
    target = TARGETS[length]
    assert data["word_count"] == count_words(data["summary_text"])
    assert 0.9 * target <= data["word_count"] <= target
    assert data["type"] == "summary" and data["format"] == fmt and data["length"] == length
    marker = {"bullets": "- ", "paragraphs": "\n\n", "outline": "1. "}[fmt]
    assert marker in data["summary_text"]


def test_a_summary_is_capped_by_a_short_source(client, app):
    _, token = token_for(app)
    text = "Binary search halves the range each step. It needs sorted input to work correctly."
    body = {"content_type": "custom", "custom_text": text, "summary_length": "detailed"}
    res = client.post(
        "/v1/ai/notebook/summary", json={**body, "format": "paragraphs"}, headers=auth(token)
    )
    assert res.status_code == 200, res.text
    assert 0 < res.json()["data"]["word_count"] <= count_words(text)


def test_generated_content_is_listed_for_its_owner(client, app):
    _, token = token_for(app)
    _, other = token_for(app)
    for kind in ("mindmap", "summary"):
        text = "# Sorting\nQuick sort partitions the list around a pivot value."
        body = {"source_type": "custom", "text": text}
        res = client.post(f"/v1/ai/notebook/{kind}", json=body, headers=auth(token))
        assert res.status_code == 200, res.text
    listed = client.get("/v1/ai/notebook", headers=auth(token)).json()
    assert [i["content_type"] for i in listed["data"]] == ["summary", "mindmap"]
    assert listed["meta"]["total"] == 2
    only = client.get("/v1/ai/notebook?type=mindmap", headers=auth(token)).json()["data"]
    assert [i["content_type"] for i in only] == ["mindmap"]
    assert client.get("/v1/ai/notebook", headers=auth(other)).json()["data"] == []


def test_notebook_input_is_validated(client, app):
    _, token = token_for(app)
    cases = [
        {"source_type": "custom"},
        {"source_type": "lesson"},
        {"source_type": "custom", "text": "x", "style": "spiral"},
        {"source_type": "video", "text": "x"},
        {"source_type": "custom", "text": "x", "colour": "red"},
        {},
    ]
    for body in cases:
        res = client.post("/v1/ai/notebook/mindmap", json=body, headers=auth(token))
        assert res.status_code in (400, 422), (body, res.text)
        assert res.json()["success"] is False
    missing = {"source_type": "lesson", "source_id": str(uuid.uuid4())}
    assert (
        client.post("/v1/ai/notebook/summary", json=missing, headers=auth(token)).status_code == 404
    )
