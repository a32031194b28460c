"""The dossier's documents as the API and the pages serve them: one path for every upload, read,
erasure and reference check (``api/routers/documents.py`` and the pages call these).

A command that cites a document (``document``, ``documents``, ``commune_report``, ``evidence``,
``conclusion``) goes through only if each is ``sha256:<64 hex>`` of a document uploaded for that
journey (the upload checked that its uploader may add to the dossier) and not erased:
``check_references``, called on the journey command path before anything is sent to the journey,
so a refusal records nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import StreamingResponse
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from api import access
from api.engine import Engine
from api.errors import ApiError, Invalid, NotFound
from schemas.api import FieldError
from schemas.documents import INLINE_TYPES, DocumentView
from schemas.journey import JourneyState
from schemas.refusals import Reason
from schemas.roles import Role
from store.documents import (
    REFERENCE_FIELDS,
    DocumentCorrupt,
    DocumentGone,
    DocumentRecord,
    DocumentStore,
    DocumentTooLarge,
    UnsupportedDocument,
    references_in,
)

# The multipart framing around one file (boundaries, part headers) is allowed on top of its limit.
MULTIPART_OVERHEAD = 64 * 1024
FILE_FIELD = "file"


class PayloadTooLarge(ApiError):
    status = 413
    code = "BodyTooLarge"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "UnsupportedMediaType"


class DocumentErasedError(ApiError):
    status = 410
    code = "DocumentErased"


class DocumentCorruptError(ApiError):
    status = 500
    code = "DocumentCorrupt"


async def is_seated(engine: Engine, actor: access.Principal, journey: JourneyState) -> bool:
    """Does a council that evaluates (or evaluated) the journey seat ``actor``?"""
    if actor.role != Role.COUNCIL_MEMBER:
        return False
    current = journey.evaluation
    if current is not None and current.council.seat_of(actor.id) is not None:
        return True
    actors = await engine.actors()
    return await actors.is_seated(actor.id, journey.journey_id)


async def check_references(engine: Engine, journey_id: str, fields: dict[str, Any]) -> None:
    """422 naming each cited document a command on ``journey_id`` may not cite (see the module)."""
    references = references_in(fields)
    if not references:
        return
    documents = await engine.documents()
    refused = await documents.unusable(journey_id, references)
    if not refused:
        return
    errors: list[FieldError] = []
    for name in REFERENCE_FIELDS:
        value = fields.get(name)
        places: list[tuple[list[str | int], Any]] = (
            [([code, index], item) for code, items in value.items() for index, item in enumerate(items)]
            if isinstance(value, dict)  # by criterion: ["body", "criterion_evidence", "2.2", 0]
            else [([index], item) for index, item in enumerate(value)]
            if isinstance(value, list)
            else [([], value)]
        )
        for place, item in places:
            if isinstance(item, str) and item in refused:
                loc: list[str | int] = ["body", name, *place]
                errors.append(FieldError(loc=loc, msg=refused[item], type="document_reference"))
    raise Invalid(Reason("documents.not_uploaded"), errors=errors)


def view_of(record: DocumentRecord, href_prefix: str = "/v1/journeys") -> DocumentView:
    return DocumentView(
        reference=record.reference,
        sha256=record.sha256,
        size=record.size,
        media_type=record.media_type,
        kind=record.kind,
        file_name=record.file_name,
        uploaded_by=record.uploaded_by,
        uploaded_at=record.uploaded_at,
        erased_at=record.erased_at,
        erased_by=record.erased_by,
        erased_why=record.erased_why,
        href=f"{href_prefix}/{record.journey_id}/documents/{record.sha256}",
    )


# -- upload ---------------------------------------------------------------------------------------


def _clean_name(raw: bytes) -> str:
    """The base name of an uploaded file, printable, at most 255 characters."""
    text = raw.decode("utf-8", errors="replace").replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return (text or "document")[:255]


class _FileField:
    """Streams the bytes of the form's ``file`` part out of a multipart body as it arrives (the
    rest of the form is ignored): nothing is spooled, at most one received chunk is held."""

    def __init__(self, request: Request, boundary: bytes) -> None:
        self.request = request
        self.file_name = "document"
        self.claimed_type: str | None = None
        self._seen = False
        self._in_file = False
        self._done_file = False
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._out: list[bytes] = []
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._field,
                "on_header_value": self._value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._data,
                "on_part_end": self._part_end,
            },
        )

    def _part_begin(self) -> None:
        self._headers = {}

    def _field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.strip().lower()] = self._header_value.strip()
        self._header_field, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if options.get(b"name") == FILE_FIELD.encode() and b"filename" in options:
            if self._seen:
                raise Invalid(
                    Reason("documents.one_file"),
                    errors=[FieldError(loc=["body", FILE_FIELD], msg="more than one file", type="too_many")],
                )
            self._seen = self._in_file = True
            self.file_name = _clean_name(options[b"filename"])
            claimed = self._headers.get(b"content-type")
            self.claimed_type = claimed.decode("latin-1").split(";")[0].strip().lower() if claimed else None

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._out.append(data[start:end])

    def _part_end(self) -> None:
        self._in_file = False

    async def chunks(self) -> AsyncIterator[bytes]:
        try:
            async for received in self.request.stream():
                self._parser.write(received)
                if self._out:
                    out, self._out = self._out, []
                    for piece in out:
                        yield piece
            self._parser.finalize()
        except MultipartParseError as error:
            # A body that is not the multipart it claims to be is the caller's mistake (422), never a 500.
            raise Invalid(
                Reason("documents.malformed"),
                errors=[FieldError(loc=["body"], msg=f"malformed multipart body: {error}", type="multipart")],
            ) from None
        if not self._seen:
            raise Invalid(
                Reason("documents.no_file", field=repr(FILE_FIELD)),
                errors=[FieldError(loc=["body", FILE_FIELD], msg="Field required", type="missing")],
            )


def multipart_boundary(request: Request) -> bytes:
    """The body's multipart boundary; 415 for any other kind of body."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UnsupportedMediaType(Reason("documents.not_multipart"))
    return boundary


