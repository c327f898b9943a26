"""The import: read a sheet, validate it column by column against lookups loaded once,
then write the valid rows in batches with bulk upserts by natural key, each batch in its
own transaction (all-or-nothing imports run in one). Nothing here knows about requests;
the upload page, the background task, the command line and the API call it.

Columns, not rows: a column's cells mostly repeat (units, choices, dates, flags), so each
distinct cell is checked once and the clean column is built by C-level mapping; writers
check across columns and build the database rows of one batch at a time. A row exists
only as an index into the columns, with its errors and warnings kept by that index."""

import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone

from jiandu.intake import parse, writers
from jiandu.intake.parse import Invalid
from jiandu.intake.readers import Refused, Sheet
from jiandu.intake.schema import (
    KINDS,
    REPORT_COLUMNS,
    Column,
    Kind,
    closest,
    recognise,
    scaled_column,
)
from jiandu.lib import uscc
from jiandu.lib.cells import unquote_column
from jiandu.orgs.models import Unit

BATCH_SIZE = 10000  # rows written per transaction
ADVISORY_NAMESPACE = 0x1D0  # PostgreSQL advisory locks of intake: (this, crc32 of the kind)
CHUNK_ROWS = 100_000  # rows checked at a time; bounds an import's memory
# Cell classes that can be deduplicated as dict keys without two different cells
# meeting: a date never equals a datetime nor a str, and 1 and 1.0 parse alike. Only
# True mixed with 1 or 1.0 would collide, so such a column is checked cell by cell.
DEDUP_CLASSES = frozenset((str, date, datetime, int, float, type(None)))


@dataclass
class Result:
    kind: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)  # {"row", "column", "message"}
    warnings: list = field(default_factory=list)
    unknown_columns: list = field(default_factory=list)
    refused: str = ""  # the one message when the whole file was refused
    applied: bool = False
    unit_ids: set = field(default_factory=set)

    def as_json(self) -> dict:
        out = {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "errors": self.errors,
        }
        if self.warnings:
            out["warnings"] = self.warnings
        if self.unknown_columns:
            out["unknown_columns"] = self.unknown_columns
        if self.refused:
            out["refused"] = self.refused
        return out

    def cli_json(self) -> dict:
        """The command line's one object: the contract's keys (and warnings). A refused
        file is one error on row 0; unknown columns are warnings on the header row."""
        out = {k: v for k, v in self.as_json().items() if k not in ("unknown_columns", "refused")}
        if self.refused:
            out["errors"] = [{"row": 0, "column": "", "message": self.refused}]
        notes = [
            {"row": 1, "column": c, "message": "未识别的列，已忽略"} for c in self.unknown_columns
        ]
        if notes or self.warnings:
            out["warnings"] = notes + self.warnings
        return out

    @property
    def exit_status(self) -> int:
        if self.refused:
            return 2
        return 1 if self.rejected else 0


class Table:
    """A sheet's rows as columns of clean values (contract field -> list, aligned by row
    index), with the errors and warnings of each row by its index."""

    def __init__(self, numbers: list[int]):
        self.numbers = numbers  # row numbers as the spreadsheet shows them
        self.cols: dict[str, list] = {}
        self.errors: dict[int, list] = {}  # index -> [(column header, message)]
        self.warnings: dict[int, list] = {}
        self.cell_bad: frozenset = frozenset()  # rows with a cell that did not parse

    def __len__(self):
        return len(self.numbers)

    def col(self, name: str) -> list:
        """The column's clean values; None on every row for a column not in the file."""
        values = self.cols.get(name)
        return values if values is not None else [None] * len(self.numbers)

    def error(self, i: int, column: str, message: str):
        self.errors.setdefault(i, []).append((column, message))

    def warn(self, i: int, column: str, message: str):
        self.warnings.setdefault(i, []).append((column, message))

    def checked(self, *names):
        """(index, value of each named column) of the rows whose cells all parsed: the
        rows a writer checks. Later checks still see a row an earlier check refused, as
        one pass over a row would, so each row gets every reason in a stable order."""
        bad = self.cell_bad
        for t in zip(range(len(self.numbers)), *(self.col(n) for n in names), strict=True):
            if t[0] not in bad:
                yield t

    def values(self, i: int) -> dict:
        return {name: values[i] for name, values in self.cols.items()}

    def good(self) -> list[int]:
        errors = self.errors
        return [i for i in range(len(self.numbers)) if i not in errors]


