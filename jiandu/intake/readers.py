"""Reading an uploaded sheet: .xlsx through python-calamine, .csv in UTF-8 (with or
without BOM) or GB18030, JSON records. Every reader gives the header and an iterator of
(row number as the spreadsheet shows it, cells) over the non-empty rows after it: the
rows are made as the importer takes them, so a large file is never held as Python
objects whole."""

import codecs
import csv
import io
import json
import os
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from jiandu.intake.parse import normalise_header, text

HEADER_SEARCH_ROWS = 10  # a title row or two above the header is allowed
# A CSV file under this size is parsed whole before the import starts; a larger one is
# parsed twice, a first pass checking it, then row by row as the import goes.
CSV_CHECK_FROM_BYTES = 4 * 1024 * 1024
csv.field_size_limit(16 * 1024 * 1024)  # a long 案情摘要 is a field, not an error
# What an .xlsx may unpack to (its parts' sizes summed), unless settings say otherwise:
# a 100,000-row sheet unpacks to about 125 MB.
XLSX_MAX_UNPACKED_BYTES = 1024**3


class Refused(Exception):
    """The file as a whole cannot be imported; str(exc) is the one Chinese message."""


@dataclass
class Sheet:
    headers: list[str]  # normalised header cells, '' for empty
    rows: Iterable[tuple[int, list]]  # (row number, cells), non-empty rows; may be one-pass
    header_row: int = 1
    records: bool = False  # JSON records: headers are field names
    total: int | None = None  # data rows (an upper bound: empty ones count), when known


def _known_headers():
    # Here, not at the top: `jiandu import` preloads the file before Django starts, and
    # the schema imports models.
    from jiandu.intake.schema import KINDS

    known = set()
    for kind in KINDS.values():
        known.update(kind.by_header)
    return known


def _filled(cells) -> bool:
    for c in cells:  # a data row's first cell is usually filled: one step
        if c is None or c == "":
            continue
        if c.__class__ is not str or c.strip():
            return True
    return False


def _table(raw_rows: Iterable[list], total_rows: int | None = None) -> Sheet:
    """Find the header row (a title row above it is allowed) among the first rows, then
    go on with the non-empty rows after it, as they come."""
    raw = iter(raw_rows)
    head = [row for _i, row in zip(range(HEADER_SEARCH_ROWS), raw, strict=False)]
    if not head:
        raise Refused("文件是空的，没有表头。")
    known = _known_headers()
    header_idx = 0
    for i, row in enumerate(head):
        if sum(1 for c in row if normalise_header(c) in known) >= 2:
            header_idx = i
            break
    else:
        for i, row in enumerate(head):
            if any(text(c) for c in row):
                header_idx = i
                break
    headers = [normalise_header(c) for c in head[header_idx]]
    while headers and not headers[-1]:
        headers.pop()
    rest = chain(head[header_idx + 1 :], raw)
    rows = (
        (number, cells) for number, cells in enumerate(rest, start=header_idx + 2) if _filled(cells)
    )
    total = None if total_rows is None else max(total_rows - header_idx - 1, 0)
    return Sheet(headers=headers, rows=rows, header_row=header_idx + 1, total=total)


def unpacked_limit() -> int:
    """settings.INTAKE_XLSX_MAX_UNPACKED_BYTES; before Django is set up (preload), the
    environment variable that setting is read from."""
    from django.conf import settings

    if settings.configured:
        return settings.INTAKE_XLSX_MAX_UNPACKED_BYTES
    value = os.environ.get("JIANDU_INTAKE_XLSX_MAX_UNPACKED_BYTES", "")
    return int(value) if value.strip().isdigit() else XLSX_MAX_UNPACKED_BYTES


def check_unpacked_size(source, limit: int | None = None) -> None:
    """Refuse an .xlsx whose parts would unpack beyond the limit, from the sizes its zip
    directory declares, before calamine inflates anything: a few kilobytes can declare
    gigabytes of sheet XML. A part that declares less than it holds is no way round:
    calamine's zip reader stops with an error where the declared size is passed.
    `source`: a path or a file object."""
    limit = unpacked_limit() if limit is None else limit
    try:
        with zipfile.ZipFile(source) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # not readable as a zip: calamine gives the reason
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if total > limit:
        raise Refused(
            f"该 Excel 文件解压后约 {total / 2**20:,.0f} MB，超过允许的 {limit / 2**20:,.0f} MB，"
            "未读取（可能是异常压缩的文件）。请拆分成几个较小的文件后再导入。"
        )


def _first_sheet(source):
    """The first sheet of a workbook; `source` is a path or a file object. Calamine
    parses the whole sheet here, without holding the GIL."""
    from python_calamine import CalamineWorkbook

    if isinstance(source, Path):
        wb = CalamineWorkbook.from_path(str(source))
    else:
        wb = CalamineWorkbook.from_filelike(source)
    return wb.get_sheet_by_index(0)


