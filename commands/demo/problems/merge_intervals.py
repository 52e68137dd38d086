"""Merge Intervals: sort by start, then sweep and extend the last merged interval."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

STATEMENT = """\
Given an array of `intervals` where `intervals[i] = [start_i, end_i]`, merge all overlapping
intervals and return the non-overlapping intervals that cover exactly the same points,
**sorted by start**.

Intervals that only touch (`[1, 4]` and `[4, 5]`) overlap and merge into `[1, 5]`.

### Example

```
[[1,3], [2,6], [8,10], [15,18]]  →  [[1,6], [8,10], [15,18]]
```
"""

PYTHON = """\
def merge(intervals: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
"""

CPP = """\
vector<vector<int>> merge(vector<vector<int>>& intervals) {
    sort(intervals.begin(), intervals.end());
    vector<vector<int>> merged;
    for (auto& iv : intervals) {
        if (!merged.empty() && iv[0] <= merged.back()[1])
            merged.back()[1] = max(merged.back()[1], iv[1]);
        else
            merged.push_back(iv);
    }
    return merged;
}
"""

JAVA = """\
class Solution {
    public int[][] merge(int[][] intervals) {
        Arrays.sort(intervals, (a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>();
        for (int[] iv : intervals) {
            if (!merged.isEmpty() && iv[0] <= merged.get(merged.size() - 1)[1]) {
                int[] last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], iv[1]);
            } else {
                merged.add(new int[] {iv[0], iv[1]});
            }
        }
        return merged.toArray(new int[0][]);
    }
}
"""

JAVASCRIPT = """\
function merge(intervals) {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}
"""

PROBLEM = DemoProblem(
    slug="merge-intervals",
    title="Merge Intervals",
    difficulty=2,
    topics=("arrays", "searching-sorting"),
    tags=("array", "sorting", "intervals"),
    statement=STATEMENT,
    constraints="1 ≤ intervals.length ≤ 10^4\n0 ≤ start_i ≤ end_i ≤ 10^4",
    hints=(
        "If the intervals were sorted by start, where could an overlapping interval be?",
        "After sorting, an interval overlaps the merged result only if it overlaps the LAST "
        "merged interval.",
        "Sort by start; extend the last interval's end with max(end, new end), or append.",
    ),
    samples=(
        call([[[1, 3], [2, 6], [8, 10], [15, 18]]], [[1, 6], [8, 10], [15, 18]]),
        call([[[1, 4], [4, 5]]], [[1, 5]], "touching intervals merge"),
    ),
    hidden=(
        call([[[1, 4]]], [[1, 4]], "a single interval"),
        call([[[8, 10], [1, 3], [2, 6]]], [[1, 6], [8, 10]], "unsorted input"),
        call([[[1, 10], [2, 3], [4, 5]]], [[1, 10]], "one interval contains the others"),
        call([[[1, 2], [3, 4], [5, 6]]], [[1, 2], [3, 4], [5, 6]], "nothing overlaps"),
        call([[[0, 0], [0, 0]]], [[0, 0]], "empty-length intervals"),
        call([[[2, 3], [4, 5], [6, 7], [8, 9], [1, 10]]], [[1, 10]]),
    ),
    signature=signature("merge", [("intervals", "int[][]")], "int[][]"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
