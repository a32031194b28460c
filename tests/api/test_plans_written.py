"""Plans as they are written over HTTP (issue 19, item 2): the five shipped plans set through
``PUT /v1/plans/{province}/{year}`` as ``ocop demo`` sets them, read back with their progress, a
refused mix of shapes recording nothing, and the plan page showing each goal with what remains,
in Vietnamese and in English."""

from __future__ import annotations

import uuid
from typing import Any

from schemas.plan import Scope
from schemas.plans import WRITTEN_PLANS
from schemas.roles import Role
from tests.api.harness import Api, Caller
from tests.web.test_http import Visitor
from web.session import LANG_COOKIE


async def put(caller: Caller, path: str, body: Any) -> Any:
    headers = {**caller.auth, "Idempotency-Key": str(uuid.uuid4())}
    return await caller.http.put(path, headers=headers, json=body)


async def test_the_five_plans_are_set_as_written_and_show_their_progress(api: Api) -> None:
    admin = await api.actor(Role.ADMINISTRATOR, "VN")
    for name, plan in WRITTEN_PLANS.items():
        path = f"/v1/plans/{plan.province_code}/{plan.year}"
        answer = await put(admin, path, plan.body(reason=plan.reference))
        assert answer.status_code == 200, (name, answer.text)
        progress = (await admin.get(f"{path}/progress")).json()
        assert [row["goal"] for row in progress["goals"]] == [
            goal.model_dump(mode="json") for goal in plan.goals
        ], name
        assert (progress["reference"], progress["former_province"]) == (plan.reference, plan.former_province)
        # Nothing in the log for these years: every goal remains in full (a goal of each district
        # once per district of the plan).
        remaining = [row["remaining"] for row in progress["goals"]]
        areas = [len(plan.districts or []) if goal.scope == Scope.EACH_DISTRICT else 1 for goal in plan.goals]
        assert remaining == [goal.value * count for goal, count in zip(plan.goals, areas, strict=True)], name
        assert progress["districts"] == plan.districts
        assert {row["status"] for row in progress["goals"]} == {"below"}, name

    thanh_hoa_2025 = (await admin.get("/v1/plans/38/2025/progress")).json()
    assert [(row["stars"], row["target"]) for row in thanh_hoa_2025["by_star"]] == [(3, 137), (4, 20), (5, 3)]
    assert thanh_hoa_2025["total_target"] == 160

    # Per-star targets and goals together are refused, and nothing is recorded.
    events = await api.event_count()
    mixed = {**WRITTEN_PLANS["thanh-hoa-2024"].body(), "targets": {"4": 13}}
    refused = await put(admin, "/v1/plans/38/2024", mixed)
    assert refused.status_code == 422, refused.text
    assert "not both" in refused.text
    assert await api.event_count() == events

    # The page: each goal as written, with what is achieved, what remains and whether it is met.
    visitor = Visitor(api.http)
    await visitor.sign_in(admin.token)
    page = await visitor.get("/plans/25/2020")
    assert page.status_code == 200, page.text
    for words in (
        "Các chỉ tiêu của kế hoạch",
        "Kế hoạch của tỉnh Phú Thọ (trước sắp xếp năm 2025).",
        "Sản phẩm mới được công nhận ★★★ trở lên",
        "ít nhất 15",
        "Sản phẩm đề xuất Trung ương đánh giá",
        "từ 1 đến 2",
        "Sản phẩm được đánh giá, phân hạng mỗi huyện, thị xã, thành phố",
        "0/13 địa bàn đạt",
        "Chưa đạt",
        "Yên Lập: đạt 0, còn 2 — Chưa đạt",
    ):
        assert words in page.text, words
    visitor.cookies[LANG_COOKIE] = "en"
    english = await visitor.get("/plans/33/2020")
    for words in (
        "The plan&#39;s goals",
        "The plan of Thái Bình province (before the 2025 merger).",
        "Products upgraded in each district",
        "15 to 20",
        "Producer organisations consolidated",
        "New producer organisations",
        "at least 1",
        "Not yet met",
    ):
        assert words in english.text, words
