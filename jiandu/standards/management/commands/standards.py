import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiandu.standards.published.readers import SUPPORTED, ReadError


class Command(BaseCommand):
    help = "读取发布的裁量基准或不予处罚清单（不保存）：parse PATH [--json]，parse-list PATH [--json]。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("parse", help="读取裁量基准表（.xls .xlsx .docx .pdf），打印读出的草稿")
        p.add_argument("path")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
        q = sub.add_parser("parse-list", help="读取不予处罚清单（.docx .xlsx .pdf .md .txt）")
        q.add_argument("path")
        q.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action, path, **opts):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"文件不存在：{path}")
        if source.suffix.lower() not in SUPPORTED:
            raise CommandError(
                f"不支持的文件类型：{source.suffix}（支持 {' '.join(sorted(SUPPORTED))}）"
            )
        try:
            if action == "parse":
                from jiandu.standards.published.layout import parse_file

                parsed = parse_file(source)
                data = parsed.as_json()
            else:
                from jiandu.standards.published.lenient import parse_list_file

                parsed = parse_list_file(source)
                data = parsed.as_json()
        except ReadError as e:
            raise CommandError(str(e)) from e
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        if action == "parse":
            self._print_benchmark(data)
        else:
            self._print_list(data)

    def _print_benchmark(self, data):
        out = self.stdout
        tiers = 0
        for item in data["items"]:
            out.write(f"{item['code']}  {item['name']}")
            for t in item["tiers"]:
                tiers += 1
                if t["multiple_of"]:
                    band = f"{t['multiple_of']} {t['multiple_min']}～{t['multiple_max']} 倍"
                else:
                    band = (
                        f"{t['fine_min'] if t['fine_min'] is not None else '—'}～{t['fine_max']} 元"
                    )
                ladder = f" [第{t['ladder']}序列]" if t["ladder"] > 1 else ""
                out.write(f"    {t['level']}{ladder}  {band}  {t['circumstances'][:40]}")
        for p in data["problems"]:
            out.write(f"问题：{p['sheet']} 第{p['row']}行：{p['message']}")
        out.write(
            f"事项 {len(data['items'])} 个，阶次 {tiers} 行，问题 {len(data['problems'])} 处。"
        )

    def _print_list(self, data):
        out = self.stdout
        for item in data["items"]:
            out.write(f"{item['code']}  {item['name']}  〔{item['basis'][:40]}〕")
            for c in item["conditions"]:
                mark = "可核对" if c["checkable"] else "需人工判断"
                out.write(f"    - {c['text']}（{mark}）")
        for p in data["problems"]:
            out.write(f"问题：{p['sheet']} 第{p['row']}行：{p['message']}")
        out.write(f"清单事项 {len(data['items'])} 个，问题 {len(data['problems'])} 处。")