def _sheet_rows(sheet) -> Iterator[list]:
    """Every row from the sheet's first, as Excel numbers them: calamine leaves out the
    empty columns before the first filled one, so they are put back."""
    pad = [""] * sheet.start[1] if sheet.height else []
    for row in sheet.iter_rows():
        yield [*pad, *row] if pad else row


def _xlsx_sheet(sheet) -> Sheet:
    return _table(_sheet_rows(sheet), sheet.start[0] + sheet.height if sheet.height else 0)


def read_xlsx(data: bytes) -> Sheet:
    check_unpacked_size(io.BytesIO(data))
    try:
        sheet = _first_sheet(io.BytesIO(data))
    except Exception as exc:
        raise Refused(
            f"无法读取该 Excel 文件（{type(exc).__name__}），请确认文件未损坏且为 .xlsx 格式。"
        ) from exc
    return _xlsx_sheet(sheet)


# .xlsx reads started early (see preload), by (path, size, mtime).
_started: dict[tuple, tuple[threading.Thread, dict]] = {}


def _file_key(path: Path) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def preload(path: str) -> None:
    """Start reading an .xlsx file on another thread. Calamine parses a sheet without
    holding the GIL (most of the read), so the command line reads the file while Django
    starts. Needs no Django: the sheet becomes a Sheet in read_path, afterwards."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return
        key = _file_key(p)
        check_unpacked_size(p)
    except (OSError, Refused):  # read_path reads the file again and refuses it
        return
    box: dict = {}

    def work():
        try:
            box["sheet"] = _first_sheet(p)
        except Exception:  # read_path reads the file again and gives the reason
            pass

    thread = threading.Thread(target=work, name="jiandu-preload", daemon=True)
    thread.start()
    _started[key] = (thread, box)


def read_path(path: Path) -> Sheet:
    """The sheet in the file at `path`; OSError when it cannot be opened."""
    key = _file_key(path)
    started = _started.pop(key, None)
    for stale in [k for k in _started if k[0] == key[0]]:  # the file changed since
        del _started[stale]
    if started:
        thread, box = started
        thread.join()
        if "sheet" in box:
            return _xlsx_sheet(box["sheet"])
    return read_bytes(path.read_bytes(), path.name)


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether the whole of `data` decodes, checked piece by piece (no copy of it)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def csv_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(data, encoding):
            return encoding
    raise Refused("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030 编码。")


def _csv_rows(data: bytes, encoding: str, delimiter: str) -> tuple[Iterator[list], int]:
    """The CSV's rows, and how many there are."""

    def reader():
        errors = "replace" if encoding == "utf-8-sig" else "strict"
        stream = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors=errors, newline="")
        return csv.reader(stream, delimiter=delimiter)

    try:
        if len(data) < CSV_CHECK_FROM_BYTES:
            rows = list(reader())
            return iter(rows), len(rows)
        # A malformed line found half-way would stop an import after some rows were
        # written: a large file is parsed once first, to refuse it whole up front.
        count = sum(1 for _row in reader())
    except csv.Error as exc:
        raise Refused(f"无法读取 CSV 文件：{exc}") from exc
    return reader(), count


def read_csv(data: bytes) -> Sheet:
    encoding = csv_encoding(data)
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    first = first.decode(encoding, errors="replace")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    return _table(*_csv_rows(data, encoding, delimiter))


def read_records(records) -> Sheet:
    """JSON records: a list of objects keyed by the contract's field names."""
    if isinstance(records, dict) and "records" in records:
        records = records["records"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise Refused('请求体应为记录的 JSON 数组，或 {"records": [...]}。')
    fields: list[str] = []
    seen = set()
    for record in records:
        for key in record:
            if key not in seen:
                seen.add(key)
                fields.append(key)
    rows = [(i, [record.get(f) for f in fields]) for i, record in enumerate(records, start=1)]
    if any(isinstance(v, str) and "\x00" in v for _i, cells in rows for v in cells):
        raise Refused("记录中含有无效字符（NUL），请去掉后重新提交。")
    return Sheet(headers=fields, rows=rows, header_row=0, records=True, total=len(rows))


def sniff_format(data: bytes, name: str = "") -> str:
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        return "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Refused("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入。")
    if suffix == ".json" or data.lstrip()[:1] in (b"[", b"{"):
        return "json"
    if suffix in {".xlsx", ".xlsm"}:
        raise Refused("无法读取该 Excel 文件，请确认文件未损坏且为 .xlsx 格式。")
    if b"\x00" in data:  # a binary file, or text no database field can hold
        raise Refused("无法读取该文件：请上传 .xlsx 或 .csv 文件（文件中不能含有 NUL 字符）。")
    return "csv"


def read_bytes(data: bytes, name: str = "") -> Sheet:
    if not data or not data.strip():
        raise Refused("文件是空的，没有表头。")
    fmt = sniff_format(data, name)
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "json":
        try:
            return read_records(json.loads(data.decode("utf-8-sig")))
        except (ValueError, UnicodeDecodeError) as exc:
            raise Refused(f"无法读取 JSON 文件：{exc}") from exc
    return read_csv(data)
