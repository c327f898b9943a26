"""Per kind: the checks that need lookups or several columns, the natural key, and the
batch write (bulk upsert by natural key). A writer sees only rows
whose cells already parsed."""

from collections import defaultdict
from datetime import datetime

from django.db import connection
from django.utils import timezone

from jiandu.enforcement.models import (
    CreditRepair,
    Enterprise,
    Inspection,
    Officer,
    PenaltyCase,
    Transfer,
    join_multi,
)
from jiandu.orgs.models import Domain, Unit
from jiandu.standards.models import Benchmark, LenientListItem, Tier, ViolationItem

IN_CHUNK = 5000  # values per IN (...) list: well under SQLite's limit of 32766 variables


def sql_upsert(model, cols, key_cols, rows, update_cols=None, compare=None, count_stored=None):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET update_cols (default: every other
    column), only where one of the `compare` columns differs when given.

    Returns (how many of the rows' keys were stored before, rows inserted or updated).
    SQLite: `count_stored()` counts the stored keys, then one executemany. PostgreSQL:
    the rows are COPYed into a temporary table, counted by a join on the key and
    upserted by one INSERT ... SELECT; the table is dropped in the same transaction."""
    qn = connection.ops.quote_name
    meta = model._meta
    table = qn(meta.db_table)
    names = [meta.get_field(c).column for c in cols]
    keys = [meta.get_field(c).column for c in key_cols]
    if update_cols is None:
        updates = [n for n in names if n not in keys]
    else:
        updates = [meta.get_field(c).column for c in update_cols]
    action = (
        "DO UPDATE SET " + ", ".join(f"{qn(n)} = EXCLUDED.{qn(n)}" for n in updates)
        if updates
        else "DO NOTHING"
    )
    if updates and compare:
        # NULL-safe inequality: `IS NOT` on SQLite, `IS DISTINCT FROM` on PostgreSQL.
        differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
        action += " WHERE " + " OR ".join(
            f"{table}.{qn(c)} {differs} EXCLUDED.{qn(c)}"
            for c in (meta.get_field(f).column for f in compare)
        )
    column_list = ", ".join(qn(n) for n in names)
    tail = f" ON CONFLICT ({', '.join(qn(k) for k in keys)}) {action}"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            stored = count_stored() if count_stored else 0
            # sqlite3 runs executemany in C over one prepared statement; its rowcount is
            # the sum of the rows each execution inserted or updated.
            one = f"({', '.join(['%s'] * len(names))})"
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES {one}{tail}", rows)
            return stored, cursor.rowcount
        # PostgreSQL: COPY is written by psycopg's C code; arrays or VALUES lists as
        # parameters are rendered in Python and cost more than the database's work.
        tmp = qn("jiandu_intake_rows")
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")  # left by a failure outside a transaction
        cursor.execute(
            f"CREATE TEMPORARY TABLE {tmp} AS SELECT {column_list} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {tmp} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        on = " AND ".join(f"t.{qn(k)} = k.{qn(k)}" for k in keys)
        cursor.execute(f"SELECT COUNT(*) FROM {tmp} k JOIN {table} t ON {on}")
        stored = cursor.fetchone()[0]
        cursor.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {tmp}{tail}")
        affected = cursor.rowcount
        cursor.execute(f"DROP TABLE {tmp}")
        return stored, affected


def chunks(seq, size):
    seq = list(seq)
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


class Writer:
    model = None
    key_fields: tuple = ()  # model fields of the natural key
    field_map: dict = {}  # contract field -> model field, for the plain columns
    stamp = False  # the model has updated_at

    def __init__(self, kind, lookups, present, today, restrict_unit_id):
        self.kind = kind
        self.lookups = lookups
        self.present = present
        self.today = today
        self.restrict = restrict_unit_id
        self.unit_ids: set = set()
        self.fields = [self.field_map.get(f, f) for f in self.write_fields()]

    def write_fields(self) -> list[str]:
        """Contract fields written (those present in the file), key fields excluded."""
        keys = set(self.kind.key)
        return [
            c.field for c in self.kind.columns if c.field in self.present and c.field not in keys
        ]

    # -- checks
    def check(self, rows):
        for row in rows:
            if not row.errors:
                self.check_row(row)

    def check_row(self, row):
        pass

    def scope(self, row, field_name, *more):
        """A unit's user may only import rows of their own unit."""
        if self.restrict is None:
            return
        units = [row.values.get(f) for f in (field_name, *more)]
        if not any(u and u[0] == self.restrict for u in units):
            own = self.lookups.unit_codes.get(self.restrict, "")
            row.error(
                self.kind.header_of(field_name),
                f"不能导入其他单位的数据（本账号只能导入单位 {own} 的数据）",
            )

    def date_order(self, row, later, earlier, message):
        v = row.values
        if v.get(later) and v.get(earlier) and v[later] < v[earlier]:
            row.error(self.kind.header_of(later), message)

    # -- keys and batches
    def key_of(self, values):
        return tuple(
            values[f][0] if isinstance(values[f], tuple) else values[f] for f in self.kind.key
        )

    def batches(self, rows, size):
        for i in range(0, len(rows), size):
            yield rows[i : i + size]

    # -- writing
    def model_values(self, values) -> dict:
        out = {}
        if not hasattr(self, "_plan"):
            self._plan = [(f, self.field_map.get(f, f)) for f in self.write_fields()]
        for f, attr in self._plan:
            v = values[f]
            if v.__class__ is tuple:  # a unit reference
                v = v[0]
            elif v.__class__ is list:
                v = join_multi(v)
            out[attr] = v
        return out

    def key_values(self, values) -> dict:
        out = {}
        for f in self.kind.key:
            v = values[f]
            out[self.field_map.get(f, f)] = v[0] if isinstance(v, tuple) else v
        return out

    def prior_firsts(self):
        """Values of the key's first field that already had rows before this import:
        keys outside them cannot exist yet, so a first import skips the look-up."""
        if not hasattr(self, "_prior"):
            if len(self.key_fields) == 1:
                self._prior = None if self.model.objects.exists() else set()
            else:
                first = self.key_fields[0]
                self._prior = set(
                    self.model.objects.values_list(first, flat=True).distinct().order_by()
                )
        return self._prior

    def existing(self, keys) -> int:
        """How many of `keys` are stored already: one count per chunk, the keys sent as a
        VALUES list joined to the natural key's unique index (nothing read back)."""
        prior = self.prior_firsts()
        if prior is not None:
            keys = [k for k in keys if k[0] in prior]
        if not keys:
            return 0
        qn = connection.ops.quote_name
        meta = self.model._meta
        columns = [meta.get_field(f).column for f in self.key_fields]
        names = [f"k{i}" for i in range(len(columns))]
        on = " AND ".join(f"t.{qn(c)} = k.{n}" for c, n in zip(columns, names, strict=True))
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        found = 0
        with connection.cursor() as cursor:
            for part in chunks(keys, IN_CHUNK):
                cursor.execute(
                    f"WITH k ({', '.join(names)}) AS (VALUES {', '.join([one] * len(part))}) "
                    f"SELECT COUNT(*) FROM k JOIN {qn(meta.db_table)} t ON {on}",
                    [v for key in part for v in key],
                )
                found += cursor.fetchone()[0]
        return found

    def defaults(self) -> dict:
        """attname -> database value of the model default, for every concrete column."""
        out = {}
        for f in self.model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = f.get_default()
            if isinstance(value, datetime):
                value = connection.ops.adapt_datetimefield_value(value)
            out[f.attname] = value
        return out

    def upsert(self, dicts: list[dict]):
        """Write new and changed rows; returns (created, updated, unchanged).

        One INSERT ... ON CONFLICT (natural key) DO UPDATE ... WHERE (a column differs),
        the same semantics on SQLite (3.24+) and PostgreSQL: the database compares each
        row with what it stores, so unchanged rows are neither written nor read back into
        Python. Rows affected = created + updated; created = keys not stored before."""
        if not dicts:
            return 0, 0, 0
        # New rows get the model's defaults for the columns the file does not have;
        # existing rows keep them (only the file's columns are updated).
        defaults = self.defaults()
        cols = [*self.key_fields, *self.fields]
        rest = [c for c in defaults if c not in cols]
        fill = tuple(defaults[c] for c in rest)
        rows = [tuple(d[c] for c in cols) + fill for d in dicts]
        # Nothing but the key in the file: stored rows stay as they are (DO NOTHING).
        update = [*self.fields, *(["updated_at"] if self.stamp else [])] if self.fields else []
        stored, affected = sql_upsert(
            self.model,
            [*cols, *rest],
            list(self.key_fields),
            rows,
            update,
            compare=list(self.fields),
            count_stored=lambda: self.existing([r[: len(self.key_fields)] for r in rows]),
        )
        created = len(dicts) - stored
        updated = affected - created
        return created, updated, len(dicts) - created - updated

    def write(self, batch):
        dicts = []
        for row in batch:
            d = self.key_values(row.values)
            d.update(self.model_values(row.values))
            dicts.append(d)
        return self.upsert(dicts)


class UnitWriter(Writer):
    model = Unit
    key_fields = ("code",)

    def check(self, rows):
        self.domains = {d.name: d.pk for d in Domain.objects.all()}
        names = dict(Unit.objects.values_list("name", "code"))
        in_file = {r.values["code"]: r.values["name"] for r in rows if not r.errors}
        self.file_names = {v: k for k, v in in_file.items()}
        for row in rows:
            if row.errors:
                continue
            v = row.values
            owner = names.get(v["name"])
            if owner and owner != v["code"] and in_file.get(owner) in (None, v["name"]):
                row.error("单位名称", f"单位名称“{v['name']}”已被单位 {owner} 使用")
            for d in v.get("domains") or []:
                if d not in self.domains:
                    row.error("执法领域", f"执法领域“{d}”不在“1+8”执法领域中")
            parent = v.get("parent")
            if parent and not (
                self.lookups.unit(parent) or parent in in_file or parent in self.file_names
            ):
                row.error("上级单位", f"上级单位“{parent}”不存在（请填写单位编码或完整名称）")
            if parent and parent in (v["code"], v["name"]):
                row.error("上级单位", "上级单位不能是本单位")

    def batches(self, rows, size):
        yield rows  # a county has tens of units; parents may refer to later rows

    def write(self, batch):
        created = updated = unchanged = 0
        units = {}
        states = {}
        for row in batch:
            v = row.values
            unit = Unit.objects.filter(code=v["code"]).first()
            if unit is None:
                unit = Unit.objects.create(code=v["code"], name=v["name"], kind=v["kind"])
                states[v["code"]] = "created"
            else:
                states[v["code"]] = "same"
                if (unit.name, unit.kind) != (v["name"], v["kind"]):
                    unit.name, unit.kind = v["name"], v["kind"]
                    unit.save(update_fields=["name", "kind"])
                    states[v["code"]] = "updated"
            units[v["code"]] = unit
        for row in batch:
            v = row.values
            unit = units[v["code"]]
            if "domains" in self.present:
                want = sorted(self.domains[d] for d in v["domains"])
                have = sorted(unit.domains.values_list("pk", flat=True))
                if want != have:
                    unit.domains.set(want)
                    states[v["code"]] = (
                        states[v["code"]] if states[v["code"]] == "created" else "updated"
                    )
            if "parent" in self.present:
                parent = v.get("parent")
                parent_id = None
                if parent:
                    code = parent if parent in units else self.file_names.get(parent)
                    parent_id = units[code].pk if code else self.lookups.unit(parent)[0]
                if unit.parent_id != parent_id:
                    unit.parent_id = parent_id
                    unit.save(update_fields=["parent"])
                    if states[v["code"]] == "same":
                        states[v["code"]] = "updated"
            self.unit_ids.add(unit.pk)
        for state in states.values():
            if state == "created":
                created += 1
            elif state == "updated":
                updated += 1
            else:
                unchanged += 1
        return created, updated, unchanged


class OfficerWriter(Writer):
    model = Officer
    key_fields = ("cert_no",)
    field_map = {"unit": "unit_id"}

    def check_row(self, row):
        self.scope(row, "unit")

    def write(self, batch):
        self.unit_ids.update(r.values["unit"][0] for r in batch)
        return super().write(batch)


class EnterpriseWriter(Writer):
    model = Enterprise
    key_fields = ("uscc",)
    field_map = {"town": "town_id"}

    def check_row(self, row):
        town = row.values.get("town")
        if town and town[2] != Unit.Kind.TOWNSHIP:
            row.error("所属乡镇", f"所属乡镇“{town[1]}”不是乡镇单位")


class LenientWriter(Writer):
    model = LenientListItem
    key_fields = ("list_kind", "code")
    field_map = {"unit": "unit_id"}

    def check(self, rows):
        self.items = dict(ViolationItem.objects.values_list("code", "id"))
        self.item_names = dict(ViolationItem.objects.values_list("code", "name"))
        super().check(rows)

    def write_fields(self):
        return [*super().write_fields(), "item"]

    def model_values(self, values):
        out = super().model_values({**values, "item": None})
        out.pop("item", None)
        out["item_id"] = self.items.get(values["code"])
        if "name" in out and not out["name"]:
            out["name"] = self.item_names.get(values["code"], "")
        return out

    def __init__(self, *args):
        super().__init__(*args)
        self.fields = [f if f != "item" else "item_id" for f in self.fields]


class CaseWriter(Writer):
    model = PenaltyCase
    key_fields = ("unit_id", "case_no")
    field_map = {"unit": "unit_id"}
    stamp = True

    def write_fields(self):
        fields = super().write_fields()
        if "violation_name" not in fields:
            fields.append("violation_name")  # filled from the catalogue
        return [*fields, "violation"]

    def __init__(self, *args):
        super().__init__(*args)
        self.fields = [f if f != "violation" else "violation_id" for f in self.fields]

    def check(self, rows):
        self.items = {
            c: (pk, name) for pk, c, name in ViolationItem.objects.values_list("id", "code", "name")
        }
        self.certs = set(Officer.objects.values_list("cert_no", flat=True))
        super().check(rows)

    def check_row(self, row):
        v = row.values
        self.scope(row, "unit")
        if v["party_type"] != "natural" and not v.get("party_uscc"):
            row.error("统一社会信用代码", "当事人不是自然人时，统一社会信用代码必填")
        item = self.items.get(v["violation_code"])
        if item is None:
            row.error("违法行为编码", f"违法行为编码“{v['violation_code']}”不在违法行为事项目录中")
        self.date_order(row, "decided_on", "filed_on", "决定日期早于立案日期")
        self.date_order(row, "served_on", "decided_on", "送达日期早于决定日期")
        self.date_order(row, "published_on", "decided_on", "公示日期早于决定日期")
        self.date_order(row, "closed_on", "decided_on", "结案日期早于决定日期")
        for cert in v.get("officers") or []:
            if cert not in self.certs:
                row.warn("执法人员", f"执法证号“{cert}”不在执法人员名录中")

    def model_values(self, values):
        out = super().model_values(
            {**values, "violation": None, "violation_name": values.get("violation_name", "")}
        )
        item = self.items[values["violation_code"]]
        out["violation_id"] = item[0]
        if not out["violation_name"]:
            out["violation_name"] = item[1]
        out.pop("violation", None)
        return out

    def write(self, batch):
        self.unit_ids.update(r.values["unit"][0] for r in batch)
        return super().write(batch)


class InspectionWriter(Writer):
    model = Inspection
    key_fields = ("unit_id", "inspection_no")
    field_map = {"unit": "unit_id", "enterprise_uscc": "enterprise_id"}
    stamp = True

    def check(self, rows):
        self.enterprises = dict(Enterprise.objects.values_list("uscc", "id"))
        self.certs = set(Officer.objects.values_list("cert_no", flat=True))
        self.new_enterprises = {}
        super().check(rows)

    def check_row(self, row):
        v = row.values
        self.scope(row, "unit")
        for cert in v.get("officers") or []:
            if cert not in self.certs:
                row.warn("检查人员", f"执法证号“{cert}”不在执法人员名录中")
        code = v["enterprise_uscc"]
        if code not in self.enterprises and not row.errors:
            if code not in self.new_enterprises:
                self.new_enterprises[code] = v["enterprise_name"]
                row.warn(
                    "统一社会信用代码",
                    "市场主体名录中没有该企业，已按本行的企业名称和统一社会信用代码新增",
                )

    def model_values(self, values):
        out = super().model_values(values)
        out["enterprise_id"] = self.enterprises[values["enterprise_uscc"]]
        if "mode" in out and not out["mode"]:
            out["mode"] = Inspection.Mode.ONSITE
        return out

    def write(self, batch):
        new = {}
        for row in batch:
            code = row.values["enterprise_uscc"]
            if code not in self.enterprises:
                new[code] = self.new_enterprises.get(code) or row.values["enterprise_name"]
        if new:
            Enterprise.objects.bulk_create(
                [Enterprise(uscc=c, name=n) for c, n in new.items()], ignore_conflicts=True
            )
            self.enterprises.update(
                Enterprise.objects.filter(uscc__in=list(new)).values_list("uscc", "id")
            )
        self.unit_ids.update(r.values["unit"][0] for r in batch)
        return super().write(batch)


class CreditRepairWriter(Writer):
    model = CreditRepair
    key_fields = ("unit_id", "case_no")
    field_map = {"unit": "unit_id"}
    stamp = True

    def check(self, rows):
        wanted = defaultdict(set)
        for row in rows:
            if not row.errors:
                wanted[row.values["unit"][0]].add(row.values["case_no"])
        self.cases = {}
        for unit_id, nos in wanted.items():
            for part in chunks(nos, IN_CHUNK):
                for pk, no in PenaltyCase.objects.filter(
                    unit_id=unit_id, case_no__in=part
                ).values_list("id", "case_no"):
                    self.cases[(unit_id, no)] = pk
        super().check(rows)

    def check_row(self, row):
        v = row.values
        self.scope(row, "unit")
        if (v["unit"][0], v["case_no"]) not in self.cases:
            row.error(
                "案件编号",
                f"执法单位 {v['unit'][1]} 没有案件编号为“{v['case_no']}”的处罚案件，请先导入该案件",
            )
        self.date_order(row, "decided_on", "applied_on", "决定日期早于申请日期")

    def write_fields(self):
        return [*super().write_fields(), "case"]

    def __init__(self, *args):
        super().__init__(*args)
        self.fields = [f if f != "case" else "case_id" for f in self.fields]

    def model_values(self, values):
        out = super().model_values({**values, "case": None})
        out.pop("case", None)
        out["case_id"] = self.cases[(values["unit"][0], values["case_no"])]
        return out

    def write(self, batch):
        self.unit_ids.update(r.values["unit"][0] for r in batch)
        return super().write(batch)


class TransferWriter(Writer):
    model = Transfer
    key_fields = ("transfer_no",)
    field_map = {"from_unit": "from_unit_id", "to_unit": "to_unit_id"}
    stamp = True

    def check_row(self, row):
        v = row.values
        self.scope(row, "from_unit", "to_unit")
        if v["from_unit"][0] == v["to_unit"][0]:
            row.error("接收单位", "接收单位与移出单位相同")
        self.date_order(row, "received_on", "sent_on", "接收日期早于移送日期")

    def write(self, batch):
        for r in batch:
            self.unit_ids.update((r.values["from_unit"][0], r.values["to_unit"][0]))
        return super().write(batch)


class StandardWriter(Writer):
    """Items, their benchmark version per effective date, and one tier per row."""

    model = Tier
    TIER_FIELDS = [
        "conditions",
        "fine_min",
        "fine_max",
        "multiple_of",
        "multiple_min",
        "multiple_max",
        "other_penalties",
    ]
    ITEM_FIELDS = ["name", "domain", "violation_basis", "penalty_basis"]

    def key_of(self, values):
        return (values["code"], values["tier"], values.get("effective_on"))

    def check(self, rows):
        existing = set(ViolationItem.objects.values_list("code", flat=True))
        named = {r.values["code"] for r in rows if not r.errors and r.values.get("name")}
        for row in rows:
            if row.errors:
                continue
            v = row.values
            if v["code"] not in existing and v["code"] not in named:
                row.error("违法行为", "新事项的违法行为名称必填（填在该事项的第一行）")
            if (
                v.get("fine_min") is not None
                and v.get("fine_max") is not None
                and v["fine_min"] > v["fine_max"]
            ):
                row.error("罚款下限(元)", "罚款下限大于罚款上限")
            if (
                v.get("multiple_min") is not None
                and v.get("multiple_max") is not None
                and v["multiple_min"] > v["multiple_max"]
            ):
                row.error("倍数下限", "倍数下限大于倍数上限")
            if (
                v.get("multiple_of")
                and v.get("multiple_min") is None
                and v.get("multiple_max") is None
            ):
                row.error("倍数基数", "填写了倍数基数，但未填写倍数下限或上限")
            if not v.get("multiple_of") and (
                v.get("multiple_min") is not None or v.get("multiple_max") is not None
            ):
                row.error("倍数基数", "填写了倍数，但未填写倍数基数（违法所得或货值金额）")

    def batches(self, rows, size):
        # Rows of one item stay in one batch: its first row carries the item's name.
        groups = defaultdict(list)
        for row in rows:
            groups[row.values["code"]].append(row)
        batch = []
        for group in groups.values():
            batch.extend(group)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def write(self, batch):
        created = updated = unchanged = 0
        by_item = defaultdict(list)
        for row in batch:
            by_item[row.values["code"]].append(row)
        for code, rows in by_item.items():
            item_values = {}
            for f in self.ITEM_FIELDS:
                if f in self.present:
                    filled = [r.values[f] for r in rows if r.values.get(f)]
                    if filled:
                        item_values[f] = filled[0]
            item = ViolationItem.objects.filter(code=code).first()
            item_changed = False
            if item is None:
                item = ViolationItem.objects.create(code=code, **item_values)
            elif any(getattr(item, f) != val for f, val in item_values.items()):
                for f, val in item_values.items():
                    setattr(item, f, val)
                item.save()
                item_changed = True
            versions = {}
            for row in rows:
                eff = row.values.get("effective_on")
                if eff not in versions:
                    bench = (
                        Benchmark.objects.filter(item=item, effective_on=eff)
                        .order_by("-version")
                        .first()
                    )
                    if bench is None:
                        last = (
                            Benchmark.objects.filter(item=item)
                            .order_by("-version")
                            .values_list("version", flat=True)
                            .first()
                        )
                        bench = Benchmark.objects.create(
                            item=item,
                            version=(last or 0) + 1,
                            effective_on=eff,
                            published=True,
                            published_at=timezone.now(),
                        )
                    versions[eff] = bench
                bench = versions[eff]
                want = {
                    f: row.values.get(f)
                    if row.values.get(f) is not None
                    else ("" if f in ("conditions", "multiple_of", "other_penalties") else None)
                    for f in self.TIER_FIELDS
                    if f in self.present
                }
                tier = Tier.objects.filter(benchmark=bench, level=row.values["tier"]).first()
                if tier is None:
                    Tier.objects.create(benchmark=bench, level=row.values["tier"], **want)
                    created += 1
                elif any(getattr(tier, f) != val for f, val in want.items()):
                    for f, val in want.items():
                        setattr(tier, f, val)
                    tier.save()
                    updated += 1
                elif item_changed and row is rows[0]:
                    updated += 1
                else:
                    unchanged += 1
        return created, updated, unchanged


WRITERS = {
    "units": UnitWriter,
    "officers": OfficerWriter,
    "enterprises": EnterpriseWriter,
    "standards": StandardWriter,
    "lenient": LenientWriter,
    "cases": CaseWriter,
    "inspections": InspectionWriter,
    "credit_repairs": CreditRepairWriter,
    "transfers": TransferWriter,
}
