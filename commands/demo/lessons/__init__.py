"""The demo lessons: markdown beside this module, examples and exercises here."""

from __future__ import annotations

from importlib.resources import files

from commands.demo.model import DemoExample, DemoLesson


def _markdown(slug: str) -> str:
    return files(__package__).joinpath(f"{slug}.md").read_text(encoding="utf-8")


def _lesson(
    slug: str,
    title: str,
    topic: str,
    difficulty: str,
    minutes: int,
    order: int,
    examples: tuple[DemoExample, ...],
    exercises: tuple[str, ...],
) -> DemoLesson:
    return DemoLesson(
        slug, title, topic, difficulty, minutes, order, _markdown(slug), examples, exercises
    )


LESSONS: tuple[DemoLesson, ...] = (
    _lesson(
        "intro-to-arrays",
        "Introduction to Arrays",
        "arrays",
        "beginner",
        15,
        1,
        (
            DemoExample(
                "Indexing and updating",
                "scores = [90, 72, 85, 64]\nprint(scores[0], scores[-1])\nscores[2] = 88\n",
                "python",
                "Indices start at 0; negative indices count from the end. Both reads and the "
                "write take O(1).",
            ),
            DemoExample(
                "A running minimum",
                "int lowest = prices[0], best = 0;\n"
                "for (int p : prices) {\n"
                "    lowest = Math.min(lowest, p);\n"
                "    best = Math.max(best, p - lowest);\n}\n",
                "java",
                "One pass keeps the cheapest price so far and the best profit: O(n) time, "
                "O(1) space.",
            ),
        ),
        ("reverse-string", "best-time-to-buy-and-sell-stock", "two-sum"),
    ),
    _lesson(
        "two-pointers-and-prefix-sums",
        "Two Pointers and Prefix Sums",
        "arrays",
        "intermediate",
        25,
        2,
        (
            DemoExample(
                "Palindrome check with two pointers",
                "def is_palindrome(s):\n    i, j = 0, len(s) - 1\n    while i < j:\n"
                "        if s[i] != s[j]:\n            return False\n"
                "        i, j = i + 1, j - 1\n    return True\n",
                "python",
                "The pointers meet in the middle after n / 2 steps.",
            ),
            DemoExample(
                "Prefix sums in C++",
                "vector<long long> prefix(n + 1, 0);\n"
                "for (int i = 0; i < n; i++) prefix[i + 1] = prefix[i] + a[i];\n"
                "long long rangeSum = prefix[r + 1] - prefix[l];\n",
                "cpp",
                "64-bit sums avoid overflow; every range query becomes one subtraction.",
            ),
        ),
        ("range-sum-queries", "product-of-array-except-self", "trapping-rain-water"),
    ),
    _lesson(
        "hash-tables",
        "Hash Tables: Constant-Time Lookups",
        "hash-tables",
        "beginner",
        20,
        1,
        (
            DemoExample(
                "Two Sum in one pass",
                "def two_sum(nums, target):\n    seen = {}\n"
                "    for j, x in enumerate(nums):\n        if target - x in seen:\n"
                "            return [seen[target - x], j]\n        seen[x] = j\n",
                "python",
                "Each lookup is O(1) on average, so the whole search is O(n).",
            ),
            DemoExample(
                "Counting with a Map",
                "const counts = new Map();\n"
                "for (const ch of 'banana') counts.set(ch, (counts.get(ch) ?? 0) + 1);\n"
                "// Map { 'b' => 1, 'a' => 3, 'n' => 2 }\n",
                "javascript",
                "A Map keeps keys in insertion order and never converts them to strings.",
            ),
        ),
        ("two-sum", "contains-duplicate", "valid-anagram", "group-anagrams"),
    ),
    _lesson(
        "linked-lists",
        "Linked Lists and the Tortoise and the Hare",
        "linked-lists",
        "intermediate",
        20,
        1,
        (
            DemoExample(
                "Walking a list stored in arrays",
                "node = head\nwhile node != -1:\n    print(value[node])\n    node = nxt[node]\n",
                "python",
                "The memory-pool layout: node i's successor is nxt[i], and -1 ends the list.",
            ),
            DemoExample(
                "Floyd's cycle detection",
                "int slow = head, fast = head;\n"
                "while (fast != -1 && next[fast] != -1) {\n"
                "    slow = next[slow];\n    fast = next[next[fast]];\n"
                "    if (slow == fast) return true;\n}\nreturn false;\n",
                "cpp",
                "The hare gains one node per step, so inside a cycle it must meet the tortoise.",
            ),
        ),
        ("linked-list-cycle",),
    ),
    _lesson(
        "stacks-and-queues",
        "Stacks and Queues",
        "stacks-queues",
        "beginner",
        15,
        1,
        (
            DemoExample(
                "Matching brackets with a stack",
                "Deque<Character> open = new ArrayDeque<>();\n"
                "for (char c : s.toCharArray()) {\n"
                "    if (c == '(') open.push(c);\n"
                "    else if (open.isEmpty() || open.pop() != '(') return false;\n}\n"
                "return open.isEmpty();\n",
                "java",
                "The most recently opened bracket is always the one that must close next.",
            ),
            DemoExample(
                "A queue with collections.deque",
                "from collections import deque\nq = deque([1, 2])\nq.append(3)\n"
                "print(q.popleft())  # 1\n",
                "python",
                "popleft is O(1); list.pop(0) would shift every element.",
            ),
        ),
        ("valid-parentheses", "binary-tree-level-order-traversal"),
    ),
    _lesson(
        "binary-trees",
        "Binary Trees and Their Traversals",
        "trees",
        "intermediate",
        30,
        1,
        (
            DemoExample(
                "Height of a tree, recursively",
                "def height(node):\n    if node is None:\n        return 0\n"
                "    return 1 + max(height(node.left), height(node.right))\n",
                "python",
                "A postorder computation: both subtrees first, then the node. O(n) time.",
            ),
            DemoExample(
                "Level by level with a queue",
                "const levels = [];\nlet current = [root];\nwhile (current.length) {\n"
                "  levels.push(current.map((n) => n.value));\n"
                "  current = current.flatMap((n) => [n.left, n.right].filter(Boolean));\n}\n",
                "javascript",
                "Each round replaces the current level with the next one: breadth-first order.",
            ),
        ),
        ("binary-tree-level-order-traversal",),
    ),
    _lesson(
        "binary-search",
        "Binary Search",
        "searching-sorting",
        "intermediate",
        20,
        1,
        (
            DemoExample(
                "The bisect module",
                "import bisect\nnums = [1, 3, 5, 7]\nprint(bisect.bisect_left(nums, 5))  # 2\n"
                "print(bisect.bisect_left(nums, 6))  # 3, where 6 would be inserted\n",
                "python",
                "bisect_left finds the first index whose element is >= the value in O(log n).",
            ),
            DemoExample(
                "Overflow-safe midpoint",
                "int mid = lo + (hi - lo) / 2;\n",
                "java",
                "(lo + hi) / 2 can overflow a 32-bit int when both are large.",
            ),
        ),
        ("binary-search", "merge-intervals"),
    ),
    _lesson(
        "dynamic-programming",
        "Dynamic Programming: From Recursion to Tables",
        "dynamic-programming",
        "advanced",
        40,
        1,
        (
            DemoExample(
                "Memoised recursion",
                "from functools import cache\n\n@cache\ndef ways(n):\n"
                "    return 1 if n <= 1 else ways(n - 1) + ways(n - 2)\n",
                "python",
                "The cache turns an exponential recursion into O(n) work.",
            ),
            DemoExample(
                "Bottom-up coin change",
                "vector<int> best(amount + 1, amount + 1);\nbest[0] = 0;\n"
                "for (int a = 1; a <= amount; a++)\n    for (int c : coins)\n"
                "        if (c <= a) best[a] = min(best[a], best[a - c] + 1);\n",
                "cpp",
                "amount + 1 acts as infinity: no real answer uses more than amount coins.",
            ),
        ),
        (
            "climbing-stairs",
            "house-robber",
            "maximum-subarray",
            "coin-change",
            "edit-distance",
        ),
    ),
    _lesson(
        "graph-search",
        "Graph Search: Breadth-First and Depth-First",
        "graphs",
        "intermediate",
        30,
        1,
        (
            DemoExample(
                "Grid neighbours",
                "for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):\n"
                "    nr, nc = r + dr, c + dc\n"
                "    if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == 1:\n"
                "        stack.append((nr, nc))\n",
                "python",
                "A grid needs no adjacency list: the four offsets are the edges.",
            ),
            DemoExample(
                "Shortest distances with BFS",
                "const dist = new Map([[start, 0]]);\nconst queue = [start];\n"
                "for (let i = 0; i < queue.length; i++) {\n  const u = queue[i];\n"
                "  for (const v of graph[u]) if (!dist.has(v)) {\n"
                "    dist.set(v, dist.get(u) + 1);\n    queue.push(v);\n  }\n}\n",
                "javascript",
                "An index into the array is an O(1) queue without shift().",
            ),
        ),
        ("number-of-islands",),
    ),
    _lesson(
        "python-collections",
        "Python Lists, Dictionaries and Comprehensions",
        "python",
        "beginner",
        20,
        1,
        (
            DemoExample(
                "A dictionary comprehension",
                "words = ['apple', 'kiwi', 'banana']\n"
                "lengths = {w: len(w) for w in words}\n"
                "print(lengths)  # {'apple': 5, 'kiwi': 4, 'banana': 6}\n",
                "python",
                "One expression builds the whole mapping.",
            ),
            DemoExample(
                "Counter and defaultdict",
                "from collections import Counter, defaultdict\n"
                "print(Counter('mississippi').most_common(2))\n"
                "groups = defaultdict(list)\nfor w in ['eat', 'tea', 'tan']:\n"
                "    groups[''.join(sorted(w))].append(w)\n",
                "python",
                "Counter counts; defaultdict creates the empty list on the first access.",
            ),
        ),
        ("fizzbuzz", "reverse-string", "longest-common-prefix"),
    ),
    _lesson(
        "javascript-collections",
        "JavaScript Arrays, Objects, Map and Set",
        "javascript",
        "beginner",
        20,
        1,
        (
            DemoExample(
                "Sorting numbers correctly",
                "const nums = [10, 9, 1];\nnums.sort((a, b) => a - b);\n"
                "console.log(nums); // [1, 9, 10]\n",
                "javascript",
                "Without a comparator, sort compares the numbers as strings.",
            ),
            DemoExample(
                "Deduplicating with a Set",
                "const unique = [...new Set([3, 1, 3, 2, 1])];\n"
                "console.log(unique); // [3, 1, 2]\n",
                "javascript",
                "A Set keeps the first occurrence of each value, in insertion order.",
            ),
        ),
        ("fizzbuzz", "longest-common-prefix", "contains-duplicate"),
    ),
)
