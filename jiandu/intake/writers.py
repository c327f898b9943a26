"""Per kind: the checks that need lookups or several columns, the natural key, and the
batch write (bulk upsert by natural key). A writer sees only rows
whose cells already parsed."""

from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from itertools import repeat
from operator import itemgetter

from django.db import IntegrityError, connection, transaction
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
from jiandu.standards.actions import blank_tier_value
from jiandu.standards.models import TIER_FIELDS, Benchmark, LenientListItem, Tier, ViolationItem

IN_CHUNK = 5000  # values per IN (...) list: well under SQLite's limit of 32766 variables


def sql_upsert(
    model, cols, key_cols, rows, update_cols=None, compare=None, fresh=False, guard=None
):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET update_cols (default: every other
    column), only where one of the `compare` columns differs when given, and only where
    the SQL condition `guard` on the stored row holds when given.

    Returns (rows inserted, rows updated), counted by the statement that wrote them, so
    another session writing the same keys at the same time cannot make them disagree
    with what was written (a count taken before the write could: the keys it found
    missing may be stored by the other session before this one writes them).
    Must run inside a transaction. SQLite: one executemany; a writer holds the
    database's only write lock for the whole transaction, so the rows whose id is above
    the largest id before the statement are exactly the ones it inserted. PostgreSQL:
    the rows are COPYed into a temporary table and upserted by one INSERT ... SELECT
    that reports, per written row, whether it inserted it; `fresh` (no key can be
    stored yet) first tries a COPY straight into the table."""
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
    conditions = []
    if updates and compare:
        # NULL-safe inequality: `IS NOT` on SQLite, `IS DISTINCT FROM` on PostgreSQL.
        differs = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
        conditions.append(
            " OR ".join(
                f"{table}.{qn(c)} {differs} EXCLUDED.{qn(c)}"
                for c in (meta.get_field(f).column for f in compare)
            )
        )
    if updates and guard:
        conditions.append(guard)
    if conditions:
        action += " WHERE " + " AND ".join(f"({c})" for c in conditions)
    column_list = ", ".join(qn(n) for n in names)
    tail = f" ON CONFLICT ({', '.join(qn(k) for k in keys)}) {action}"
    pk = qn(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT COALESCE(MAX({pk}), 0) FROM {table}")
            before = cursor.fetchone()[0]
            # sqlite3 runs executemany in C over one prepared statement; its rowcount is
            # the sum of the rows each execution inserted or updated.
            one = f"({', '.join(['%s'] * len(names))})"
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES {one}{tail}", rows)
            affected = cursor.rowcount
            # A new rowid is always above the largest one stored; updates keep theirs.
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {pk} > %s", [before])
            created = cursor.fetchone()[0]
            return created, affected - created
        # PostgreSQL: COPY is written by psycopg's C code; arrays or VALUES lists as
        # parameters are rendered in Python and cost more than the database's work.
        if fresh:
            # No key can be stored yet: COPY straight into the table, the bulk path that
            # writes each row once. Should another session have stored one of the keys
            # meanwhile, the savepoint undoes the COPY and the upsert below runs instead.
            try:
                with transaction.atomic():
                    with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                return len(rows), 0
            except connection.Database.IntegrityError:  # psycopg's own: a raw cursor
                pass
        tmp = qn("jiandu_intake_rows")
        cursor.execute(f"DROP TABLE IF EXISTS {tmp}")  # left by a failure outside a transaction
        cursor.execute(
            f"CREATE TEMPORARY TABLE {tmp} AS SELECT {column_list} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY {tmp} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # A row this statement inserted has no deleting or locking transaction (xmax 0);
        # a row it updated was locked by ON CONFLICT first. Rows written by a concurrent
        # session are waited for and then compared like any stored row.
        cursor.execute(
            f"WITH w AS (INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {tmp}"
            f"{tail} RETURNING (xmax = 0) AS inserted) "
            "SELECT COUNT(*) FILTER (WHERE inserted), COUNT(*) FILTER (WHERE NOT inserted) FROM w"
        )
        created, updated = cursor.fetchone()
        cursor.execute(f"DROP TABLE {tmp}")
        return created, updated


def chunks(seq, size):
    seq = list(seq)
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def pick(values: list, idx: list[int]) -> list:
    """values at the indices `idx` (ascending): a slice when they are consecutive."""
    if not idx:
        return []
    if idx[-1] - idx[0] + 1 == len(idx):
        return values[idx[0] : idx[-1] + 1]
    return list(itemgetter(*idx)(values))


def unit_ids(values) -> list:
    """Unit references (id, code, kind) -> ids."""
    return [v[0] if v else None for v in values]


def _per_distinct(func: Callable, key: Callable | None = None) -> Callable[[list], list]:
    """A column converter that converts each distinct value once."""

    def convert(values):
        keys = list(map(key, values)) if key else values
        done = {k: func(k) for k in set(keys)}
        return list(map(done.__getitem__, keys))

    return convert


_join_multi = _per_distinct(join_multi, key=tuple)  # multi-valued cells are lists
# SQLite stores dates as ISO text; converting each distinct date once here saves the
# driver's adapter call on every cell.
_iso_dates = _per_distinct(lambda d: d.isoformat() if d is not None else None)


@contextmanager
def bulk_session(writer):
    """Around an import's writes. On SQLite, foreign keys are enforced per row and
    column, which costs a fifth of the write; the writers resolved every reference from
    the lookups already, so the session turns that off and each batch checks its
    distinct references instead (Writer.check_references), in the same transaction.
    The pragma cannot change inside a transaction: then nothing changes and the
    database keeps checking. Writers that save through the ORM keep the database's."""
    if not writer.upserts or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    writer.verify_references = True
    try:
        yield
    finally:
        writer.verify_references = False
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys = ON")


