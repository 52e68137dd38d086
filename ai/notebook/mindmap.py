"""Mind maps from lesson markdown: headings, list items, code blocks and key terms become nodes."""

from __future__ import annotations

import re

import msgspec

STYLES = ("hierarchical", "radial", "tree")
MAX_LABEL = 60
MAX_NODES = 200
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)\s*([\w+#-]*)")
_TERM = re.compile(r"\*\*(.+?)\*\*|__(.+?)__|`([^`\n]+)`")
_INLINE = re.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")


class Node(msgspec.Struct):
    """A mind map node; kind is section, item, code or term."""

    label: str
    children: list[Node] = []
    kind: str = "section"


class MindMap(msgspec.Struct):
    """A central topic with nested nodes, drawn in one of STYLES."""

    central_topic: str
    nodes: list[Node]
    style: str = "hierarchical"

    def count(self) -> int:
        return _count(self.nodes)


def _count(nodes: list[Node]) -> int:
    return sum(1 + _count(node.children) for node in nodes)


def clean(text: str) -> str:
    """Inline markdown removed, whitespace collapsed and the label capped in length."""
    text = _INLINE.sub(lambda m: m.group(1) or "", text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def check_style(style: str) -> str:
    """The style, defaulting to hierarchical.

    Raises:
        ValueError: the style is not one of STYLES.
    """
    style = (style or "hierarchical").lower()
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}")
    return style


class _Builder:
    """Reads markdown line by line, keeping a stack of open headings and list items."""

    def __init__(self, root: Node) -> None:
        self.root = root
        self.headings: list[tuple[int, Node]] = [(0, root)]
        self.items: list[tuple[int, Node]] = []
        self.terms: set[str] = set()
        self.nodes = 0

    @property
    def section(self) -> Node:
        return self.headings[-1][1]

    def add(self, parent: Node, label: str, kind: str) -> Node | None:
        if not label or self.nodes >= MAX_NODES:
            return None
        node = Node(label, [], kind)
        parent.children.append(node)
        self.nodes += 1
        return node

    def heading(self, level: int, text: str) -> None:
        while len(self.headings) > 1 and self.headings[-1][0] >= level:
            self.headings.pop()
        self.items = []
        node = self.add(self.section, clean(text), "section")
        if node:
            self.headings.append((level, node))

    def list_item(self, indent: int, text: str) -> None:
        while self.items and self.items[-1][0] >= indent:
            self.items.pop()
        parent = self.items[-1][1] if self.items else self.section
        node = self.add(parent, clean(text), "item")
        if node:
            self.items.append((indent, node))
        self.key_terms(text, node or parent, skip=clean(text))

    def code(self, language: str, first_line: str, indented: bool) -> None:
        self.items = self.items if indented else []
        parent = self.items[-1][1] if self.items else self.section
        label = f"Code ({language})" if language else "Code"
        self.add(parent, clean(f"{label}: {first_line.strip()}" if first_line else label), "code")

    def key_terms(self, text: str, parent: Node, skip: str = "") -> None:
        for match in _TERM.finditer(text):
            term = clean(next(g for g in match.groups() if g))
            if term and term not in skip and term.lower() not in self.terms:
                self.terms.add(term.lower())
                self.add(parent, term, "term")


def build_mindmap(source_markdown: str, title: str, style: str) -> MindMap:
    """Build the map; a lone top-level heading merges into the centre (named by title if given)."""
    style = check_style(style)
    root = Node(clean(title) or "Notes", [], "section")
    builder = _Builder(root)
    lines = source_markdown.splitlines()
    index = 0
    while index < len(lines):
        index = _read_line(builder, lines, index)
    central, nodes = root.label, root.children
    if len(nodes) == 1 and nodes[0].kind == "section":  # a lone top heading is the topic itself
        central = root.label if title.strip() else nodes[0].label
        nodes = nodes[0].children
    return MindMap(central, nodes, style)


def _read_line(builder: _Builder, lines: list[str], index: int) -> int:
    line = lines[index]
    fence = _FENCE.match(line)
    if fence:
        closing = (j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(fence[1]))
        end = next(closing, len(lines))
        body = [ln for ln in lines[index + 1 : end] if ln.strip()]
        builder.code(fence.group(2), body[0] if body else "", line[:1].isspace())
        return end + 1
    if heading := _HEADING.match(line):
        builder.heading(len(heading.group(1)), heading.group(2))
    elif item := _LIST_ITEM.match(line):
        builder.list_item(len(item.group(1).expandtabs(4)), item.group(2))
    elif line.strip():
        builder.items = [] if not line.startswith((" ", "\t")) else builder.items
        builder.key_terms(line, builder.section)
    return index + 1


def to_structure(mindmap: MindMap) -> dict[str, object]:
    """The design's shape {"root": {"text", "children": [...]}}; leaves have no children key."""
    root: dict[str, object] = {"text": mindmap.central_topic, "kind": "root"}
    if mindmap.nodes:
        root["children"] = [_node_dict(node) for node in mindmap.nodes]
    return {"root": root}


def _node_dict(node: Node) -> dict[str, object]:
    item: dict[str, object] = {"text": node.label, "kind": node.kind}
    if node.children:
        item["children"] = [_node_dict(child) for child in node.children]
    return item


def to_json(mindmap: MindMap) -> bytes:
    """The map as JSON bytes: type, style, central topic and the nested structure."""
    document = {
        "type": "mindmap",
        "style": mindmap.style,
        "central_topic": mindmap.central_topic,
        "structure": to_structure(mindmap),
    }
    return msgspec.json.encode(document)
