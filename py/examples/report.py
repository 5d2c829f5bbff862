"""The report a provincial drug-control office sends upward, from the built-in sample.

Evaluates the sample document (fictional townships of Hengyang county) with
the core's batch report (``jindu.report(jindu.sample())``) and writes:

- ``jindu-report.html``: one page, no network: a chart of tier counts per
  county (inline SVG), a calendar of upcoming deadlines, the unmet delisting
  conditions of each listing with their citations, every row, and the rows
  that could not be evaluated;
- ``jindu-report.csv`` beside it: one line per area.

Run: ``python py/examples/report.py [--out DIR] [--as-of YYYY-MM-DD]``.
The numbers are the core's; this script only lays them out.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime
import html
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import jindu

Row = Dict[str, Any]

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 14 → 十四, 31 → 三十一 (for citations of articles and items)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return head + "十" + ("" if ones == 0 else DIGITS[ones])


def citation_words(rule_id: str, rulebook: str) -> Tuple[str, str]:
    """The citation of a rule in words, and its wording, from the rulebook text."""
    r = jindu.rule(rule_id, rulebook)
    if r is None:
        return rule_id, ""
    c: Dict[str, Any] = r.get("citation") or {}
    words = ""
    if c.get("article"):
        words += f"第{chinese_number(int(c['article']))}条"
    if c.get("paragraph"):
        words += f"第{chinese_number(int(c['paragraph']))}款"
    if c.get("item"):
        words += f"第{chinese_number(int(c['item']))}项"
    if c.get("section"):
        words += str(c["section"])
    text: Dict[str, Any] = r.get("text") or {}
    return words or rule_id, str(text.get("zh", ""))


def county_of(rulebook: str) -> str:
    """The county a rulebook governs, by its jurisdiction's name."""
    for rb in jindu.rulebooks():
        if rb.get("id") == rulebook:
            j: Dict[str, Any] = dict(rb.get("jurisdiction") or {})
            name: Dict[str, Any] = dict(j.get("name") or {})
            return str(name.get("zh", j.get("key", rulebook)))
    return rulebook


def tier_label(row: Row) -> str:
    """The tier a row stands at after its review, in the rulebook's words."""
    if row.get("status") == "cancelled":
        return "已摘牌"
    name = row.get("tier_name")
    if isinstance(name, dict) and name.get("zh"):
        return str(name["zh"])
    return str(row.get("tier") or "—")


def tier_counts(rows: List[Row], county: str) -> Dict[str, Counter[str]]:
    """Tier counts per county (every row of a document belongs to the rulebook's county)."""
    out: Dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.get("ok"):
            out[county][tier_label(r)] += 1
    return out


def upcoming(rows: List[Row], as_of: Optional[datetime.date]) -> List[Tuple[datetime.date, Row]]:
    """Rows whose deadline falls on or after the report date (without one: on
    or after the row's own evaluation date), soonest first."""
    out: List[Tuple[datetime.date, Row]] = []
    for r in rows:
        d = r.get("deadline")
        if r.get("ok") and isinstance(d, str) and r.get("status") != "cancelled":
            day = datetime.date.fromisoformat(d)
            since = as_of or datetime.date.fromisoformat(str(r.get("date")))
            if day >= since:
                out.append((day, r))
    return sorted(out, key=lambda x: (x[0], str(x[1].get("area"))))


