"""Accounts of actors (tài khoản): the events of an actor's stream, and the API's bodies for
stopping actors, rotating tokens and managing page sign-in.

An actor's stream (``actor:<id>``) is the audit trail of what was done to the actor. Its events
hold the actor's id only: never a user name, a password, a hash, a TOTP secret or a token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from schemas.api import ActorView, Body


# Events of this stream: the evolution rule of schemas/events.py holds for them (the permanent record).
class _AccountEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    actor_id: str


class ActorDeactivated(_AccountEvent):
    """Its token and page sessions are refused from now on (ngừng hoạt động)."""

    type: Literal["actor_deactivated"] = "actor_deactivated"


class ActorReactivated(_AccountEvent):
    """An administrator let a deactivated actor act again (kích hoạt lại)."""

    type: Literal["actor_reactivated"] = "actor_reactivated"


class TokenRotated(_AccountEvent):
    """A new bearer token replaced the old one, which is refused from now on."""

    type: Literal["token_rotated"] = "token_rotated"


class SignInOpened(_AccountEvent):
    """An administrator gave the actor a page sign-in with a first password."""

    type: Literal["sign_in_opened"] = "sign_in_opened"


class PasswordReset(_AccountEvent):
    """An administrator gave a new first password (and, if said, cleared the second factor)."""

    type: Literal["password_reset"] = "password_reset"
    second_factor_cleared: bool = False


class PasswordChanged(_AccountEvent):
    """The actor chose their own password."""

    type: Literal["password_changed"] = "password_changed"


class SecondFactorEnrolled(_AccountEvent):
    """The actor enrolled a TOTP second factor."""

    type: Literal["second_factor_enrolled"] = "second_factor_enrolled"


class ContactLinked(_AccountEvent):
    """The actor's notices go to this party's contact details (liên hệ nhận thông báo), their
    e-mails in ``language`` (None: the notifier's default). The party's id only: its details stay
    in the parties table."""

    type: Literal["contact_linked"] = "contact_linked"
    party_id: UUID
    language: str | None = None


AccountEvent = Annotated[
    ActorDeactivated
    | ActorReactivated
    | TokenRotated
    | SignInOpened
    | PasswordReset
    | PasswordChanged
    | SecondFactorEnrolled
    | ContactLinked,
    Field(discriminator="type"),
]

ACCOUNT_EVENT: TypeAdapter[AccountEvent] = TypeAdapter(AccountEvent)


# -- the API ------------------------------------------------------------------------------------


class ActorStatus(ActorView):
    """An actor as its administrator sees it: whether it may act, and until when its token holds."""

    active: bool = Field(description="False once deactivated: its token and page sessions get 401.")
    token_expires_at: datetime = Field(description="After this moment its bearer token gets 401.")
    signs_in: bool = Field(description="Whether the actor has a page sign-in (user name and password).")


class TokenIssued(ActorStatus):
    token: str | None = Field(
        description="The new bearer token, shown this once (only its SHA-256 is kept); the old one is "
        "refused from now on. A retry with the same Idempotency-Key returns the actor without it."
    )


USER_NAME_PATTERN = r"^[^\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]{0,98}[^\s\x00-\x1f\x7f])?$"


class OpenSignIn(Body):
    """Give an actor a page sign-in: the user name they type. The first password is made by the
    engine and shown once; it must be changed at the first sign-in."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"user_name": "nguyen.van.a"}]})

    user_name: str = Field(
        min_length=1,
        max_length=100,
        pattern=USER_NAME_PATTERN,
        description="What the person types to sign in (personal data: kept out of the log).",
    )


class ResetPassword(Body):
    """Give a new first password (shown once, changed at the next sign-in); end open sessions."""

    clear_second_factor: bool = Field(
        default=False, description="Also remove the TOTP second factor (a lost phone): enrolled again."
    )


class FirstPassword(BaseModel):
    """A first password, shown once. A retry with the same Idempotency-Key returns it as null."""

    actor_id: str
    user_name: str
    password: str | None = Field(description="Changed by its holder at the first sign-in.")


NoticeLanguage = Literal["vi", "en"]
EMAIL_PATTERN = r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 .-]{6,18}[0-9]$"


class LinkContact(Body):
    """Where an actor's notices go: a party already recorded (``party_id``), or contact details the
    engine records as a new party; and the language of their e-mails. The details are personal
    data: kept in the parties table (erasable), never in the log or the API's request log."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"display_name": "Nguyễn Thị Lan", "email": "lan.nguyen@htx-hacthanh.vn", "language": "vi"},
                {"party_id": "0b6f0c9e-3a55-4f0e-9d43-6a1f6c2f4a10", "language": "en"},
            ]
        }
    )

    party_id: UUID | None = Field(default=None, description="A party already recorded; or give its details.")
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    phone: str | None = Field(default=None, pattern=PHONE_PATTERN)
    language: NoticeLanguage | None = Field(
        default=None, description="The language of their e-mails; unset: the engine's (OCOP_MAIL_LANGUAGE)."
    )

    @model_validator(mode="after")
    def _party_or_details(self) -> Self:
        details = (self.display_name, self.email, self.phone)
        if self.party_id is not None and any(value is not None for value in details):
            raise ValueError("give party_id or contact details, not both")
        if self.party_id is None and self.email is None and self.phone is None:
            raise ValueError("give party_id, or an email or a phone to reach the person at")
        return self


class ContactView(BaseModel):
    """An actor's contact for notices, as the API answers it: ids and whether an address is on file
    (the details themselves are not sent back)."""

    actor_id: str
    party_id: UUID
    language: NoticeLanguage | None
    email_on_file: bool = Field(description="Whether the party has an e-mail address the notices go to.")
