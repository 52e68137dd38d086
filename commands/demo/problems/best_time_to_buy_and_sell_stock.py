"""Best Time to Buy and Sell Stock: track the lowest price seen so far."""

from __future__ import annotations

from commands.demo.model import DemoProblem, call, signature

N = 40_000
FALLING = list(range(N, 0, -1))
ZIGZAG = [(i * 37) % 1000 + i // 10 for i in range(N)]

STATEMENT = """\
`prices[i]` is the price of a stock on day `i`. Choose **one** day to buy and a **later** day
to sell so that the profit is as large as possible. Return that profit, or `0` if no
transaction makes money.

### Example

```
prices = [7, 1, 5, 3, 6, 4]  →  5      (buy at 1 on day 1, sell at 6 on day 4)
prices = [7, 6, 4, 3, 1]     →  0      (prices only fall)
```
"""

PYTHON = """\
def max_profit(prices: list[int]) -> int:
    lowest = prices[0]
    best = 0
    for price in prices:
        lowest = min(lowest, price)
        best = max(best, price - lowest)
    return best
"""

CPP = """\
int maxProfit(vector<int>& prices) {
    int lowest = prices[0], best = 0;
    for (int p : prices) { lowest = min(lowest, p); best = max(best, p - lowest); }
    return best;
}
"""

JAVA = """\
class Solution {
    public int maxProfit(int[] prices) {
        int lowest = prices[0], best = 0;
        for (int p : prices) { lowest = Math.min(lowest, p); best = Math.max(best, p - lowest); }
        return best;
    }
}
"""

JAVASCRIPT = """\
function maxProfit(prices) {
  let lowest = prices[0];
  let best = 0;
  for (const p of prices) {
    lowest = Math.min(lowest, p);
    best = Math.max(best, p - lowest);
  }
  return best;
}
"""


def _best(prices: list[int]) -> int:
    lowest, best = prices[0], 0
    for price in prices:
        lowest = min(lowest, price)
        best = max(best, price - lowest)
    return best


PROBLEM = DemoProblem(
    slug="best-time-to-buy-and-sell-stock",
    title="Best Time to Buy and Sell Stock",
    difficulty=1,
    topics=("arrays", "dynamic-programming"),
    tags=("array", "dynamic-programming", "greedy"),
    statement=STATEMENT,
    constraints="1 ≤ prices.length ≤ 10^5\n0 ≤ prices[i] ≤ 10^4",
    hints=(
        "For a fixed selling day, which buying day is best?",
        "The best buying day for day i is the cheapest day before it: keep that minimum as you go.",
        "One pass: lowest = min(lowest, p); best = max(best, p - lowest).",
    ),
    samples=(
        call([[7, 1, 5, 3, 6, 4]], 5, "buy at 1, sell at 6"),
        call([[7, 6, 4, 3, 1]], 0, "no profitable transaction"),
    ),
    hidden=(
        call([[5]], 0, "one day: no transaction"),
        call([[1, 2]], 1),
        call([[2, 4, 1]], 2, "the minimum comes after the best sale"),
        call([[3, 3, 3, 3]], 0),
        call([[2, 1, 2, 1, 0, 1, 2]], 2),
        call([FALLING], 0, "40 000 falling prices"),
        call([ZIGZAG], _best(ZIGZAG), "40 000 prices: O(n²) is too slow"),
    ),
    signature=signature("max_profit", [("prices", "int[]")], "int"),
    solutions={"python3.10": PYTHON, "cpp17": CPP, "java17": JAVA, "javascript": JAVASCRIPT},
)
