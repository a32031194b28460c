"""The existing stock from a province's spreadsheet (nhập dữ liệu sản phẩm OCOP đã công nhận).

A province keeps its certified products in an Excel sheet laid out as they report them: STT,
product, group, producer type, producer, commune, address, representative, phone, current rank,
expiry, and up to two recognitions, each with its rank, date, year, decision number and issuing
authority. ``read_stock`` reads such a sheet (openpyxl, read-only); ``check_stock`` turns each row
into the engine's own import command (ImportCertified) and asks the journey's pure rules
(``workflows.lifecycle.decide``) whether they would take it, so the dry run refuses exactly what
the import would, and says why in Vietnamese (row, column, value); ``import_stock`` then creates
the producers (store/producers.py) and starts each journey through the same path the API's
import takes (``api.commands.start_journey``, passed in), so every certificate's expiry timers run.

Idempotent: a row's journey id, its producer's id and its update key are derived from what the row
says (province, commune, product, producer, decision number), so a second run finds every journey
imported and adds nothing; a retried row is the same Temporal update.

Old place names: the 2025 commune is found by its code, or by its name among the province's 2025
communes (the ``vietnam-provinces`` data, whose 2025 names keep many former communes' names). That
data holds no table from the former communes and districts to the 2025 ones, so a former name
that no 2025 commune carries is reported, never guessed.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
import unicodedata
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import BaseModel, Field

from schemas.commands import EarlierRecognition, ImportCertified
from schemas.errors import DomainError
from schemas.journey import CommandReceipt
from schemas.log import Actor
from schemas.producer import ORGANISATION_TYPE_NAMES, TOURISM_ONLY, OrganisationType, Representative
from schemas.rulebook import Level
from schemas.rulebooks import UnknownRulebook, rulebook_in_force
from store.producers import ProducerFields, ProducerRefused, ProducerStore
from workflows import places
from workflows.calendar import certificate_valid_until, local_date
from workflows.lifecycle import applicable_rulebook, decide

# Namespace of the ids derived from a row (journeys, producers, update keys).
STOCK_NAMESPACE = uuid.UUID("6f636f70-7374-6f63-6b2d-696d706f7274")
# Imports in flight at once: Temporal, not the sheet, bounds the rate (DESIGN.md's measured facts).
CONCURRENCY = 32
PROGRESS_EVERY = 100

# The columns, by what their header says (accents, case and spacing ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so thu tu", "no"),
    "product": ("ten san pham", "san pham", "product"),
    "group": ("nhom san pham", "nhom", "group", "product group"),
    "producer_type": ("loai hinh chu the", "loai hinh", "producer type"),
    "producer": ("ten chu the", "chu the", "chu the san pham", "producer"),
    "commune": ("xa/phuong", "xa phuong", "xa", "dia ban", "commune"),
    "address": ("dia chi", "address"),
    "representative": ("nguoi dai dien", "dai dien", "representative"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone"),
    "rank": ("hang hien tai", "hang sao hien tai", "so sao", "current rank"),
    "expiry": ("ngay het han", "hieu luc den", "expiry"),
}
RECOGNITION_FIELDS: dict[str, tuple[str, ...]] = {
    "rank": ("hang", "rank"),
    "date": ("ngay cong nhan", "ngay", "date"),
    "year": ("nam", "year"),
    "decision": ("so quyet dinh", "quyet dinh", "decision number"),
    "authority": ("co quan ban hanh", "co quan", "issuing authority", "authority"),
}
# Column names in the reports (Vietnamese, as the sheet's headers).
COLUMN_NAMES: dict[str, str] = {
    "stt": "STT",
    "product": "Tên sản phẩm",
    "group": "Nhóm sản phẩm",
    "producer_type": "Loại hình chủ thể",
    "producer": "Tên chủ thể",
    "commune": "Xã/phường",
    "address": "Địa chỉ",
    "representative": "Người đại diện",
    "phone": "Số điện thoại",
    "rank": "Hạng hiện tại",
    "expiry": "Ngày hết hạn",
    **{
        f"r{n}_{name}": f"{label} (lần {n})"
        for n in (1, 2)
        for name, label in (
            ("rank", "Hạng"),
            ("date", "Ngày công nhận"),
            ("year", "Năm"),
            ("decision", "Số quyết định"),
            ("authority", "Cơ quan ban hành"),
        )
    },
}
# What provinces write for each organisation type besides the decision's own words.
TYPE_ALIASES: dict[str, OrganisationType] = {
    "htx": OrganisationType.COOPERATIVE,
    "hop tac xa": OrganisationType.COOPERATIVE,
    "tht": OrganisationType.COOPERATIVE_GROUP,
    "to hop tac": OrganisationType.COOPERATIVE_GROUP,
    "dn": OrganisationType.ENTERPRISE,
    "doanh nghiep": OrganisationType.ENTERPRISE,
    "cong ty": OrganisationType.ENTERPRISE,
    "hkd": OrganisationType.HOUSEHOLD_BUSINESS,
    "ho kinh doanh": OrganisationType.HOUSEHOLD_BUSINESS,
    "ho sx": OrganisationType.PRODUCTION_HOUSEHOLD,
}


def fold(text: str) -> str:
    """Text as compared: no accents (đ → d), lower case, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", bare).strip().lower()