def svg_chart(counts: Dict[str, Counter[str]]) -> str:
    """A grouped bar chart of tier counts per county, as inline SVG."""
    tiers = sorted({t for c in counts.values() for t in c})
    colours = ["#c0392b", "#e67e22", "#2980b9", "#7f8c8d", "#27ae60", "#8e44ad"]
    top = max([n for c in counts.values() for n in c.values()] + [1])
    bar_w, gap, chart_h, pad = 36, 14, 180, 24
    width = 80 + len(counts) * (len(tiers) * bar_w + 2 * gap) + 160
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{chart_h + 70 + pad}" role="img" aria-label="各县整治级别数量">']
    parts.append(f'<g transform="translate(0,{pad})">')
    parts.append(f'<line x1="60" y1="{chart_h + 10}" x2="{width - 150}" y2="{chart_h + 10}" stroke="#333"/>')
    x = 70
    for county, c in counts.items():
        start = x
        for i, t in enumerate(tiers):
            n = c.get(t, 0)
            h = int(chart_h * n / top)
            colour = colours[i % len(colours)]
            parts.append(
                f'<rect class="bar" data-county="{html.escape(county)}" data-tier="{html.escape(t)}" data-count="{n}" '
                f'x="{x}" y="{chart_h + 10 - h}" width="{bar_w}" height="{h}" fill="{colour}"><title>{html.escape(t)}: {n}</title></rect>'
            )
            parts.append(f'<text x="{x + bar_w // 2}" y="{chart_h + 5 - h}" text-anchor="middle" font-size="12">{n}</text>')
            x += bar_w
        parts.append(f'<text x="{(start + x) // 2}" y="{chart_h + 30}" text-anchor="middle" font-size="13">{html.escape(county)}</text>')
        x += 2 * gap
    for i, t in enumerate(tiers):
        y = 20 + i * 20
        parts.append(f'<rect x="{width - 140}" y="{y - 11}" width="12" height="12" fill="{colours[i % len(colours)]}"/>')
        parts.append(f'<text x="{width - 122}" y="{y}" font-size="12">{html.escape(t)}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts)


def calendar_html(items: List[Tuple[datetime.date, Row]]) -> str:
    """A month grid for each month with a deadline, deadlines marked with their areas."""
    by_month: Dict[Tuple[int, int], Dict[int, List[Row]]] = defaultdict(lambda: defaultdict(list))
    for day, r in items:
        by_month[(day.year, day.month)][day.day].append(r)
    out: List[str] = []
    cal = calendar.Calendar(firstweekday=0)
    for (y, m), days in sorted(by_month.items()):
        out.append(f'<table class="month"><caption>{y}年{m}月</caption>')
        out.append("<tr>" + "".join(f"<th>{d}</th>" for d in "一二三四五六日") + "</tr>")
        for week in cal.monthdayscalendar(y, m):
            cells = []
            for d in week:
                if d == 0:
                    cells.append("<td></td>")
                    continue
                marks = "".join(
                    f'<div class="deadline" data-area="{html.escape(str(r.get("area")))}" '
                    f'data-deadline="{datetime.date(y, m, d).isoformat()}">{html.escape(str(r.get("area")))}'
                    f" · {html.escape(tier_label(r))}</div>"
                    for r in days.get(d, [])
                )
                cls = ' class="due"' if marks else ""
                cells.append(f"<td{cls}><span class=\"d\">{d}</span>{marks}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
    return "\n".join(out) or "<p>没有即将到期的期限。</p>"


def unmet_html(rows: List[Row], rulebook: str) -> str:
    """The unmet delisting conditions of each listing, with their citations."""
    out: List[str] = []
    for r in rows:
        unmet = [str(u) for u in (r.get("unmet_conditions") or [])]
        if not r.get("ok") or not unmet:
            continue
        out.append(f'<section class="unmet" data-area="{html.escape(str(r.get("area")))}" data-count="{len(unmet)}">')
        out.append(f"<h3>{html.escape(str(r.get('area')))}（{html.escape(tier_label(r))}）</h3><ul>")
        for u in unmet:
            words, text = citation_words(u, rulebook)
            out.append(
                f'<li data-rule="{html.escape(u)}"><b>{html.escape(words)}</b> <code>{html.escape(u)}</code>：{html.escape(text)}</li>'
            )
        out.append("</ul></section>")
    return "\n".join(out) or "<p>没有未满足的摘牌条件。</p>"


def rows_html(rows: List[Row]) -> str:
    """Every evaluated row, as a table."""
    head = "<tr><th>地区</th><th>评估日</th><th>原级别</th><th>结论</th><th>现级别</th><th>期限</th><th>后果（条款）</th><th>引用条款</th></tr>"
    body = []
    for r in rows:
        if not r.get("ok"):
            continue
        measures = "；".join(f"{m.get('measure')}（{m.get('rule')}）" for m in r.get("consequences") or [])
        body.append(
            f'<tr class="row" data-area="{html.escape(str(r.get("area")))}" data-outcome="{html.escape(str(r.get("outcome")))}">'
            f"<td>{html.escape(str(r.get('area')))}</td><td>{html.escape(str(r.get('date')))}</td>"
            f"<td>{html.escape(str(r.get('tier_before')))}</td><td>{html.escape(str(r.get('outcome') or '—'))}</td>"
            f"<td>{html.escape(tier_label(r))}</td><td>{html.escape(str(r.get('deadline') or '—'))}</td>"
            f"<td>{html.escape(measures)}</td><td>{html.escape(', '.join(str(c) for c in r.get('cited') or []))}</td></tr>"
        )
    return f"<table class=\"rows\">{head}{''.join(body)}</table>"


def errors_html(rows: List[Row]) -> str:
    """The rows that could not be evaluated, with their errors."""
    out: List[str] = []
    for r in rows:
        if r.get("ok"):
            continue
        msgs = "；".join(f"{e.get('path')}: {e.get('msg_zh')}" for e in r.get("errors") or [])
        out.append(f'<li class="error" data-index="{r.get("index")}">第 {r.get("index")} 行 {html.escape(str(r.get("area")))}：{html.escape(msgs)}</li>')
    return "<ul>" + "".join(out) + "</ul>" if out else "<p>全部地区均已评估。</p>"


def write_csv(rows: List[Row], path: Path) -> None:
    """One line per area: the numbers of the report."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["index", "area", "ok", "date", "tier_before", "outcome", "rule", "tier", "status", "deadline", "unmet_conditions", "consequences", "cited", "errors"])
        for r in rows:
            w.writerow(
                [
                    r.get("index"),
                    r.get("area"),
                    r.get("ok"),
                    r.get("date", ""),
                    r.get("tier_before", ""),
                    r.get("outcome") or "",
                    r.get("rule") or "",
                    r.get("tier") or "",
                    r.get("status") or "",
                    r.get("deadline") or "",
                    " ".join(str(u) for u in r.get("unmet_conditions") or []),
                    " ".join(f"{m.get('measure')}@{m.get('rule')}" for m in r.get("consequences") or []),
                    " ".join(str(c) for c in r.get("cited") or []),
                    json.dumps(r.get("errors") or [], ensure_ascii=False) if not r.get("ok") else "",
                ]
            )


def build(out_dir: Path, as_of: Optional[datetime.date] = None, document: Optional[Dict[str, Any]] = None) -> Tuple[Path, Path]:
    """Writes the HTML report and the CSV; returns their paths."""
    doc = document if document is not None else jindu.sample()
    result = jindu.report(doc)
    rulebook = str(result["rulebook"])
    rows: List[Row] = list(result["rows"])
    dates = [datetime.date.fromisoformat(str(r["date"])) for r in rows if r.get("ok") and r.get("date")]
    report_day = as_of or (max(dates) if dates else datetime.date.today())
    county = county_of(rulebook)
    counts = tier_counts(rows, county)
    items = upcoming(rows, as_of)
    title = next((rb["title"]["zh"] for rb in jindu.rulebooks() if rb.get("id") == rulebook), rulebook)
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>禁毒重点整治情况报告</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #bbb; padding: 4px 6px; vertical-align: top; }}
table.month td {{ width: 7em; height: 3.2em; font-size: 12px; }} td.due {{ background: #fdecea; }}
.deadline {{ color: #b03a2e; font-weight: bold; }} .d {{ color: #888; }}
</style></head><body>
<h1>禁毒重点整治情况报告</h1>
<p id="meta" data-rulebook="{html.escape(rulebook)}" data-as-of="{report_day.isoformat()}" data-rows="{len(rows)}">
依据：{html.escape(str(title))}（<code>{html.escape(rulebook)}</code>）；报告日：{report_day.isoformat()}；
地区 {len(rows)} 个，已评估 {sum(1 for r in rows if r.get('ok'))} 个；由 jindu {html.escape(jindu.__version__)} 计算。</p>
<h2>各县整治级别数量</h2>
{svg_chart(counts)}
<h2>即将到期的期限</h2>
<p id="upcoming" data-count="{len(items)}">{"报告日" if as_of else "各自评估日"}及以后到期的挂牌 {len(items)} 个。</p>
{calendar_html(items)}
<h2>未满足的摘牌条件（第十四条）</h2>
{unmet_html(rows, rulebook)}
<h2>逐地区结论</h2>
{rows_html(rows)}
<h2>未能评估的地区</h2>
{errors_html(rows)}
</body></html>
"""
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "jindu-report.html"
    csv_path = out_dir / "jindu-report.csv"
    html_path.write_text(page, encoding="utf-8")
    write_csv(rows, csv_path)
    return html_path, csv_path


def main(argv: Optional[List[str]] = None) -> int:
    """Command line: writes the report and prints where."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=".", help="the folder to write into (default: here)")
    p.add_argument("--as-of", default=None, help="the report date, YYYY-MM-DD (default: each row's own evaluation date)")
    a = p.parse_args(argv)
    as_of = datetime.date.fromisoformat(a.as_of) if a.as_of else None
    html_path, csv_path = build(Path(a.out), as_of)
    print(html_path)
    print(csv_path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