class Lookups:
    """Everything validation needs from the database, loaded once per import."""

    def __init__(self):
        self.units = {}  # code or name -> (id, code, kind)
        self.unit_codes = {}  # id -> code
        self.unit_names = {}  # id -> name
        for pk, code, name, kind in Unit.objects.values_list("id", "code", "name", "kind"):
            self.units[code] = (pk, code, kind)
            self.units[name] = (pk, code, kind)
            self.unit_codes[pk] = code
            self.unit_names[pk] = name

    def unit(self, value):
        return self.units.get(value)


def resolve_kind(sheet: Sheet, kind_code: str | None) -> Kind:
    if kind_code:
        if kind_code not in KINDS:
            names = "、".join(f"{k}（{v.title}）" for k, v in KINDS.items())
            raise Refused(f"无法识别的数据类型“{kind_code}”，可选：{names}。")
        return KINDS[kind_code]
    headers = sheet.headers
    if sheet.records:
        by_field = {}
        for kind in KINDS.values():
            by_field.update({c.field: c.header for c in kind.columns})
        headers = [by_field.get(h, h) for h in headers]
    # Headers of one kind short of required columns: that kind, so that map_columns
    # refuses the file naming the missing columns.
    code = recognise(headers) or closest(headers)
    if not code:
        raise Refused("无法从表头识别数据类型，请选择数据类型，或使用下载的模板。")
    return KINDS[code]


def map_columns(sheet: Sheet, kind: Kind) -> tuple[list[tuple[int, Column]], list[str]]:
    mapping, unknown, seen = [], [], set()
    for idx, header in enumerate(sheet.headers):
        if not header:
            continue
        col = kind.by_header.get(header) or kind.by_field.get(header)
        col = col or scaled_column(kind, header)  # 罚款金额（万元）: converted to 元
        if col is None:
            if header not in REPORT_COLUMNS:
                unknown.append(header)
            continue
        if col.field in seen:
            continue  # a repeated column: the first one counts
        seen.add(col.field)
        mapping.append((idx, col))
    missing = [h for h in kind.required_headers if kind.by_header[h].field not in seen]
    if missing:
        if sheet.records:
            missing = [f"{kind.by_header[h].field}（{h}）" for h in missing]
        raise Refused(f"缺少必填列：{'、'.join(missing)}。请使用“{kind.title}”模板的表头。")
    return mapping, unknown


def _choice_error(raw, choices):
    return f"“{parse.text(raw)}”不是允许的值（可选：{'、'.join(choices)}）"


def make_parser(col: Column, lookups: Lookups) -> Callable:
    """A function raw cell -> clean value (raises Invalid)."""
    t = col.type
    if t == "text":
        limit = col.max_length

        def p(raw):
            value = raw.strip() if raw.__class__ is str else parse.text(raw)
            if limit and len(value) > limit:
                raise Invalid(f"内容过长（最多{limit}个字）")
            return value

        return p
    if t == "date":
        return parse.parse_date
    if t == "bool":
        return parse.parse_bool
    if t == "amount":
        if col.scale != 1:
            scale = col.scale

            def p(raw):
                return (parse.parse_amount(raw) * scale).quantize(parse.parse_amount(0))

            return p
        return parse.parse_amount
    if t == "number":
        return parse.parse_number
    if t == "choice":
        choices = col.choices
        stored = set(choices.values())

        def p(raw):
            value = parse.text(raw)
            if value in choices:
                return choices[value]
            if value in stored:
                return value
            raise Invalid(_choice_error(raw, choices))

        return p
    if t == "multi":
        choices = col.choices

        def p(raw):
            values = parse.split_values(raw)
            for v in values:
                if v not in choices:
                    raise Invalid(_choice_error(v, choices))
            return values

        return p
    if t == "list":
        return parse.split_values
    if t == "uscc":
        valid = set()  # the same enterprises recur on many rows

        def p(raw):
            value = parse.text(raw).upper()
            if value in valid:
                return value
            reason = uscc.problem(value)
            if reason:
                raise Invalid(reason)
            valid.add(value)
            return value

        return p
    if t == "unit":

        def p(raw):
            value = parse.text(raw)
            hit = lookups.unit(value)
            if hit is None:
                raise Invalid(f"单位“{value}”不存在（请填写单位编码或完整名称）")
            return hit

        return p
    raise ValueError(t)