_PLACE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|thi xa)\s+")


class RowProblem(BaseModel):
    """Why a row is refused: where (row, column) and what it holds, in Vietnamese."""

    row: int = Field(description="The sheet's row number, as Excel shows it.")
    column: str
    value: str
    problem: str


class StockReport(BaseModel):
    """What an import did (or, dry, would do)."""

    dry_run: bool
    rows: int = Field(description="Product rows read (the header and empty rows not counted).")
    accepted: int = Field(description="Rows that pass every check.")
    imported: int = 0
    already_imported: int = Field(default=0, description="Rows whose product was imported before.")
    producers_created: int = 0
    refused_rows: list[int] = Field(default_factory=list)
    problems: list[RowProblem] = Field(default_factory=list)
    failures: list[RowProblem] = Field(default_factory=list, description="Rows the engine refused on import.")
    seconds: float = 0.0


@dataclass(frozen=True)
class StockRow:
    """One row as read: its sheet row number and its cells by column key."""

    number: int
    cells: dict[str, Any]


@dataclass
class PlannedRow:
    """A row that passed every check: the producer to create and the import to run."""

    number: int
    producer_id: str
    producer: ProducerFields
    command: ImportCertified
    key: uuid.UUID


@dataclass
class StockPlan:
    rows: int
    planned: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def refused_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems})


class StockFileError(Exception):
    """The file is not a sheet of this layout (not xlsx, no header row)."""


# -- reading ------------------------------------------------------------------------------------


def _header_key(text: str, seen: set[str]) -> str | None:
    folded = fold(text).rstrip(" *:")
    match = re.search(r"\(?\s*(?:lan|recognition)\s*([12])\s*\)?", folded)
    if match is not None:
        name = (folded[: match.start()] + folded[match.end() :]).strip(" -")
        for key, aliases in RECOGNITION_FIELDS.items():
            if name in aliases:
                return f"r{match.group(1)}_{key}"
        return None
    for key, aliases in COLUMNS.items():
        if folded in aliases and key not in seen:
            return key
    return None


def read_stock(data: bytes) -> list[StockRow]:
    """The product rows of the sheet's first worksheet, below the row whose first cell is STT."""
    from openpyxl import load_workbook  # imported here: only the import needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise StockFileError(f"không đọc được tệp Excel (.xlsx): {type(error).__name__}") from None
    try:
        sheet = book.worksheets[0]
        keys: list[str | None] | None = None
        rows: list[StockRow] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if keys is None:
                if values and values[0] is not None and fold(str(values[0])) in COLUMNS["stt"]:
                    seen: set[str] = set()
                    keys = []
                    for value in values:
                        key = _header_key(str(value), seen) if value is not None else None
                        keys.append(key)
                        if key is not None:
                            seen.add(key)
                continue
            cells = {
                key: value
                for key, value in zip(keys, values, strict=False)
                if key is not None and value is not None and str(value).strip() != ""
            }
            if set(cells) - {"stt"}:
                rows.append(StockRow(number, cells))
        if keys is None:
            raise StockFileError("không thấy hàng tiêu đề (ô đầu tiên là 'STT') trong trang tính đầu tiên")
        return rows
    finally:
        book.close()


# -- checking -----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"không phải ngày (dd/mm/yyyy): {text!r}")