class Writer:
    model = None
    key_fields: tuple = ()  # model fields of the natural key
    field_map: dict = {}  # contract field -> model field, for the plain columns
    extra_fields: tuple = ()  # model fields derived from other columns (see columns())
    stamp = False  # the model has updated_at
    upserts = True  # writes through upsert() (not the ORM)
    streams = True  # checks a chunk of the file at a time (else the whole file at once)
    verify_references = False  # set inside a bulk_session that turned the database's off

    def __init__(self, kind, lookups, present, today, restrict_unit_id):
        self.kind = kind
        self.lookups = lookups
        self.present = present
        self.today = today
        self.restrict = restrict_unit_id
        self.unit_ids: set = set()
        self.fields = [self.field_map.get(f, f) for f in self.write_fields()]
        self.fields += self.extra_fields

    def write_fields(self) -> list[str]:
        """Contract fields written (those present in the file), key fields excluded."""
        keys = set(self.kind.key)
        return [
            c.field for c in self.kind.columns if c.field in self.present and c.field not in keys
        ]

    # -- checks (on the rows whose cells parsed: table.checked)
    def prepare(self):
        """Load what the checks look up, once per import."""

    def check(self, table):
        """Check one chunk of the file (all of it when not `streams`)."""

    def in_scope(self, *units) -> bool:
        """A unit's user may only import rows of their own unit."""
        return self.restrict is None or any(u and u[0] == self.restrict for u in units)

    def out_of_scope(self, table, i, field_name):
        own = self.lookups.unit_codes.get(self.restrict, "")
        table.error(
            i,
            self.kind.header_of(field_name),
            f"不能导入其他单位的数据（本账号只能导入单位 {own} 的数据）",
        )

    def check_scope(self, table, field_name="unit"):
        if self.restrict is None:
            return
        for i, unit in table.checked(field_name):
            if not self.in_scope(unit):
                self.out_of_scope(table, i, field_name)

    def stored_rows(self, key_field: str, keys, *fields) -> dict:
        """key -> (fields...) of the stored rows among `keys`: the distinct keys of a
        chunk in one query per IN_CHUNK of them, never a query per row."""
        found = {}
        for part in chunks(set(keys), IN_CHUNK):
            rows = self.model._base_manager.filter(**{f"{key_field}__in": part}).order_by()
            for key, *values in rows.values_list(key_field, *fields):
                found[key] = values
        return found

    def unit_name(self, pk) -> str:
        return self.lookups.unit_names.get(pk, "")

    def owner_guard(self) -> str | None:
        """SQL condition on the stored row under which this import may update it: a
        unit's import never rewrites another unit's row, even one stored after the
        checks looked (then the row is left as it is). None: no condition."""
        return None

    def column_sql(self, field_name: str, table: str = "") -> str:
        """The stored row's column in SQL (`table`: EXCLUDED for the row sent)."""
        qn = connection.ops.quote_name
        meta = self.model._meta
        return f"{table or qn(meta.db_table)}.{qn(meta.get_field(field_name).column)}"

    def date_order(self, table, later, earlier, message):
        header = self.kind.header_of(later)
        for i, a, b in table.checked(later, earlier):
            if a and b and a < b:
                table.error(i, header, message)

    def unknown_officers(self, table, header):
        certs = self.certs
        for i, officers in table.checked("officers"):
            for cert in officers or ():
                if cert not in certs:
                    table.warn(i, header, f"执法证号“{cert}”不在执法人员名录中")

    # -- keys and batches
    def keys(self, table):
        """The natural key of every row, as stored (units by id)."""
        cols = []
        for f in self.kind.key:
            values = table.col(f)
            cols.append(unit_ids(values) if self.kind.by_field[f].type == "unit" else values)
        return zip(*cols, strict=True)

    def batches(self, table, idx, size):
        for i in range(0, len(idx), size):
            yield idx[i : i + size]

    # -- writing
    def convert(self, field_name, values) -> list:
        """One column of a batch, contract values -> database values."""
        col = self.kind.by_field.get(field_name)
        kind = col.type if col else ""
        if kind == "unit":
            return unit_ids(values)
        if kind in ("multi", "list"):
            return _join_multi(values)
        if kind == "date" and connection.vendor == "sqlite":
            return _iso_dates(values)
        return values

    def columns(self, table, idx) -> dict:
        """model field -> the batch's values, for the key and the written fields."""
        out = {}
        for f in (*self.kind.key, *self.write_fields()):
            out[self.field_map.get(f, f)] = self.convert(f, pick(table.col(f), idx))
        return out

    def prior_firsts(self):
        """Values of the key's first field that already had rows before this import:
        keys outside them cannot exist yet, so PostgreSQL may COPY a first import
        straight into the table (a key stored meanwhile makes the COPY fail and the
        upsert run instead: the counts never rely on this)."""
        if not hasattr(self, "_prior"):
            if len(self.key_fields) == 1:
                self._prior = None if self.model.objects.exists() else set()
            else:
                first = self.key_fields[0]
                self._prior = set(
                    self.model.objects.values_list(first, flat=True).distinct().order_by()
                )
        return self._prior

    def defaults(self) -> dict:
        """attname -> database value of the model default, for every concrete column."""
        out = {}
        for f in self.model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = f.get_default()
            if isinstance(value, datetime):
                value = connection.ops.adapt_datetimefield_value(value)
            elif f.get_internal_type() == "JSONField":
                value = f.get_db_prep_save(value, connection)  # [] as JSON, not a list
            out[f.attname] = value
        return out

    def upsert(self, columns: dict) -> tuple[int, int, int]:
        """Write new and changed rows; returns (created, updated, unchanged).

        One INSERT ... ON CONFLICT (natural key) DO UPDATE ... WHERE (a column differs),
        the same semantics on SQLite (3.24+) and PostgreSQL: the database compares each
        row with what it stores, so unchanged rows are neither written nor read back into
        Python. The statement itself counts what it inserted and updated (sql_upsert)."""
        cols = [*self.key_fields, *self.fields]
        count = len(columns[cols[0]])
        if not count:
            return 0, 0, 0
        # New rows get the model's defaults for the columns the file does not have;
        # existing rows keep them (only the file's columns are updated).
        defaults = self.defaults()
        rest = [c for c in defaults if c not in cols]
        fill = [repeat(defaults[c]) for c in rest]  # endless: zip stops with the columns
        rows = list(zip(*(columns[c] for c in cols), *fill, strict=False))
        # Nothing but the key in the file: stored rows stay as they are (DO NOTHING).
        update = [*self.fields, *(["updated_at"] if self.stamp else [])] if self.fields else []
        fresh = False
        if connection.vendor == "postgresql":
            prior = self.prior_firsts()
            fresh = prior is not None and not any(r[0] in prior for r in rows)
        created, updated = sql_upsert(
            self.model,
            [*cols, *rest],
            list(self.key_fields),
            rows,
            update,
            compare=list(self.fields),
            fresh=fresh,
            guard=self.owner_guard(),
        )
        if self.verify_references:
            self.check_references(columns)
        return created, updated, count - created - updated

    def check_references(self, columns: dict):
        """What the database's foreign keys would check, once per distinct value: every
        id written to a foreign key column exists. Raises IntegrityError (the batch's
        transaction is rolled back)."""
        for f in self.model._meta.concrete_fields:
            if not f.is_relation or f.attname not in columns:
                continue
            ids = {v for v in columns[f.attname] if v is not None}
            found = 0
            for part in chunks(ids, IN_CHUNK):
                found += f.related_model._base_manager.filter(pk__in=part).count()
            if found != len(ids):
                raise IntegrityError(
                    f"{self.model._meta.db_table}.{f.column}: {len(ids) - found} 个引用不存在"
                )

    def write(self, table, idx):
        return self.upsert(self.columns(table, idx))


