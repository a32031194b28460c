"""Documents of a dossier (tài liệu hồ sơ): the kinds accepted, the views the API answers with,
the body of an erasure and the event of a document's stream (``document:<sha256>``).

The event holds the content's hash and the journeys' ids only: never an original file name (it may
be a person's name), which stays in the documents tables.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.api import Body

# The media types accepted, each checked by its content, and the kind a page shows.
DOCUMENT_KINDS: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.text": "ODT",
}
# The kinds a browser shows in its own viewer (opened inline); the others are downloaded.
INLINE_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


# Events of this stream: the evolution rule of schemas/events.py holds for them (the permanent record).
class _DocumentEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    sha256: str


class DocumentErased(_DocumentEvent):
    """An administrator erased the content on a legal request (xóa nội dung theo yêu cầu pháp lý):
    the hash and metadata stay, the bytes are gone. Who and why are the event's actor and reason."""

    type: Literal["document_erased"] = "document_erased"
    journey_ids: list[str] = Field(default_factory=list, description="The journeys it was uploaded for.")


DocumentEvent = Annotated[DocumentErased, Field(discriminator="type")]
DOCUMENT_EVENT: TypeAdapter[DocumentEvent] = TypeAdapter(DocumentEvent)


class DocumentView(BaseModel):
    """A document of a journey's dossier, as the API shows it."""

    reference: str = Field(
        description="How commands cite it: sha256:<64 hex>.", examples=["sha256:" + "0" * 64]
    )
    sha256: str
    size: int = Field(description="Bytes.")
    media_type: str = Field(description="Found from its content, not its name.")
    kind: str = Field(description="PDF, JPEG, PNG, DOCX, XLSX or ODT.")
    file_name: str = Field(description="The name it was uploaded under.")
    uploaded_by: str = Field(description="The uploader's actor id.")
    uploaded_at: datetime
    erased_at: datetime | None = None
    erased_by: str | None = None
    erased_why: str | None = None
    href: str = Field(description="Where its content is read.")


class DocumentList(BaseModel):
    """The documents uploaded for a journey, oldest first."""

    journey_id: str
    items: list[DocumentView]
    total_bytes: int = Field(description="The dossier's size so far (erased documents not counted).")


class EraseDocument(Body):
    """An administrator erases a document's content on a legal request."""

    reason: str = Field(
        min_length=1,
        max_length=500,
        description="The legal ground and the request's number (recorded in the log: no names).",
        examples=["Nghị định 13/2023/NĐ-CP Điều 16; yêu cầu xóa số 12/2026"],
    )
