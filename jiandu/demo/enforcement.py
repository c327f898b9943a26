"""A few inspections registered ahead (检查登记备案) with their verification codes, so the
public verification page has something to show. Runs before intake's demo import, so the
enterprises and officers are taken from the same generated county (same seed) and
created here; the import then finds them and only updates them."""

from datetime import timedelta

from jiandu.demo.generate import build
from jiandu.enforcement import actions
from jiandu.enforcement.models import Enterprise, Officer

SEED = 2026  # the seed intake's demo generates the county with
KINDS = {
    "企业": Enterprise.Kind.COMPANY,
    "个体工商户": Enterprise.Kind.INDIVIDUAL,
    "其他组织": Enterprise.Kind.OTHER,
}
# unit, days ahead, kind, mode, joint_no
PLAN = [
    ("PC-SCJ", 0, "routine", "onsite", ""),
    ("PC-SCJ", 3, "special", "onsite", "LH-DEMO-01"),
    ("PC-HBJ", 3, "special", "onsite", "LH-DEMO-01"),
    ("PC-YJJ", 7, "random", "onsite", ""),
    ("PC-CGZ", 2, "complaint", "onsite", ""),
]


def seed(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    county = build("demo", seed=SEED, today=today)
    chosen = [e for e in county.enterprises if not e[6]][: len(PLAN) - 1]
    enterprises = [
        Enterprise.objects.get_or_create(
            uscc=code, defaults={"name": name, "kind": KINDS.get(kind, ""), "industry": industry}
        )[0]
        for code, name, kind, industry, _town, _founded, _quiet in chosen
    ]
    officers = {}
    for cert, name, unit_code, domain, valid in county.officers:
        if (
            unit_code in {p[0] for p in PLAN}
            and valid > today + timedelta(days=30)
            and len(officers.get(unit_code, [])) < 2
        ):
            Officer.objects.get_or_create(
                cert_no=cert,
                defaults={
                    "name": name,
                    "unit": units[unit_code],
                    "domain": domain,
                    "valid_until": valid,
                },
            )
            officers.setdefault(unit_code, []).append(cert)
    made = []
    for n, (unit_code, ahead, kind, mode, joint_no) in enumerate(PLAN):
        enterprise = enterprises[1] if joint_no else enterprises[min(n, len(enterprises) - 1)]
        made.append(
            actions.register_inspection(
                unit=units[unit_code],
                enterprise_uscc=enterprise.uscc,
                inspected_on=today + timedelta(days=ahead),
                kind=kind,
                mode=mode,
                officers=officers[unit_code],
                items="演示：登记备案的涉企检查",
                joint_no=joint_no,
                actor=users[f"{unit_code}:clerk"],
            )
        )
    ctx["registered_inspections"] = made
    if ctx.get("stdout"):
        ctx["stdout"].write(
            f"  登记备案检查 {len(made)} 次，示例核验码：{made[0].verify_code}（/public/verify/{made[0].verify_code}/）"
        )