EMPTY = {"text": "", "choice": "", "multi": [], "list": [], "uscc": ""}


def _cell_checker(col: Column, parser: Callable, empty, today: date) -> Callable:
    """raw cell -> (clean value, error message or None)."""
    required, event, header = col.required, col.event, col.header

    def check(raw):
        if raw is None or raw == "" or (raw.__class__ is str and not raw.strip()):
            return empty, ("必填项为空" if required else None)
        try:
            value = parser(raw)
        except Invalid as exc:
            return empty, str(exc)
        if event and value > today:
            return value, f"{header}（{value.isoformat()}）晚于今天，不可能已发生"
        return value, None

    return check


def _plain_text(raw: list, col: Column) -> list | None:
    """A text column of strings that are all acceptable, stripped; None otherwise (then
    the cells are checked one distinct value at a time, to find the reasons)."""
    if not all(v.__class__ is str for v in raw):
        return None
    values = list(map(str.strip, raw))
    if col.required and not all(values):
        return None
    if col.max_length and max(map(len, values), default=0) > col.max_length:
        return None
    return values


def validate_column(table: Table, raw: list, col: Column, lookups: Lookups, today: date):
    """Parse one column into table.cols[col.field]; a failing cell adds its reason to its
    row. Parsed values are shared between rows and never mutated."""
    if col.type == "text":
        values = _plain_text(raw, col)
        if values is not None:
            table.cols[col.field] = values
            return
    check = _cell_checker(col, make_parser(col, lookups), EMPTY.get(col.type), today)
    header = col.header
    classes = set(map(type, raw))
    if classes <= DEDUP_CLASSES or (
        classes <= DEDUP_CLASSES | {bool} and not classes & {int, float}
    ):
        outcome = {cell: check(cell) for cell in dict.fromkeys(raw)}
        table.cols[col.field] = list(map({c: o[0] for c, o in outcome.items()}.__getitem__, raw))
        bad = {c: o[1] for c, o in outcome.items() if o[1] is not None}
        if bad:
            for i, cell in enumerate(raw):
                if cell in bad:
                    table.error(i, header, bad[cell])
        return
    values = []  # lists from JSON, or flags mixed with numbers: cell by cell
    for i, cell in enumerate(raw):
        value, message = check(cell)
        values.append(value)
        if message is not None:
            table.error(i, header, message)
    table.cols[col.field] = values


def build_table(
    rows: list, mapping, lookups: Lookups, today: date, *, spreadsheet: bool = True
) -> Table:
    """Rows (row number, cells) as a Table, column by column. A spreadsheet's cell
    "'=x" is the text "=x" an export wrote with an apostrophe (lib.exports.
    neutralise); JSON records are taken as sent."""
    table = Table([number for number, _cells in rows])
    cells = [c for _number, c in rows]
    width = max((idx for idx, _col in mapping), default=-1) + 1
    if any(len(c) < width for c in cells):  # CSV rows may be short
        cells = [c if len(c) >= width else [*c, *[None] * (width - len(c))] for c in cells]
    for idx, col in mapping:
        raw = list(map(itemgetter(idx), cells))
        if spreadsheet:
            raw = unquote_column(raw)
        validate_column(table, raw, col, lookups, today)
    table.cell_bad = frozenset(table.errors)
    return table


def _key_label(kind: Kind, table: Table, i: int) -> str:
    parts = []
    for f in kind.key:
        v = table.col(f)[i]
        parts.append(v[1] if isinstance(v, tuple) else str(v))
    return "/".join(parts)