def _rank(value: Any) -> int:
    text = fold(_text(value)).replace("sao", "").replace("★", "").replace("*", "").strip()
    if not text.isdigit():
        raise ValueError("hạng sao là một số từ 3 đến 5")
    stars = int(text)
    if not 3 <= stars <= 5:
        raise ValueError(f"hạng {stars} sao không được công nhận (chỉ 3, 4 hoặc 5 sao)")
    return stars


def _organisation_type(value: Any) -> OrganisationType:
    folded = fold(_text(value))
    for kind, name in ORGANISATION_TYPE_NAMES.items():
        if folded in (fold(name), kind.value):
            return kind
    for alias, kind in TYPE_ALIASES.items():
        if folded == alias or folded.startswith(alias + " "):
            return kind
    names = ", ".join(ORGANISATION_TYPE_NAMES.values())
    raise ValueError(f"không phải loại hình chủ thể của QĐ 26/2026 Điều 2 ({names})")


def _level(authority: str | None, stars: int) -> Level:
    folded = fold(authority or "")
    if "huyen" in folded:
        return Level.DISTRICT
    if stars == 5 or folded.startswith("bo ") or "trung uong" in folded or "thu tuong" in folded:
        return Level.CENTRAL
    return Level.PROVINCE


class Communes:
    """The 2025 communes of a province, found by code or by name (accents ignored if unique)."""

    def __init__(self, province_code: int) -> None:
        self.province_code = province_code
        self.by_name: dict[str, list[int]] = {}
        self.by_bare: dict[str, list[int]] = {}
        for code, name in places.communes_of(province_code):
            folded = fold(name)
            self.by_name.setdefault(folded, []).append(code)
            self.by_bare.setdefault(_PLACE_PREFIX.sub("", folded), []).append(code)

    def find(self, value: Any) -> int:
        text = _text(value)
        if text.isdigit():
            code = int(text)
            try:
                places.check_commune(self.province_code, code)
            except DomainError:
                raise ValueError(f"mã xã {code} không phải mã xã/phường năm 2025 của tỉnh") from None
            return code
        # "Xã A, huyện B": the commune is the first part; the former district says nothing in 2025.
        first = fold(text.split(",")[0])
        found = self.by_name.get(first) or self.by_bare.get(_PLACE_PREFIX.sub("", first)) or []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValueError("tên này có ở nhiều xã/phường năm 2025 của tỉnh: ghi mã xã")
        raise ValueError(
            "không có xã/phường năm 2025 nào mang tên này trong tỉnh; dữ liệu vietnam-provinces không "
            "có bảng chuyển từ địa danh cũ (trước sáp nhập 2025): ghi tên hoặc mã xã năm 2025"
        )


def _derived(*parts: object) -> uuid.UUID:
    return uuid.uuid5(STOCK_NAMESPACE, "\n".join(str(part) for part in parts))


def _recognitions(
    row: StockRow, problem: Callable[[str, str], None]
) -> list[tuple[int, date, str, str | None]]:
    """The row's recognitions (rank, date, decision number, authority) that are filled in."""
    found = []
    for n in (1, 2):
        cells = {name: row.cells.get(f"r{n}_{name}") for name in RECOGNITION_FIELDS}
        if all(value is None for value in cells.values()):
            continue
        ok = True
        try:
            stars = _rank(cells["rank"]) if cells["rank"] is not None else None
        except ValueError as error:
            problem(f"r{n}_rank", str(error))
            ok = False
            stars = None
        decided: date | None = None
        if cells["date"] is not None:
            try:
                decided = _date(cells["date"])
            except ValueError as error:
                problem(f"r{n}_date", str(error))
                ok = False
        elif cells["year"] is not None:
            problem(f"r{n}_date", "thiếu ngày công nhận (chỉ có năm)")
            ok = False
        if decided is not None and cells["year"] is not None and _text(cells["year"]) != str(decided.year):
            problem(f"r{n}_year", f"năm không khớp với ngày công nhận {decided:%d/%m/%Y}")
            ok = False
        if cells["decision"] is None:
            problem(f"r{n}_decision", "thiếu số quyết định công nhận")
            ok = False
        if stars is None and ok:
            problem(f"r{n}_rank", "thiếu hạng sao")
            ok = False
        if ok and stars is not None and decided is not None:
            authority = _text(cells["authority"]) if cells["authority"] is not None else None
            found.append((stars, decided, _text(cells["decision"]), authority))
    return found


