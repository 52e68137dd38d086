"""Extractive summaries: sentences scored by term frequency and position, then formatted."""

from __future__ import annotations

import math
import re
from collections import Counter

import msgspec

LENGTHS = {"brief": 200, "standard": 500, "detailed": 1000}
FORMATS = ("bullets", "paragraphs", "outline")
MAX_KEY_POINTS = 5
_WORD = re.compile(r"\w[\w'’-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(`*A-Z0-9])")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_INLINE = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")
_STOPWORD_TEXT = (
    "a an and are as at be been but by can do does for from has have how if in into is it its "
    "it's more most no not of on or so such than that the their them then there these they this "
    "to was we were what when where which while who will with you your also each may use used "
    "using"
)
_STOPWORDS = set(_STOPWORD_TEXT.split())


class Summary(msgspec.Struct):
    """summary text, the true number of words in it, and its strongest sentences."""

    summary: str
    word_count: int
    key_points: list[str]


class Sentence(msgspec.Struct):
    text: str
    section: str
    position: int
    leads_paragraph: bool
    score: float = 0.0

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words are runs of letters or digits, with inner apostrophes or hyphens; markers are not."""
    return len(_WORD.findall(text))


def check_options(length: str, fmt: str) -> tuple[int, str]:
    """The word target and the format.

    Raises:
        ValueError: an unknown length or format.
    """
    if length not in LENGTHS or fmt not in FORMATS:
        raise ValueError(f"length must be one of {list(LENGTHS)}, format one of {list(FORMATS)}")
    return LENGTHS[length], fmt


def summarize(text: str, length: str, fmt: str) -> Summary:
    """About 200/500/1000 words (never more than the source has), as bullets|paragraphs|outline."""
    target, fmt = check_options(length, fmt)
    sentences = split_sentences(text)
    if not sentences:
        return Summary("", 0, [])
    score_sentences(sentences)
    budget = min(target, sum(s.words for s in sentences))
    chosen = select(sentences, budget)
    rendered = render(chosen, fmt)
    while count_words(rendered) > target and len(chosen) > 1:
        budget -= count_words(rendered) - target  # shrink by the format's overhead, then retry
        chosen = select(sentences, budget)
        rendered = render(chosen, fmt)
    strongest = sorted(chosen, key=lambda s: -s.score)[:MAX_KEY_POINTS]
    return Summary(rendered, count_words(rendered), [s.text for s in strongest])


def split_sentences(text: str) -> list[Sentence]:
    """Sentences from paragraphs and list items; headings name sections, code is skipped."""
    sentences: list[Sentence] = []
    paragraph: list[str] = []
    section, in_code = "", False

    def flush() -> None:
        joined = _clean(" ".join(paragraph))
        for i, part in enumerate(p for p in _SENTENCE_END.split(joined) if p.strip()):
            sentences.append(Sentence(part.strip(), section, len(sentences), i == 0))
        paragraph.clear()

    for line in text.splitlines():
        if line.strip().startswith(("```", "~~~")):
            flush()
            in_code = not in_code
        elif in_code:
            continue
        elif heading := _HEADING.match(line):
            flush()
            section = _clean(heading.group(1))
        elif item := _LIST_ITEM.match(line):
            flush()  # an item starts its own paragraph; indented lines below continue it
            paragraph.append(item.group(1))
        elif line.strip():
            paragraph.append(line.strip())
        else:
            flush()
    flush()
    return [s for s in sentences if s.words >= 3]


def _clean(text: str) -> str:
    return " ".join(_INLINE.sub(lambda m: m.group(1) or "", text).split())


def _terms(text: str) -> list[str]:
    words = (w.lower() for w in _WORD.findall(text))
    return [w for w in words if w not in _STOPWORDS and len(w) > 2]


def score_sentences(sentences: list[Sentence]) -> None:
    """Mean normalised term frequency, plus bonuses for leading and heading-related sentences."""
    frequency = Counter(term for s in sentences for term in _terms(s.text))
    top = max(frequency.values(), default=1)
    for s in sentences:
        terms = set(_terms(s.text))
        density = sum(frequency[t] / top for t in terms) / math.sqrt(max(1, len(terms)))
        heading = set(_terms(s.section))
        s.score = density + (0.3 if s.position == 0 else 0.0) + (0.15 if s.leads_paragraph else 0)
        s.score += 0.2 * len(terms & heading) / max(1, len(heading))
        s.score -= 0.3 if s.words < 6 else 0.0


def select(sentences: list[Sentence], target: int) -> list[Sentence]:
    """Best-scoring sentences that fit in the target, back in source order."""
    chosen, used = [], 0
    for s in sorted(sentences, key=lambda s: (-s.score, s.position)):
        if used + s.words <= target:
            chosen.append(s)
            used += s.words
    return sorted(chosen or [min(sentences, key=lambda s: s.words)], key=lambda s: s.position)


def render(chosen: list[Sentence], fmt: str) -> str:
    if fmt == "bullets":
        return "Key points:\n" + "\n".join(f"- {s.text}" for s in chosen)
    groups: dict[str, list[str]] = {}
    for s in chosen:
        groups.setdefault(s.section, []).append(s.text)
    if fmt == "paragraphs":
        return "\n\n".join(" ".join(texts) for texts in groups.values())
    blocks = []
    for number, (section, texts) in enumerate(groups.items(), start=1):
        points = "\n".join(f"   - {text}" for text in texts)
        title = _NUMBERING.sub("", section) or "Overview"
        blocks.append(f"{number}. {title}\n{points}")
    return "\n".join(blocks)
