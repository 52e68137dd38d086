"""Valid Anagram: equal letter counts, counted with an array or a hash map."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

LONG = "".join(chr(ord("a") + (i * i) % 26) for i in range(40_000))

STATEMENT = """\
Given two strings `s` and `t` of lowercase English letters, return `true` if `t` is an
**anagram** of `s` — the same letters, each used the same number of times, in any order.

### Example

```
s = "anagram", t = "nagaram"  →  true
s = "rat",     t = "car"      →  false
```
"""

PYTHON = """\
def is_anagram(s: str, t: str) -> bool:
    if len(s) != len(t):
        return False
    counts: dict[str, int] = {}
    for a, b in zip(s, t):
        counts[a] = counts.get(a, 0) + 1
        counts[b] = counts.get(b, 0) - 1
    return all(v == 0 for v in counts.values())
"""

CPP = """\
bool isAnagram(string s, string t) {
    if (s.size() != t.size()) return false;
    int counts[26] = {0};
    for (size_t i = 0; i < s.size(); i++) { counts[s[i] - 'a']++; counts[t[i] - 'a']--; }
    for (int c : counts) if (c != 0) return false;
    return true;
}
"""

JAVA = """\
class Solution {
    public boolean isAnagram(String s, String t) {
        if (s.length() != t.length()) return false;
        int[] counts = new int[26];
        for (int i = 0; i < s.length(); i++) {
            counts[s.charAt(i) - 'a']++;
            counts[t.charAt(i) - 'a']--;
        }
        for (int c : counts) if (c != 0) return false;
        return true;
    }
}
"""

JAVASCRIPT = """\
function isAnagram(s, t) {
  if (s.length !== t.length) return false;
  const counts = new Array(26).fill(0);
  for (let i = 0; i < s.length; i++) {
    counts[s.charCodeAt(i) - 97]++;
    counts[t.charCodeAt(i) - 97]--;
  }
  return counts.every((c) => c === 0);
}
"""

PROBLEM = DemoProblem(
    slug="valid-anagram",
    title="Valid Anagram",
    difficulty=1,
    topics=("hash-tables",),
    tags=("string", "hash-table", "sorting"),
    statement=STATEMENT,
    constraints="0 ≤ s.length, t.length ≤ 5·10^4\ns and t consist of lowercase English letters",
    hints=(
        "Two strings are anagrams exactly when every letter occurs equally often in both.",
        "Count the letters of s up and the letters of t down; every count must end at zero.",
        "With only 26 letters an int array of size 26 is enough. Different lengths: false at once.",
    ),
    samples=(
        call(["anagram", "nagaram"], True),
        call(["rat", "car"], False),
    ),
    hidden=(
        call(["", ""], True, "two empty strings"),
        call(["a", "ab"], False, "different lengths"),
        call(["aacc", "ccac"], False, "same letters, different counts"),
        call(["listen", "silent"], True),
        call(["abc", "abd"], False),
        call([LONG, LONG[::-1]], True, "40 000 letters"),
        call([LONG, LONG[:-1] + ("b" if LONG[-1] != "b" else "c")], False),
    ),
    signature=signature("is_anagram", [("s", "string"), ("t", "string")], "bool"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
