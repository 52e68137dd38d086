"""Mind map drawings with matplotlib on the Agg canvas: a layout per style, PNG and PDF bytes."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import msgspec

from ai.notebook.mindmap import MindMap, Node, check_style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 100
MIN_SIZE_IN = (8.0, 6.0)  # at DPI 100 a PNG is at least 800x600 pixels
MAX_SIZE_IN = 40.0
COLOURS = {
    "root": "#1f4e79",
    "section": "#2e75b6",
    "item": "#9dc3e6",
    "code": "#c5e0b4",
    "term": "#ffe699",
}
TEXT_COLOURS = {"root": "white", "section": "white"}


class Placed(msgspec.Struct):
    """A node flattened for drawing: its parent's index, depth, leaf span and position."""

    label: str
    kind: str
    depth: int
    parent: int
    first_leaf: float = 0.0
    leaves: int = 1
    x: float = 0.0
    y: float = 0.0


def flatten(mindmap: MindMap) -> list[Placed]:
    """Pre-order list of nodes, root first, each with the span of leaves below it."""
    placed = [Placed(mindmap.central_topic, "root", 0, -1)]
    next_leaf = _walk(mindmap.nodes, 0, 1, placed, 0.0)
    placed[0].leaves = max(1, round(next_leaf))
    return placed


def _walk(nodes: list[Node], parent: int, depth: int, placed: list[Placed], leaf: float) -> float:
    for node in nodes:
        index = len(placed)
        placed.append(Placed(node.label, node.kind, depth, parent, first_leaf=leaf))
        end = _walk(node.children, index, depth + 1, placed, leaf) if node.children else leaf + 1
        placed[index].leaves = max(1, round(end - leaf))
        leaf = end
    return leaf


def layout(placed: list[Placed], style: str) -> None:
    """Give every node x and y for the style."""
    for node in placed:
        centre = node.first_leaf + node.leaves / 2
        if style == "hierarchical":
            node.x, node.y = centre * 2.2, -node.depth * 1.6
        elif style == "tree":
            node.x, node.y = node.depth * 3.2, -centre * 0.7
        else:
            total = max(1, placed[0].leaves)
            angle = 2 * math.pi * centre / total
            node.x, node.y = node.depth * 2.6 * math.cos(angle), node.depth * 2.6 * math.sin(angle)


def _figure_size(placed: list[Placed], style: str) -> tuple[float, float]:
    leaves = placed[0].leaves
    depth = max(node.depth for node in placed) + 1
    if style == "hierarchical":
        size = (leaves * 1.7, depth * 1.6)
    elif style == "tree":
        size = (depth * 3.0, leaves * 0.45)
    else:
        side = depth * 3.2
        size = (side * 1.3, side)
    width = min(MAX_SIZE_IN, max(MIN_SIZE_IN[0], size[0]))
    return width, min(MAX_SIZE_IN, max(MIN_SIZE_IN[1], size[1]))


def draw(mindmap: MindMap, style: str) -> Figure:
    """A figure of the map drawn in the style's layout, on an Agg canvas."""
    style = check_style(style)
    placed = flatten(mindmap)
    layout(placed, style)
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: only when drawing
    from matplotlib.figure import Figure

    figure = Figure(figsize=_figure_size(placed, style), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_axes((0.02, 0.02, 0.96, 0.96))
    axes.set_axis_off()
    for node in placed[1:]:
        parent = placed[node.parent]
        axes.plot([parent.x, node.x], [parent.y, node.y], color="#7f7f7f", linewidth=1, zorder=1)
    for node in placed:
        _label(axes, node, style)
    xs, ys = [n.x for n in placed], [n.y for n in placed]
    axes.set_xlim(min(xs) - 2.0, max(xs) + 2.0)
    axes.set_ylim(min(ys) - 1.0, max(ys) + 1.0)
    return figure


def _label(axes: Axes, node: Placed, style: str) -> None:
    size = 12 if node.kind == "root" else (10 if node.kind == "section" else 8)
    align = "left" if style == "tree" and node.kind != "root" else "center"
    box = {"boxstyle": "round,pad=0.3", "fc": COLOURS.get(node.kind, "#dddddd"), "ec": "none"}
    colour = TEXT_COLOURS.get(node.kind, "black")
    axes.text(
        node.x,
        node.y,
        node.label,
        ha=align,
        va="center",
        fontsize=size,
        zorder=2,
        color=colour,
        bbox=box,
    )


def _encode(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=DPI)
    return buffer.getvalue()


def render_png(mindmap: MindMap, style: str) -> bytes:
    """PNG bytes, at least 800x600 pixels."""
    return _encode(draw(mindmap, style), "png")


def render_pdf(mindmap: MindMap, style: str) -> bytes:
    """PDF bytes of the same drawing."""
    return _encode(draw(mindmap, style), "pdf")
