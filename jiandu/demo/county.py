"""The demo county 平川县: its units and one account per role."""

from jiandu.orgs.models import Domain, Role, Unit, User

MARKER_UNIT = "PC-SFJ"
PASSWORD = "Jiandu@2026"

# code, name, kind, domains
UNITS = [
    ("PC-SFJ", "平川县司法局", Unit.Kind.JUSTICE, []),
    ("PC-JW", "平川县纪委监委", Unit.Kind.DISCIPLINE, []),
    ("PC-SCJ", "平川县市场监督管理局", Unit.Kind.DEPARTMENT, ["市场监管"]),
    ("PC-HBJ", "平川县生态环境分局", Unit.Kind.DEPARTMENT, ["生态环境"]),
    ("PC-WGL", "平川县文化和广电旅游体育局", Unit.Kind.DEPARTMENT, ["文化市场"]),
    ("PC-JTJ", "平川县交通运输局", Unit.Kind.DEPARTMENT, ["交通运输"]),
    ("PC-YJJ", "平川县应急管理局", Unit.Kind.DEPARTMENT, ["应急管理"]),
    ("PC-NYJ", "平川县农业农村局", Unit.Kind.DEPARTMENT, ["农业农村"]),
    ("PC-WJJ", "平川县卫生健康局", Unit.Kind.DEPARTMENT, ["卫生健康"]),
    ("PC-ZRJ", "平川县自然资源和规划局", Unit.Kind.DEPARTMENT, ["自然资源"]),
    ("PC-ZFJ", "平川县综合行政执法局", Unit.Kind.DEPARTMENT, ["综合行政执法"]),
    ("PC-CGZ", "城关镇人民政府", Unit.Kind.TOWNSHIP, ["综合行政执法"]),
    ("PC-DLZ", "东岭镇人民政府", Unit.Kind.TOWNSHIP, ["综合行政执法"]),
    ("PC-XXX", "西溪乡人民政府", Unit.Kind.TOWNSHIP, ["综合行政执法"]),
    ("PC-NSX", "南山乡人民政府", Unit.Kind.TOWNSHIP, ["综合行政执法"]),
    ("PC-BHZ", "北湖镇人民政府", Unit.Kind.TOWNSHIP, ["综合行政执法"]),
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建国",
    "晓燕",
    "志强",
    "丽华",
    "海涛",
    "静",
    "伟",
    "敏",
    "磊",
    "婷",
    "军",
    "芳",
    "洋",
    "霞",
    "勇",
    "艳",
]


def _name(i):
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def _user(username, full_name, unit, roles, **extra):
    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "unit": unit, **extra}
    )
    user.set_password(PASSWORD)
    # The printed password works as it is only while `jiandu demo` serves (JIANDU_DEMO).
    user.demo_account = user.must_change_password = True
    # Reminders go out by e-mail too (jiandu.reminders); the demo's addresses go nowhere.
    user.email = f"{username}@pingchuan.example.gov.cn"
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


def seed(ctx):
    domains = {d.name: d for d in Domain.objects.all()}
    units = {}
    for code, name, kind, dnames in UNITS:
        unit, _ = Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind})
        unit.domains.set([domains[d] for d in dnames if d in domains])
        units[code] = unit
    users = {
        "admin": _user(
            "admin", "系统管理员", units["PC-SFJ"], [], is_staff=True, is_superuser=True
        ),
        "supervisor": _user("jiandu", "周明", units["PC-SFJ"], [Role.SUPERVISOR]),
        "discipline": _user("jiwei", "郑纪", units["PC-JW"], [Role.DISCIPLINE]),
        "inspector": _user("jianchazu", "吴查", units["PC-SFJ"], [Role.INSPECTOR]),
    }
    for i, (code, _unit_name, kind, _domains) in enumerate(UNITS):
        if kind in (Unit.Kind.JUSTICE, Unit.Kind.DISCIPLINE):
            continue
        slug = code.split("-")[1].lower()
        users[f"{code}:clerk"] = _user(f"{slug}_tb", _name(i * 2), units[code], [Role.CLERK])
        users[f"{code}:leader"] = _user(f"{slug}_fz", _name(i * 2 + 1), units[code], [Role.LEADER])
    ctx["units"] = units
    ctx["users"] = users


def print_accounts(stdout):
    stdout.write("")
    stdout.write(f"演示账号（密码均为 {PASSWORD}）：")
    stdout.write("  仅在 `jiandu demo` 运行时可直接登录；以其他方式启动时，首次登录须修改密码。")
    rows = [
        ("admin", "系统管理员（/admin/ 管理单位、用户和角色）"),
        ("jiandu", "监督管理员 · 平川县司法局"),
        ("jiwei", "纪检监督员 · 平川县纪委监委"),
        ("jianchazu", "检查组成员 · 平川县司法局"),
        ("scj_tb", "单位填报员 · 平川县市场监督管理局"),
        ("scj_fz", "单位负责人 · 平川县市场监督管理局"),
        ("cgz_tb", "单位填报员 · 城关镇人民政府"),
        ("cgz_fz", "单位负责人 · 城关镇人民政府"),
    ]
    for username, what in rows:
        stdout.write(f"  {username:<12} {what}")
    stdout.write("  其他单位：<单位简码>_tb（填报员）、<单位简码>_fz（负责人），如 hbj_tb、dlz_fz")