class UnitWriter(Writer):
    model = Unit
    key_fields = ("code",)
    upserts = False
    streams = False  # a parent may be named on a later row

    def check(self, table):
        self.domains = {d.name: d.pk for d in Domain.objects.all()}
        names = dict(Unit.objects.values_list("name", "code"))
        in_file = {code: name for _i, code, name in table.checked("code", "name")}
        self.file_names = {v: k for k, v in in_file.items()}
        for i, code, name, domains, parent in table.checked("code", "name", "domains", "parent"):
            owner = names.get(name)
            if owner and owner != code and in_file.get(owner) in (None, name):
                table.error(i, "单位名称", f"单位名称“{name}”已被单位 {owner} 使用")
            for d in domains or []:
                if d not in self.domains:
                    table.error(i, "执法领域", f"执法领域“{d}”不在“1+8”执法领域中")
            if parent and not (
                self.lookups.unit(parent) or parent in in_file or parent in self.file_names
            ):
                table.error(i, "上级单位", f"上级单位“{parent}”不存在（请填写单位编码或完整名称）")
            if parent and parent in (code, name):
                table.error(i, "上级单位", "上级单位不能是本单位")

    def batches(self, table, idx, size):
        yield idx  # a county has tens of units; parents may refer to later rows

    def write(self, table, idx):
        created = updated = unchanged = 0
        rows = [table.values(i) for i in idx]
        units = {}
        states = {}
        for v in rows:
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
        for v in rows:
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

    def check(self, table):
        self.check_scope(table)
        if self.restrict is None:
            return
        rows = list(table.checked("cert_no"))
        stored = self.stored_rows("cert_no", (cert for _i, cert in rows), "unit_id")
        for i, cert in rows:
            owner = stored.get(cert)
            if owner and owner[0] != self.restrict:
                table.error(
                    i, "执法证号", f"该执法人员属于{self.unit_name(owner[0])}，不能由本单位修改"
                )

    def owner_guard(self):
        if self.restrict is None:
            return None
        return f"{self.column_sql('unit')} = {int(self.restrict)}"

    def write(self, table, idx):
        self.unit_ids.update(unit_ids(set(pick(table.col("unit"), idx))))
        return super().write(table, idx)


