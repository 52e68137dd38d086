"""Notebook assistant: mind maps (JSON, PNG, PDF) and summaries, offline or model-backed."""

from ai.notebook.mindmap import STYLES, MindMap, Node, build_mindmap, to_json, to_structure
from ai.notebook.model_backed import build_mindmap_with_model, summarize_with_model
from ai.notebook.render import render_pdf, render_png
from ai.notebook.summary import FORMATS, LENGTHS, Summary, count_words, summarize

__all__ = [
    "FORMATS",
    "LENGTHS",
    "STYLES",
    "MindMap",
    "Node",
    "Summary",
    "build_mindmap",
    "build_mindmap_with_model",
    "count_words",
    "render_pdf",
    "render_png",
    "summarize",
    "summarize_with_model",
    "to_json",
    "to_structure",
]
