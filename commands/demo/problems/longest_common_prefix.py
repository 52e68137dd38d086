"""Longest Common Prefix: compare the strings column by column."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
Return the longest string that is a **prefix** of every string in the array `strs`. If the
strings share no prefix, return the empty string `""`.

### Example

```
["flower", "flow", "flight"]  →  "fl"
["dog", "racecar", "car"]     →  ""
```
"""

PYTHON = """\
def longest_common_prefix(strs: list[str]) -> str:
    first = strs[0]
    for i, ch in enumerate(first):
        for other in strs[1:]:
            if i == len(other) or other[i] != ch:
                return first[:i]
    return first
"""

CPP = """\
string longestCommonPrefix(vector<string>& strs) {
    const string& first = strs[0];
    for (size_t i = 0; i < first.size(); i++)
        for (const string& other : strs)
            if (i == other.size() || other[i] != first[i]) return first.substr(0, i);
    return first;
}
"""

JAVA = """\
class Solution {
    public String longestCommonPrefix(String[] strs) {
        String first = strs[0];
        for (int i = 0; i < first.length(); i++)
            for (String other : strs)
                if (i == other.length() || other.charAt(i) != first.charAt(i))
                    return first.substring(0, i);
        return first;
    }
}
"""

JAVASCRIPT = """\
function longestCommonPrefix(strs) {
  const first = strs[0];
  for (let i = 0; i < first.length; i++) {
    for (const other of strs) {
      if (i === other.length || other[i] !== first[i]) return first.slice(0, i);
    }
  }
  return first;
}
"""

PROBLEM = DemoProblem(
    slug="longest-common-prefix",
    title="Longest Common Prefix",
    difficulty=1,
    topics=("arrays", "python", "javascript"),
    tags=("string", "array"),
    statement=STATEMENT,
    constraints="1 ≤ strs.length ≤ 200\n0 ≤ strs[i].length ≤ 200\nlowercase English letters",
    hints=(
        "The answer can be no longer than the shortest string.",
        "Check column i of every string: the prefix ends at the first column where they differ.",
        "Scan the first string's characters and stop at a mismatch or when any string runs out.",
    ),
    samples=(
        call([["flower", "flow", "flight"]], "fl"),
        call([["dog", "racecar", "car"]], "", "no common prefix"),
    ),
    hidden=(
        call([["alone"]], "alone", "a single string is its own prefix"),
        call([["", "abc"]], "", "an empty string"),
        call([["abc", "abc", "abc"]], "abc", "identical strings"),
        call([["interview", "internet", "interval", "intern"]], "inter"),
        call([["ab", "a"]], "a", "a shorter string later in the list"),
        call([["prefix" + "x" * 150, "prefix" + "x" * 150 + "y"]], "prefix" + "x" * 150),
    ),
    signature=signature("longest_common_prefix", [("strs", "string[]")], "string"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