class EnterpriseWriter(Writer):
    model = Enterprise
    key_fields = ("uscc",)
    field_map = {"town": "town_id"}

    def check(self, table):
        for i, town in table.checked("town"):
            if town and town[2] != Unit.Kind.TOWNSHIP:
                table.error(i, "所属乡镇", f"所属乡镇“{town[1]}”不是乡镇单位")
        if self.restrict is not None:
            self.check_registry(table)

    def check_registry(self, table):
        """The registry is shared: a unit may add an enterprise that is missing, and send
        one that is stored only as it is stored; a row that would change a stored one is
        refused on each column it would change."""
        fields = self.write_fields()
        attrs = [self.field_map.get(f, f) for f in fields]
        rows = list(table.checked("uscc", *fields))
        stored = self.stored_rows("uscc", (t[1] for t in rows), *attrs)
        for i, code, *values in rows:
            have = stored.get(code)
            if have is None:
                continue
            for f, value, old in zip(fields, values, have, strict=True):
                if (value[0] if isinstance(value, tuple) else value) != old:
                    header = self.kind.header_of(f)
                    table.error(
                        i,
                        header,
                        f"市场主体名录中已有该企业，本单位不能修改其{header}"
                        f"（名录中为“{self.shown(f, old)}”）；名录由司法局维护",
                    )

    def shown(self, field_name, value) -> str:
        if value is None or value == "":
            return "空"
        if field_name == "town":
            return self.unit_name(value)
        if field_name == "quiet_list":
            return "是" if value else "否"
        if field_name == "kind":
            return str(dict(Enterprise.Kind.choices).get(value, value))
        return str(value)

    def owner_guard(self):
        # A unit's import adds missing enterprises only; a stored one stays as it is.
        return None if self.restrict is None else "1 = 0"


