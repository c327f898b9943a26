"""Chinese names of audit action codes. Each app declares its own in `<app>/labels.py`
as `AUDIT_LABELS = {"ledger.problem.accepted": "问题销号", ...}`; this collects them."""

from functools import cache
from importlib import import_module

from django.apps import apps

AUDIT_LABELS = {"audit.export": "导出审计记录"}


@cache
def all_labels() -> dict[str, str]:
    labels = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jiandu."):
            continue
        try:
            module = import_module(f"{config.name}.labels")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.labels":
                raise  # a labels module that fails to import is a fault, not an absence
            continue
        labels.update(module.AUDIT_LABELS)
    return labels


def label_for(action: str) -> str:
    return all_labels().get(action, action)


# Chinese names of the keys inside an event's JSON data, shared by every app (the same key
# means the same thing wherever it is written). tests/audit/test_labels.py walks every
# log(...) call and fails on a key missing here, so the page never shows an English key.
DATA_LABELS = {
    "actor_name": "操作人",
    "anonymous": "匿名",
    "answers": "作答项数",
    "assignee": "承办人",
    "attachment": "附件",
    "attachments": "附件",
    "attempts": "失败次数",
    "by": "锁定依据",
    "case_no": "案号",
    "category": "类别",
    "change": "延期申请",
    "changed": "修改项",
    "code": "编码",
    "column": "列",
    "doc_no": "文号",
    "contact": "联系人",
    "copied_from": "复制自",
    "count": "数量",
    "created": "新增",
    "date": "日期",
    "days_overdue": "逾期天数",
    "deadline": "整改时限",
    "direction": "方向",
    "domains": "领域",
    "duty": "职责",
    "effective_from": "生效起",
    "effective_on": "生效日期",
    "enabled": "启用",
    "extension_moot": "待审批延期申请随销号失效",
    "enterprise": "市场主体",
    "failures": "失败次数",
    "fields": "修改项",
    "file": "文件",
    "files": "附件",
    "files_added": "新增附件",
    "files_removed": "删除附件",
    "filters": "筛选条件",
    "findings": "发现问题数",
    "focus_area": "重点领域",
    "from": "原单位",
    "from_plan": "依据方案",
    "from_campaign": "沿用往期专项行动",
    "grade": "等次",
    "inspected_on": "检查日期",
    "is_workday": "是否工作日",
    "item": "事项",
    "items": "条目数",
    "joint_no": "联合检查编号",
    "kind": "类型",
    "late": "逾期",
    "lead": "线索",
    "levels": "阶次",
    "list_kind": "清单类型",
    "method": "送达方式",
    "measures": "整改措施",
    "mode": "检查方式",
    "name": "名称",
    "new": "新时限",
    "note": "意见",
    "officers": "执法人员",
    "old": "原时限",
    "open_problems": "未销号问题数",
    "open_reason": "未销号说明",
    "opinion": "验收意见",
    "order": "序号",
    "otp_required": "须双因素认证",
    "params": "参数",
    "previous_assignee": "原承办人",
    "problem": "问题",
    "problems": "问题",
    "reason": "原因",
    "recipients": "接收人数",
    "registration_no": "登记编号",
    "report": "自查表",
    "rejected": "未通过",
    "responsible_person": "责任人",
    "resubmitted": "重新上报",
    "result": "结果",
    "resume_from": "续导起始行",
    "resumed_from": "续导起始行",
    "reviews": "评查数",
    "role": "角色",
    "rows": "行数",
    "rule": "规则",
    "rules": "规则",
    "runner": "执行方式",
    "score": "评分",
    "severity": "严重程度",
    "source": "来源",
    "source_ref": "来源编号",
    "start": "开始日期",
    "state": "状态",
    "team": "检查组",
    "text": "内容",
    "title": "标题",
    "to_discipline": "移交纪委监委",
    "token": "接口令牌",
    "scopes": "权限范围",
    "event": "事件类型",
    "url": "地址",
    "total": "总分",
    "unchanged": "未变化",
    "unit": "单位",
    "until": "截止",
    "updated": "更新",
    "username": "用户名",
    "uscc": "统一社会信用代码",
    "version": "版本",
    "visit_date": "走访日期",
    "workdays": "答复期限（工作日）",
    "subjects": "关联事项",
    "number": "文号",
    "due_date": "办理期限",
    "decision": "决定",
    "proposal": "处理建议",
    "audience": "通报范围",
    "measure": "建议措施",
    "disposal": "处置方式",
    "outcome": "结果类别",
    # The list pages' filters, kept with an export's audit row.
    "q": "关键词",
    "page": "页码",
    "since": "起始日期",
    "action": "操作",
    "actor": "操作人",
    "domain": "领域",
    "campaign": "专项行动",
    "active": "启用",
    "overdue": "逾期",
    "area": "重点领域",
    "mapping": "阶次对应",
    "year": "年度",
    "month": "月份",
    "period": "统计期间",
    "value": "期间",
    "end": "结束日期",
    # inspection planning (jiandu/planning)
    "check_items": "检查事项",
    "months": "计划月份",
    "planned_on": "计划日期",
    "entries": "事项数",
    "warnings": "提示",
    "previous": "上一版本",
    "lead_unit": "牵头单位",
    "visit_on": "联合检查日期",
    "units": "参与单位",
    "window": "匹配窗口（日）",
    "draw_no": "抽查编号",
    "draw_size": "抽取企业数",
    "industries": "抽查对象类别",
    "commitment": "承诺值",
    "pool_size": "对象库数量",
    "officer_pool_size": "人员库数量",
    "seed": "随机种子",
    "selected": "抽中企业",
    "publish_deadline": "公示期限",
    "row": "原表行号",
    "sheet": "工作表",
}

