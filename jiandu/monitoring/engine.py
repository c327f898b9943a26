"""Running rules and storing their hits as alerts.

A rerun upserts by (rule, subject_key): new subjects become 待处理 alerts; subjects that
no longer hit close as 已消除; a dismissed alert stays dismissed unless its evidence hash
changes. All writes are bulk operations, chunked.
"""

import hashlib
import json
import logging
import time
from datetime import date, datetime

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from jiandu.monitoring.models import Alert, RuleRun, RuleSetting
from jiandu.monitoring.rules import RULES
from jiandu.monitoring.rules.frames import RunContext

log = logging.getLogger(__name__)
KEY_COLUMNS = ("subject_key", "unit_id", "subject_date")
CHUNK = 5000


_LOOKUP = object()


def params_for(rule, day: date | None = None, setting=_LOOKUP) -> dict:
    """The rule's defaults overlaid with the setting in force on `day` (pass `setting`
    when it was already fetched, e.g. with RuleSetting.objects.in_force_by_rule)."""
    params = rule.defaults()
    if setting is _LOOKUP:
        setting = RuleSetting.objects.in_force(rule.id, day)
    if setting:
        params.update({k: v for k, v in setting.params.items() if k in params})
    return params


def enabled(rule, day: date | None = None, setting=_LOOKUP) -> bool:
    if setting is _LOOKUP:
        setting = RuleSetting.objects.in_force(rule.id, day)
    return setting.enabled if setting else True


def run_order(rules) -> list:
    """The rules in the order a run evaluates them: those reading alerts (CAMP-01) after
    all the others, whose alerts they read; otherwise the given order."""
    return sorted(rules, key=lambda r: r.reads_alerts)


def evaluate(rule, ctx: RunContext, params: dict | None = None) -> pl.DataFrame:
    """The rule's hits as a frame (subject_key, unit_id, subject_date, evidence...)."""
    params = params if params is not None else params_for(rule, ctx.today)
    hits = rule.evaluate(ctx, params)
    if ctx.unit_ids is not None and hits.height:
        hits = hits.filter(pl.col("unit_id").is_in(ctx.unit_ids))
    return hits.unique("subject_key", keep="first", maintain_order=True)


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def evidence_rows(hits: pl.DataFrame) -> list[tuple[str, int | None, date | None, str]]:
    """(subject_key, unit_id, subject_date, evidence JSON) per hit: one conversion of the
    result set. Evidence keys follow the rule's column order, so the JSON (and its hash)
    is stable without sorting."""
    evidence_cols = [c for c in hits.columns if c not in KEY_COLUMNS]
    keys = hits.select(KEY_COLUMNS).rows()
    ev = hits.select(evidence_cols).to_dicts() if evidence_cols else [{}] * hits.height
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    return [
        (
            key,
            unit_id,
            subject_date,
            dumps({k: _jsonable(v) for k, v in e.items() if v is not None}),
        )
        for (key, unit_id, subject_date), e in zip(keys, ev, strict=True)
    ]


def evidence_hash(evidence_json: str) -> str:
    return hashlib.sha1(evidence_json.encode()).hexdigest()


def _chunks(seq, n=CHUNK):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


@transaction.atomic
def store(rule, hits: pl.DataFrame, *, now=None, unit_ids=None) -> dict:
    """Upsert the hits of one rule; return counts {hits, new, changed, resolved}."""
    now = now or timezone.now()
    rows = evidence_rows(hits)
    existing_qs = Alert.objects.filter(rule=rule.id)
    if unit_ids is not None:
        existing_qs = existing_qs.filter(unit_id__in=unit_ids)
    existing = {
        key: (pk, state, h)
        for pk, key, state, h in existing_qs.values_list(
            "pk", "subject_key", "state", "evidence_hash"
        )
    }
    S = Alert.State
    create, update, touch = [], [], []
    seen = set()
    for key, unit_id, subject_date, ev_json in rows:
        seen.add(key)
        h = evidence_hash(ev_json)
        old = existing.get(key)
        if old is None:
            create.append((key, subject_date, unit_id, ev_json, h))
            continue
        pk, state, old_hash = old
        if old_hash == h and state != S.RESOLVED:
            touch.append(pk)
            continue
        new_state = state
        if state == S.RESOLVED or (state == S.DISMISSED and old_hash != h):
            new_state = S.NEW  # it is back, or the facts changed since it was dismissed
        update.append(
            Alert(
                pk=pk,
                subject_date=subject_date,
                unit_id=unit_id,
                evidence=json.loads(ev_json),
                evidence_hash=h,
                basis=rule.basis,
                severity=rule.severity,
                last_seen=now,
                state=new_state,
                resolved_at=None,
                updated_at=now,
            )
        )
    if create:
        _insert(rule, create, now)
    if update:
        Alert.objects.bulk_update(
            update,
            [
                "subject_date",
                "unit",
                "evidence",
                "evidence_hash",
                "basis",
                "severity",
                "last_seen",
                "state",
                "resolved_at",
                "updated_at",
            ],
            batch_size=1000,
        )
    gone, quiet = [], []  # no longer hitting: open ones resolve; judged ones keep their state
    for key, (pk, state, _) in existing.items():
        if key not in seen:
            (gone if state in (S.NEW, S.CONFIRMED) else quiet).append(pk)
    for chunk in _chunks(gone):
        Alert.objects.filter(pk__in=chunk).update(state=S.RESOLVED, resolved_at=now, updated_at=now)
    if touch and len(quiet) <= 1000:
        # Still hitting, unchanged: one statement for the whole rule instead of id lists.
        existing_qs.exclude(state=S.RESOLVED).exclude(pk__in=quiet).exclude(last_seen=now).update(
            last_seen=now
        )
    else:
        for chunk in _chunks(touch):
            Alert.objects.filter(pk__in=chunk).update(last_seen=now)
    return {"hits": len(rows), "new": len(create), "changed": len(update), "resolved": len(gone)}


