"""Group Anagrams: a canonical key (the sorted letters) buckets words in a hash map."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
Given an array of strings `strs`, group the words that are **anagrams** of each other.

Inside a group, keep the words in the order they appear in the input. The groups themselves
may come in **any order** (the checker accepts every order of the groups).

### Example

```
["eat", "tea", "tan", "ate", "nat", "bat"]
  →  [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]]
```
"""

PYTHON = """\
def group_anagrams(strs: list[str]) -> list[list[str]]:
    groups: dict[str, list[str]] = {}
    for word in strs:
        groups.setdefault("".join(sorted(word)), []).append(word)
    return list(groups.values())
"""

CPP = """\
vector<vector<string>> groupAnagrams(vector<string>& strs) {
    unordered_map<string, int> index;
    vector<vector<string>> groups;
    for (const string& word : strs) {
        string key = word;
        sort(key.begin(), key.end());
        auto it = index.find(key);
        if (it == index.end()) {
            index[key] = groups.size();
            groups.push_back({word});
        } else {
            groups[it->second].push_back(word);
        }
    }
    return groups;
}
"""

JAVA = """\
class Solution {
    public List<List<String>> groupAnagrams(String[] strs) {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String word : strs) {
            char[] key = word.toCharArray();
            Arrays.sort(key);
            groups.computeIfAbsent(new String(key), k -> new ArrayList<>()).add(word);
        }
        return new ArrayList<>(groups.values());
    }
}
"""

JAVASCRIPT = """\
function groupAnagrams(strs) {
  const groups = new Map();
  for (const word of strs) {
    const key = [...word].sort().join("");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(word);
  }
  return [...groups.values()];
}
"""

PROBLEM = DemoProblem(
    slug="group-anagrams",
    title="Group Anagrams",
    difficulty=2,
    topics=("hash-tables",),
    tags=("array", "hash-table", "string", "sorting"),
    statement=STATEMENT,
    constraints="1 ≤ strs.length ≤ 10^4\n0 ≤ strs[i].length ≤ 100\nlowercase English letters",
    hints=(
        "Two words are anagrams exactly when they have the same sorted letters.",
        "Use a canonical key per word — its sorted letters, or its 26 letter counts.",
        "A hash map from key to the list of words builds every group in one pass.",
    ),
    samples=(
        call(
            [["eat", "tea", "tan", "ate", "nat", "bat"]],
            [["bat"], ["tan", "nat"], ["eat", "tea", "ate"]],
            "three groups, in any order",
        ),
        call([["a"]], [["a"]]),
    ),
    hidden=(
        call([[""]], [[""]], "the empty word"),
        call([["", ""]], [["", ""]], "two empty words form one group"),
        call([["abc", "bca", "cab", "xyz"]], [["xyz"], ["abc", "bca", "cab"]]),
        call([["ab", "ba", "ab"]], [["ab", "ba", "ab"]], "repeated words stay in order"),
        call(
            [["aab", "abb", "bab", "aba"]],
            [["abb", "bab"], ["aab", "aba"]],
            "same letters, other counts",
        ),
        call([["x", "y", "z"]], [["z"], ["y"], ["x"]], "no anagrams at all"),
    ),
    signature=signature("group_anagrams", [("strs", "string[]")], "string[][]"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
    checker="unordered",
)