# Coded values written into the data by name (the rest are read from the choices of the
# event's object's field of the same name, see details()).
VALUE_LABELS = {
    "reason": {"locked": "账号已锁定", "unknown": "无此用户"},
    "by": {"account": "按账号", "address": "按地址"},
    "direction": {"up": "上移", "down": "下移"},
    "state": {"none": "全部"},
}

# Audit rows whose data maps a field to [before, after].
CHANGE_ACTIONS = {"ledger.problem.updated"}


def data_label(key: str) -> str:
    return DATA_LABELS.get(key, key)


def _value(value) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    if value is None or value == "":
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "，".join(f"{data_label(k)}：{_value(v)}" for k, v in value.items()) or "—"
    return str(value)


def model_for(object_type: str):
    """The model an event's stored "app.model" names, or None ('' or unknown)."""
    try:
        return apps.get_model(object_type) if object_type else None
    except (LookupError, ValueError):
        # Stored before its model moved to another app (campaigns -> supervision, selfcheck,
        # orgs): a moved model keeps its table, so the old "app.model" still names it by table.
        table = object_type.replace(".", "_")
        return next((m for m in apps.get_models() if m._meta.db_table == table), None)


@cache
def _choices(object_type: str) -> dict[str, dict]:
    """field name -> {code: label} of the model an event is about ('' when none)."""
    model = model_for(object_type)
    if model is None:
        return {}
    return {f.name: dict(f.flatchoices) for f in model._meta.fields if f.choices}


def _coded(key, value, object_type) -> str | None:
    if not isinstance(value, str):
        return None
    for table in (_choices(object_type).get(key), VALUE_LABELS.get(key)):
        if table and value in table:
            return str(table[value])
    return None


def details(action: str, data, object_type: str = "") -> list[tuple[str, str]]:
    """An event's data as (Chinese name, readable value) pairs for the page and export."""
    out = []
    for key, value in (data or {}).items():
        if action in CHANGE_ACTIONS and isinstance(value, list) and len(value) == 2:
            text = f"{_value(value[0])} → {_value(value[1])}"
        else:
            text = _coded(key, value, object_type) or _value(value)
        out.append((data_label(key), text))
    return out