def _insert(rule, rows, now):
    """New alerts by executemany: bulk_create spends most of its time building SQL for
    batches of ~50 rows on SQLite; a run at county scale creates hundreds of thousands."""
    ops = connection.ops
    fields = [
        "rule",
        "subject_kind",
        "subject_key",
        "subject_date",
        "unit_id",
        "severity",
        "state",
        "evidence",
        "evidence_hash",
        "basis",
        "first_seen",
        "last_seen",
        "dismissed_reason",
    ]
    sql = (
        f"INSERT INTO {ops.quote_name(Alert._meta.db_table)} ({', '.join(fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    stamp = ops.adapt_datetimefield_value(now)
    params = [
        (
            rule.id,
            rule.subject_kind,
            key,
            ops.adapt_datefield_value(day),
            unit_id,
            rule.severity,
            Alert.State.NEW,
            ev_json,
            h,
            rule.basis,
            stamp,
            stamp,
            "",
        )
        for key, day, unit_id, ev_json, h in rows
    ]
    if connection.vendor == "postgresql":
        # COPY: executemany sends one statement per row.
        connection.ensure_connection()
        table = ops.quote_name(Alert._meta.db_table)
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(fields)}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
        return
    with connection.cursor() as cursor:
        for chunk in _chunks(params, 20000):
            cursor.executemany(sql, chunk)


def run_rules(
    rule_ids=None,
    *,
    actor=None,
    unit_ids=None,
    today=None,
    trigger=RuleRun.Trigger.MANUAL,
    run=None,
) -> RuleRun:
    """Run rules (all enabled ones by default), record a RuleRun, store alerts."""
    if rule_ids:
        wanted = {r.upper() for r in rule_ids}
        unknown = wanted - {r.id for r in RULES}
        if unknown:
            raise ValueError("未知的规则编号：" + "、".join(sorted(unknown)))
        rules = [r for r in RULES if r.id in wanted]
    else:
        rules = [r for r in RULES if enabled(r, today)]
    rules = run_order(rules)
    unit_ids = list(unit_ids) if unit_ids else None
    if run is None:
        run = RuleRun.objects.create(
            trigger=trigger,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            rule_ids=[r.id for r in rules],
            unit_ids=unit_ids,
        )
    run.status, run.started_at = RuleRun.Status.RUNNING, timezone.now()
    run.rule_ids = [r.id for r in rules]
    run.save(update_fields=["status", "started_at", "rule_ids"])
    ctx = RunContext(today=today, unit_ids=unit_ids)
    results, params_used = {}, {}
    try:
        for rule in rules:
            params = params_for(rule, ctx.today)
            params_used[rule.id] = {
                k: list(v) if isinstance(v, tuple) else v for k, v in params.items()
            }
            t0, load0 = time.perf_counter(), ctx.load_ms
            try:
                hits = evaluate(rule, ctx, params)
                # Compute only: the first rule to touch a table pays its load, shown apart.
                eval_ms = int((time.perf_counter() - t0) * 1000) - (ctx.load_ms - load0)
                t1 = time.perf_counter()
                counts = store(rule, hits, unit_ids=unit_ids)
                results[rule.id] = {
                    "status": "ok",
                    "ms": eval_ms,
                    "load_ms": ctx.load_ms - load0,
                    "store_ms": int((time.perf_counter() - t1) * 1000),
                    **counts,
                }
            except Exception as exc:  # one broken rule must not stop the others
                log.exception("rule %s failed", rule.id)
                results[rule.id] = {
                    "status": "failed",
                    "error": str(exc)[:500],
                    "hits": 0,
                    "ms": int((time.perf_counter() - t0) * 1000),
                }
            run.done_count += 1
            RuleRun.objects.filter(pk=run.pk).update(
                done_count=run.done_count, results=results, updated_at=timezone.now()
            )
        run.status = (
            RuleRun.Status.FAILED
            if any(r["status"] == "failed" for r in results.values())
            else RuleRun.Status.DONE
        )
    except Exception as exc:
        run.status, run.error = RuleRun.Status.FAILED, str(exc)[:2000]
        raise
    finally:
        run.finished_at = timezone.now()
        run.results, run.params, run.load_ms = results, params_used, ctx.load_ms
        run.save()
    return run
