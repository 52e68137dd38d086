"""The demo quizzes: complexity, arrays and hashing, dynamic programming, Python, JavaScript."""

from __future__ import annotations

from commands.demo.model import DemoQuiz, choice, select, short

BIG_O = DemoQuiz(
    slug="big-o-fundamentals",
    title="Big-O Fundamentals Quiz",
    topic="dsa",
    description="Estimate the running time and memory of common algorithms and loops.",
    difficulty="beginner",
    time_limit_min=15,
    questions=(
        choice(
            "What is the time complexity of binary search on a sorted array of n elements?",
            ["O(1)", "O(log n)", "O(n)", "O(n log n)"],
            "b",
            "Each comparison halves the remaining range, so about log₂ n steps are needed.",
        ),
        choice(
            "A function runs `for i in range(n): for j in range(i, n): ...` with O(1) work "
            "inside. What is its time complexity?",
            ["O(n)", "O(n log n)", "O(n²)", "O(2ⁿ)"],
            "c",
            "The inner loop runs n + (n-1) + … + 1 = n(n+1)/2 times, which is O(n²).",
        ),
        select(
            "Which of these operations are O(1) on average?",
            [
                "Reading a[i] from an array",
                "Looking up a key in a hash map",
                "Finding a value in an unsorted array",
                "Appending to the end of a dynamic array (amortised)",
            ],
            ["a", "b", "d"],
            "Searching an unsorted array must look at every element in the worst case: O(n).",
        ),
        short(
            "What is the time complexity of a good comparison sort such as merge sort? "
            "(answer in Big-O notation)",
            ["O(n log n)", "O(nlogn)", "n log n", "O(n * log n)", "O(n·log n)"],
            "Comparison sorts need Θ(n log n) comparisons in the worst case; merge sort "
            "achieves it.",
        ),
        choice(
            "The naive recursive Fibonacci `fib(n) = fib(n-1) + fib(n-2)` runs in:",
            ["O(n)", "O(n²)", "O(2ⁿ) (exponential)", "O(log n)"],
            "c",
            "Each call makes two more calls; the call tree has exponentially many nodes. "
            "Memoisation brings it down to O(n).",
        ),
        choice(
            "An algorithm uses a hash set to remember the n values it has seen. Its extra space "
            "is:",
            ["O(1)", "O(log n)", "O(n)", "O(n²)"],
            "c",
            "In the worst case every value is stored once.",
        ),
    ),
)

ARRAYS_HASHING = DemoQuiz(
    slug="arrays-and-hashing",
    title="Arrays & Hashing Quiz",
    topic="arrays",
    description="Indexing, two pointers, prefix sums and when to reach for a hash map.",
    difficulty="beginner",
    time_limit_min=15,
    questions=(
        choice(
            "Why is reading `a[i]` from an array O(1)?",
            [
                "The array is sorted",
                "The element's address is start + i × element size",
                "Arrays are stored in a hash table",
                "The CPU caches every array",
            ],
            "b",
            "Elements are contiguous and equally sized, so the address is simple arithmetic.",
        ),
        choice(
            "Inserting an element at the front of a dynamic array of n elements costs:",
            ["O(1)", "O(log n)", "O(n)", "O(n²)"],
            "c",
            "Every existing element must shift one place to the right.",
        ),
        short(
            "With prefix sums where prefix[0] = 0 and prefix[i+1] = prefix[i] + a[i], what "
            "expression gives a[l] + … + a[r]?",
            [
                "prefix[r+1] - prefix[l]",
                "prefix[r + 1] - prefix[l]",
                "prefix[r+1]-prefix[l]",
            ],
            "prefix[r+1] holds a[0..r] and prefix[l] holds a[0..l-1]; the difference is a[l..r].",
        ),
        select(
            "Which problems does a hash map solve in O(n) time where the brute force is O(n²)?",
            [
                "Two Sum (find two values with a given sum)",
                "Contains Duplicate",
                "Sorting an array",
                "Grouping words that are anagrams of each other",
            ],
            ["a", "b", "d"],
            "Sorting is not a lookup problem; comparison sorting needs O(n log n).",
        ),
        choice(
            "In Two Sum with a hash map, why check for target - x BEFORE inserting x?",
            [
                "It is faster",
                "So an element is never paired with itself",
                "Hash maps cannot hold duplicates",
                "To keep the map sorted",
            ],
            "b",
            "If target = 2x, inserting first would find x itself at the same index.",
        ),
        choice(
            "Two pointers start at both ends of a SORTED array looking for a pair with sum "
            "target. The current sum is too small. What do you do?",
            [
                "Move the right pointer left",
                "Move the left pointer right",
                "Move both pointers",
                "Restart from the middle",
            ],
            "b",
            "Only a larger left value can increase the sum; every pair with the current left "
            "value and a smaller right value is even smaller.",
        ),
    ),
)

