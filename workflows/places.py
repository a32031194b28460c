"""Administrative units of 2025 (34 provinces, 3,321 communes) from the ``vietnam-provinces`` package."""

from __future__ import annotations

# Imported eagerly: the package otherwise loads its tables lazily on the first look-up, which
# inside a workflow sandbox would re-import them on every run.
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode
from vietnam_provinces import lookup as _lookup  # noqa: F401 - eager load, see above

from schemas.errors import InvalidCommand
from schemas.refusals import Reason


def province_name(code: int) -> str:
    try:
        return str(Province.from_code(ProvinceCode(code)).name)
    except ValueError:
        raise InvalidCommand(Reason("places.not_a_province", code=code)) from None


def commune_name(code: int) -> str:
    try:
        return str(Ward.from_code(WardCode(code)).name)
    except ValueError:
        raise InvalidCommand(Reason("places.not_a_commune", code=code)) from None


def check_commune(province_code: int, commune_code: int) -> None:
    """Raise unless the commune exists and lies in the province."""
    province_name(province_code)
    try:
        ward = Ward.from_code(WardCode(commune_code))
    except ValueError:
        raise InvalidCommand(Reason("places.not_a_commune", code=commune_code)) from None
    if int(ward.province_code) != province_code:
        raise InvalidCommand(
            Reason("places.commune_elsewhere", commune=ward.name, code=commune_code, province=province_code)
        )


def communes_of(province_code: int) -> list[tuple[int, str]]:
    """The communes of a province (code, name), in the package's order: what a form offers."""
    province_name(province_code)
    return [(int(ward.code), str(ward.name)) for ward in Ward.iter_by_province(ProvinceCode(province_code))]


def province_of_commune(commune_code: int) -> int:
    """The province a commune of 2025 lies in."""
    try:
        return int(Ward.from_code(WardCode(commune_code)).province_code)
    except ValueError:
        raise InvalidCommand(Reason("places.not_a_commune", code=commune_code)) from None
