"""Certificate numbers (số giấy chứng nhận): a pattern per level and, where a province sets its own,
per province (``certificate_numbers.json``), and the sequence each number is drawn from.

A number is the next of its scope (a province's certificates of a year; the ministry's, for 5★),
drawn once per recognition by the activity ``assign_certificate_number`` (store/sequences.py), so
that a retried activity or a replayed workflow never takes a second one.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.rulebook import Level

SHIPPED = Path(__file__).with_name("certificate_numbers.json")
_SAMPLE = {"number": 1, "year": 2026, "province": 38}


def _check(template: str, *, names_province: bool) -> None:
    try:
        template.format(**_SAMPLE)
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(f"certificate number pattern {template!r}: {error}") from None
    needed = ("{number", "{year", "{province") if names_province else ("{number", "{year")
    for name in needed:
        if name not in template:
            raise ValueError(f"certificate number pattern {template!r} must contain {name}}}")


class CertificateNumbering(BaseModel):
    """How certificates are numbered: ``levels`` gives each recognizing level's pattern,
    ``provinces`` a province's own patterns (by province code) for its provincial certificates."""

    model_config = ConfigDict(frozen=True)

    description: str = ""
    levels: dict[Level, str] = Field(min_length=1)
    provinces: dict[int, dict[Level, str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _patterns(self) -> CertificateNumbering:
        for level, template in self.levels.items():
            _check(template, names_province=level != Level.CENTRAL)
        rendered = [template.format(**_SAMPLE) for template in self.levels.values()]
        if len(set(rendered)) != len(rendered):
            raise ValueError("two levels would write the same certificate number")
        for province, overrides in self.provinces.items():
            for level, template in overrides.items():
                if level == Level.CENTRAL:
                    raise ValueError(f"province {province} cannot number the ministry's certificates")
                _check(template, names_province=True)
        return self

    def pattern(self, level: Level, province_code: int) -> str:
        """The pattern of a certificate recognized at ``level`` for a product of ``province_code``."""
        own = self.provinces.get(province_code, {}).get(level)
        if own is not None:
            return own
        try:
            return self.levels[level]
        except KeyError:
            raise ValueError(f"no certificate number pattern for the {level.value} level") from None

    def number(self, level: Level, province_code: int, number: int, year: int) -> str:
        """The certificate number written with its pattern."""
        return self.pattern(level, province_code).format(number=number, year=year, province=province_code)


def certificate_scope(level: Level, province_code: int, year: int) -> str:
    """The sequence a certificate's number is drawn from: a province's certificates of a year (its
    district-level ones apart), or the ministry's of a year."""
    if level == Level.CENTRAL:
        return f"certificate/VN/{year}"
    if level == Level.DISTRICT:
        return f"certificate/{province_code:02d}/district/{year}"
    return f"certificate/{province_code:02d}/{year}"


@cache
def shipped_numbering() -> CertificateNumbering:
    """The numbering shipped with the engine (``certificate_numbers.json``)."""
    return CertificateNumbering.model_validate(json.loads(SHIPPED.read_text(encoding="utf-8")))
