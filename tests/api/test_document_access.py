"""Who reads a dossier's documents (roles x jurisdictions x council seats), and erasure on a legal
request followed by ``ocop verify --documents``.

The expected answers are written here from the issue's rule, apart from ``api/access.py``: the
producer who owns it; the intake officers and the provincial agency of its jurisdiction; the members
of a council while the product is enrolled with them and after; auditors of its jurisdiction.
Everyone else 403 (404 for a document the journey does not have).
"""

from __future__ import annotations

import asyncio
import hashlib

import pytest
from typer.testing import CliRunner, Result

from cli import app as cli_app
from schemas.roles import Role
from settings import get_settings
from store.documents import DocumentStore
from tests.api.cast import Cast, pdf_of, upload, upload_pdf
from tests.api.harness import Api, Caller
from tests.factories import HOAN_KIEM, OTHER_PROVINCE, THANH_HOA


async def read(caller: Caller, journey_id: str, reference: str) -> int:
    response = await caller.get(f"/v1/journeys/{journey_id}/documents/{reference.removeprefix('sha256:')}")
    return response.status_code


@pytest.mark.slow
async def test_the_read_matrix(api: Api, cast: Cast) -> None:
    journey_id = await cast.to_awaiting_round(scored_by_parts=True)
    reference = await upload_pdf(cast.producer, journey_id, "test-report")
    th, hn = str(THANH_HOA), str(OTHER_PROVINCE)
    stranger_member = await api.actor(Role.COUNCIL_MEMBER, th)
    # (who, expected status) before the product is enrolled with a council.
    matrix: list[tuple[str, Caller, int]] = [
        ("its producer", cast.producer, 200),
        ("another producer of the province", await api.actor(Role.PRODUCER, th), 403),
        ("the commune's intake officer", cast.commune_officer, 200),
        ("another commune's officer", await api.actor(Role.COMMUNE_OFFICER, str(HOAN_KIEM)), 403),
        ("the provincial agency", cast.provincial_officer, 200),
        ("another province's agency", await api.actor(Role.PROVINCIAL_OFFICER, hn), 403),
        ("the central agency", await api.actor(Role.CENTRAL_OFFICER, "VN"), 200),
        ("an auditor of the province", await api.actor(Role.AUDITOR, th), 200),
        ("a national auditor", await api.actor(Role.AUDITOR, "VN"), 200),
        ("an auditor of another province", await api.actor(Role.AUDITOR, hn), 403),
        ("the council's chair, not yet enrolled", cast.chair, 403),
        ("a council member of no council of it", stranger_member, 403),
        ("the province's recognition authority", cast.authority, 403),
        ("an administrator of the province", await api.actor(Role.ADMINISTRATOR, th), 403),
        ("a national administrator", await api.actor(Role.ADMINISTRATOR, "VN"), 403),
    ]
    answers = {who: await read(caller, journey_id, reference) for who, caller, _ in matrix}
    assert answers == {who: status for who, _, status in matrix}

    # Enrolled with the council: its members read (the secretary too); a member of no council still not.
    await cast.enrol(journey_id)
    for member in (*cast.voting, cast.secretary):
        assert await read(member, journey_id, reference) == 200
    assert await read(stranger_member, journey_id, reference) == 403
    # After the council finalized: still, for the record.
    for member in cast.voting:
        await member.act(journey_id, "submit-scorecard", {"parts": {"A": "32", "B": "20", "C": "28"}})
    await cast.chair.act(journey_id, "finalize")
    assert await read(cast.member, journey_id, reference) == 200

    # The list follows the same rule; a hash the journey does not have is 404 to a reader.
    listed = await cast.member.get(f"/v1/journeys/{journey_id}/documents")
    assert reference in [item["reference"] for item in listed.json()["items"]]
    assert (await cast.authority.get(f"/v1/journeys/{journey_id}/documents")).status_code == 403
    never = hashlib.sha256(b"never").hexdigest()
    assert await read(cast.producer, journey_id, f"sha256:{never}") == 404


def ocop(*args: str, url: str) -> Result:
    return CliRunner().invoke(
        cli_app,
        [*args, "--database-url", url],
        env={
            "OCOP_DATABASE_URL": url,
            "OCOP_LOG_LEVEL": "WARNING",
            "OCOP_DOCUMENTS_DIR": str(get_settings().documents_root),
        },
    )