def check_stock(
    rows: Sequence[StockRow],
    *,
    province_code: int,
    actor: Actor,
    covers: Callable[[int, int], bool],
    now: datetime,
) -> StockPlan:
    """Every row checked; the ones that pass, as the producers and imports to make. ``covers``
    says whether a (province, commune) lies in the importing administrator's jurisdiction."""
    plan = StockPlan(rows=len(rows))
    communes = Communes(province_code)
    today = local_date(now)
    rulebook_now = applicable_rulebook(None, now)
    seen: dict[uuid.UUID, int] = {}
    for row in rows:
        problems: list[RowProblem] = []

        def problem(
            column: str, text: str, row: StockRow = row, problems: list[RowProblem] = problems
        ) -> None:
            value = row.cells.get(column)
            problems.append(
                RowProblem(
                    row=row.number,
                    column=COLUMN_NAMES[column],
                    value=_text(value) if value is not None else "",
                    problem=text,
                )
            )

        for column, what in (
            ("product", "tên sản phẩm"),
            ("group", "nhóm sản phẩm"),
            ("producer_type", "loại hình chủ thể"),
            ("producer", "tên chủ thể"),
            ("commune", "xã/phường"),
            ("rank", "hạng hiện tại"),
        ):
            if column not in row.cells:
                problem(column, f"thiếu {what}")
        commune: int | None = None
        if "commune" in row.cells:
            try:
                commune = communes.find(row.cells["commune"])
            except ValueError as error:
                problem("commune", str(error))
        if commune is not None and not covers(province_code, commune):
            problem("commune", "ngoài địa bàn của quản trị viên nhập dữ liệu")
        kind: OrganisationType | None = None
        if "producer_type" in row.cells:
            try:
                kind = _organisation_type(row.cells["producer_type"])
            except ValueError as error:
                problem("producer_type", str(error))
        stars: int | None = None
        if "rank" in row.cells:
            try:
                stars = _rank(row.cells["rank"])
            except ValueError as error:
                problem("rank", str(error))
        expiry: date | None = None
        if "expiry" in row.cells:
            try:
                expiry = _date(row.cells["expiry"])
            except ValueError as error:
                problem("expiry", str(error))
        recognitions = _recognitions(row, problem)
        if not recognitions and not any(p.column.endswith(")") for p in problems):
            problem("r1_decision", "thiếu quyết định công nhận (hạng, ngày, số quyết định)")
        for n, (_, decided, _, _) in enumerate(recognitions, start=1):
            if decided > today:
                problem(f"r{n}_date", f"ngày công nhận ở tương lai (hôm nay {today:%d/%m/%Y})")
        current = max(recognitions, key=lambda item: item[1]) if recognitions else None
        if current is not None and stars is not None and current[0] != stars:
            problem("rank", f"hạng hiện tại khác hạng của lần công nhận gần nhất ({current[0]} sao)")
        group_code: str | None = None
        rulebook = None
        if current is not None and current[1] <= today:
            try:
                rulebook = rulebook_in_force(current[1])
            except UnknownRulebook:
                problem("r1_date", "ngày công nhận trước khi có bộ tiêu chí OCOP (21/08/2019)")
        if "group" in row.cells and rulebook is not None:
            folded = fold(_text(row.cells["group"]))
            group_code = next(
                (
                    g.code
                    for g in rulebook.product_groups
                    if folded in (g.code, fold(g.name_vi), fold(g.name_en))
                ),
                None,
            )
            if group_code is None:
                names = ", ".join(g.name_vi for g in rulebook.product_groups)
                problem("group", f"không phải nhóm sản phẩm của {rulebook.id} ({names})")
            elif kind in TOURISM_ONLY and group_code != "tourism":
                problem(
                    "producer_type", "loại hình này chỉ tham gia với dịch vụ du lịch (QĐ 26/2026 Điều 2.3)"
                )
        if expiry is not None and current is not None and rulebook is not None and not problems:
            term = certificate_valid_until(current[1], rulebook.certificate_validity_months)
            if abs((term - expiry).days) > 31:
                problem("expiry", f"ngày hết hạn khác hạn của giấy chứng nhận ({term:%d/%m/%Y}, 36 tháng)")
        if problems or commune is None or kind is None or current is None or rulebook is None:
            plan.problems.extend(problems)
            continue
        assert group_code is not None
        assert stars is not None
        product = _text(row.cells["product"])
        producer = _text(row.cells["producer"])
        decision = current[2]
        journey = _derived("journey", province_code, commune, fold(product), fold(producer), fold(decision))
        if journey in seen:
            problem("product", f"trùng với dòng {seen[journey]} (cùng sản phẩm, chủ thể, xã và quyết định)")
            plan.problems.extend(problems)
            continue
        seen[journey] = row.number
        producer_id = f"ocop-{_derived('producer', province_code, commune, fold(producer))}"
        journey_id = f"stock-{journey}"
        try:
            earlier = [
                EarlierRecognition(
                    rulebook_id=rulebook_in_force(decided).id,
                    level=_level(authority, held),
                    stars=held,
                    decision_number=number[:100],
                    decision_date=decided,
                )
                for held, decided, number, authority in sorted(recognitions, key=lambda item: item[1])
                if (held, decided, number, authority) != current
            ]
            command = ImportCertified(
                actor=actor,
                journey_id=journey_id,
                producer_id=producer_id,
                producer_organisation=producer_id,
                product_name=product[:300],
                product_group=group_code,
                province_code=province_code,
                commune_code=commune,
                rulebook_id=rulebook.id,
                level=_level(current[3], stars),
                stars=stars,
                decision_number=decision[:100],
                decision_date=current[1],
                earlier=earlier,
            )
            # The journey's own rules, pure: what the import would refuse, refused now.
            decide(None, command, rulebook_now, now)
        except UnknownRulebook:
            problem("r1_date", "ngày công nhận trước khi có bộ tiêu chí OCOP (21/08/2019)")
            plan.problems.extend(problems)
            continue
        except DomainError as error:
            problem("rank", f"không nhập được: {error.message}")
            plan.problems.extend(problems)
            continue
        except ValueError as error:  # pydantic: a cell too long for the command
            problem("product", f"không hợp lệ: {str(error).splitlines()[0]}")
            plan.problems.extend(problems)
            continue
        representative = None
        if "representative" in row.cells:
            phone = _text(row.cells["phone"]) if "phone" in row.cells else None
            representative = Representative(name=_text(row.cells["representative"])[:200], phone=phone)
        plan.planned.append(
            PlannedRow(
                number=row.number,
                producer_id=producer_id,
                producer=ProducerFields(
                    organisation_type=kind,
                    name=producer[:300],
                    registration_number=None,
                    province_code=province_code,
                    commune_code=commune,
                    address=_text(row.cells["address"])[:500] if "address" in row.cells else None,
                    representative=representative,
                ),
                command=command,
                key=_derived("update", journey_id),
            )
        )
    return plan


