"""C++ harness: the learner's function (free or in `class Solution`) and a JSON main."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from judge.harness import function_name, parse_type

if TYPE_CHECKING:
    from judge.grading import HarnessSpec

HEADERS = """#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <iostream>
#include <map>
#include <numeric>
#include <queue>
#include <set>
#include <sstream>
#include <stack>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>
#include <unistd.h>
using namespace std;
"""

RUNTIME = r"""
namespace cq {
struct JV {
  char t = 'z'; double num = 0; std::string raw, str; bool b = false; std::vector<JV> arr;
};
struct Parser {
  const std::string& s; size_t i;
  char at() { if (i >= s.size()) throw std::runtime_error("bad JSON input"); return s[i]; }
  void ws() { while (i < s.size() && isspace((unsigned char)s[i])) i++; }
  unsigned hex4() {
    if (i + 4 > s.size()) throw std::runtime_error("bad JSON escape");
    unsigned v = (unsigned)std::stoul(s.substr(i, 4), nullptr, 16); i += 4; return v;
  }
  static void utf8(std::string& o, unsigned c) {
    if (c < 0x80) o += (char)c;
    else if (c < 0x800) { o += (char)(0xC0 | (c >> 6)); o += (char)(0x80 | (c & 0x3F)); }
    else if (c < 0x10000) { o += (char)(0xE0 | (c >> 12)); o += (char)(0x80 | ((c >> 6) & 0x3F));
      o += (char)(0x80 | (c & 0x3F)); }
    else { o += (char)(0xF0 | (c >> 18)); o += (char)(0x80 | ((c >> 12) & 0x3F));
      o += (char)(0x80 | ((c >> 6) & 0x3F)); o += (char)(0x80 | (c & 0x3F)); }
  }
  std::string str() {
    std::string o; i++;
    for (;;) {
      char c = at(); i++;
      if (c == '"') return o;
      if (c != '\\') { o += c; continue; }
      char e = at(); i++;
      switch (e) {
        case 'n': o += '\n'; break; case 't': o += '\t'; break; case 'r': o += '\r'; break;
        case 'b': o += '\b'; break; case 'f': o += '\f'; break;
        case 'u': { unsigned c1 = hex4();
          if (c1 >= 0xD800 && c1 < 0xDC00 && i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u') {
            i += 2; unsigned c2 = hex4(); c1 = 0x10000 + ((c1 - 0xD800) << 10) + (c2 - 0xDC00); }
          utf8(o, c1); break; }
        default: o += e;
      }
    }
  }
  JV value() {
    ws(); JV v; char c = at();
    if (c == '[') {
      v.t = 'a'; i++; ws();
      if (at() == ']') { i++; return v; }
      for (;;) {
        v.arr.push_back(value()); ws(); char d = at(); i++;
        if (d == ']') return v;
        if (d != ',') throw std::runtime_error("bad JSON array");
      }
    }
    if (c == '"') { v.t = 's'; v.str = str(); return v; }
    if (s.compare(i, 4, "true") == 0) { v.t = 'b'; v.b = true; i += 4; return v; }
    if (s.compare(i, 5, "false") == 0) { v.t = 'b'; i += 5; return v; }
    if (s.compare(i, 4, "null") == 0) { i += 4; return v; }
    size_t st = i;
    while (i < s.size() && strchr("+-0123456789.eE", s[i])) i++;
    if (st == i) throw std::runtime_error("bad JSON value");
    v.t = 'n'; v.raw = s.substr(st, i - st); v.num = strtod(v.raw.c_str(), nullptr); return v;
  }
};
inline void conv(const JV& v, int& o) { o = (int)strtoll(v.raw.c_str(), nullptr, 10); }
inline void conv(const JV& v, long long& o) { o = strtoll(v.raw.c_str(), nullptr, 10); }
inline void conv(const JV& v, double& o) { o = v.num; }
inline void conv(const JV& v, bool& o) { o = v.b; }
inline void conv(const JV& v, std::string& o) { o = v.str; }
template <class T> void conv(const JV& v, std::vector<T>& o) {
  o.clear(); for (const JV& e : v.arr) { T x; conv(e, x); o.push_back(x); }
}
inline void put(std::string& o, bool x) { o += x ? "true" : "false"; }
template <class T>
typename std::enable_if<std::is_integral<T>::value>::type put(std::string& o, T x) {
  o += std::to_string(x);
}
inline void put(std::string& o, double x) {
  if (!std::isfinite(x)) { o += "null"; return; }
  char b[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(b, sizeof b, "%.*g", p, x);
    if (strtod(b, nullptr) == x) break;
  }
  std::string s = b;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  o += s;
}
inline void put(std::string& o, float x) { put(o, (double)x); }
inline void put(std::string& o, const std::string& x) {
  o += '"';
  for (unsigned char c : x) {
    if (c == '"') o += "\\\""; else if (c == '\\') o += "\\\\"; else if (c == '\n') o += "\\n";
    else if (c == '\t') o += "\\t"; else if (c == '\r') o += "\\r";
    else if (c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\u%04x", c); o += b; }
    else o += (char)c;
  }
  o += '"';
}
inline void put(std::string& o, const char* x) { put(o, std::string(x)); }
inline void put(std::string& o, char x) { put(o, std::string(1, x)); }
inline void put(std::string& o, const std::vector<bool>& v) {
  o += '['; for (size_t k = 0; k < v.size(); k++) { if (k) o += ','; put(o, (bool)v[k]); } o += ']';
}
template <class T> void put(std::string& o, const std::vector<T>& v);
template <class T> void put(std::string& o, const std::vector<T>& v) {
  o += '['; for (size_t k = 0; k < v.size(); k++) { if (k) o += ','; put(o, v[k]); } o += ']';
}
}  // namespace cq

int main() {
  int cq_out = dup(1);
  dup2(2, 1);
  std::string cq_in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::string cq_res;
  size_t cq_pos = 0;
  while (cq_pos < cq_in.size()) {
    size_t nl = cq_in.find('\n', cq_pos);
    if (nl == std::string::npos) nl = cq_in.size();
    std::string line = cq_in.substr(cq_pos, nl - cq_pos);
    cq_pos = nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    cq::Parser cq_p{line, 0};
    cq::JV cq_args = cq_p.value();
    if (cq_args.arr.size() != ARITY) throw std::runtime_error("wrong number of arguments");
DECLS
    cq::put(cq_res, CALL);
    cq_res += '\n';
  }
  fflush(stdout);
  std::cout.flush();
  const char* p = cq_res.data();
  size_t left = cq_res.size();
  while (left > 0) { ssize_t n = write(cq_out, p, left); if (n <= 0) return 1; p += n; left -= n; }
  return 0;
}
"""

_BASE = {"int": "int", "long": "long long", "double": "double", "bool": "bool", "string": "string"}


def cpp_type(name: str) -> str:
    base, depth = parse_type(name)
    text = _BASE[base]
    for _ in range(depth):
        text = f"vector<{text}>"
    return text


def wrap(code: str, harness: HarnessSpec) -> dict[str, str]:
    name = function_name(harness, "cpp17")
    decls = "\n".join(
        f"    {cpp_type(p.type)} a{i}; cq::conv(cq_args.arr[{i}], a{i});"
        for i, p in enumerate(harness.params)
    )
    args = ", ".join(f"a{i}" for i in range(len(harness.params)))
    in_class = re.search(r"\b(class|struct)\s+Solution\b", code) is not None
    call = f"Solution().{name}({args})" if in_class else f"{name}({args})"
    main = RUNTIME.replace("ARITY", str(len(harness.params))).replace("DECLS", decls)
    main = main.replace("CALL", call)
    body = f'{HEADERS}#line 1 "solution.cpp"\n{code}\n#line 1 "harness.cpp"\n{main}'
    return {"main.cpp": body}
