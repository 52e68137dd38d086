"""A long lesson in markdown (about 1,600 words) for mind maps and summaries of every length."""

from __future__ import annotations

TOPICS = [
    (
        "Creating Lists",
        [
            "square brackets",
            "the list constructor",
            "list comprehensions",
            "repetition with an asterisk",
            "slicing an existing list",
        ],
    ),
    ("List Methods", ["append", "extend", "insert", "remove", "pop", "sort", "reverse"]),
    ("Iteration", ["for loops", "enumerate", "zip", "reversed", "sorted copies"]),
    (
        "Performance",
        [
            "amortised appends",
            "costly inserts at the front",
            "membership tests",
            "deque for queues",
            "preallocation",
        ],
    ),
    (
        "Common Mistakes",
        [
            "aliasing",
            "mutable defaults",
            "modifying while iterating",
            "off by one slices",
            "shallow copies",
        ],
    ),
]
TEMPLATES = [
    "Learners who study {item} discover that {topic} in Python rewards careful reading.",
    "A short example with {item} shows how {topic} behaves when the input grows large.",
    "Experienced programmers reach for {item} because it keeps {topic} code readable.",
    "Tests that exercise {item} catch surprising edge cases hidden inside {topic} work.",
    "Remember that {item} interacts with memory, so {topic} choices affect speed too.",
    "Interview questions often probe {item} to check real understanding of {topic}.",
]


def lesson_markdown() -> str:
    blocks = ["# Python Lists", "Lists are ordered, mutable collections of **items**."]
    for topic, items in TOPICS:
        blocks.append(f"## {topic}")
        blocks.extend(f"- {item}" for item in items)
        for item in items:
            sentences = [t.format(item=item, topic=topic.lower()) for t in TEMPLATES]
            blocks.append(" ".join(sentences))
        blocks.append("```python\nnums = [1, 2, 3]\nnums.append(4)\n```")
    return "\n\n".join(blocks) + "\n"
