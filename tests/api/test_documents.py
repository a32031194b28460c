"""A dossier's documents over HTTP: upload, cite in a command, read back byte for byte; content
checked by its bytes; citations refused unless uploaded for that journey; size limits; erasure."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import AsyncIterator

import httpx
import pytest

from api.app import create_app
from schemas.roles import Role
from settings import Settings
from tests.api.cast import IDEA, Cast, pdf_of, upload, upload_pdf
from tests.api.harness import Api, Caller
from tests.factories import THANH_HOA
from tests.workflows.harness import running_worker

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"


def office_file(main_type: str | None, *, odf: str | None = None) -> bytes:
    """A ZIP container as Word/Excel (``[Content_Types].xml`` naming ``main_type``) or ODF (a first
    ``mimetype`` entry holding ``odf``) write it; a plain ZIP when both are None."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if odf is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), odf)
            archive.writestr("content.xml", "<office:document-content/>")
        elif main_type is not None:
            archive.writestr(
                "[Content_Types].xml",
                f'<Types><Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
            )
            archive.writestr("word/document.xml", f"<w:document>{uuid.uuid4()}</w:document>")
        else:
            archive.writestr("notes.txt", f"just a zip {uuid.uuid4()}")
    return buffer.getvalue()


async def to_plan_pending(cast: Cast) -> str:
    journey_id = await cast.register()
    await cast.commune_officer.act(journey_id, "accept-idea")
    return journey_id


async def test_upload_cite_in_a_command_and_read_back_byte_for_byte(api: Api, cast: Cast) -> None:
    journey_id = await to_plan_pending(cast)
    content = pdf_of("phuong-an")
    first = await upload(cast.producer, journey_id, "Phương án SX.pdf", content, "application/pdf")
    assert first.status_code == 201, first.text
    view = first.json()
    assert view["reference"] == "sha256:" + hashlib.sha256(content).hexdigest()
    assert (view["kind"], view["size"], view["file_name"]) == ("PDF", len(content), "Phương án SX.pdf")
    # The same bytes again: the same document, kept once.
    again = await upload(cast.producer, journey_id, "copy.pdf", content, "application/pdf")
    assert again.status_code == 200
    assert again.json()["reference"] == view["reference"]

    receipt = await cast.producer.act(journey_id, "submit-plan", {"document": view["reference"]})
    assert receipt["state"]["status"] == "PLAN_SUBMITTED"

    for reader in (cast.producer, cast.commune_officer, cast.provincial_officer):
        read = await reader.get(view["href"])
        assert read.status_code == 200, read.text
        assert read.content == content
        assert read.headers["content-type"] == "application/pdf"
        assert read.headers["content-disposition"].startswith("inline;")
        assert read.headers["x-content-sha256"] == hashlib.sha256(content).hexdigest()
    listed = await cast.commune_officer.get(f"/v1/journeys/{journey_id}/documents")
    assert [item["reference"] for item in listed.json()["items"]] == [view["reference"]]
    assert listed.json()["total_bytes"] == len(content)


@pytest.mark.parametrize(
    ("name", "content", "claimed", "kind"),
    [
        ("anh.png", PNG, "image/png", "PNG"),
        ("anh.jpg", JPEG, "image/jpeg", "JPEG"),
        ("mau02.docx", office_file(DOCX + ".main+xml"), DOCX, "DOCX"),
        ("bang.xlsx", office_file(XLSX + ".main+xml"), XLSX, "XLSX"),
        ("vanban.odt", office_file(None, odf=ODT), ODT, "ODT"),
        # A browser that does not know the type sends application/octet-stream: the bytes decide.
        ("mau02.docx", office_file(DOCX + ".main+xml"), "application/octet-stream", "DOCX"),
    ],
)
async def test_each_accepted_kind_is_known_by_its_bytes(
    cast: Cast, name: str, content: bytes, claimed: str, kind: str
) -> None:
    journey_id = await cast.register()
    response = await upload(cast.producer, journey_id, name, content, claimed)
    assert response.status_code in (200, 201), response.text
    assert response.json()["kind"] == kind