class LenientWriter(Writer):
    model = LenientListItem
    key_fields = ("list_kind", "code")
    field_map = {"unit": "unit_id"}
    extra_fields = ("item_id",)

    def prepare(self):
        self.items = dict(ViolationItem.objects.values_list("code", "id"))
        self.item_names = dict(ViolationItem.objects.values_list("code", "name"))

    def columns(self, table, idx):
        out = super().columns(table, idx)
        codes = out["code"]
        out["item_id"] = [self.items.get(c) for c in codes]
        if "name" in out:
            names = self.item_names
            out["name"] = [n or names.get(c, "") for n, c in zip(out["name"], codes, strict=True)]
        return out


def fine_bands(today) -> dict[str, tuple]:
    """Per violation code, the lowest minimum and highest maximum fine (元) of the
    benchmark in force today (items without amounts left out)."""
    bands: dict[str, list] = {}
    tiers = Tier.objects.filter(benchmark__in=Benchmark.objects.in_force(today)).values_list(
        "benchmark__item__code", "fine_min", "fine_max"
    )
    for code, lo, hi in tiers:
        band = bands.setdefault(code, [None, None])
        if lo is not None and (band[0] is None or lo < band[0]):
            band[0] = lo
        if hi is not None and (band[1] is None or hi > band[1]):
            band[1] = hi
    return {c: tuple(b) for c, b in bands.items() if b[0] and b[1]}


# A fine this many times below the benchmark's lowest minimum, that lands inside the band
# once multiplied by 10,000, was most likely written in 万元.
TEN_THOUSAND = 10_000


class CaseWriter(Writer):
    model = PenaltyCase
    key_fields = ("unit_id", "case_no")
    field_map = {"unit": "unit_id"}
    extra_fields = ("violation_id",)
    stamp = True

    def write_fields(self):
        fields = super().write_fields()
        if "violation_name" not in fields:
            fields.append("violation_name")  # filled from the catalogue
        return fields

    def prepare(self):
        self.items = {
            c: (pk, name) for pk, c, name in ViolationItem.objects.values_list("id", "code", "name")
        }
        self.certs = set(Officer.objects.values_list("cert_no", flat=True))
        self.bands = fine_bands(self.today)

    def check(self, table):
        self.check_scope(table)
        self.fines_in_another_unit(table)
        for i, party_type, party_uscc in table.checked("party_type", "party_uscc"):
            if party_type != "natural" and not party_uscc:
                table.error(i, "统一社会信用代码", "当事人不是自然人时，统一社会信用代码必填")
        items = self.items
        for i, code in table.checked("violation_code"):
            if code not in items:
                table.error(i, "违法行为编码", f"违法行为编码“{code}”不在违法行为事项目录中")
        self.date_order(table, "decided_on", "filed_on", "决定日期早于立案日期")
        self.date_order(table, "served_on", "decided_on", "送达日期早于决定日期")
        self.date_order(table, "published_on", "decided_on", "公示日期早于决定日期")
        self.date_order(table, "closed_on", "decided_on", "结案日期早于决定日期")
        self.unknown_officers(table, "执法人员")

    def fines_in_another_unit(self, table):
        """A 罚款金额 that looks 10,000 times off against the benchmark in force is a
        warning (the row is still imported)."""
        if "fine" not in self.present or not self.bands:
            return
        for i, code, fine in table.checked("violation_code", "fine"):
            band = self.bands.get(code)
            if not band or not fine:
                continue
            lo, hi = band
            if fine * 100 < lo and lo <= fine * TEN_THOUSAND <= hi:
                table.warn(
                    i,
                    self.kind.header_of("fine"),
                    f"罚款金额 {fine} 元远低于现行裁量基准（{lo}～{hi} 元），"
                    f"按万元理解为 {fine * TEN_THOUSAND} 元则在幅度内：是否以万元填写？",
                )

    def columns(self, table, idx):
        out = super().columns(table, idx)
        items = [self.items[c] for c in out["violation_code"]]
        out["violation_id"] = [item[0] for item in items]
        out["violation_name"] = [
            name or item[1] for name, item in zip(out["violation_name"], items, strict=True)
        ]
        return out

    def write(self, table, idx):
        self.unit_ids.update(unit_ids(set(pick(table.col("unit"), idx))))
        return super().write(table, idx)


