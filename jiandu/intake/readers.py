"""Reading an uploaded sheet: .xlsx through python-calamine, .csv in UTF-8 (with or
without BOM) or GB18030, JSON records. Every reader yields (row number as the
spreadsheet shows it, cells) after the header row."""

import csv
import io
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from jiandu.intake.parse import normalise_header, text


class Refused(Exception):
    """The file as a whole cannot be imported; str(exc) is the one Chinese message."""


@dataclass
class Sheet:
    headers: list[str]  # normalised header cells, '' for empty
    rows: list[tuple[int, list]]  # (row number, cells), non-empty rows only
    header_row: int = 1
    records: bool = False  # JSON records: headers are field names


def _known_headers():
    from jiandu.intake.schema import KINDS

    known = set()
    for kind in KINDS.values():
        known.update(kind.by_header)
    return known


def _table(raw_rows: list[list], first_row_no: int = 1) -> Sheet:
    """Find the header row (a title row above it is allowed) and keep the non-empty rows."""
    known = _known_headers()
    header_idx = 0
    for i, row in enumerate(raw_rows[:10]):
        if sum(1 for c in row if normalise_header(c) in known) >= 2:
            header_idx = i
            break
    else:
        for i, row in enumerate(raw_rows[:10]):
            if any(text(c) for c in row):
                header_idx = i
                break
    if not raw_rows:
        raise Refused("文件是空的，没有表头。")
    headers = [normalise_header(c) for c in raw_rows[header_idx]]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for offset, cells in enumerate(raw_rows[header_idx + 1 :], start=header_idx + 1):
        if any(c is not None and c != "" and (not isinstance(c, str) or c.strip()) for c in cells):
            rows.append((first_row_no + offset, cells))
    return Sheet(headers=headers, rows=rows, header_row=first_row_no + header_idx)


def _xlsx_cells(source) -> list[list]:
    """The first sheet's cells; `source` is a path or a file object."""
    from python_calamine import CalamineWorkbook

    if isinstance(source, Path):
        wb = CalamineWorkbook.from_path(str(source))
    else:
        wb = CalamineWorkbook.from_filelike(source)
    return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)


def read_xlsx(data: bytes) -> Sheet:
    try:
        raw = _xlsx_cells(io.BytesIO(data))
    except Exception as exc:
        raise Refused(
            f"无法读取该 Excel 文件（{type(exc).__name__}），请确认文件未损坏且为 .xlsx 格式。"
        ) from exc
    return _table(raw)


# .xlsx reads started early (see preload), by (path, size, mtime).
_started: dict[tuple, tuple[threading.Thread, dict]] = {}


def _file_key(path: Path) -> tuple:
    stat = path.stat()
    return (str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def preload(path: str) -> None:
    """Start reading an .xlsx file on another thread. Calamine parses a sheet without
    holding the GIL (most of the read), so the command line reads the file while Django
    starts. Needs no Django: the cells become a Sheet in read_path, afterwards."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            if fh.read(4) != b"PK\x03\x04":
                return
        key = _file_key(p)
    except OSError:
        return
    box: dict = {}

    def work():
        try:
            box["cells"] = _xlsx_cells(p)
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
        if "cells" in box:
            return _table(box["cells"])
    return read_bytes(path.read_bytes(), path.name)


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise Refused("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030 编码。") from exc


def read_csv(data: bytes) -> Sheet:
    content = decode_csv(data)
    first = content.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    try:
        raw = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise Refused(f"无法读取 CSV 文件：{exc}") from exc
    return _table(raw)


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
    return Sheet(headers=fields, rows=rows, header_row=0, records=True)


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
    if b"\x00" in data[:4096]:
        raise Refused("无法读取该文件：请上传 .xlsx 或 .csv 文件。")
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
