import time

from django.core.management.base import BaseCommand

from jiandu.demo.generate import SCALES, generate


class Command(BaseCommand):
    help = "生成一个虚构县的执法数据（按数据规范的格式），用于演示、测试和性能测试。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=list(SCALES), default="demo", help="demo≈2千案件，s≈10万，m≈100万"
        )
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, out, format, seed, **opts):
        start = time.monotonic()

        def progress(kind, path):
            self.stderr.write(f"已生成 {path}（{time.monotonic() - start:.1f} 秒）")

        paths = generate(out, scale, format, seed=seed, progress=progress)
        self.stdout.write(
            f"已生成 {len(paths)} 个文件到 {out}，用时 {time.monotonic() - start:.1f} 秒。"
        )
        self.stdout.write("导入顺序：" + " → ".join(p.name for p in paths.values()))
