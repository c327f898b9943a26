"""The enforcement lists as workbooks: exactly the rows a list page has filtered, at
most EXPORT_LIMIT of them (the pages answer `?export=xlsx` with these)."""

from jiandu.lib.exports import Exporter

EXPORT_LIMIT = 50_000


class ListExporter(Exporter):
    """A list page's rows as filtered, at most EXPORT_LIMIT of them; a cut file says so
    under its title rather than passing for the whole list."""

    def __init__(self, qs):
        self.qs = qs
        if qs[EXPORT_LIMIT : EXPORT_LIMIT + 1].exists():
            self.subtitle = (
                f"符合条件的记录超过 {EXPORT_LIMIT:,} 条，本表仅含前 {EXPORT_LIMIT:,} 条；"
                "请缩小筛选范围后分批导出。"
            )

    def records(self):
        return self.qs[:EXPORT_LIMIT].iterator(chunk_size=2000)


class CaseExporter(ListExporter):
    title = filename = "行政处罚案件"
    sheet = "处罚案件"
    columns = [
        ("执法单位", 22),
        ("案件编号", 22),
        ("当事人名称", 26),
        ("当事人类型", 10),
        ("统一社会信用代码", 22),
        ("违法行为编码", 14),
        ("违法行为名称", 30),
        ("案件来源", 10),
        ("立案日期", 12),
        ("决定日期", 12),
        ("送达日期", 12),
        ("公示日期", 12),
        ("结案日期", 12),
        ("处罚种类", 18),
        ("罚款金额(元)", 14),
        ("裁量阶次", 10),
        ("裁量情节", 26),
    ]

    def rows(self):
        for c in self.records():
            yield [
                c.unit.name,
                c.case_no,
                c.party_name,
                c.get_party_type_display(),
                c.party_uscc,
                c.violation_code,
                c.violation_name,
                c.get_source_display(),
                c.filed_on,
                c.decided_on,
                c.served_on,
                c.published_on,
                c.closed_on,
                "；".join(c.penalty_kind_list),
                c.fine,
                c.get_tier_display(),
                "；".join(c.circumstance_list),
            ]


class InspectionExporter(ListExporter):
    title = filename = "涉企行政检查"
    sheet = "涉企检查"
    columns = [
        ("检查单位", 22),
        ("检查编号", 22),
        ("企业名称", 26),
        ("统一社会信用代码", 22),
        ("检查日期", 12),
        ("检查方式", 8),
        ("检查类型", 12),
        ("联合检查编号", 16),
        ("登记备案编号", 22),
        ("登记备案日期", 12),
        ("检查人员", 26),
        ("检查事项", 30),
        ("检查结果", 12),
    ]

    def rows(self):
        for i in self.records():
            yield [
                i.unit.name,
                i.inspection_no,
                i.enterprise_name,
                i.enterprise.uscc,
                i.inspected_on,
                i.get_mode_display(),
                i.get_kind_display(),
                i.joint_no,
                i.registration_no,
                i.registered_on,
                "；".join(i.officer_list),
                i.items,
                i.get_result_display(),
            ]