# -- importing ----------------------------------------------------------------------------------

StartJourney = Callable[[str, ImportCertified, uuid.UUID], Awaitable[CommandReceipt]]


async def imported_journeys(pool: asyncpg.Pool, journey_ids: Iterable[str]) -> set[str]:
    """Which of these journeys the log has already."""
    rows = await pool.fetch(
        "SELECT id FROM read_models WHERE kind = 'journey' AND id = ANY($1::text[])", list(journey_ids)
    )
    return {row["id"] for row in rows}


async def _entered_before(pool: asyncpg.Pool, rows: Sequence[PlannedRow]) -> tuple[set[str], set[str]]:
    """Of the rows' organisation ids already in use: those an earlier run of the import entered (an
    official's record of the same commune, kept, whatever actor was made with its id since), and
    those taken by anyone else. The ids are derived from the sheet's public facts, so a producer may
    have entered one first (or an actor bear it): the import never adopts such a record as the
    sheet's organisation (chủ thể)."""
    ids = sorted({row.producer_id for row in rows})
    found = await pool.fetch(
        """SELECT p.producer_id, p.province_code, p.commune_code, a.role
        FROM producers p LEFT JOIN actors a ON a.actor_id = p.created_by
        WHERE p.producer_id = ANY($1::text[])""",
        ids,
    )
    actors = {
        row["actor_id"]
        for row in await pool.fetch("SELECT actor_id FROM actors WHERE actor_id = ANY($1::text[])", ids)
    }
    place = {row.producer_id: (row.producer.province_code, row.producer.commune_code) for row in rows}
    own = {
        record["producer_id"]
        for record in found
        if record["role"] not in (None, "producer")
        and (record["province_code"], record["commune_code"]) == place[record["producer_id"]]
    }
    entered = {record["producer_id"] for record in found}
    # An actor under an id with no organisation yet: its account would hold the row's product.
    return own, (entered - own) | (actors - entered)


