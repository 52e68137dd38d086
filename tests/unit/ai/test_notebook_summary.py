import re

import pytest

from ai.notebook import LENGTHS, count_words, summarize

TOPICS = ["lists", "dictionaries", "sets", "tuples", "strings", "loops", "functions", "classes"]


def long_lesson():
    parts = []
    for topic in TOPICS:
        parts.append(f"## {topic.title()}")
        for i in range(12):
            parts.append(
                f"Python {topic} support operation number {i} which matters for beginners. "
                f"Learners practise {topic} with exercise {i} and compare results carefully. "
                f"A common mistake with {topic} is forgetting edge case {i} in real programs."
            )
            parts.append("")
    return "\n".join(parts)


def independent_count(text):
    return len(re.findall(r"\w[\w'’-]*", text))


@pytest.mark.parametrize("length", ["brief", "standard", "detailed"])
@pytest.mark.parametrize("fmt", ["bullets", "paragraphs", "outline"])
def test_word_count_is_true_and_close_to_the_target(length, fmt):
    text = long_lesson()
    result = summarize(text, length, fmt)
    target = LENGTHS[length]
    assert result.word_count == independent_count(result.summary) == count_words(result.summary)
    assert 0.8 * target <= result.word_count <= target


def test_formats_have_their_shapes():
    text = long_lesson()
    bullets = summarize(text, "brief", "bullets").summary.splitlines()
    assert bullets[0] == "Key points:" and all(line.startswith("- ") for line in bullets[1:])
    outline = summarize(text, "standard", "outline").summary.splitlines()
    assert re.match(r"^1\. \w+", outline[0])
    assert any(line.startswith("   - ") for line in outline)
    paragraphs = summarize(text, "standard", "paragraphs").summary
    assert "\n\n" in paragraphs and "- " not in paragraphs


def test_short_sources_cap_the_summary():
    text = "Lists are mutable. They keep items in order. You can append to a list."
    result = summarize(text, "detailed", "paragraphs")
    assert result.summary == text
    assert result.word_count == 14


def test_summary_is_extractive_and_skips_code():
    text = long_lesson() + "\n```python\nsecret_code_line = 1\n```\n"
    result = summarize(text, "brief", "paragraphs")
    for sentence in re.split(r"(?<=\.)\s+", result.summary.replace("\n\n", " ")):
        assert sentence in text
    assert "secret_code_line" not in result.summary


def test_key_points_come_from_the_summary():
    result = summarize(long_lesson(), "brief", "bullets")
    assert 1 <= len(result.key_points) <= 5
    assert all(point in result.summary for point in result.key_points)


def test_empty_text_gives_an_empty_summary():
    assert summarize("", "brief", "bullets").word_count == 0


def test_unknown_options_are_rejected():
    with pytest.raises(ValueError):
        summarize("text", "huge", "bullets")
    with pytest.raises(ValueError):
        summarize("text", "brief", "poem")