async def test_erasure_keeps_the_hash_and_verify_reports_it_erased_not_missing(
    api: Api, cast: Cast, migrated_database_url: str
) -> None:
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    content = pdf_of("CCCD của ông Nguyễn Văn A")
    uploaded = await upload(cast.producer, journey_id, "cccd-nguyen-van-a.pdf", content, "application/pdf")
    reference = uploaded.json()["reference"]
    digest = reference.removeprefix("sha256:")
    await cast.producer.act(journey_id, "submit-plan", {"document": reference})

    verified = await asyncio.to_thread(ocop, "verify", "--documents", url=migrated_database_url)
    assert verified.exit_code == 0, verified.output
    assert "1 present and matching, 0 erased, 0 missing" in verified.output

    admin = await api.actor(Role.ADMINISTRATOR, str(THANH_HOA))
    path = f"/v1/journeys/{journey_id}/documents/{digest}/erase"
    reason = {"reason": "Nghị định 13/2023/NĐ-CP Điều 16; yêu cầu số 12/2026"}
    for outsider in (
        cast.producer,
        cast.commune_officer,
        await api.actor(Role.ADMINISTRATOR, str(OTHER_PROVINCE)),
    ):
        assert (await outsider.post(path, reason)).status_code == 403
    erased = await admin.post(path, reason)
    assert erased.status_code == 200, erased.text
    view = erased.json()
    assert view["erased_by"] == admin.id
    assert view["erased_why"] == reason["reason"]
    assert (view["reference"], view["size"], view["file_name"]) == (
        reference,
        len(content),
        "cccd-nguyen-van-a.pdf",
    )

    # The content is gone; reading it is 410, citing it 422; its metadata stays listed.
    store = DocumentStore(api.pool, get_settings().documents_root)
    assert not store.path_of(digest).exists()
    gone = await cast.producer.get(f"/v1/journeys/{journey_id}/documents/{digest}")
    assert gone.status_code == 410
    assert gone.json()["code"] == "DocumentErased"
    await cast.commune_officer.act(journey_id, "return-plan", {"reason": "thiếu chữ ký"})
    cited = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", {"document": reference})
    assert cited.status_code == 422
    # The same bytes are not kept again.
    again = await upload(cast.producer, journey_id, "again.pdf", content, "application/pdf")
    assert again.status_code == 410

    # The log records who, when and why, with ids only (no file name, no person's name).
    history = await api.pool.fetch(
        "SELECT type, data::text AS data, metadata FROM events "
        "WHERE stream_type = 'document' AND stream_id = $1",
        digest,
    )
    assert [row["type"] for row in history] == ["document_erased"]
    assert history[0]["metadata"]["actor"] == {"id": admin.id, "role": "administrator"}
    assert history[0]["metadata"]["reason"] == reason["reason"]
    assert "cccd" not in history[0]["data"]
    assert "Nguyễn" not in history[0]["data"]
    assert journey_id in history[0]["data"]

    verified = await asyncio.to_thread(ocop, "verify", "--documents", url=migrated_database_url)
    assert verified.exit_code == 0, verified.output
    assert "0 present and matching, 1 erased, 0 missing" in verified.output
    assert f"{reference}: erased on a legal request" in verified.output

    # A file lost from the store (not erased) is missing: verify fails and names it.
    lost = await upload_pdf(cast.producer, journey_id, "plan v2")
    await cast.producer.act(journey_id, "submit-plan", {"document": lost})
    store.path_of(lost.removeprefix("sha256:")).unlink()
    broken = await asyncio.to_thread(ocop, "verify", "--documents", url=migrated_database_url)
    assert broken.exit_code == 1, broken.output
    assert f"{lost}: missing" in broken.output
    assert f"{reference}: erased on a legal request" in broken.output


async def test_a_file_changed_on_disk_is_never_served(
    api: Api, cast: Cast, migrated_database_url: str
) -> None:
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    reference = await upload_pdf(cast.producer, journey_id, "mau-01")
    await cast.producer.act(journey_id, "submit-plan", {"document": reference})
    digest = reference.removeprefix("sha256:")
    store = DocumentStore(api.pool, get_settings().documents_root)
    path = store.path_of(digest)
    path.write_bytes(path.read_bytes().replace(b"mau-01", b"mau-99"))
    served = await cast.producer.get(f"/v1/journeys/{journey_id}/documents/{digest}")
    assert served.status_code == 500
    assert served.json()["code"] == "DocumentCorrupt"
    assert b"mau-99" not in served.content
    report = await asyncio.to_thread(ocop, "verify", "--documents", url=migrated_database_url)
    assert report.exit_code == 1
    assert f"{reference}: not matching its hash" in report.output