class InspectionWriter(Writer):
    model = Inspection
    key_fields = ("unit_id", "inspection_no")
    field_map = {"unit": "unit_id", "enterprise_uscc": "enterprise_id"}
    stamp = True

    def prepare(self):
        self.enterprises = dict(Enterprise.objects.values_list("uscc", "id"))
        self.certs = set(Officer.objects.values_list("cert_no", flat=True))
        self.new_enterprises = {}

    def check(self, table):
        self.check_scope(table)
        self.unknown_officers(table, "检查人员")
        errors = table.errors
        for i, code, name in table.checked("enterprise_uscc", "enterprise_name"):
            if code not in self.enterprises and i not in errors:
                if code not in self.new_enterprises:
                    self.new_enterprises[code] = name
                    table.warn(
                        i,
                        "统一社会信用代码",
                        "市场主体名录中没有该企业，已按本行的企业名称和统一社会信用代码新增",
                    )

    def columns(self, table, idx):
        out = super().columns(table, idx)
        out["enterprise_id"] = [self.enterprises[c] for c in out["enterprise_id"]]
        if "mode" in out:
            out["mode"] = [m or Inspection.Mode.ONSITE for m in out["mode"]]
        return out

    def write(self, table, idx):
        new = {}
        for code, name in zip(
            pick(table.col("enterprise_uscc"), idx),
            pick(table.col("enterprise_name"), idx),
            strict=True,
        ):
            if code not in self.enterprises:
                new[code] = self.new_enterprises.get(code) or name
        if new:
            Enterprise.objects.bulk_create(
                [Enterprise(uscc=c, name=n) for c, n in new.items()], ignore_conflicts=True
            )
            self.enterprises.update(
                Enterprise.objects.filter(uscc__in=list(new)).values_list("uscc", "id")
            )
        self.unit_ids.update(unit_ids(set(pick(table.col("unit"), idx))))
        return super().write(table, idx)


class CreditRepairWriter(Writer):
    model = CreditRepair
    key_fields = ("unit_id", "case_no")
    field_map = {"unit": "unit_id"}
    extra_fields = ("case_id",)
    stamp = True

    def check(self, table):
        wanted = defaultdict(set)
        for _i, unit, case_no in table.checked("unit", "case_no"):
            wanted[unit[0]].add(case_no)
        self.cases = {}
        for unit_id, nos in wanted.items():
            for part in chunks(nos, IN_CHUNK):
                for pk, no in PenaltyCase.objects.filter(
                    unit_id=unit_id, case_no__in=part
                ).values_list("id", "case_no"):
                    self.cases[(unit_id, no)] = pk
        self.check_scope(table)
        for i, unit, case_no in table.checked("unit", "case_no"):
            if (unit[0], case_no) not in self.cases:
                table.error(
                    i,
                    "案件编号",
                    f"执法单位 {unit[1]} 没有案件编号为“{case_no}”的处罚案件，请先导入该案件",
                )
        self.date_order(table, "decided_on", "applied_on", "决定日期早于申请日期")

    def columns(self, table, idx):
        out = super().columns(table, idx)
        out["case_id"] = [
            self.cases[key] for key in zip(out["unit_id"], out["case_no"], strict=True)
        ]
        return out

    def write(self, table, idx):
        self.unit_ids.update(unit_ids(set(pick(table.col("unit"), idx))))
        return super().write(table, idx)


