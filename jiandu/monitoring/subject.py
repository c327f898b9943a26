"""The rule functions evaluated on one subject, for the pages that show what a rule
would say before or beside a run: the inspection-registration warnings (one enterprise)
and the case page's 三书同达 flag (one case). Both narrow the run's frames to that subject
and call the rules themselves, so they cannot drift from what a run stores."""

import polars as pl

from jiandu.enforcement.models import Inspection
from jiandu.monitoring.engine import enabled, evaluate, evidence_rows, params_for
from jiandu.monitoring.rules import get_rule, service
from jiandu.monitoring.rules.frames import RunContext

# The rules a registration is checked against, and what each tells the registering unit.
WARNED_RULES = ("INSP-01", "INSP-02", "INSP-03", "INSP-05")
# The inspection number the visit being registered carries in the frames until it has one.
NEW_VISIT_NO = "（本次登记）"


def inspection_warnings(
    *,
    unit,
    enterprise,
    inspected_on,
    kind="",
    mode="onsite",
    joint_no="",
    is_recheck=False,
    exclude_pk=None,
):
    """Warnings shown at registration time when INSP-01/02/03/05 would hit: a list of
    {"rule": "INSP-02", "title": ..., "message": ..., "others": [{"unit": ..., "date": ..., "inspection_no": ..., "planned": bool}]}.

    The rule functions themselves decide, on a context holding this enterprise's visits
    (planned ones counted as done: a registration looks ahead) with and without the visit
    being registered: a rule warns when the visit adds or changes one of its hits, and
    `others` are the visits those hits name."""
    if mode != "onsite" or enterprise is None or inspected_on is None:
        return []

    visit = {
        "unit_id": getattr(unit, "pk", unit),
        "inspected_on": inspected_on,
        "mode": mode,
        "kind": kind,
        "joint_no": (joint_no or "").strip(),
        "is_recheck": bool(is_recheck),
    }
    before = _RegistrationContext(enterprise.pk, exclude_pk=exclude_pk)
    after = before.with_visit(visit)
    warnings = []
    for rule_id in WARNED_RULES:
        rule = get_rule(rule_id)
        if not enabled(rule, inspected_on):
            continue
        p = params_for(rule, inspected_on)
        known = set(evidence_rows(evaluate(rule, before, p)))
        hits = evaluate(rule, after, p)
        changed = [row[0] for row in evidence_rows(hits) if row not in known]
        if not changed:
            continue
        hits = hits.filter(hits["subject_key"].is_in(changed))
        warnings.append(
            {
                "rule": rule_id,
                "title": rule.title,
                "message": _message(rule_id, p, hits, inspected_on),
                "others": _named_visits(after, hits, pairs=rule_id != "INSP-01"),
            }
        )
    return warnings


def _message(rule_id, p, hits, inspected_on) -> str:
    if rule_id == "INSP-01":
        # The last visit of the year counts them all (the one registered included).
        count = int(hits["nth"].max()) - 1
        return (
            f"本单位{inspected_on.year}年已对该企业现场检查（含计划）{count}次，"
            f"再检查将超过每年{p['cap']}次的上限。"
        )
    if rule_id == "INSP-02":
        return (
            f"其他单位在前后{int(p['window'])}日内已检查或计划检查该企业，"
            "请考虑联合检查（综合查一次）。"
        )
    if rule_id == "INSP-03":
        return (
            f"本单位在前后{int(p['window'])}日内已检查或计划检查该企业，"
            "属重复检查（投诉举报核查和整改复查除外）。"
        )
    return "该企业列入“无事不扰”清单，不宜以日常检查或专项检查方式现场检查。"


def _named_visits(ctx, hits, *, pairs: bool) -> list[dict]:
    """The enterprise's visits (other than the one registered) that the hits name, in
    date order. For a rule about pairs of visits (INSP-02, 03) only the visits paired with
    the one registered: the others in its own hit, and the subjects of hits naming it; for
    a count (INSP-01) every visit of the hits."""
    visits = ctx.done_inspections()
    label = pl.concat_str(
        [
            pl.col("unit_code"),
            pl.lit(" "),
            pl.col("inspection_no"),
            pl.lit(" "),
            pl.col("inspected_on").cast(pl.Utf8),
        ]
    )
    by_label = dict(zip(visits.select(label).to_series(), visits["id"], strict=True))
    by_key = dict(zip(visits["subject_key"], visits["id"], strict=True))
    new = _RegistrationContext.NEW_ID
    ids = set()
    for row in hits.to_dicts():
        subject = by_key.get(row["subject_key"])
        named = set()
        for col in ("earlier_visits", "other_units_visits"):
            named.update(by_label.get(v) for v in row.get(col) or ())
        if row.get("prev_no"):
            unit_code = row["subject_key"].rsplit("/", 1)[0]
            named.add(by_key.get(f"{unit_code}/{row['prev_no']}"))
        if not pairs:
            ids |= named | {subject}
        elif subject == new:
            ids |= named
        elif new in named:
            ids.add(subject)
    ids.discard(None)
    ids.discard(new)
    if not ids:
        return []

    return [
        {
            "unit": i.unit.name,
            "unit_code": i.unit.code,
            "date": i.inspected_on.isoformat(),
            "inspection_no": i.inspection_no,
            "planned": i.is_planned,
        }
        for i in Inspection.objects.filter(pk__in=ids)
        .select_related("unit")
        .order_by("inspected_on", "id")
    ]


class _RegistrationContext(RunContext):
    """One enterprise's visits, planned ones counted as done, with (when given) the visit
    being registered added under a number no real visit has."""

    NEW_ID = -1

    def __init__(self, enterprise_id, *, exclude_pk=None, visit=None):
        super().__init__(enterprise_id=enterprise_id)
        self.exclude_pk = exclude_pk
        self.visit = visit

    def with_visit(self, visit: dict) -> "_RegistrationContext":
        """The same enterprise with the visit added; the tables are read once for both."""
        other = _RegistrationContext(self.enterprise_id, exclude_pk=self.exclude_pk, visit=visit)
        for name in ("units", "inspections", "enterprises"):
            getattr(self, name)()
            other._cache[name] = self._cache[name]
        return other

    def done_inspections(self) -> pl.DataFrame:
        return self._cached("done_inspections", self._visits)

    def _visits(self) -> pl.DataFrame:
        frame = self.inspections()
        if self.exclude_pk is not None:
            frame = frame.filter(pl.col("id") != self.exclude_pk)
        if self.visit is None:
            return frame
        codes = dict(self.units().select("id", "code").iter_rows())
        unit_code = codes.get(self.visit["unit_id"], "")
        row = {
            **{name: None for name in frame.columns},
            **self.visit,
            "id": self.NEW_ID,
            "inspection_no": NEW_VISIT_NO,
            "enterprise_id": self.enterprise_id,
            "is_planned": True,
            "unit_code": unit_code,
            "subject_key": f"{unit_code}/{NEW_VISIT_NO}",
        }
        return pl.concat([frame, pl.DataFrame([row], schema=frame.schema, orient="row")])


def three_docs(case_id: int) -> dict:
    """SERV-01 on one case: whether 三书同达 applies to it and which of the two documents
    was served apart from the decision ({} when there is no such case)."""
    rows = service.three_docs(RunContext(case_id=case_id)).to_dicts()
    if not rows:
        return {}
    row = rows[0]
    return {
        "required": bool(row["three_docs_required"]),
        "credit_notice_apart": bool(row["credit_notice_apart"]),
        "compliance_advice_apart": bool(row["compliance_advice_apart"]),
    }
