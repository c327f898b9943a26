"""Base data every installation has: the "1+8" fields, roles, the six focus areas.
Loaded by `jiandu init`; safe to run again (updates by natural key, adds nothing twice)."""

from django.db import transaction

DOMAINS = [
    "综合行政执法",
    "市场监管",
    "生态环境",
    "文化市场",
    "交通运输",
    "应急管理",
    "农业农村",
    "卫生健康",
    "自然资源",
]

FOCUS_AREAS = [
    (
        "discretion",
        "裁量基准",
        "聚焦行政执法裁量基准破“梗阻”：类案不同罚、滥用裁量权、裁量基准不完善。",
    ),
    (
        "procedure",
        "执法程序",
        "聚焦行政执法程序规范破“梗阻”：三项制度、全过程记录、法制审核、归档。",
    ),
    (
        "inspection",
        "涉企检查",
        "聚焦行政执法新型监管破“梗阻”：进一次门查多项事、联合检查、双随机一公开、检查登记备案。",
    ),
    (
        "integration",
        "大综合一体化",
        "聚焦行政执法体制改革破“梗阻”：履职边界、举报投诉处理、案件移送、信息共享。",
    ),
    ("leniency", "包容审慎", "聚焦包容审慎合规监管破“梗阻”：轻微不罚/首违不罚清单、小过重罚。"),
    (
        "service",
        "增值服务",
        "聚焦行政执法增值服务破“梗阻”：三书同达、跨部门信用修复、修复后撤下公示。",
    ),
]


@transaction.atomic
def load():
    from jiandu.orgs.models import Domain, FocusArea, Role

    for order, name in enumerate(DOMAINS):
        Domain.objects.update_or_create(name=name, defaults={"order": order})
    for code, name in Role.CHOICES:
        Role.objects.update_or_create(code=code, defaults={"name": name})
    for order, (code, name, description) in enumerate(FOCUS_AREAS):
        FocusArea.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "order": order}
        )