class TransferWriter(Writer):
    model = Transfer
    key_fields = ("transfer_no",)
    field_map = {"from_unit": "from_unit_id", "to_unit": "to_unit_id"}
    stamp = True

    def check(self, table):
        for i, from_unit, to_unit in table.checked("from_unit", "to_unit"):
            if not self.in_scope(from_unit, to_unit):
                self.out_of_scope(table, i, "from_unit")
            if from_unit[0] == to_unit[0]:
                table.error(i, "接收单位", "接收单位与移出单位相同")
        if self.restrict is not None:
            self.check_stored(table)
        self.date_order(table, "received_on", "sent_on", "接收日期早于移送日期")

    def check_stored(self, table):
        """A unit may update a stored transfer it sent or received, and not move it to
        other units: that would take it away from the other side."""
        rows = list(table.checked("transfer_no", "from_unit", "to_unit"))
        stored = self.stored_rows("transfer_no", (t[1] for t in rows), "from_unit_id", "to_unit_id")
        for i, no, from_unit, to_unit in rows:
            have = stored.get(no)
            if have is None:
                continue
            sender, receiver = have
            between = f"{self.unit_name(sender)}移送{self.unit_name(receiver)}"
            if self.restrict not in have:
                table.error(
                    i,
                    "移送编号",
                    f"该移送记录是{between}的，本单位既不是移出单位也不是接收单位，不能修改",
                )
            elif (from_unit[0], to_unit[0]) != (sender, receiver):
                table.error(
                    i,
                    "移出单位" if from_unit[0] != sender else "接收单位",
                    f"该移送记录是{between}的，本单位不能更改移出单位或接收单位",
                )

    def owner_guard(self):
        if self.restrict is None:
            return None
        unit = int(self.restrict)
        sender, receiver = self.column_sql("from_unit"), self.column_sql("to_unit")
        same = " AND ".join(
            f"{self.column_sql(c)} = {self.column_sql(c, 'EXCLUDED')}"
            for c in ("from_unit", "to_unit")
        )
        return f"({sender} = {unit} OR {receiver} = {unit}) AND {same}"

    def write(self, table, idx):
        for field_name in ("from_unit", "to_unit"):
            self.unit_ids.update(unit_ids(set(pick(table.col(field_name), idx))))
        return super().write(table, idx)


class StandardWriter(Writer):
    """Items, their benchmark version per effective date, and one tier per row."""

    model = Tier
    upserts = False
    streams = False  # an item's name is on its first row; its rows are written together
    ITEM_FIELDS = ["name", "domain", "violation_basis", "penalty_basis"]

    def keys(self, table):
        return zip(table.col("code"), table.col("tier"), table.col("effective_on"), strict=True)

    def check(self, table):
        existing = set(ViolationItem.objects.values_list("code", flat=True))
        named = {code for _i, code, name in table.checked("code", "name") if name}
        for i, code, fine_min, fine_max, multiple_of, multiple_min, multiple_max in table.checked(
            "code", "fine_min", "fine_max", "multiple_of", "multiple_min", "multiple_max"
        ):
            if code not in existing and code not in named:
                table.error(i, "违法行为", "新事项的违法行为名称必填（填在该事项的第一行）")
            if fine_min is not None and fine_max is not None and fine_min > fine_max:
                table.error(i, "罚款下限(元)", "罚款下限大于罚款上限")
            if (
                multiple_min is not None
                and multiple_max is not None
                and multiple_min > multiple_max
            ):
                table.error(i, "倍数下限", "倍数下限大于倍数上限")
            if multiple_of and multiple_min is None and multiple_max is None:
                table.error(i, "倍数基数", "填写了倍数基数，但未填写倍数下限或上限")
            if not multiple_of and (multiple_min is not None or multiple_max is not None):
                table.error(i, "倍数基数", "填写了倍数，但未填写倍数基数（违法所得或货值金额）")

    def batches(self, table, idx, size):
        # Rows of one item stay in one batch: its first row carries the item's name.
        groups = defaultdict(list)
        codes = table.col("code")
        for i in idx:
            groups[codes[i]].append(i)
        batch = []
        for group in groups.values():
            batch.extend(group)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def write(self, table, idx):
        created = updated = unchanged = 0
        by_item = defaultdict(list)
        for i in idx:
            values = table.values(i)
            by_item[values["code"]].append(values)
        for code, rows in by_item.items():
            item_values = {}
            for f in self.ITEM_FIELDS:
                if f in self.present:
                    filled = [r[f] for r in rows if r.get(f)]
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
                eff = row.get("effective_on")
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
                    f: row.get(f) if row.get(f) is not None else blank_tier_value(f)
                    for f in TIER_FIELDS
                    if f in self.present
                }
                tier = Tier.objects.filter(benchmark=bench, level=row["tier"]).first()
                if tier is None:
                    Tier.objects.create(benchmark=bench, level=row["tier"], **want)
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
