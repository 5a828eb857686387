"""Regenerate the derived gazetteers: ``divisions.tsv`` (GPE), ``blockers.tsv``, ``laws.tsv``.

Source: ``training/ner/sources/adcodes_cpca_0.5.5.csv`` — the 3,511 administrative divisions
(34 provinces, 344 prefecture-level, 3,133 county-level; GB/T 2260 codes as published by the
National Bureau of Statistics) shipped in the MIT-licensed PyPI package ``cpca`` 0.5.5.

Every full name is kept (安徽省, 合肥市, 肥西县, 甘南藏族自治州). Short forms drop the suffix
(省/市/自治区/特别行政区/地区/盟/自治州/县/区/旗 and ethnic names before 自治…):
provinces and prefectures always (minus a stop list of common words such as 长治 in 长治久安,
大同, 安康, 白银, 来宾),
county-level ones only when jieba's dictionary knows the short form as a place name (tag ns),
so words like 新兴/和平/城关 never become places. jieba is needed only to rebuild this file.

    python training/ner/build_gazetteers.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "policytext" / "components" / "entities" / "data" / "divisions.tsv"

PROV_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
STOP_SHORT = {"大同", "长治", "白银", "安康", "来宾", "兴安", "阿里", "朝阳", "和平", "新华",
              "太平", "东方", "城关", "开发", "红旗", "向阳", "前进", "友好", "工农", "胜利",
              "新城", "城中", "城东", "城西", "城南", "城北", "市中", "郊区", "矿区", "城区",
              "高新", "新区", "东风", "先锋", "南关", "北关", "长安", "中山", "永和", "平安",
              "新建", "大城", "兴国", "扬中", "安宁", "青山", "平原", "福安", "大关", "融安", "兴和",
              "新安", "上城", "和县", "和田", "合作", "团结", "民主", "文明", "吉利", "永福", "福山",
              "宝山", "江南", "江北", "河东", "河西", "山东", "山南", "海北", "海东", "海西", "城固",
              "通道", "富民", "保康", "康乐", "大安", "安定", "长宁", "长清", "长丰", "长兴", "永安",
              "永新", "永康", "安福", "新乐", "新化", "新和", "新民", "龙华", "金平", "和静", "宁安",
              "丰收", "丰富", "乐业", "德安", "安远", "安新", "定安", "华容", "容城", "江山"}
STOP_FULL = {"和县", "城区", "郊区", "矿区", "新区", "礼县", "凤县"}
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def load_jieba_ns() -> tuple[set[str], set[str]]:
    """(words tagged ns, words in jieba's dict with another tag)."""
    try:
        import jieba
    except ImportError:  # pragma: no cover
        return set(), set()
    path = Path(jieba.__file__).parent / "dict.txt"
    ns, other = set(), set()
    for line in open(path, encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 3:
            (ns if parts[2] == "ns" else other).add(parts[0])
    return ns, other


def strip_ethnic(name: str, nations: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for n in nations:
            for form in (n, n[:-1] if n.endswith("族") else n):
                if name.endswith(form) and len(name) > len(form) + 1:
                    name = name[: -len(form)]
                    changed = True
    return name


def short_form(name: str, level: str, nations: list[str]) -> str | None:
    if level == "prov":
        s = PROV_SUFFIX.sub("", name)
    else:
        m = re.match(r"^(.+?)(自治州|自治县|自治旗|地区|特区|林区|新区|盟|市|县|区|旗)$", name)
        if not m:
            return None
        s = m.group(1)
        if m.group(2).startswith("自治"):
            s = strip_ethnic(s, nations)
    return s if 2 <= len(s) < len(name) else None


def load_jieba_freq() -> dict[str, int]:
    import jieba

    freq: dict[str, int] = {}
    for line in open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8"):
        parts = line.split()
        if len(parts) >= 2:
            freq[parts[0]] = int(parts[1])
    return freq


def write_blockers(divisions: dict[str, str]) -> None:
    """Three-character strings where a common word straddles a place name's edge (隆重|庆 vs 重庆).

    For a name n and a jieba word w = a + n[0] (or n[-1] + b), the straddling reading wins when
    f(w)·f(rest) > f(a)·f(n) -- jieba's own unigram comparison. Such strings go into
    ``blockers.tsv`` with label O: matched leftmost-longest like names, they block the place name.
    """
    import math

    freq = load_jieba_freq()
    total = sum(freq.values())

    def lp(x: str) -> float:
        return math.log((freq.get(x, 0) + 0.5) / total)

    names = [n for n, lev in divisions.items() if len(n) in (2, 3) and not lev.startswith("prov")]
    names += ["重庆", "四川", "天津", "西藏", "山西", "海南", "台湾", "香港", "澳门", "上海", "北京"]
    by_last: dict[str, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    for w, f in freq.items():
        if len(w) == 2 and f >= 200:
            by_last.setdefault(w[1], []).append(w)
            by_first.setdefault(w[0], []).append(w)
    blockers = {"隆重庆", "发展中国家", "发展中国", "严重庆", "中国家庭"}
    blockers.discard("中国家庭")
    for n in names:
        for w in by_last.get(n[0], ()):  # a + n[0]
            a, rest = w[0], n[1:]
            if lp(w) + lp(rest) > lp(a) + lp(n) + 1.0:
                blockers.add(a + n)
        if n[-1] in "省市县区州盟旗":
            continue  # the short form may still be right (北京|市场): no suffix blocker
        for w in by_first.get(n[-1], ()):  # n[-1] + b
            b, head = w[1], n[:-1]
            if lp(head) + lp(w) > lp(n) + lp(b) + 1.0:
                blockers.add(n + b)
    path = OUT.parent / "blockers.tsv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Strings that block a place-name match (label O): a common word straddles the name's edge.\n")
        f.write("# Generated by training/ner/build_gazetteers.py from jieba's dictionary frequencies.\n")
        for b in sorted(blockers):
            f.write(f"{b}\tO\n")
    print(f"{len(blockers)} blockers -> {path}")


def write_laws() -> None:
    """``laws.tsv``: titles of national laws, State Council regulations and departmental rules from
    ../shared/data/cn_laws_regulations_lawrefbook (official documents; PRC Copyright Law art. 5),
    with 中华人民共和国 prepended to law names, plus common short names."""
    import json

    data = ROOT.parent / "shared" / "data" / "cn_laws_regulations_lawrefbook"
    if not data.exists():
        print(f"{data} not found: laws.tsv left as is")
        return
    titles = set()
    for fname in ("national_laws", "administrative_regulations", "departmental_rules"):
        for line in open(data / f"{fname}.jsonl", encoding="utf-8"):
            t = json.loads(line)["title"].strip()
            if len(t) < 4 or t.startswith("关于") or "攻略" in t or "（" in t or "(" in t:
                continue
            titles.add(t)
            if not t.startswith("中华人民共和国") and t.endswith("法"):
                titles.add("中华人民共和国" + t)
    titles.update(["民法典", "中华人民共和国民法典", "数据二十条", "数据安全法", "网络安全法", "个人信息保护法",
                   "宪法", "中华人民共和国宪法", "中国共产党章程", "党章"])
    path = OUT.parent / "laws.tsv"
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Law and regulation names usable without 《》 (LAW). name<TAB>label\n")
        f.write("# National laws, State Council regulations and departmental rules titles from "
                "../shared/data/cn_laws_regulations_lawrefbook (official documents, not copyrightable, "
                "PRC Copyright Law art. 5), plus common short names.\n")
        for t in sorted(titles):
            f.write(t + "\tLAW\n")
    print(f"{len(titles)} law names -> {path}")


def main() -> int:
    nations = [r.strip() for r in open(HERE / "sources" / "nations_cpca_0.5.5.csv", encoding="utf-8") if r.strip()]
    nations.sort(key=len, reverse=True)
    ns, other = load_jieba_ns()
    rows = list(csv.DictReader(open(HERE / "sources" / "adcodes_cpca_0.5.5.csv", encoding="utf-8")))
    out: dict[str, str] = {}
    # provinces first, then prefectures, then counties: a name keeps its highest level
    rows.sort(key=lambda r: (0 if r["adcode"][2:] == "0" * 10 else 1 if r["adcode"][4:] == "0" * 8 else 2, r["adcode"]))
    for r in rows:
        code, name = r["adcode"], r["name"].strip()
        if name in SKIP:
            continue
        level = "prov" if code[2:] == "0" * 10 else "pref" if code[4:] == "0" * 8 else "county"
        if not (len(name) == 2 and name in other and name not in ns) and name not in STOP_FULL:
            out.setdefault(name, level)
        s = short_form(name, level, nations)
        if not s or s in STOP_SHORT:
            continue
        if level == "county" and s not in ns:
            continue
        out.setdefault(s, level + "_short")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("# Administrative divisions of China (GPE). name<TAB>label<TAB>level\n")
        f.write("# Generated by training/ner/build_gazetteers.py from cpca 0.5.5 adcodes (MIT).\n")
        for name in sorted(out):
            f.write(f"{name}\tGPE\t{out[name]}\n")
    print(f"{len(out)} names -> {OUT}")
    write_blockers(out)
    write_laws()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