async def upload(
    engine: Engine, actor: access.Principal, journey: JourneyState, request: Request
) -> tuple[DocumentRecord, bool]:
    """Keep the file of this multipart request for ``journey``: (its record, whether it is new)."""
    access.check_upload_document(actor, journey, await is_seated(engine, actor, journey))
    boundary = multipart_boundary(request)
    settings = engine.settings
    store = await engine.documents()
    remaining = settings.documents_max_dossier_bytes - await store.journey_bytes(journey.journey_id)
    limit, what = (
        (settings.documents_max_file_bytes, "file")
        if settings.documents_max_file_bytes <= remaining
        else (max(remaining, 0), "dossier")
    )
    declared = request.headers.get("content-length")
    if limit <= 0 or (
        declared is not None and declared.isdigit() and int(declared) > limit + MULTIPART_OVERHEAD
    ):
        raise PayloadTooLarge(Reason("documents.too_large", what=what, limit=limit))
    field = _FileField(request, boundary)
    try:
        staging = await store.stage(field.chunks(), limit, what)
        # The part's name and type are known once its bytes have been read.
        stored = await store.keep(
            staging,
            journey_id=journey.journey_id,
            uploaded_by=actor.id,
            file_name=field.file_name,
            claimed_type=field.claimed_type,
        )
    except DocumentTooLarge as error:
        raise PayloadTooLarge(error.why or str(error)) from None
    except UnsupportedDocument as error:
        raise UnsupportedMediaType(error.why or str(error)) from None
    except DocumentGone as error:
        raise DocumentErasedError(error.why or str(error)) from None
    return stored.record, stored.created


# -- reading --------------------------------------------------------------------------------------


async def readable(engine: Engine, actor: access.Principal, journey: JourneyState) -> DocumentStore:
    """The store, once ``actor`` may read ``journey``'s documents (403 otherwise)."""
    access.check_read_document(actor, journey, await is_seated(engine, actor, journey))
    return await engine.documents()


async def record_of(store: DocumentStore, journey_id: str, sha256: str) -> DocumentRecord:
    record = await store.record(journey_id, sha256)
    if record is None:
        raise NotFound(Reason("documents.not_found", sha256=sha256, journey=journey_id))
    return record


def _disposition(record: DocumentRecord) -> str:
    kind = "inline" if record.media_type in INLINE_TYPES else "attachment"
    fallback = "".join(
        ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in record.file_name
    )
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(record.file_name, safe='')}"


async def content_response(store: DocumentStore, record: DocumentRecord) -> StreamingResponse:
    """The document's bytes, checked against its hash before the first byte (and as they go),
    shown by the browser's own viewer where it has one (Content-Disposition: inline)."""
    try:
        body = await store.read(record)
    except DocumentGone as error:
        raise DocumentErasedError(error.why or str(error)) from None
    except DocumentCorrupt as error:
        raise DocumentCorruptError(error.why or str(error)) from None
    return StreamingResponse(
        body,
        media_type=record.media_type,
        headers={
            "Content-Length": str(record.size),
            "Content-Disposition": _disposition(record),
            "ETag": f'"{record.sha256}"',
            "X-Content-SHA256": record.sha256,
            "X-Content-Verified": "sha256",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
