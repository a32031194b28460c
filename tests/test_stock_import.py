"""The stock from a province's Excel sheet (ocop import stock, POST /v1/producers/import): the dry
run names exactly the rows it would refuse, the import takes the others as certified journeys with
live timers and creates their producers, and a second run takes none."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from structlog.testing import capture_logs
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment
from typer.testing import CliRunner

from cli import app as cli_app
from schemas.commands import EarlierRecognition, ImportCertified
from schemas.errors import InvalidCommand
from schemas.log import Actor
from schemas.producer import OrganisationType
from schemas.roles import Role
from schemas.rulebook import Level
from settings import get_settings
from store import stock_import
from store.verify import verify_all
from tests.api.harness import Api, Caller
from tests.factories import THANH_HOA
from tests.workflows.harness import running_worker
from workflows import places
from workflows.calendar import certificate_valid_until
from workflows.ids import journey_workflow_id
from workflows.lifecycle import applicable_rulebook, decide, evolve

HEADER = [
    "STT",
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "Loại hình chủ thể",
    "Tên chủ thể",
    "Xã/phường",
    "Địa chỉ",
    "Người đại diện",
    "Số điện thoại",
    "Hạng hiện tại",
    "Ngày hết hạn",
    *(
        f"{label} (lần {n})"
        for n in (1, 2)
        for label in ("Hạng", "Ngày công nhận", "Năm", "Số quyết định", "Cơ quan ban hành")
    ),
]
FIRST_ROW = 4  # a title, an empty row, the header, then the products
PRODUCTS = ["Nem chua", "Chè lam", "Mắm tép", "Bánh gai", "Nước mắm", "Mật ong", "Chiếu cói", "Rượu men lá"]
TYPES = ["HTX", "Hợp tác xã", "Hộ kinh doanh", "Doanh nghiệp nhỏ và vừa", "Tổ hợp tác", "Trang trại"]
AUTHORITY = "UBND tỉnh Thanh Hóa"


def stock_rows(count: int, today: date, seed: int = 19) -> tuple[list[list[Any]], dict[int, str]]:
    """``count`` product rows of Thanh Hóa, and the broken ones (sheet row -> what is wrong): every
    25th row, in turn a commune that does not exist, rank 6, a recognition in the future and a
    copy of the row above."""
    rng = random.Random(seed)
    communes = places.communes_of(THANH_HOA)
    rows: list[list[Any]] = []
    broken: dict[int, str] = {}
    for n in range(count):
        code, name = communes[(n // 2) % len(communes)]  # a producer's two products: one commune
        # Communes as provinces write them: the 2025 code, the name, or "Xã …, huyện …" (former district).
        commune: Any = [code, name, f"{name}, huyện Cũ"][n % 3]
        decided = today - timedelta(days=rng.randint(30, 1000))
        stars = rng.choice([3, 3, 4])
        first = [stars, decided, decided.year, f"{1000 + n}/QĐ-UBND", AUTHORITY]
        second: list[Any] = [None] * 5
        if stars == 4 and n % 2 == 0:  # upgraded from 3★ a year before: two recognitions
            earlier = decided - timedelta(days=365)
            second, first = first, [3, earlier, earlier.year, f"{500 + n}/QĐ-UBND", AUTHORITY]
        row = [
            n + 1,
            f"{PRODUCTS[n % len(PRODUCTS)]} {n + 1}",
            "Thực phẩm",
            TYPES[n % len(TYPES)],
            f"Chủ thể số {n // 2}",  # two products a producer
            commune,
            f"Thôn {n}",
            f"Người đại diện {n}",
            f"09{n:08d}",
            stars,
            certificate_valid_until(second[1] if second[1] else decided, 36),
            *first,
            *second,
        ]
        sheet_row = FIRST_ROW + n
        if n % 25 == 24:
            kind = ("commune", "rank", "future", "duplicate")[(n // 25) % 4]
            broken[sheet_row] = kind
            if kind == "commune":
                row[5] = "Xã Không Có Thật"
            elif kind == "rank":
                row[9] = 6
            elif kind == "future":
                row[11], row[12], row[13] = 3, today + timedelta(days=30), (today + timedelta(days=30)).year
                row[9], row[16:21] = 3, [None] * 5
            else:
                row = [n + 1, *rows[-1][1:]]
        rows.append(row)
    return rows, broken


def workbook(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sản phẩm OCOP")
    sheet.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(caller: Caller, data: bytes, **params: str) -> Any:
    return await caller.http.post(
        "/v1/producers/import",
        headers=caller.auth,
        params=params,
        files={
            "file": ("ocop.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        },
    )


async def test_the_dry_run_names_the_broken_rows_the_import_takes_the_rest_and_a_second_run_none(
    api: Api,
) -> None:
    today = (await api.env.get_current_time()).date()
    rows, broken = stock_rows(500, today)
    assert len(broken) == 20
    data = workbook(rows)
    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))

    dry = await upload(admin, data, dry_run="true")
    assert dry.status_code == 200, dry.text
    report = dry.json()
    assert (report["rows"], report["accepted"], report["imported"]) == (500, 480, 0)
    assert report["refused_rows"] == sorted(broken)
    said: dict[int, Any] = {}
    for problem in report["problems"]:
        said.setdefault(problem["row"], problem)
    for row, kind in broken.items():
        column, words = {
            "commune": ("Xã/phường", "không có xã/phường năm 2025"),
            "rank": ("Hạng hiện tại", "6 sao"),
            "future": ("Ngày công nhận (lần 1)", "tương lai"),
            "duplicate": ("Tên sản phẩm", f"trùng với dòng {row - 1}"),
        }[kind]
        assert said[row]["column"] == column, said[row]
        assert words in said[row]["problem"], said[row]
    assert said[min(r for r, k in broken.items() if k == "commune")]["value"] == "Xã Không Có Thật"
    assert await api.event_count() == 0  # a dry run records nothing

    with capture_logs() as logs:
        imported = await upload(admin, data)
    assert imported.status_code == 200, imported.text
    progress = [entry["progress"] for entry in logs if entry["event"] == "stock_import_progress"]
    assert len(progress) == 5, progress  # every 100 rows, and the last
    assert progress[-1].startswith("đã nhập 480/480 dòng"), progress
    done = imported.json()
    assert (done["imported"], done["already_imported"], done["failures"]) == (480, 0, [])
    assert done["producers_created"] == 250  # two products a producer, never both broken
    journeys = await api.pool.fetchval(
        "SELECT count(*) FROM read_models WHERE kind = 'journey' AND state ->> 'status' = 'CERTIFIED'"
    )
    assert journeys == 480
    named = await api.pool.fetchval(
        """SELECT count(*) FROM read_models r
        JOIN producers p ON p.producer_id = r.state ->> 'producer_organisation' WHERE r.kind = 'journey'"""
    )
    assert named == 480
    # An upgraded product's certificate is its latest recognition.
    upgraded = next(n for n, row in enumerate(rows) if row[16] is not None and FIRST_ROW + n not in broken)
    state = await api.pool.fetchval(
        "SELECT state FROM read_models WHERE kind = 'journey' AND state ->> 'product_name' = $1",
        rows[upgraded][1],
    )
    assert (state["certificate"]["stars"], state["certificate"]["decision_number"]) == (4, rows[upgraded][19])
    # Its first recognition is its history: a superseded certificate, then the upgrade.
    assert [(c["stars"], c["decision_number"]) for c in state["past_certificates"]] == [
        (3, rows[upgraded][14])
    ]
    assert [(r["kind"], r["stars"]) for r in state["recognitions"]] == [("new", 3), ("upgrade", 4)]
    # Each journey's workflow runs on, waiting for its expiry.
    handle = api.env.client.get_workflow_handle(journey_workflow_id(state["journey_id"]))
    assert (await handle.describe()).status == WorkflowExecutionStatus.RUNNING
    # The producer's account, made with the organisation's id and linked to it, owns its products.
    organisation = state["producer_organisation"]
    account = await api.actor(Role.PRODUCER, str(THANH_HOA), organisation)
    linked = await admin.post(f"/v1/producers/{organisation}/accounts", {"actor_id": organisation})
    assert linked.status_code == 200, linked.text
    own = await account.get("/v1/journeys")
    assert state["journey_id"] in [item["journey_id"] for item in own.json()["items"]]
    assert (await account.get(f"/v1/producers/{organisation}")).json()["organisation_type_name"]

    events = await api.event_count()
    again = await upload(admin, data)
    assert again.status_code == 200, again.text
    assert (again.json()["imported"], again.json()["already_imported"]) == (0, 480)
    assert await api.event_count() == events
    assert (await verify_all(api.pool)).ok


async def test_only_administrators_import_and_the_command_line_dry_run_speaks_vietnamese(
    api: Api,
    migrated_database_url: str,
    tmp_path: Path,
) -> None:
    today = (await api.env.get_current_time()).date()
    rows, broken = stock_rows(30, today)
    data = workbook(rows)
    officer = await api.actor(Role.PROVINCIAL_OFFICER, str(THANH_HOA))
    assert (await upload(officer, data, dry_run="true")).status_code == 403
    hanoi = await api.actor(Role.ADMINISTRATOR, "1")
    assert (await upload(hanoi, data, dry_run="true", province=str(THANH_HOA))).status_code == 403
    national = await api.actor(Role.ADMINISTRATOR, "VN")
    assert (await upload(national, data, dry_run="true")).status_code == 422  # which province?
    assert (await upload(national, b"not a workbook", dry_run="true", province="38")).status_code == 422

    sheet = tmp_path / "thanh-hoa.xlsx"
    sheet.write_bytes(data)
    get_settings.cache_clear()  # the command reads this test's environment
    result = await asyncio.to_thread(
        CliRunner().invoke,
        cli_app,
        ["import", "stock", str(sheet), "--dry-run", "--province", str(THANH_HOA)],
        env={"OCOP_DATABASE_URL": migrated_database_url, "OCOP_LOG_LEVEL": "WARNING"},
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("dòng ")]
    assert [int(line.split(",")[0].split()[1]) for line in lines] == sorted(broken)
    assert "cột Xã/phường, giá trị 'Xã Không Có Thật'" in result.stdout
    assert "thử (không nhập gì): 30 dòng, 29 hợp lệ, 1 bị từ chối" in result.stderr
    assert await api.event_count() == 0


def test_a_former_commune_name_maps_to_the_2025_commune_that_carries_it_and_is_reported_otherwise() -> None:
    communes = stock_import.Communes(THANH_HOA)
    code, name = places.communes_of(THANH_HOA)[0]
    assert communes.find(code) == code
    assert communes.find(name) == code
    assert communes.find(stock_import.fold(name).upper()) == code  # accents and case ignored
    assert communes.find(f"{name}, huyện Thọ Xuân") == code
    with pytest.raises(ValueError, match="không có bảng chuyển từ địa danh cũ"):
        communes.find("Xã Không Có Thật, huyện Cũ")
    with pytest.raises(ValueError, match="không phải mã xã"):
        communes.find(70)  # Phường Hoàn Kiếm: Hà Nội


def test_the_checks_follow_the_decision_associations_only_for_tourism_and_the_latest_recognition() -> None:
    """QĐ 26/2026 Art. 2.3: associations, federations and operating centres take part only with
    community and eco-tourism services; the certificate in force is the latest recognition."""
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    code, _ = places.communes_of(THANH_HOA)[0]
    base = {
        "product": "Du lịch cộng đồng bản Hạ",
        "producer": "Hội Nông dân xã",
        "commune": code,
        "rank": 4,
        "r1_rank": 3,
        "r1_date": date(2023, 3, 1),
        "r1_decision": "100/QĐ-UBND",
        "r2_rank": 4,
        "r2_date": date(2025, 3, 1),
        "r2_decision": "200/QĐ-UBND",
    }
    rows = [
        stock_import.StockRow(4, {**base, "group": "Thực phẩm", "producer_type": "Hội"}),
        stock_import.StockRow(
            5,
            {
                **base,
                "group": "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
                "producer_type": "Hội",
            },
        ),
        stock_import.StockRow(6, {**base, "group": "Thực phẩm", "producer_type": "HTX", "rank": 3}),
    ]
    plan = stock_import.check_stock(
        rows,
        province_code=THANH_HOA,
        actor=Actor(id="admin", role="administrator"),
        covers=lambda p, c: True,
        now=now,
    )
    assert plan.refused_rows == [4, 6]
    by_row = {problem.row: problem for problem in plan.problems}
    assert by_row[4].column == "Loại hình chủ thể"
    assert "Điều 2.3" in by_row[4].problem
    assert by_row[6].column == "Hạng hiện tại"
    assert "lần công nhận gần nhất (4 sao)" in by_row[6].problem
    [planned] = plan.planned
    assert planned.producer.organisation_type == OrganisationType.ASSOCIATION
    assert (planned.command.stars, planned.command.decision_number) == (4, "200/QĐ-UBND")
    assert planned.command.product_group == "tourism"
    assert planned.command.earlier == [
        EarlierRecognition(
            rulebook_id="qd148-2023",
            level=Level.PROVINCE,
            stars=3,
            decision_number="100/QĐ-UBND",
            decision_date=date(2023, 3, 1),
        )
    ]


def test_an_imported_history_is_checked_and_folded_into_recognitions() -> None:
    """The journey's own rules: earlier recognitions come before the certificate in force, each one
    a rank its level recognizes; folded, the first is new, a higher rank an upgrade, the same a
    re-evaluation, and the earlier certificates are past ones."""
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    code, _ = places.communes_of(THANH_HOA)[0]

    def past(stars: int, day: date, level: Level = Level.PROVINCE) -> EarlierRecognition:
        return EarlierRecognition(
            rulebook_id="qd148-2023", level=level, stars=stars, decision_number=f"{day}/QĐ", decision_date=day
        )

    def command(*earlier: EarlierRecognition) -> ImportCertified:
        return ImportCertified(
            actor=Actor(id="admin", role="administrator"),
            journey_id="J-history",
            producer_id="ocop-1",
            product_name="Nem chua",
            product_group="food",
            province_code=THANH_HOA,
            commune_code=code,
            rulebook_id="qd148-1489-2025",
            level=Level.PROVINCE,
            stars=4,
            decision_number="9/QĐ",
            decision_date=date(2025, 9, 1),
            earlier=list(earlier),
        )

    rulebook = applicable_rulebook(None, now)
    [event] = decide(None, command(past(3, date(2023, 3, 1)), past(4, date(2024, 3, 1))), rulebook, now)
    state = evolve(None, event, now)
    assert [(r.kind.value, r.stars) for r in state.recognitions] == [
        ("new", 3),
        ("upgrade", 4),
        ("re_evaluation", 4),
    ]
    assert [c.decision_number for c in state.past_certificates] == ["2023-03-01/QĐ", "2024-03-01/QĐ"]
    assert state.certificate is not None
    assert state.certificate.decision_number == "9/QĐ"
    with pytest.raises(InvalidCommand, match="dated before the certificate in force"):
        decide(None, command(past(3, date(2025, 9, 1))), rulebook, now)
    with pytest.raises(InvalidCommand, match="oldest first"):
        decide(None, command(past(4, date(2024, 3, 1)), past(3, date(2023, 3, 1))), rulebook, now)
    with pytest.raises(InvalidCommand, match="does not recognize 5"):
        decide(None, command(past(5, date(2023, 3, 1))), rulebook, now)
    # Without a history, the import folds as it always did: one new recognition.
    [plain] = decide(None, command(), rulebook, now)
    assert "earlier_certificates" not in plain.model_dump(mode="json")
    assert [r.kind.value for r in evolve(None, plain, now).recognitions] == ["new"]


async def test_the_command_line_imports_a_sheet_and_a_second_run_takes_none(
    time_skipping: WorkflowEnvironment,
    store_pool: asyncpg.Pool,
    migrated_database_url: str,
    tmp_path: Path,
) -> None:
    today = (await time_skipping.get_current_time()).date()
    rows, broken = stock_rows(30, today, seed=7)
    sheet = tmp_path / "thanh-hoa.xlsx"
    sheet.write_bytes(workbook(rows))
    async with running_worker(time_skipping.client, store_pool) as task_queue:
        env = {
            "OCOP_DATABASE_URL": migrated_database_url,
            "TEMPORAL_ADDRESS": time_skipping.client.service_client.config.target_host,
            "OCOP_TASK_QUEUE": task_queue,
            "OCOP_LOG_LEVEL": "WARNING",
        }
        runs = []
        for _ in range(2):
            get_settings.cache_clear()  # the command reads this test's environment
            runs.append(
                await asyncio.to_thread(
                    CliRunner().invoke, cli_app, ["import", "stock", str(sheet), "--province", "38"], env=env
                )
            )
    first, second = runs
    assert first.exit_code == 0, first.output
    assert "đã nhập 29/29 dòng" in first.stderr  # the progress line
    assert "đã nhập: 30 dòng, 29 hợp lệ, 1 bị từ chối; 29 sản phẩm mới, 0 đã có từ trước" in first.stderr
    assert [line.split(",")[0] for line in first.stdout.splitlines()] == [f"dòng {row}" for row in broken]
    assert second.exit_code == 0, second.output
    assert "0 sản phẩm mới, 29 đã có từ trước, 0 chủ thể mới" in second.stderr
    certified = await store_pool.fetchval(
        "SELECT count(*) FROM read_models WHERE kind = 'journey' AND state ->> 'status' = 'CERTIFIED'"
    )
    assert certified == 29
