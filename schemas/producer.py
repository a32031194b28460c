"""Producers (chủ thể OCOP): the organisations that own products, their events and the API's bodies.

QĐ 26/2026 Art. 2.3 names who may take part: cooperatives, cooperative groups, small and medium
enterprises, farms, production households and registered household businesses; for community and
eco-tourism services also associations, federations, operating centres or an equivalent body.

A producer's stream (``producer:<id>``) is the audit trail of the organisation's record. Its events
hold ids, codes and the organisation type only: the organisation's name and registration number stay
in the ``producers`` table, and the representative's personal details (name, phone, e-mail, gender,
ethnicity, disability) in the erasable ``parties`` table (store/parties.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from schemas.api import ACTOR_ID_PATTERN, Body


class OrganisationType(StrEnum):
    """Loại hình chủ thể OCOP (QĐ 26/2026 Art. 2.3)."""

    COOPERATIVE = "cooperative"
    COOPERATIVE_GROUP = "cooperative_group"
    ENTERPRISE = "enterprise"
    FARM = "farm"
    PRODUCTION_HOUSEHOLD = "production_household"
    HOUSEHOLD_BUSINESS = "household_business"
    ASSOCIATION = "association"
    FEDERATION = "federation"
    OPERATING_CENTRE = "operating_centre"
    EQUIVALENT_ORGANISATION = "equivalent_organisation"


# The decision's own words for each type: what a province's spreadsheet writes and the pages show.
ORGANISATION_TYPE_NAMES: dict[OrganisationType, str] = {
    OrganisationType.COOPERATIVE: "Hợp tác xã",
    OrganisationType.COOPERATIVE_GROUP: "Tổ hợp tác",
    OrganisationType.ENTERPRISE: "Doanh nghiệp nhỏ và vừa",
    OrganisationType.FARM: "Trang trại",
    OrganisationType.PRODUCTION_HOUSEHOLD: "Hộ sản xuất",
    OrganisationType.HOUSEHOLD_BUSINESS: "Hộ gia đình có đăng ký kinh doanh",
    OrganisationType.ASSOCIATION: "Hội",
    OrganisationType.FEDERATION: "Hiệp hội",
    OrganisationType.OPERATING_CENTRE: "Trung tâm điều hành",
    OrganisationType.EQUIVALENT_ORGANISATION: "Tổ chức tương đương",
}

# Art. 2.3, second sentence: these take part only with community and eco-tourism services.
TOURISM_ONLY: frozenset[OrganisationType] = frozenset(
    {
        OrganisationType.ASSOCIATION,
        OrganisationType.FEDERATION,
        OrganisationType.OPERATING_CENTRE,
        OrganisationType.EQUIVALENT_ORGANISATION,
    }
)

PRODUCER_ID_PATTERN = ACTOR_ID_PATTERN


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


# -- events of a producer's stream (the evolution rule of schemas/events.py holds for them) ------


class _ProducerEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    producer_id: str


class ProducerRegistered(_ProducerEvent):
    """A producer organisation was entered (ghi nhận chủ thể OCOP): its type and its commune."""

    type: Literal["producer_registered"] = "producer_registered"
    organisation_type: OrganisationType
    province_code: int
    commune_code: int
    representative: str | None = Field(default=None, description="The representative's party id.")


class ProducerUpdated(_ProducerEvent):
    """The organisation's record changed; ``changed`` names the fields (never their values when
    they are personal)."""

    type: Literal["producer_updated"] = "producer_updated"
    changed: list[str]
    organisation_type: OrganisationType | None = None
    province_code: int | None = None
    commune_code: int | None = None


class ProducerAccountLinked(_ProducerEvent):
    """A producer's account (an actor) now acts for this organisation."""

    type: Literal["producer_account_linked"] = "producer_account_linked"
    actor_id: str


class RepresentativeErased(_ProducerEvent):
    """The representative's personal data was erased on request (xóa dữ liệu cá nhân)."""

    type: Literal["representative_erased"] = "representative_erased"
    representative: str


ProducerEvent = Annotated[
    ProducerRegistered | ProducerUpdated | ProducerAccountLinked | RepresentativeErased,
    Field(discriminator="type"),
]

PRODUCER_EVENT: TypeAdapter[ProducerEvent] = TypeAdapter(ProducerEvent)


# -- the API ------------------------------------------------------------------------------------


class Representative(Body):
    """The organisation's representative (người đại diện): personal data, kept in the parties table.
    Criterion 3.2 scores a woman, an ethnic-minority or a disabled representative."""

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    gender: Gender | None = None
    ethnicity: str | None = Field(default=None, max_length=100, description="Dân tộc, e.g. Kinh, Mường.")
    disability: bool | None = None


class NewProducer(Body):
    """A producer organisation (chủ thể OCOP) as a commune officer, the provincial agency, an
    administrator or the producer's own account enters it."""

    id: str | None = Field(
        default=None, pattern=PRODUCER_ID_PATTERN, description="Its id; derived from the request if omitted."
    )
    organisation_type: OrganisationType
    name: str = Field(min_length=1, max_length=300, description="Tên tổ chức.")
    registration_number: str | None = Field(
        default=None, max_length=100, description="Business or cooperative registration number (mã số)."
    )
    province_code: int
    commune_code: int
    address: str | None = Field(default=None, max_length=500)
    representative: Representative | None = None


class ProducerChange(Body):
    """What an update changes; a field left out stays as it is."""

    organisation_type: OrganisationType | None = None
    name: str | None = Field(default=None, min_length=1, max_length=300)
    registration_number: str | None = Field(default=None, max_length=100)
    province_code: int | None = None
    commune_code: int | None = None
    address: str | None = Field(default=None, max_length=500)
    representative: Representative | None = None


class LinkAccount(Body):
    """Link a producer's account (an actor of role producer) to the organisation it acts for."""

    actor_id: str = Field(pattern=ACTOR_ID_PATTERN)


class RepresentativeView(BaseModel):
    """The representative as the producer's readers see it; every field None once erased."""

    party_id: str
    name: str | None
    phone: str | None
    email: str | None
    gender: Gender | None
    ethnicity: str | None
    disability: bool | None
    erased_at: datetime | None


class ProducerView(BaseModel):
    """A producer organisation as the API shows it."""

    id: str
    organisation_type: OrganisationType
    organisation_type_name: str = Field(description="The type's name in QĐ 26/2026 Art. 2.3.")
    name: str
    registration_number: str | None
    province_code: int
    commune_code: int
    address: str | None
    representative: RepresentativeView | None
    accounts: list[str] = Field(default_factory=list, description="Producer accounts acting for it.")
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="The version of its stream in the log.")


class ProducerPage(BaseModel):
    items: list[ProducerView]
    next_cursor: str | None = None
