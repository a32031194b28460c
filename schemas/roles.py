"""Roles an actor acts in (vai trò). Council seats (chair, member, secretary) are per council."""

from __future__ import annotations

from enum import StrEnum

from schemas.rulebook import Level


class Role(StrEnum):
    PRODUCER = "producer"
    COMMUNE_OFFICER = "commune_officer"
    DISTRICT_OFFICER = "district_officer"
    PROVINCIAL_OFFICER = "provincial_officer"
    CENTRAL_OFFICER = "central_officer"
    COUNCIL_MEMBER = "council_member"
    RECOGNITION_AUTHORITY = "recognition_authority"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    SYSTEM = "system"


OFFICER_OF_LEVEL: dict[Level, Role] = {
    Level.COMMUNE: Role.COMMUNE_OFFICER,
    Level.DISTRICT: Role.DISTRICT_OFFICER,
    Level.PROVINCE: Role.PROVINCIAL_OFFICER,
    Level.CENTRAL: Role.CENTRAL_OFFICER,
}