def _chunks(rows: Iterable, size: int | None) -> Iterator[list]:
    if size is None:
        yield list(rows)
        return
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def run(
    sheet: Sheet,
    kind_code: str | None = None,
    *,
    restrict_unit_id: int | None = None,
    all_or_nothing: bool = False,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
    after_batch: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
    committed: Callable[[Result, int], None] | None = None,
    resume_from: int = 0,
) -> Result:
    """Validate and apply one sheet. A refused file comes back with `refused` set.

    The rows come `chunk_rows` at a time: a chunk is checked, then its valid rows are
    written in batches of `batch_size`, each in its own transaction, so memory holds one
    chunk whatever the file's size. A key seen in an earlier chunk is still a duplicate.
    All-or-nothing imports run in one transaction: nothing more is written once a row
    was refused, the rest is still checked (every reason is reported), and the
    transaction is rolled back. `progress(rows done, rows in the file)`; `after_batch`
    gets the rows written before the batch, inside its transaction; so does
    `committed(result so far, data rows of the file whose valid rows are now written)`,
    after the batch's write, so what it records commits or rolls back with the rows.
    `resume_from`: the first that many data rows are checked (their errors reported,
    their keys seen) but not written again, nor counted: an interrupted import wrote them."""
    result = Result(kind=kind_code or "")
    try:
        kind = resolve_kind(sheet, kind_code)
        result.kind = kind.code
        if kind.supervisor_only and restrict_unit_id is not None:
            raise Refused(f"“{kind.title}”是全县共用的数据，只有司法局的监督管理员可以导入。")
        mapping, unknown = map_columns(sheet, kind)
    except Refused as exc:
        result.refused = str(exc)
        return result
    result.unknown_columns = unknown
    for idx, col in mapping:
        if col.scale != 1:
            unit = "万元" if col.scale == 10_000 else "千元"
            result.warnings.append(
                {
                    "row": 1,
                    "column": sheet.headers[idx],
                    "message": f"该列以{unit}为单位，已换算为元（×{col.scale}）写入“{col.header}”",
                }
            )
    today = today or timezone.localdate()
    lookups = Lookups()
    present = {col.field for _idx, col in mapping}
    writer = writers.WRITERS[kind.code](kind, lookups, present, today, restrict_unit_id)
    writer.prepare()
    total = sheet.total or 0
    first_seen: dict = {}  # natural key -> row number, across chunks
    key_header = kind.header_of(kind.key[-1])
    done = written = 0

    def check(rows) -> Table:
        table = build_table(rows, mapping, lookups, today, spreadsheet=not sheet.records)
        writer.check(table)
        # The same natural key twice in one file: the later row is refused.
        errors, numbers = table.errors, table.numbers
        for i, key in enumerate(writer.keys(table)):
            if i in errors:
                continue
            if key in first_seen:
                label = _key_label(kind, table, i)
                table.error(i, key_header, f"与第{first_seen[key]}行重复（{label}）")
            else:
                first_seen[key] = numbers[i]
        for problems, out in ((table.errors, result.errors), (table.warnings, result.warnings)):
            for i in sorted(problems):
                for column, message in problems[i]:
                    out.append({"row": numbers[i], "column": column, "message": message})
        result.rows += len(table)
        result.rejected += len(table.errors)
        return table

    def write(table: Table):
        nonlocal written
        good = table.good()
        if done < resume_from:
            good = [i for i in good if done + i >= resume_from]
        # How far the file is written: up to the first valid row not written yet (a
        # writer may group rows out of file order, e.g. a standard's rows by item).
        is_written = bytearray(len(table))
        first_unwritten = 0
        for batch in writer.batches(table, good, batch_size):
            if not batch:
                continue
            with transaction.atomic():
                if serialise:
                    serialise()
                counts = writer.write(table, batch)
                if after_batch:
                    after_batch(written)
                result.created += counts[0]
                result.updated += counts[1]
                result.unchanged += counts[2]
                for i in batch:
                    is_written[i] = 1
                while first_unwritten < len(good) and is_written[good[first_unwritten]]:
                    first_unwritten += 1
                if committed:
                    upto = good[first_unwritten] if first_unwritten < len(good) else len(table)
                    committed(result, done + upto)
            written += len(batch)
            if progress:
                progress(min(done + batch[-1] + 1, total), total)

    serialise = None
    if not writer.upserts and connection.vendor == "postgresql":
        # Units and standards are written through the ORM (look a row up, then create or
        # save it): two imports of one kind at once would both create the same row. On
        # PostgreSQL they take turns, a batch at a time; SQLite's single writer already
        # does. The upserts need no turns: ON CONFLICT settles each row.
        def serialise():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, %s)",
                    [ADVISORY_NAMESPACE, zlib.crc32(kind.code.encode()) & 0x7FFFFFFF],
                )

    if progress:
        progress(0, total)
    with writers.bulk_session(writer), transaction.atomic() if all_or_nothing else nullcontext():
        for rows in _chunks(sheet.rows, chunk_rows if writer.streams else None):
            table = check(rows)
            if not (all_or_nothing and result.rejected):
                write(table)
            done += len(table)
            total = max(total, done)
            if progress:
                progress(done, total)
        if all_or_nothing and result.rejected:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
            return result
    result.applied = True
    result.unit_ids = writer.unit_ids
    return result
