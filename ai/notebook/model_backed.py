"""Model-backed mind maps and summaries: validated JSON from the chat client, offline fallback."""

from __future__ import annotations

import msgspec

from ai import prompts
from ai.notebook.mindmap import MAX_NODES, MindMap, Node, build_mindmap, check_style, clean
from ai.notebook.summary import Summary, check_options, count_words, summarize
from ai.openai_client import AIUnavailableError, ChatClient

MAX_SOURCE_CHARS = 12000
MAX_DEPTH = 4
_KINDS = {"section", "item", "code", "term"}


class _ModelNode(msgspec.Struct):
    label: str
    kind: str = "item"
    children: list[_ModelNode] = []


class _ModelMindMap(msgspec.Struct):
    central_topic: str
    nodes: list[_ModelNode]


class _ModelSummary(msgspec.Struct):
    summary: str
    key_points: list[str] = []


def build_mindmap_with_model(
    chat: ChatClient, source_markdown: str, title: str, style: str
) -> MindMap:
    """The model's map when it answers with a valid one, otherwise the offline map."""
    style = check_style(style)
    user = prompts.MINDMAP_USER.format(
        title=title, style=style, source=source_markdown[:MAX_SOURCE_CHARS]
    )
    try:
        raw = msgspec.json.decode(
            chat.complete_json(prompts.MINDMAP_SYSTEM, user), type=_ModelMindMap
        )
    except (AIUnavailableError, msgspec.DecodeError, msgspec.ValidationError):
        return build_mindmap(source_markdown, title, style)
    budget = [MAX_NODES]
    nodes = _nodes(raw.nodes, 1, budget)
    if not nodes or not clean(raw.central_topic):
        return build_mindmap(source_markdown, title, style)
    return MindMap(clean(title) or clean(raw.central_topic), nodes, style)


def _nodes(items: list[_ModelNode], depth: int, budget: list[int]) -> list[Node]:
    kept = []
    for item in items:
        label = clean(item.label)
        if not label or budget[0] <= 0:
            continue
        budget[0] -= 1
        children = _nodes(item.children, depth + 1, budget) if depth < MAX_DEPTH else []
        kept.append(Node(label, children, item.kind if item.kind in _KINDS else "item"))
    return kept


def summarize_with_model(chat: ChatClient, text: str, length: str, fmt: str) -> Summary:
    """The model's summary when valid and within the length, otherwise the extractive one."""
    target, fmt = check_options(length, fmt)
    system = prompts.SUMMARY_SYSTEM.format(words=target, fmt=fmt)
    user = prompts.SUMMARY_USER.format(source=text[:MAX_SOURCE_CHARS])
    try:
        raw = msgspec.json.decode(chat.complete_json(system, user), type=_ModelSummary)
    except (AIUnavailableError, msgspec.DecodeError, msgspec.ValidationError):
        return summarize(text, length, fmt)
    words = count_words(raw.summary)
    if words == 0 or words > target * 1.2:
        return summarize(text, length, fmt)
    points = [p.strip() for p in raw.key_points if p.strip()][:5]
    return Summary(raw.summary.strip(), count_words(raw.summary.strip()), points)
