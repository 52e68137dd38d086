"""The demo topics: Data Structures & Algorithms with its children, Python and JavaScript."""

from __future__ import annotations

from commands.demo.model import DemoTopic

ICONS = "https://cdn.codequest.dev/topics"

TOPICS: tuple[DemoTopic, ...] = (
    DemoTopic(
        "dsa",
        "Data Structures & Algorithms",
        "How to organise data and reason about the cost of the code that uses it: arrays, "
        "hashing, linked structures, trees, graphs, searching, sorting and dynamic programming.",
        order=1,
        icon_url=f"{ICONS}/dsa.svg",
    ),
    DemoTopic(
        "arrays",
        "Arrays",
        "Contiguous memory, O(1) indexing, two pointers, sliding windows and prefix sums.",
        parent="dsa",
        order=1,
    ),
    DemoTopic(
        "hash-tables",
        "Hash Tables",
        "Maps and sets with O(1) average lookups: counting, grouping and remembering.",
        parent="dsa",
        order=2,
    ),
    DemoTopic(
        "linked-lists",
        "Linked Lists",
        "Nodes joined by pointers: traversal, reversal and the tortoise-and-hare technique.",
        parent="dsa",
        order=3,
    ),
    DemoTopic(
        "stacks-queues",
        "Stacks & Queues",
        "Last-in-first-out and first-in-first-out: matching brackets, undo, breadth-first search.",
        parent="dsa",
        order=4,
    ),
    DemoTopic(
        "trees",
        "Trees",
        "Binary trees, their depth-first and breadth-first traversals, binary search trees.",
        parent="dsa",
        order=5,
    ),
    DemoTopic(
        "graphs",
        "Graphs",
        "Grids and adjacency lists, depth-first and breadth-first search, connected components.",
        parent="dsa",
        order=6,
    ),
    DemoTopic(
        "searching-sorting",
        "Searching & Sorting",
        "Binary search on sorted data and the sorting algorithms every programmer should know.",
        parent="dsa",
        order=7,
    ),
    DemoTopic(
        "dynamic-programming",
        "Dynamic Programming",
        "Overlapping subproblems and optimal substructure: from memoised recursion to tables.",
        parent="dsa",
        order=8,
    ),
    DemoTopic(
        "python",
        "Python",
        "The Python language for problem solving: lists, dictionaries, comprehensions, functions.",
        order=2,
        icon_url=f"{ICONS}/python.svg",
    ),
    DemoTopic(
        "javascript",
        "JavaScript",
        "Modern JavaScript: values, arrays and their higher-order methods, objects, Map and Set.",
        order=3,
        icon_url=f"{ICONS}/javascript.svg",
    ),
)
