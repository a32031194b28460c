"""Where the public registry (tra cứu công khai sản phẩm OCOP) shows a product: the one place that
knows the public address of a product page, so the certificate's QR code and the registry's own links
agree. The path is served by the registry's pages without a sign-in.
"""

from __future__ import annotations

from uuid import UUID

from settings import get_settings

PUBLIC_PRODUCT_PATH = "/registry/products/{journey_id}"
"""The public product page of a journey (one product's record): its certificate, stars and status."""


def public_product_path(journey_id: UUID | str) -> str:
    """The path of a product's public page, relative to the registry's base address."""
    return PUBLIC_PRODUCT_PATH.format(journey_id=journey_id)


def public_product_url(journey_id: UUID | str, base_url: str | None = None) -> str:
    """The full address a certificate's QR code carries (``public_base_url`` unless given)."""
    base = (base_url if base_url is not None else get_settings().public_base_url).rstrip("/")
    return base + public_product_path(journey_id)
