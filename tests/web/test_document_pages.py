"""The pages' document upload (a streamed multipart body, not a form): it needs the session's CSRF
token in its header, a multipart body, and content of an accepted kind; nothing is kept otherwise."""

from __future__ import annotations

from tests.api.cast import make_cast, pdf_of
from tests.api.harness import Api
from tests.web.test_http import Visitor


async def test_the_page_upload_needs_its_csrf_header_and_a_multipart_file(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    producer = Visitor(api.http)
    await producer.sign_in(cast.producer.token)
    await producer.get(f"/journeys/{journey_id}")
    path = f"/journeys/{journey_id}/documents"
    cookies = producer._headers()
    file = {"file": ("mau01.pdf", pdf_of("mau01"), "application/pdf")}
    no_token = await api.http.post(path, headers=cookies, files=file, data={"csrf": producer.csrf})
    assert no_token.status_code == 403
    with_token = {**cookies, "X-CSRF-Token": producer.csrf}
    not_multipart = await api.http.post(path, headers=with_token, data={"reason": "x"})
    assert not_multipart.status_code == 415
    not_a_pdf = await api.http.post(
        path, headers=with_token, files={"file": ("a.pdf", b"hello", "application/pdf")}
    )
    assert not_a_pdf.status_code == 415
    assert await api.pool.fetchval("SELECT count(*) FROM documents") == 0
    kept = await api.http.post(path, headers=with_token, files=file)
    assert kept.status_code == 201, kept.text
    assert kept.json()["href"] == f"/journeys/{journey_id}/documents/{kept.json()['sha256']}"
    opened = await api.http.get(kept.json()["href"], headers=cookies)
    assert opened.status_code == 200
    assert opened.content == file["file"][1]
