"""A consistent synthetic county in the data contract's formats, for the demo, tests and
benchmarks. Rows are built with plain loops over precomputed tables (no ORM, no per-row
date arithmetic) and written with the csv module, so a million cases take well under a
minute. Realistic violations are planted at modest rates so that every monitoring rule
of DOMAIN.md hits sometimes; the import accepts every row (dates never in the future,
never impossible)."""

import csv
import random
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from jiandu.demo.county import UNITS
from jiandu.intake.schema import KINDS
from jiandu.lib import uscc
from jiandu.lib.cells import neutralise_row

SCALES = {
    "demo": {
        "cases": 2000,
        "inspections": 2000,
        "enterprises": 600,
        "extra_towns": 0,
        "officers": 8,
        "items": 6,
    },
    "s": {
        "cases": 100_000,
        "inspections": 100_000,
        "enterprises": 20_000,
        "extra_towns": 14,
        "officers": 25,
        "items": 20,
    },
    "m": {
        "cases": 1_000_000,
        "inspections": 1_000_000,
        "enterprises": 150_000,
        "extra_towns": 34,
        "officers": 120,
        "items": 40,
    },
}

DOMAIN_ABBR = {
    "综合行政执法": "ZH",
    "市场监管": "SC",
    "生态环境": "HB",
    "文化市场": "WH",
    "交通运输": "JT",
    "应急管理": "YJ",
    "农业农村": "NY",
    "卫生健康": "WJ",
    "自然资源": "ZR",
}
# The violation catalogue: per enforcement field, real violations with the provisions a
# county's 裁量基准 cites for them (violated article, penalty article), and the ones that
# published 轻微违法行为不予处罚 / 首违不罚 lists really hold (their kind; None: not on
# such a list). Items beyond a field's list repeat it as 情形二, 情形三 … (a benchmark's
# sub-cases), never with invented law names.
FIRST = "首次违法不予处罚"
MINOR = "轻微违法不予处罚"
CSRW = "《城市市容和环境卫生管理条例》"
FOOD = "《中华人民共和国食品安全法》"
WATER = "《中华人民共和国水污染防治法》"
SOLID = "《中华人民共和国固体废物污染环境防治法》"
NETBAR = "《互联网上网服务营业场所管理条例》"
ROAD = "《中华人民共和国道路运输条例》"
SAFETY = "《中华人民共和国安全生产法》"
PESTICIDE = "《农药管理条例》"
PLACES = "《公共场所卫生管理条例实施细则》"
LAND = "《中华人民共和国土地管理法》"
DOMAIN_ACTS = {
    "综合行政执法": [
        (
            "擅自占用城市道路",
            "《城市道路管理条例》第二十七条",
            "《城市道路管理条例》第四十二条",
            None,
        ),
        ("未经批准擅自设置大型户外广告影响市容", f"{CSRW}第十一条", f"{CSRW}第三十六条", None),
        (
            "未经批准在城市建筑物、设施上张挂、张贴宣传品",
            f"{CSRW}第十七条",
            f"{CSRW}第三十四条",
            FIRST,
        ),
        (
            "未取得建设工程规划许可证进行建设",
            "《中华人民共和国城乡规划法》第四十条",
            "《中华人民共和国城乡规划法》第六十四条",
            None,
        ),
        ("擅自砍伐城市树木", "《城市绿化条例》第二十条", "《城市绿化条例》第二十六条", None),
        ("运输散装货物未密封、覆盖造成泄漏遗撒", f"{CSRW}第十五条", f"{CSRW}第三十四条", MINOR),
    ],
    "市场监管": [
        ("经营不符合食品安全标准的食品", f"{FOOD}第三十四条", f"{FOOD}第一百二十四条", None),
        (
            "未将营业执照置于住所或者主要经营场所的醒目位置",
            "《中华人民共和国市场主体登记管理条例》第三十六条",
            "《中华人民共和国市场主体登记管理条例》第四十八条",
            FIRST,
        ),
        (
            "发布虚假广告",
            "《中华人民共和国广告法》第二十八条",
            "《中华人民共和国广告法》第五十五条",
            None,
        ),
        ("经营超过保质期的食品", f"{FOOD}第三十四条", f"{FOOD}第一百二十四条", None),
        (
            "食品经营者未按规定查验进货相关证明文件",
            f"{FOOD}第五十三条",
            f"{FOOD}第一百二十六条",
            None,
        ),
        (
            "经营者未按照规定明码标价",
            "《中华人民共和国价格法》第十三条",
            "《中华人民共和国价格法》第四十二条",
            FIRST,
        ),
        (
            "利用虚假的或者使人误解的价格手段诱骗消费者交易",
            "《中华人民共和国价格法》第十四条",
            "《中华人民共和国价格法》第四十条",
            None,
        ),
    ],
    "生态环境": [
        (
            "超过大气污染物排放标准排放大气污染物",
            "《中华人民共和国大气污染防治法》第十八条",
            "《中华人民共和国大气污染防治法》第九十九条",
            None,
        ),
        (
            "建设项目环境影响报告表未经批准擅自开工建设",
            "《中华人民共和国环境影响评价法》第二十五条",
            "《中华人民共和国环境影响评价法》第三十一条",
            None,
        ),
        ("未按照规定设置危险废物识别标志", f"{SOLID}第七十七条", f"{SOLID}第一百一十二条", FIRST),
        (
            "未按照国家环境保护标准贮存危险废物",
            f"{SOLID}第八十一条",
            f"{SOLID}第一百一十二条",
            None,
        ),
        (
            "未取得证明在噪声敏感建筑物集中区域夜间施工",
            "《中华人民共和国噪声污染防治法》第四十三条",
            "《中华人民共和国噪声污染防治法》第七十七条",
            None,
        ),
        ("通过暗管等逃避监管的方式排放水污染物", f"{WATER}第三十九条", f"{WATER}第八十三条", None),
        ("违反规定设置排污口", f"{WATER}第二十二条", f"{WATER}第八十四条", None),
    ],
    "文化市场": [
        (
            "未经许可从事营业性演出经营活动",
            "《营业性演出管理条例》第六条",
            "《营业性演出管理条例》第四十三条",
            None,
        ),
        ("互联网上网服务营业场所接纳未成年人", f"{NETBAR}第二十一条", f"{NETBAR}第三十一条", None),
        (
            "互联网上网服务营业场所未悬挂未成年人禁入标志",
            f"{NETBAR}第二十一条",
            f"{NETBAR}第三十一条",
            FIRST,
        ),
        (
            "互联网上网服务营业场所在规定的营业时间以外营业",
            f"{NETBAR}第二十二条",
            f"{NETBAR}第三十一条",
            None,
        ),
    ],
    "交通运输": [
        ("未取得道路客运经营许可擅自从事道路客运经营", f"{ROAD}第十条", f"{ROAD}第六十三条", None),
        (
            "车货总质量超过公路限定标准行驶",
            "《中华人民共和国公路法》第五十条",
            "《公路安全保护条例》第六十四条",
            None,
        ),
        ("客运班车不按批准的客运站点停靠", f"{ROAD}第六十九条", f"{ROAD}第六十九条", MINOR),
        ("货物在运输途中脱落、扬撒", f"{ROAD}第六十九条", f"{ROAD}第六十九条", None),
    ],
    "应急管理": [
        (
            "未按照规定对从业人员进行安全生产教育和培训",
            f"{SAFETY}第二十八条",
            f"{SAFETY}第九十七条",
            None,
        ),
        ("未建立事故隐患排查治理制度", f"{SAFETY}第四十一条", f"{SAFETY}第一百零一条", None),
        (
            "危险化学品未储存在专用仓库内",
            "《危险化学品安全管理条例》第二十四条",
            "《危险化学品安全管理条例》第八十条",
            None,
        ),
        ("特种作业人员未取得相应资格上岗作业", f"{SAFETY}第三十条", f"{SAFETY}第九十七条", None),
        ("未如实记录安全生产教育和培训情况", f"{SAFETY}第二十八条", f"{SAFETY}第九十七条", FIRST),
    ],
    "农业农村": [
        ("未取得农药经营许可证经营农药", f"{PESTICIDE}第二十四条", f"{PESTICIDE}第五十五条", None),
        ("经营超过农药质量保证期的农药", f"{PESTICIDE}第四十五条", f"{PESTICIDE}第五十六条", None),
        (
            "未按照国家有关兽药安全使用规定使用兽药",
            "《兽药管理条例》第三十八条",
            "《兽药管理条例》第六十二条",
            None,
        ),
        (
            "经营依法应当检疫而未经检疫的动物产品",
            "《中华人民共和国动物防疫法》第二十九条",
            "《中华人民共和国动物防疫法》第九十七条",
            None,
        ),
        (
            "未建立兽药用药记录或者记录不完整真实",
            "《兽药管理条例》第三十八条",
            "《兽药管理条例》第六十二条",
            FIRST,
        ),
    ],
    "卫生健康": [
        (
            "非医师行医",
            "《中华人民共和国医师法》第十三条",
            "《中华人民共和国医师法》第五十九条",
            None,
        ),
        (
            "未依法取得公共场所卫生许可证擅自营业",
            "《公共场所卫生管理条例》第八条",
            f"{PLACES}第三十五条",
            None,
        ),
        (
            "安排未获得有效健康合格证明的从业人员直接为顾客服务",
            "《公共场所卫生管理条例》第七条",
            f"{PLACES}第三十八条",
            None,
        ),
        (
            "未按照规定对顾客用品用具进行清洗、消毒、保洁",
            f"{PLACES}第十四条",
            f"{PLACES}第三十六条",
            None,
        ),
        ("未按照规定对公共场所卫生质量进行检测", f"{PLACES}第十九条", f"{PLACES}第三十六条", FIRST),
        (
            "消毒产品的标签、说明书不符合规定",
            "《消毒管理办法》第三十一条",
            "《消毒管理办法》第四十三条",
            None,
        ),
    ],
    "自然资源": [
        ("未经批准非法占用土地", f"{LAND}第四十四条", f"{LAND}第七十七条", None),
        ("擅自在耕地上建房、挖砂、采石、取土", f"{LAND}第三十七条", f"{LAND}第七十五条", None),
        ("买卖或者以其他形式非法转让土地", f"{LAND}第二条", f"{LAND}第七十四条", None),
        ("临时使用土地期满拒不归还", f"{LAND}第五十七条", f"{LAND}第八十一条", None),
    ],
}
# 情形二 … for the items beyond a field's list (scales s and m).
CASE_NUMERALS = "二三四五六七八九十"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "建国晓燕志强丽华海涛静伟敏磊婷军芳洋霞勇艳明华平安宁浩然思远子涵雨欣"
WORDS = "恒信德润华兴隆盛鑫源泰安宏远金鼎博瑞嘉禾永福康达中天新锐佳和东方天成丰"
TRADES = [
    ("贸易", "批发和零售业"),
    ("餐饮", "住宿和餐饮业"),
    ("建材", "制造业"),
    ("运输", "交通运输业"),
    ("科技", "信息技术服务业"),
    ("化工", "制造业"),
    ("农业", "农林牧渔业"),
    ("文化传媒", "文化体育和娱乐业"),
    ("医药", "卫生和社会工作"),
    ("物业", "房地产业"),
]
TOWN_SYLLABLES = "青石白马清河柳岸桃源龙潭凤鸣云溪金山松林黄沙梅岭杨桥枫泾双塔银湖"
RANGES = [
    (200, 2000),
    (1000, 10000),
    (2000, 20000),
    (5000, 50000),
    (10000, 100000),
    (50000, 200000),
    (100000, 500000),
]