DYNAMIC_PROGRAMMING = DemoQuiz(
    slug="dynamic-programming-essentials",
    title="Dynamic Programming Essentials Quiz",
    topic="dynamic-programming",
    description="Recognise DP problems, define states and transitions, and compare approaches.",
    difficulty="advanced",
    time_limit_min=20,
    questions=(
        select(
            "Which two properties make a problem a good fit for dynamic programming?",
            [
                "Optimal substructure",
                "Overlapping subproblems",
                "A sorted input",
                "A unique answer",
            ],
            ["a", "b"],
            "Best answers are built from best sub-answers, and the same subproblems recur.",
        ),
        choice(
            "What is the difference between memoisation and tabulation?",
            [
                "Memoisation is top-down recursion with a cache; tabulation fills a table "
                "bottom-up",
                "Tabulation is always faster",
                "Memoisation uses no extra memory",
                "They are different names for greedy algorithms",
            ],
            "a",
            "Both compute each state once; tabulation avoids deep recursion.",
        ),
        short(
            "In House Robber, dp[i] is the best total from the first i houses. Complete the "
            "transition: dp[i] = max(dp[i-1], ____ + nums[i-1])",
            ["dp[i-2]", "dp[i - 2]"],
            "Either skip house i-1 (dp[i-1]) or rob it and add the best up to two houses back.",
        ),
        choice(
            "For coins [1, 3, 4] and amount 6, how many coins does the greedy strategy "
            "(largest coin first) use, compared with the optimum?",
            [
                "Greedy 2, optimum 2",
                "Greedy 3, optimum 2",
                "Greedy 3, optimum 3",
                "Greedy 4, optimum 2",
            ],
            "b",
            "Greedy takes 4 + 1 + 1; the optimum is 3 + 3. DP tries every last coin.",
        ),
        choice(
            "Edit Distance between words of lengths m and n with a full table takes:",
            ["O(m + n) time", "O(m · n) time", "O(2^(m+n)) time", "O(m log n) time"],
            "b",
            "There are (m+1)(n+1) states and each takes O(1) to compute.",
        ),
        choice(
            "Climbing Stairs (1 or 2 steps) for n = 5 has how many ways?",
            ["5", "8", "13", "10"],
            "b",
            "ways: 1, 1, 2, 3, 5, 8 for n = 0 … 5 — the Fibonacci numbers.",
        ),
    ),
)

PYTHON_BASICS = DemoQuiz(
    slug="python-basics",
    title="Python Basics Quiz",
    topic="python",
    description="Types, lists, dictionaries, comprehensions and the costs of common operations.",
    difficulty="beginner",
    time_limit_min=15,
    questions=(
        choice(
            "What is the output of print(type([]))?",
            ["<class 'list'>", "<class 'array'>", "list", "array"],
            "a",
            "[] is an empty list; type() returns the class, printed as <class 'list'>.",
        ),
        short(
            "What does [x * x for x in range(4)] evaluate to?",
            ["[0, 1, 4, 9]", "[0,1,4,9]"],
            "range(4) yields 0, 1, 2, 3; the comprehension squares each.",
        ),
        select(
            "Which of these can be used as dictionary keys?",
            ["A tuple of ints", "A list", "A string", "A frozenset"],
            ["a", "c", "d"],
            "Keys must be hashable; lists are mutable and therefore unhashable.",
        ),
        choice(
            "Which is the efficient way to take elements from the front of a queue?",
            ["list.pop(0)", "collections.deque.popleft()", "del list[0]", "list.remove(list[0])"],
            "b",
            "deque.popleft() is O(1); the list operations shift every element, O(n).",
        ),
        short(
            "Which built-in gives you (index, value) pairs when looping over a list?",
            ["enumerate", "enumerate()"],
            "for i, value in enumerate(items): ...",
        ),
        choice(
            "What does {'a': 1, 'b': 2}.get('c', 0) return?",
            ["None", "0", "KeyError", "'c'"],
            "b",
            "get returns the default (0) when the key is missing instead of raising KeyError.",
        ),
    ),
)

JAVASCRIPT_ESSENTIALS = DemoQuiz(
    slug="javascript-essentials",
    title="JavaScript Essentials Quiz",
    topic="javascript",
    description="Equality, sorting, Map and Set, and the pitfalls of JavaScript numbers.",
    difficulty="intermediate",
    time_limit_min=15,
    questions=(
        short(
            "What does [10, 9, 1].sort() return?",
            ["[1, 10, 9]", "[1,10,9]"],
            "Without a comparator, elements are compared as strings: '1' < '10' < '9'.",
        ),
        choice(
            "Which expression is true?",
            ["[1] === [1]", "0 === ''", "NaN === NaN", "'5' == 5"],
            "d",
            "== converts '5' to 5. Arrays compare by reference, and NaN is never equal to itself.",
        ),
        select(
            "Which are advantages of Map over a plain object used as a dictionary?",
            [
                "Keys of any type, without conversion to strings",
                "A size property",
                "Faster JSON serialisation",
                "No clash with inherited properties such as constructor",
            ],
            ["a", "b", "d"],
            "JSON.stringify does not even serialise a Map's entries.",
        ),
        choice(
            "What is new Set([1, 2, 2, 3]).size?",
            ["4", "3", "2", "undefined"],
            "b",
            "A Set keeps unique values: 1, 2, 3.",
        ),
        short(
            "Which Number constant is the largest integer that JavaScript numbers represent "
            "exactly?",
            ["Number.MAX_SAFE_INTEGER", "MAX_SAFE_INTEGER"],
            "2⁵³ − 1 = 9007199254740991; beyond it use BigInt.",
        ),
        choice(
            "What does [1, 2, 3].map((x) => x * 2).filter((x) => x > 2) return?",
            ["[2, 4, 6]", "[4, 6]", "[6]", "[1, 2, 3]"],
            "b",
            "map doubles to [2, 4, 6]; filter keeps the values above 2.",
        ),
    ),
)

QUIZZES: tuple[DemoQuiz, ...] = (
    BIG_O,
    ARRAYS_HASHING,
    DYNAMIC_PROGRAMMING,
    PYTHON_BASICS,
    JAVASCRIPT_ESSENTIALS,
)
