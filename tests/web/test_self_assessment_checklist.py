"""The dossier's checklist on the journey's page (thành phần hồ sơ, qd26-2026 Art. 6): the producer
files Mẫu 01 under its item with the dossier step's form and sees what is there and what is missing;
the commune's officer, accepting it, sees the same."""

from __future__ import annotations

import re

from tests.api.cast import make_cast, upload_pdf
from tests.api.harness import Api
from tests.web.test_http import Visitor
from tests.web.test_self_assessment_page import in_development


def items(html: str) -> dict[str, str]:
    """Checklist item -> "true" (there) or "false" (missing), as the page marks them."""
    return dict(re.findall(r'<li data-item="(\w+)" data-present="(true|false)"', html))


async def test_the_producer_files_the_dossier_by_item_and_the_commune_sees_what_is_missing(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await in_development(cast)
    form01 = await upload_pdf(cast.producer, journey_id, "mau01")
    producer = Visitor(api.http)
    await producer.sign_in(cast.producer.token)
    page = await producer.get(f"/journeys/{journey_id}")
    assert page.status_code == 200, page.text
    assert items(page.text) == {
        "mau01": "false",
        "mau02": "false",
        "mau02_evidence": "false",
        "mau03": "false",
    }
    assert 'name="contents-mau01"' in page.text  # the dossier step's form files by item

    # Filed under Mẫu 01 only: the page adds it to the dossier's documents.
    sent = await producer.post(
        f"/journeys/{journey_id}/steps/submit-dossier", {"documents": "", "contents-mau01": form01, "key": ""}
    )
    assert sent.status_code == 303, sent.text
    journey = (await cast.producer.get(f"/v1/journeys/{journey_id}")).json()
    assert journey["status"] == "DOSSIER_SUBMITTED"
    assert journey["documents"] == [form01]
    assert journey["dossier_contents"] == {"mau01": [form01]}

    officer = Visitor(api.http)
    await officer.sign_in(cast.commune_officer.token)
    accepting = await officer.get(f"/journeys/{journey_id}")
    assert accepting.status_code == 200
    assert items(accepting.text) == {
        "mau01": "true",
        "mau02": "false",  # no self-assessment recorded
        "mau02_evidence": "false",
        "mau03": "false",  # the commune's report comes with the acceptance
    }
    assert 'id="step-accept-dossier"' in accepting.text
    # Returning it for completion starts from what the producer's part still misses (free text still).
    returning = re.search(
        r'<textarea id="return-dossier-missing_items"[^>]*>(.*?)</textarea>', accepting.text, re.S
    )
    assert returning is not None
    assert returning.group(1).splitlines() == [
        "Mẫu 02: Phiếu tự đánh giá, phân hạng sản phẩm (phần III)",
        "Tài liệu chứng minh kèm theo Mẫu 02 (gắn với từng tiêu chí)",
    ]