HEADERS = {code: [c.header for c in kind.columns] for code, kind in KINDS.items()}


class County:
    """Lookup tables shared by the sheets."""


def _person(rnd):
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _org_code(n: int) -> str:
    chars = uscc.CHARSET
    out = []
    for _ in range(9):
        n, r = divmod(n, 31)
        out.append(chars[r])
    return "".join(reversed(out))


def _units(scale_cfg, rnd):
    kind_label = {
        "township": "乡镇",
        "department": "县直部门",
        "justice": "司法局",
        "discipline": "纪委监委",
    }
    units = [
        (code, name, kind_label[str(kind)], list(domains)) for code, name, kind, domains in UNITS
    ]
    used = {u[1] for u in units}
    n = 0
    while n < scale_cfg["extra_towns"]:
        name = (
            rnd.choice(TOWN_SYLLABLES)
            + rnd.choice(TOWN_SYLLABLES)
            + rnd.choice(("镇", "乡"))
            + "人民政府"
        )
        if name in used:
            continue
        used.add(name)
        n += 1
        units.append((f"PC-T{n:02d}", name, "乡镇", ["综合行政执法"]))
    return units


def build(scale="demo", seed=1, today=None) -> County:
    cfg = SCALES[scale]
    rnd = random.Random(seed)
    today = today or timezone.localdate()
    c = County()
    c.cfg, c.rnd, c.today = cfg, rnd, today
    c.units = _units(cfg, rnd)
    c.enforcers = [u for u in c.units if u[2] in ("乡镇", "县直部门")]
    c.towns = [u for u in c.units if u[2] == "乡镇"]
    # Officers: per unit; about 5 % with an expired certificate.
    c.officers = []
    c.unit_officers = {}
    for ui, (code, _name, _kind, domains) in enumerate(c.enforcers):
        certs = []
        for j in range(cfg["officers"]):
            cert = f"33{ui + 1:03d}{j + 1:05d}"
            expired = rnd.random() < 0.05
            valid = (
                today - timedelta(days=rnd.randint(30, 500))
                if expired
                else today + timedelta(days=rnd.randint(60, 1500))
            )
            c.officers.append((cert, _person(rnd), code, domains[0] if domains else "", valid))
            certs.append(cert)
        c.unit_officers[code] = certs
    # Enterprises with valid USCCs.
    c.enterprises = []
    for i in range(cfg["enterprises"]):
        roll = rnd.random()
        kind, head = (
            ("企业", "91")
            if roll < 0.8
            else ("个体工商户", "92")
            if roll < 0.95
            else ("其他组织", "52")
        )
        code = uscc.make(head + "331099" + _org_code(i * 7919 + 104729))
        trade, industry = rnd.choice(TRADES)
        town = rnd.choice(c.towns)
        name = f"平川县{rnd.choice(WORDS)}{rnd.choice(WORDS)}{trade}{'有限公司' if kind == '企业' else '经营部' if kind == '个体工商户' else '协会'}"
        if kind == "个体工商户":
            name = f"平川县{town[1][:2]}{_person(rnd)}{trade}店"
        quiet = rnd.random() < 0.08
        founded = today - timedelta(days=rnd.randint(200, 7000))
        c.enterprises.append((code, name, kind, industry, town[1], founded, quiet))
    # Violation catalogue: items per domain, tiers, versions.
    c.items = {}  # domain -> list of item dicts
    c.all_items = []
    n_items = cfg["items"]
    for domain, abbr in DOMAIN_ABBR.items():
        acts = DOMAIN_ACTS[domain]
        for k in range(n_items):
            act, violated, penalty, lenient = acts[k % len(acts)]
            if k >= len(acts):
                n = k // len(acts) - 1
                act += f"（情形{CASE_NUMERALS[n] if n < len(CASE_NUMERALS) else n + 2}）"
            lo, hi = RANGES[(k * 3 + len(domain)) % len(RANGES)]
            item = {
                "code": f"{abbr}-{k + 1:03d}",
                "name": act,
                "domain": domain,
                "violated": violated,
                "penalty": penalty,
                "lenient": lenient,
                "multiple": None,
                "versions": [],
            }
            if k % 7 == 3:
                item["multiple"] = "违法所得" if k % 2 else "货值金额"
            if k % 11 == 5:
                lo, hi = 1000, 30000  # a fixed range wider than 10x (DISC-05)
            item["versions"].append({"ago": 1400, "tiers": _tiers(lo, hi, item["multiple"])})
            if k % 5 == 2:  # a revised benchmark a year ago
                item["versions"].append(
                    {"ago": 365, "tiers": _tiers(int(lo * 1.2), int(hi * 1.2), item["multiple"])}
                )
            if domain == "市场监管" and k == n_items - 1:
                item["versions"] = [
                    {"ago": -30, "tiers": _tiers(lo, hi, None)}
                ]  # not in force yet (DISC-05)
            item["max"] = max(v["tiers"]["从重"][1] or 0 for v in item["versions"])
            c.items.setdefault(domain, []).append(item)
            c.all_items.append(item)
    # The lenient list: the items real 不予处罚 lists hold, and some items for 从轻减轻处罚
    # (主动消除或者减轻危害后果 applies to any violation).
    c.lenient = []
    for i, item in enumerate(c.all_items):
        if item["lenient"]:
            c.lenient.append((item["lenient"], item))
        elif i % 13 == 2:
            c.lenient.append(("从轻减轻处罚", item))
    c.lenient_codes = {item["code"] for kind, item in c.lenient if kind != "从轻减轻处罚"}
    return c


