import struct

import msgspec
import pytest

from ai.notebook import build_mindmap, render_pdf, render_png, to_json

LESSON = """\
# Python Lists

Lists are **mutable** sequences written with `[]`.

## Creating Lists
- Using square brackets
- Using the `list()` constructor
  - from any iterable

```python
nums = [1, 2, 3]
```

## List Methods
1. append adds one item
2. pop removes the last item

### Sorting
Use **sorted** for a copy.
"""


def labels(nodes):
    return [n.label for n in nodes]


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_headings_become_the_topic_and_sections():
    mindmap = build_mindmap(LESSON, "", "hierarchical")
    assert mindmap.central_topic == "Python Lists"
    sections = [n for n in mindmap.nodes if n.kind == "section"]
    assert labels(sections) == ["Creating Lists", "List Methods"]
    methods = sections[1]
    assert labels(methods.children)[:2] == ["append adds one item", "pop removes the last item"]
    assert methods.children[2].label == "Sorting"


def test_lists_nest_code_blocks_and_terms_are_nodes():
    mindmap = build_mindmap(LESSON, "", "tree")
    creating = next(n for n in mindmap.nodes if n.label == "Creating Lists")
    constructor = creating.children[1]
    assert constructor.label == "Using the list() constructor"
    assert labels(constructor.children) == ["from any iterable"]
    code = next(n for n in creating.children if n.kind == "code")
    assert code.label == "Code (python): nums = [1, 2, 3]"
    terms = [n.label for n in mindmap.nodes if n.kind == "term"]
    assert terms == ["mutable", "[]"]


def test_title_names_the_centre_when_given():
    assert build_mindmap(LESSON, "Lists 101", "radial").central_topic == "Lists 101"


def test_plain_text_without_structure_still_gives_a_map():
    mindmap = build_mindmap("Just a note about `zip` and **enumerate**.", "Note", "radial")
    assert mindmap.central_topic == "Note"
    assert labels(mindmap.nodes) == ["zip", "enumerate"]


def test_unknown_style_is_rejected():
    with pytest.raises(ValueError):
        build_mindmap(LESSON, "", "spiral")


def test_json_matches_the_design_structure():
    document = msgspec.json.decode(to_json(build_mindmap(LESSON, "", "hierarchical")))
    root = document["structure"]["root"]
    assert document["type"] == "mindmap"
    assert root["text"] == "Python Lists"
    creating = next(c for c in root["children"] if c["text"] == "Creating Lists")
    leaf = creating["children"][0]
    assert leaf == {"text": "Using square brackets", "kind": "item"}


@pytest.mark.parametrize("style", ["hierarchical", "radial", "tree"])
def test_png_and_pdf_are_real_drawings(style):
    mindmap = build_mindmap(LESSON, "", style)
    width, height = png_size(render_png(mindmap, style))
    assert width >= 800 and height >= 600
    pdf = render_pdf(mindmap, style)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-32:]


def test_layouts_differ_by_style():
    mindmap = build_mindmap(LESSON, "", "hierarchical")
    images = {style: render_png(mindmap, style) for style in ("hierarchical", "radial", "tree")}
    assert len(set(images.values())) == 3
    sizes = {style: png_size(data) for style, data in images.items()}
    assert len(set(sizes.values())) >= 2