@pytest.mark.parametrize(
    ("name", "content", "claimed"),
    [
        # A text file named and sent as a PDF.
        ("mau01.pdf", b"not a pdf at all", "application/pdf"),
        # A PNG sent as a PDF: a real kind, but not the one it claims.
        ("mau01.pdf", PNG, "application/pdf"),
        # A ZIP that is no office document.
        ("mau02.docx", office_file(None), DOCX),
        # An HTML page (what a browser would run): never kept.
        ("trang.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    ],
)
async def test_content_not_of_its_claimed_type_is_refused(
    api: Api, cast: Cast, name: str, content: bytes, claimed: str
) -> None:
    journey_id = await cast.register()
    response = await upload(cast.producer, journey_id, name, content, claimed)
    assert response.status_code == 415, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "UnsupportedMediaType"
    assert (await cast.producer.get(f"/v1/journeys/{journey_id}/documents")).json()["items"] == []
    assert await api.pool.fetchval("SELECT count(*) FROM documents") == 0


async def test_an_upload_is_multipart_with_one_file(cast: Cast) -> None:
    journey_id = await cast.register()
    path = f"/v1/journeys/{journey_id}/documents"
    raw = await cast.producer.http.post(path, headers=cast.producer.auth, content=pdf_of("raw"))
    assert raw.status_code == 415
    no_file = await cast.producer.http.post(
        path, headers=cast.producer.auth, files={"other": ("a.pdf", b"x")}
    )
    assert no_file.status_code == 422
    assert no_file.json()["errors"][0]["loc"] == ["body", "file"]
    # A body that says multipart but is not (the schema fuzzer sent this one): 422, never a 500.
    boundary = "499a36371606f4d34859d1f23eac076f"
    malformed = await cast.producer.http.post(
        path,
        headers={**cast.producer.auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=f"--{boundary}\r\n[]--{boundary}--\r\n".encode(),
    )
    assert malformed.status_code == 422, malformed.text
    assert malformed.json()["errors"][0]["loc"] == ["body"]


async def test_a_command_citing_a_document_not_uploaded_for_its_journey_is_refused_and_records_nothing(
    api: Api, cast: Cast
) -> None:
    journey_id = await to_plan_pending(cast)
    other = await to_plan_pending(cast)
    foreign = await upload_pdf(cast.producer, other, "plan of another journey")
    never = "sha256:" + hashlib.sha256(b"never uploaded").hexdigest()
    events, requests = await api.event_count(), await api.request_count()
    for reference in (foreign, never, "sha256:plan", "plan.pdf"):
        refused = await cast.producer.post(f"/v1/journeys/{journey_id}/submit-plan", {"document": reference})
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["errors"][0]["loc"] == ["body", "document"]
        assert problem["errors"][0]["type"] == "document_reference"
    assert (await api.event_count(), await api.request_count()) == (events, requests)
    state = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assert state["status"] == "PLAN_PENDING"
    # One bad citation among good ones refuses the whole step, naming that one.
    good = await upload_pdf(cast.producer, journey_id, "plan")
    await cast.producer.act(journey_id, "submit-plan", {"document": good})
    await cast.commune_officer.act(journey_id, "approve-plan")
    mixed = await cast.producer.post(
        f"/v1/journeys/{journey_id}/submit-dossier", {"documents": [good, foreign]}
    )
    assert mixed.status_code == 422
    assert [error["loc"] for error in mixed.json()["errors"]] == [["body", "documents", 1]]


async def test_only_those_who_may_add_to_the_dossier_upload(api: Api, cast: Cast) -> None:
    journey_id = await cast.register()
    auditor = await api.actor(Role.AUDITOR, "VN")
    other_producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
    for outsider, status in ((auditor, 403), (other_producer, 403), (cast.member, 403)):
        response = await upload(outsider, journey_id, "x.pdf", pdf_of("x"), "application/pdf")
        assert response.status_code == status, (outsider.role, response.text)
    assert await api.pool.fetchval("SELECT count(*) FROM documents") == 0


# -- limits ---------------------------------------------------------------------------------------

FILE_LIMIT = 4096
DOSSIER_LIMIT = 10_000


@pytest.fixture
async def limited(api: Api) -> AsyncIterator[Caller]:
    """A producer of an app whose files hold 4 KiB and dossiers 10,000 bytes."""
    async with running_worker(api.env.client, api.pool) as task_queue:
        settings = Settings(
            task_queue=task_queue,
            documents_max_file_bytes=FILE_LIMIT,
            documents_max_dossier_bytes=DOSSIER_LIMIT,
        )
        app = create_app(settings, temporal_client=api.env.client, pool=api.pool)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://ocop.test") as http,
        ):
            producer = await api.actor(Role.PRODUCER, str(THANH_HOA))
            yield Caller(http, producer.id, producer.role, producer.token)


def padded_pdf(size: int) -> bytes:
    head = pdf_of("padded")
    return head + b"%" * (size - len(head))


async def test_files_and_dossiers_over_their_limits_are_refused_with_413(api: Api, limited: Caller) -> None:
    registered = await limited.post("/v1/journeys", IDEA)
    journey_id = registered.json()["journey_id"]
    too_big = await upload(limited, journey_id, "big.pdf", padded_pdf(FILE_LIMIT + 1), "application/pdf")
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["code"] == "BodyTooLarge"
    for _ in range(2):
        kept = await upload(limited, journey_id, "ok.pdf", padded_pdf(FILE_LIMIT), "application/pdf")
        assert kept.status_code == 201, kept.text
    # 8,192 bytes kept: a third file of 4,096 would take the dossier past 10,000.
    over = await upload(limited, journey_id, "third.pdf", padded_pdf(FILE_LIMIT), "application/pdf")
    assert over.status_code == 413
    assert "dossier" in over.json()["detail"]
    small = await upload(limited, journey_id, "small.pdf", padded_pdf(1500), "application/pdf")
    assert small.status_code == 201
    assert await api.pool.fetchval("SELECT count(*) FROM documents") == 3