def _tiers(lo, hi, multiple):
    r = hi - lo
    if multiple:
        return {
            "不予处罚": (None, None, None),
            "减轻": (None, None, (0.5, 1)),
            "从轻": (None, None, (1, 2)),
            "一般": (None, None, (2, 4)),
            "从重": (None, None, (4, 5)),
        }
    return {
        "不予处罚": (None, None, None),
        "减轻": (round(lo * 0.3), lo, None),
        "从轻": (lo, round(lo + 0.3 * r), None),
        "一般": (round(lo + 0.3 * r), round(lo + 0.7 * r), None),
        "从重": (round(lo + 0.7 * r), hi, None),
    }


class Days:
    """'days ago' -> cell value: ISO strings for CSV, dates for Excel."""

    FUTURE = 2000  # benchmarks and certificates may lie ahead

    def __init__(self, today, as_date):
        days = [today - timedelta(days=k) for k in range(-self.FUTURE, 8000)]
        self.values = days if as_date else [d.isoformat() for d in days]

    def __getitem__(self, ago):
        return "" if ago is None else self.values[ago + self.FUTURE]


def _write(path: Path, header, rows, fmt):
    """The import reads "'-x" back as "-x" (lib.cells): the files are written as
    every export is, so a generated value round-trips whatever it starts with."""
    rows = map(neutralise_row, rows)
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        return path
    try:
        import xlsxwriter  # the `bench` extra: several times faster for the large scales
    except ImportError:
        return _write_openpyxl(path, header, rows)
    wb = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "default_date_format": "yyyy-mm-dd",
            "strings_to_numbers": False,
            "strings_to_formulas": False,
        },
    )
    ws = wb.add_worksheet()
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    wb.close()
    return path


