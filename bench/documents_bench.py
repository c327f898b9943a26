"""Time to generate each kind of 公文 (jiandu/documents/gongwen).

For every kind: building its default template from code (once, cold), then rendering it
N times with a realistic context (four sections of body text, 20 table rows for the kinds
with a table, and for the 工作总结 a matplotlib chart drawn each time). Prints median and
slowest milliseconds and the size of the .docx. No database: the default template is used
(an uploaded one costs the same to fill, plus one query to find it).

    .venv/bin/python bench/documents_bench.py [--runs 20]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)


def context(kind, chart):
    paragraph = (
        "经查，该单位在行政处罚案件办理中存在裁量基准适用说明不充分、告知程序不完整等问题，"
        "不符合《中华人民共和国行政处罚法》第四十四条、第四十五条的规定。"
    )
    sections = [
        {"heading": f"{n}、检查发现的问题", "level": 1, "paragraphs": [paragraph] * 3}
        for n in "一二三"
    ] + [{"heading": "（一）整改要求", "level": 2, "paragraphs": [paragraph] * 2}]
    if chart is not None:
        sections.append({"paragraphs": [{"image": chart(), "width_mm": 150}]})
        sections[0]["table"] = {
            "header": ["单位", "问题数", "已销号", "逾期", "完成率"],
            "rows": [[f"第{i}单位", 10, 7, 1, "70%"] for i in range(20)],
        }
    from jiandu.documents.gongwen import KINDS

    columns = KINDS[kind].columns
    rows = [[f"{i}"] + [paragraph[:30]] * (len(columns) - 1) for i in range(1, 21)]
    return {
        "title": f"关于规范行政执法行为的{KINDS[kind].name}",
        "number": "平司监督〔2026〕12号",
        "recipient": "平川县市场监督管理局",
        "body_sections": sections,
        "attachments": ["问题清单"],
        "date": date(2026, 12, 2),
        "cc": ["县纪委监委"],
        "rows": rows if columns else [],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    import django

    django.setup()
    from jiandu.acceptance.summary import _bar_chart
    from jiandu.documents.gongwen import KINDS
    from jiandu.documents.gongwen.render import _fill

    def chart():
        labels = ["裁量基准", "执法程序", "涉企检查", "一体化", "包容审慎", "增值服务"]
        return _bar_chart("各整治内容问题", labels, [("问题数", [5, 8, 3, 2, 6, 1])])

    print(f"{'kind':<22}{'name':<14}{'template ms':>12}{'median ms':>11}{'max ms':>9}{'KB':>7}")
    for code, kind in KINDS.items():
        t = time.perf_counter()
        template = kind.default_template()
        build_ms = (time.perf_counter() - t) * 1000
        times, size = [], 0
        for _ in range(args.runs):
            t = time.perf_counter()
            ctx = context(code, chart if code == "campaign_summary" else None)
            data = _fill(template, code, ctx)
            times.append((time.perf_counter() - t) * 1000)
            size = len(data)
        print(
            f"{code:<22}{kind.name:<{14 - sum(1 for c in kind.name if ord(c) > 127)}}"
            f"{build_ms:>12.1f}{statistics.median(times):>11.1f}{max(times):>9.1f}"
            f"{size / 1024:>7.1f}"
        )


if __name__ == "__main__":
    main()
