"""JavaScript harness: the learner's code, then a main calling the function per JSON line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from judge.harness import function_name

if TYPE_CHECKING:
    from judge.grading import HarnessSpec

MAIN = """
;(async () => {
  const cqWrite = process.stdout.write.bind(process.stdout);
  console.log = console.error;
  console.info = console.error;
  const cqFn = typeof NAME === "function" ? NAME
    : (typeof Solution === "function" ? ((s) => s.NAME.bind(s))(new Solution()) : undefined);
  if (cqFn === undefined) throw new Error("function NAME is not defined");
  const cqOut = [];
  for (const line of require("fs").readFileSync(0, "utf8").split("\\n")) {
    if (!line.trim()) continue;
    let r = cqFn(...JSON.parse(line));
    if (r && typeof r.then === "function") r = await r;
    const s = JSON.stringify(r);
    cqOut.push(s === undefined ? "null" : s);
  }
  cqWrite(cqOut.join("\\n") + "\\n");
})().catch((e) => { console.error(e); process.exitCode = 1; });
"""


def wrap(code: str, harness: HarnessSpec) -> dict[str, str]:
    name = function_name(harness, "javascript")
    return {"main.js": code + "\n" + MAIN.replace("NAME", name)}
