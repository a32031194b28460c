"""Names of the procedure's steps under QĐ 26/2026 (trình tự, Art. 7) that commands, events and
rulebooks share; no rule lives here (the rulebook says which steps apply where)."""

from __future__ import annotations

from enum import StrEnum


class AdvisoryStep(StrEnum):
    """A step of a council's advisory team (Tổ tư vấn, qd26-2026 Art. 7.3.c, 7.4.c); the labels are
    in web/i18n.py."""

    REVIEW = "review"  # đánh giá hồ sơ theo Quy chế hoạt động của Hội đồng
    SITE_SURVEY = "site_survey"  # khảo sát thực tế tại cơ sở sản xuất, kinh doanh
    EXTRA_TESTS = "extra_tests"  # đề nghị bổ sung kết quả kiểm nghiệm chất lượng
    TEST_RESULTS = "test_results"  # kết quả kiểm nghiệm bổ sung nhận được
    REPORT = "report"  # báo cáo đánh giá gửi Chủ tịch Hội đồng