def _under(row: PlannedRow, producer_id: str) -> PlannedRow:
    """The row under another organisation id (one nobody can guess: its derived one is someone else's)."""
    command = row.command.model_copy(
        update={"producer_id": producer_id, "producer_organisation": producer_id}
    )
    return replace(row, producer_id=producer_id, command=command)


async def import_stock(
    pool: asyncpg.Pool,
    plan: StockPlan,
    start: StartJourney,
    by: Actor,
    *,
    dry_run: bool,
    progress: Callable[[str], None] | None = None,
    concurrency: int = CONCURRENCY,
) -> StockReport:
    """Create the producers and import the planned rows (none when ``dry_run``)."""
    began = time.perf_counter()
    report = StockReport(
        dry_run=dry_run,
        rows=plan.rows,
        accepted=len(plan.planned),
        refused_rows=plan.refused_rows,
        problems=plan.problems,
    )
    done = await imported_journeys(pool, [row.command.journey_id for row in plan.planned])
    todo = [row for row in plan.planned if row.command.journey_id not in done]
    report.already_imported = len(plan.planned) - len(todo)
    if dry_run or not todo:
        report.seconds = time.perf_counter() - began
        return report
    producers = ProducerStore(pool)
    existing, taken = await _entered_before(pool, todo)
    instead = {producer_id: f"ocop-{uuid.uuid4()}" for producer_id in taken}
    todo = [_under(row, instead[row.producer_id]) if row.producer_id in taken else row for row in todo]
    # Each producer is entered once, by the first of its rows to get there; its other rows wait
    # for that (a task per producer), so entering producers overlaps the imports.
    entering: dict[str, asyncio.Task[None]] = {}

    async def enter(row: PlannedRow) -> None:
        try:
            await producers.register(
                row.producer_id, row.producer, by, str(_derived("producer-key", row.producer_id))
            )
            report.producers_created += 1
        except ProducerRefused as error:
            if error.code != "ProducerExists":  # entered by an earlier run that stopped midway
                raise

    def producer_of(row: PlannedRow) -> asyncio.Task[None] | None:
        if row.producer_id in existing:
            return None
        if row.producer_id not in entering:
            entering[row.producer_id] = asyncio.ensure_future(enter(row))
        return entering[row.producer_id]

    gate = asyncio.Semaphore(concurrency)
    count = 0

    async def one(row: PlannedRow) -> None:
        nonlocal count
        async with gate:
            entered = producer_of(row)
            if entered is not None:
                await entered
            try:
                await start(row.command.journey_id, row.command, row.key)
                report.imported += 1
            except DomainError as error:
                report.failures.append(
                    RowProblem(
                        row=row.number,
                        column=COLUMN_NAMES["product"],
                        value=row.command.product_name,
                        problem=f"động cơ từ chối: {error.message}",
                    )
                )
        count += 1
        if progress is not None and (count % PROGRESS_EVERY == 0 or count == len(todo)):
            elapsed = time.perf_counter() - began
            progress(f"đã nhập {count:,}/{len(todo):,} dòng ({count / elapsed:.1f} dòng/giây)")

    await asyncio.gather(*(one(row) for row in todo))
    report.seconds = time.perf_counter() - began
    return report


def province_of(rows: Sequence[StockRow]) -> int | None:
    """The province of a sheet whose communes are written by their 2025 codes (the first one)."""
    for row in rows:
        text = _text(row.cells.get("commune", ""))
        if text.isdigit():
            try:
                return places.province_of_commune(int(text))
            except DomainError:
                continue
    return None


def summary(report: StockReport) -> str:
    """One line saying what the import did (or would do), in Vietnamese."""
    head = "thử (không nhập gì)" if report.dry_run else "đã nhập"
    return (
        f"{head}: {report.rows:,} dòng, {report.accepted:,} hợp lệ, {len(report.refused_rows):,} bị từ chối; "
        f"{report.imported:,} sản phẩm mới, {report.already_imported:,} đã có từ trước, "
        f"{report.producers_created:,} chủ thể mới ({report.seconds:.1f} giây)"
    )