def _write_openpyxl(path: Path, header, rows):
    """The same sheet without xlsxwriter (a plain install): openpyxl's write-only mode
    streams rows as xlsxwriter's constant_memory does; dates get yyyy-mm-dd by default,
    and strings stay strings (neutralise_row has already quoted formula-like ones)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def unit_rows(c):
    for code, name, kind, domains in c.units:
        yield [code, name, kind, "；".join(domains), ""]


def officer_rows(c, days):
    for cert, name, unit, domain, valid in c.officers:
        yield [cert, name, unit, domain, days[(c.today - valid).days]]


def enterprise_rows(c, days):
    for code, name, kind, industry, town, founded, quiet in c.enterprises:
        yield [
            code,
            name,
            kind,
            industry,
            town,
            days[(c.today - founded).days],
            "是" if quiet else "否",
        ]


def standard_rows(c, days):
    for item in c.all_items:
        for vi, version in enumerate(c.items and item["versions"]):
            eff = version["ago"]
            eff_cell = days[eff]
            for ti, (level, (lo, hi, mult)) in enumerate(version["tiers"].items()):
                first = vi == 0 and ti == 0
                yield [
                    item["code"],
                    item["name"] if first else "",
                    item["domain"] if first else "",
                    item["violated"] if first else "",
                    item["penalty"] if first else "",
                    level,
                    {
                        "不予处罚": "初次违法、危害后果轻微并及时改正",
                        "减轻": "有法定减轻情节",
                        "从轻": "有从轻情节",
                        "一般": "无从轻从重情节",
                        "从重": "有从重情节",
                    }[level],
                    "" if lo is None else lo,
                    "" if hi is None else hi,
                    item["multiple"] if mult else "",
                    mult[0] if mult else "",
                    mult[1] if mult else "",
                    "没收违法所得" if level in ("一般", "从重") else "",
                    eff_cell,
                ]


LENIENT_TERMS = {
    FIRST: "初次违法且危害后果轻微，在责令改正期限内改正",
    MINOR: "违法行为轻微并及时改正，没有造成危害后果",
    "从轻减轻处罚": "主动消除或者减轻违法行为危害后果",
}


def lenient_rows(c, days):
    for kind, item in c.lenient:
        yield [
            kind,
            item["code"],
            item["name"],
            LENIENT_TERMS[kind],
            # 不予处罚: art. 33 (初次违法…; 违法行为轻微…); 从轻减轻: art. 32.
            "《中华人民共和国行政处罚法》第三十二条"
            if kind == "从轻减轻处罚"
            else "《中华人民共和国行政处罚法》第三十三条",
            "PC-SFJ",
            days[700],
        ]


PARTY = {"企业": "法人", "个体工商户": "个体工商户", "其他组织": "其他组织"}
SOURCES = ["日常检查", "双随机抽查", "投诉举报", "上级交办", "部门移送", "其他"]
SOURCE_W = [40, 20, 20, 8, 7, 5]


def _abbr(code):
    return code.split("-", 1)[1]


def case_rows(c, days, n, keep=None):
    """keep: a list that receives (unit, case_no, decided_ago, served_ago, published_ago, enterprise?) for repairs."""
    rnd, ents, today = c.rnd, c.enterprises, c.today
    rand, randint, choice = rnd.random, rnd.randint, rnd.choice
    enforcers = c.enforcers
    unit_items = {
        u[0]: [it for d in (u[3] or ["综合行政执法"]) for it in c.items.get(d, [])]
        for u in enforcers
    }
    lenient_by_unit = {
        code: [it for it in items if it["code"] in c.lenient_codes]
        for code, items in unit_items.items()
    }
    for i in range(n):
        unit = enforcers[i % len(enforcers)] if i < len(enforcers) else choice(enforcers)
        ucode = unit[0]
        items = unit_items[ucode]
        item = choice(items)
        if rand() < 0.1:
            party_type, party_name, party_uscc = "自然人", _person(rnd), ""
        else:
            e = choice(ents)
            party_type, party_name, party_uscc = PARTY[e[2]], e[1], e[0]
        filed = randint(20, 720)
        roll = rand()
        if roll < 0.03:
            dur = randint(95, 160)  # PROC-01: over 90 days, no extension
        else:
            dur = randint(3, 70)
        extension = "是" if roll < 0.005 else "否"
        decided = filed - dur
        if decided < 0:
            decided = None
        # Tier and circumstances
        t = rand()
        lenient_hit = False
        if t < 0.30:
            tier, circ = (
                "从轻",
                choice((["初次违法", "及时改正"], ["配合查处"], ["主动消除或减轻危害后果"])),
            )
        elif t < 0.80:
            tier, circ = "一般", choice(([], ["及时改正"], []))
        elif t < 0.90:
            tier, circ = "从重", choice((["多次违法"], ["拒不改正"], ["造成严重后果"]))
        elif t < 0.95:
            tier, circ = "减轻", ["主动消除或减轻危害后果"]
        else:
            tier, circ = "不予处罚", ["初次违法", "危害后果轻微", "及时改正"]
        plant = rand()
        if plant < 0.015:
            tier, circ = "一般", ["配合查处"]  # DISC-03
        elif plant < 0.025:
            tier, circ = "从重", ["危害后果轻微", "及时改正"]  # LENI-02
        elif plant < 0.035 and lenient_by_unit[ucode] and party_uscc:
            item = choice(lenient_by_unit[ucode])  # LENI-01: on the list, yet fined
            tier, circ, lenient_hit = "从轻", ["初次违法", "危害后果轻微", "及时改正"], True
        # Benchmark in force on the decision date (or the filing date while undecided)
        ref = decided if decided is not None else filed
        version = None
        for v in item["versions"]:
            if v["ago"] >= ref:
                version = v
        fine = income = goods = confiscated = ""
        kinds = []
        if tier == "不予处罚" and not lenient_hit:
            kinds = ["不予处罚"]
        else:
            lo, hi, mult = version["tiers"][tier] if version else (1000, 5000, None)
            if mult:
                base = randint(20, 800) * 100
                if item["multiple"] == "违法所得":
                    income = base
                else:
                    goods = base
                lo, hi = base * mult[0], base * mult[1]
            if hi:
                amount = round(lo + (hi - lo) * rand(), -1 if hi < 100000 else -2)
                p = rand()
                if p < 0.02:
                    amount = round(hi * 1.3, -1)  # DISC-02: above the tier
                elif p < 0.025:
                    amount = round(hi * 6, -1)  # DISC-01: an outlier among peers
                elif p < 0.03 and tier == "从重" and not mult:
                    amount, circ = item["max"], []  # DISC-04: the statutory maximum without cause
                fine = int(amount)
                kinds = ["罚款"]
                if income and rand() < 0.6:
                    kinds.append("没收违法所得")
                    confiscated = income
            else:
                kinds = ["警告"]
            if rand() < 0.08:
                kinds.insert(0, "警告")
            if rand() < 0.01:
                kinds.append(choice(("吊销许可证件", "责令停产停业", "降低资质等级")))
        major = (bool(fine) and fine >= (10000 if party_type == "自然人" else 100000)) or any(
            k in kinds for k in ("吊销许可证件", "责令停产停业", "降低资质等级")
        )
        hearing = "是" if major and rand() < 0.5 else "否"
        notified = served = published = closed = review_on = notice = advice = None
        if decided is not None:
            notified = (
                None
                if rand() < 0.02
                else randint(decided + 1, filed)
                if filed > decided
                else decided
            )  # PROC-05
            s = rand()
            served = decided - (randint(8, 20) if s < 0.03 else randint(0, 3))  # PROC-02
            p = rand()
            published = (
                None
                if p < 0.03 or kinds == ["不予处罚"]
                else decided - (randint(12, 25) if p < 0.05 else randint(1, 5))
            )  # PROC-03
            reviewed = rand() < (0.85 if major else 0.3)  # PROC-04
            review_on = min(decided + randint(1, 5), filed) if reviewed else None
            if served is not None and served >= 0 and party_type != "自然人" and fine:
                q = rand()
                notice = served
                advice = (
                    served if q > 0.04 else (None if q < 0.02 else max(served - 3, 0))
                )  # SERV-01
            if served is not None and served >= 0:
                closed = served - randint(5, 30)
        else:
            reviewed = False
        discussed = "是" if (major and rand() < 0.85) or rand() < 0.05 else "否"  # PROC-06
        av = "是" if rand() < (0.9 if major else 0.7) else "否"  # PROC-08
        certs = c.unit_officers[ucode]
        o = rand()
        if o < 0.02:
            officers = choice(certs)  # PROC-07: one officer only
        elif o < 0.025:
            officers = (
                f"{choice(certs)}；99{randint(10000000, 99999999)}"  # PROC-07: unknown certificate
            )
        else:
            a = randint(0, len(certs) - 1)
            officers = f"{certs[a]}；{certs[(a + 1 + randint(0, len(certs) - 2)) % len(certs)]}"
        if served is not None and served < 0:
            served = notice = advice = closed = None
        if published is not None and published < 0:
            published = None
        if closed is not None and closed < 0:
            closed = None
        year = (today - timedelta(days=filed)).year
        case_no = f"平{_abbr(ucode)}罚〔{year}〕{i + 1}号"
        row = [
            case_no,
            ucode,
            party_name,
            party_type,
            party_uscc,
            item["code"],
            "",
            choice(SOURCES) if rand() < 0.9 else "",
            days[filed],
            days[notified],
            hearing,
            "是" if reviewed else "否",
            days[review_on],
            discussed,
            extension,
            days[decided],
            days[served],
            days[published],
            days[closed],
            "；".join(kinds),
            fine,
            confiscated,
            income,
            goods,
            tier,
            "；".join(circ),
            officers,
            av,
            days[notice],
            days[advice],
            "",
        ]
        if (
            keep is not None
            and decided is not None
            and published is not None
            and party_uscc
            and fine
            and published >= 0
        ):
            keep.append((ucode, case_no, decided, published))
        yield row


INSP_KINDS = ["日常检查", "双随机抽查", "专项检查", "投诉举报核查", "上级交办", "其他"]
INSP_W = [40, 25, 15, 10, 5, 5]
RESULTS = ["未发现问题", "责令整改", "立案查处", "移送处理"]
RESULT_W = [70, 20, 7, 3]


def inspection_rows(c, days, n):
    rnd, ents, today = c.rnd, c.enterprises, c.today
    rand, randint, choice, choices = rnd.random, rnd.randint, rnd.choice, rnd.choices
    enforcers = c.enforcers
    normal = [e for e in ents if not e[6]] or ents
    quiet = [e for e in ents if e[6]] or ents
    i = 0
    kinds = choices(INSP_KINDS, INSP_W, k=n)
    results = choices(RESULTS, RESULT_W, k=n)
    while i < n:
        unit = choice(enforcers)
        kind = kinds[i]
        ent = (
            choice(quiet)
            if kind in ("双随机抽查", "投诉举报核查") and rand() < 0.1
            else choice(normal)
        )
        if kind in ("日常检查", "专项检查") and rand() < 0.02:
            ent = choice(quiet)  # INSP-05
        ago = randint(2, 720)
        group = [(unit, ago, "")]
        g = rand()
        if g < 0.08 and n - i >= 3:  # a joint inspection of 2-3 units
            others = rnd.sample(enforcers, 3)
            members = [u for u in others if u[0] != unit[0]][: randint(1, 2)]
            jno = f"LH{(today - timedelta(days=ago)).year}{i + 1:07d}"
            group = [(unit, ago, jno)] + [(u, ago, jno) for u in members]
        elif g < 0.09 and n - i >= 3:  # INSP-01: a third visit by the same unit in one year
            base = randint(130, 700)
            group = [(unit, base, ""), (unit, base - 40, ""), (unit, base - 80, "")]
        elif g < 0.10 and n - i >= 2:  # INSP-03: the same unit again within 30 days
            group = [(unit, ago + 15, ""), (unit, ago, "")]
        for u, day, jno in group:
            if i >= n:
                break
            ucode = u[0]
            certs = c.unit_officers[ucode]
            r = rand()
            if r < 0.03:
                reg_no, reg = "", None  # INSP-04: not registered
            elif r < 0.06:
                reg_no, reg = f"DJ{i + 1:08d}", max(day - randint(1, 3), 0)  # registered afterwards
            else:
                reg_no, reg = f"DJ{i + 1:08d}", day + randint(1, 5)
            o = rand()
            if o < 0.03:
                officers = choice(certs)  # INSP-06
            else:
                a = randint(0, len(certs) - 1)
                officers = f"{certs[a]}；{certs[(a + 1 + randint(0, len(certs) - 2)) % len(certs)]}"
            year = (today - timedelta(days=day)).year
            yield [
                f"平{_abbr(ucode)}检〔{year}〕{i + 1}号",
                ucode,
                ent[1],
                ent[0],
                days[day],
                "现场" if rand() < 0.85 or jno else "非现场",
                kinds[i] if not jno else "专项检查",
                jno,
                reg_no,
                days[reg],
                officers,
                "证照公示、台账记录、现场安全",
                results[i],
            ]
            i += 1


def repair_rows(c, days, keep, share=0.06):
    rnd = c.rnd
    rand, randint = rnd.random, rnd.randint
    for ucode, case_no, _decided, published in keep:
        if rand() > share:
            continue
        applied = published - randint(20, 200)
        if applied < 0:
            continue
        d = rand()
        decided_on = (
            None if (d < 0.05 and applied >= 15) else max(applied - randint(2, 14), 0)
        )  # SERV-03
        result = "" if decided_on is None else ("准予修复" if rand() < 0.85 else "不予修复")
        withdrawn = None
        if result == "准予修复":
            w = rand()
            withdrawn = (
                None if w < 0.06 else decided_on - (randint(10, 20) if w < 0.1 else randint(0, 4))
            )  # SERV-02
            if withdrawn is not None and withdrawn < 0:
                withdrawn = None
        yield [case_no, ucode, days[applied], days[decided_on], result, days[withdrawn]]


def transfer_rows(c, days, n):
    rnd = c.rnd
    rand, randint = rnd.random, rnd.randint
    for i in range(n):
        a, b = rnd.sample(c.enforcers, 2)
        sent = randint(1, 700)
        r = rand()
        received = (
            None if r < 0.05 else sent - (randint(8, 20) if r < 0.08 else randint(0, 4))
        )  # INTG-01
        if received is not None and received < 0:
            received = None
        yield [
            f"YS{(c.today - timedelta(days=sent)).year}{i + 1:06d}",
            a[0],
            b[0],
            days[sent],
            days[received],
            "已立案查处" if received is not None and rand() < 0.6 else "",
        ]


FILES = [
    "units",
    "officers",
    "enterprises",
    "standards",
    "lenient",
    "cases",
    "inspections",
    "credit_repairs",
    "transfers",
]


def generate(
    out_dir, scale="demo", fmt="csv", seed=1, today=None, only=None, progress=None
) -> dict[str, Path]:
    """Write the county's sheets into out_dir; returns kind -> path, in import order."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    c = build(scale, seed, today)
    days = Days(c.today, as_date=fmt == "xlsx")
    cfg = c.cfg
    keep = []
    produce = {
        "units": lambda: unit_rows(c),
        "officers": lambda: officer_rows(c, days),
        "enterprises": lambda: enterprise_rows(c, days),
        "standards": lambda: standard_rows(c, days),
        "lenient": lambda: lenient_rows(c, days),
        "cases": lambda: case_rows(c, days, cfg["cases"], keep),
        "inspections": lambda: inspection_rows(c, days, cfg["inspections"]),
        "credit_repairs": lambda: repair_rows(c, days, keep),
        "transfers": lambda: transfer_rows(c, days, max(50, cfg["cases"] // 20)),
    }
    paths = {}
    for kind in FILES:
        if only and kind not in only and not (kind == "cases" and "credit_repairs" in only):
            continue
        path = out / f"{kind}.{fmt}"
        _write(path, HEADERS[kind], produce[kind](), fmt)
        if only and kind not in only:
            path.unlink()
            continue
        paths[kind] = path
        if progress:
            progress(kind, path)
    return paths
