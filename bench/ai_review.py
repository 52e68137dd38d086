"""Offline review latency per language (p50/p99) and single-thread throughput."""

from __future__ import annotations

import argparse
import statistics
import time

from ai.review import FailedTest, JudgeFacts, OfflineReviewer, ReviewRequest

PYTHON = """\
import sys
from collections import defaultdict, deque


def read_graph(lines):
    n, m = map(int, lines[0].split())
    graph = defaultdict(list)
    for line in lines[1 : m + 1]:
        a, b = map(int, line.split())
        graph[a].append(b)
        graph[b].append(a)
    return n, graph


def shortest(graph, start, n):
    dist = [-1] * (n + 1)
    dist[start] = 0
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if dist[nxt] == -1:
                dist[nxt] = dist[node] + 1
                queue.append(nxt)
    return dist


def pairs_with_sum(values, target):
    found = []
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if values[i] + values[j] == target:
                found.append((i, j))
    return found


def main():
    lines = sys.stdin.read().splitlines()
    n, graph = read_graph(lines)
    dist = shortest(graph, 1, n)
    try:
        print(" ".join(map(str, dist[1:])))
    except:
        pass
    print(len(pairs_with_sum(dist, 4)))


if __name__ == "__main__":
    main()
"""

CPP = """\
#include <bits/stdc++.h>
using namespace std;

const int MOD = 1e9 + 7;
long long memo[100005];

long long ways(int n) {
    if (n <= 1) return 1;
    if (memo[n]) return memo[n];
    return memo[n] = (ways(n - 1) + ways(n - 2)) % MOD;
}

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n, q;
    cin >> n >> q;
    vector<long long> a(n), prefix(n + 1, 0);
    for (int i = 0; i < n; i++) {
        cin >> a[i];
        prefix[i + 1] = prefix[i] + a[i];
    }
    sort(a.begin(), a.end());
    while (q--) {
        int l, r;
        cin >> l >> r;
        cout << prefix[r] - prefix[l - 1] << endl;
    }
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] < 0) lo = mid + 1; else hi = mid - 1;
    }
    cout << ways(n) << "\\n";
    return 0;
}
"""

JAVA = """\
import java.io.*;
import java.util.*;

public class Main {
    static Map<Integer, Integer> counts = new HashMap<>();

    static int longestRun(int[] values) {
        Set<Integer> seen = new HashSet<>();
        for (int v : values) seen.add(v);
        int best = 0;
        for (int v : seen) {
            if (!seen.contains(v - 1)) {
                int length = 1;
                while (seen.contains(v + length)) length++;
                best = Math.max(best, length);
            }
        }
        return best;
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        int n = Integer.parseInt(in.readLine().trim());
        int[] values = new int[n];
        StringTokenizer st = new StringTokenizer(in.readLine());
        String report = "";
        for (int i = 0; i < n; i++) {
            values[i] = Integer.parseInt(st.nextToken());
            report += values[i] + " ";
        }
        try {
            System.out.println(longestRun(values));
        } catch (Exception e) {
        }
        System.out.println(report);
    }
}
"""

JAVASCRIPT = """\
const readline = require("readline");

function permutations(items) {
  if (items.length <= 1) return [items];
  const out = [];
  for (let i = 0; i < items.length; i++) {
    const rest = items.slice(0, i).concat(items.slice(i + 1));
    for (const p of permutations(rest)) out.push([items[i], ...p]);
  }
  return out;
}

function topK(nums, k) {
  const counts = new Map();
  for (const n of nums) counts.set(n, (counts.get(n) || 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, k);
}

const lines = [];
readline.createInterface({ input: process.stdin }).on("line", (line) => lines.push(line));
process.stdin.on("end", () => {
  var nums = lines[1].split(" ").map(Number);
  if (nums.length == 0) return;
  const uniq = [];
  for (const n of nums) if (uniq.indexOf(n) === -1) uniq.push(n);
  console.log(topK(nums, 3), permutations(uniq.slice(0, 4)).length);
});
"""

SAMPLES = {"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT}
JUDGE = JudgeFacts(
    "TIMEOUT",
    7,
    12,
    runtime_ms=2000,
    failed_tests=[
        FailedTest(2, "WRONG_ANSWER", True, "3 2\\n1 2\\n2 3", "0 1 2", "0 1 3"),
        FailedTest(8, "TIMEOUT", False),
    ],
)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(runs: int) -> None:
    reviewer = OfflineReviewer()
    print(f"offline review, {runs} runs per language (ms)")
    print(f"{'language':<12} {'lines':>5} {'p50':>8} {'p99':>8} {'max':>8}")
    total_runs, total_time = 0, 0.0
    for language, code in SAMPLES.items():
        request = ReviewRequest(language, code, "Sample", "Statement", JUDGE, ["efficiency"])
        reviewer.review(request)  # warm-up
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            reviewer.review(request)
            timings.append((time.perf_counter() - started) * 1000)
        total_runs, total_time = total_runs + runs, total_time + sum(timings) / 1000
        print(
            f"{language:<12} {len(code.splitlines()):>5} {statistics.median(timings):>8.2f} "
            f"{percentile(timings, 0.99):>8.2f} {max(timings):>8.2f}"
        )
    print(
        f"throughput: {total_runs / total_time:.0f} reviews/s on one thread (target p99 <= 200 ms)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    measure(parser.parse_args().runs)
