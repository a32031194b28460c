"""The words of each notice, in Vietnamese and English: a subject and a body per template, filled
from the event's own data and the product's name (never from personal data).

``{name}`` placeholders are filled by ``render``; lists are written one item a line and dates as
dd/mm/yyyy. Every template has both languages (tests/notifier/test_table.py checks).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from notifier.table import EMAIL_FAILED

LANGUAGES: Final = ("vi", "en")

# template -> language -> (subject, body)
TEMPLATES: Final[dict[str, dict[str, tuple[str, str]]]] = {
    "idea_returned": {
        "vi": (
            "Ý tưởng sản phẩm «{product}» được trả lại",
            "UBND cấp xã đã trả lại ý tưởng sản phẩm «{product}» (mã {journey}).\n\n"
            "Lý do: {reason}\n\nHãy điều chỉnh ý tưởng theo lý do trên rồi gửi lại.",
        ),
        "en": (
            "The product idea «{product}» was returned",
            "The commune returned the product idea «{product}» (journey {journey}).\n\n"
            "Reason: {reason}\n\nRevise the idea accordingly and send it again.",
        ),
    },
    "plan_returned": {
        "vi": (
            "Phương án sản xuất kinh doanh của sản phẩm «{product}» được trả lại",
            "UBND cấp xã đã trả lại phương án sản xuất kinh doanh của sản phẩm «{product}» "
            "(mã {journey}).\n\nLý do: {reason}\n\nHãy hoàn thiện phương án rồi nộp lại.",
        ),
        "en": (
            "The business plan of «{product}» was returned",
            "The commune returned the business plan of «{product}» (journey {journey}).\n\n"
            "Reason: {reason}\n\nComplete the plan and submit it again.",
        ),
    },
    "dossier_returned": {
        "vi": (
            "Hồ sơ sản phẩm «{product}» cần bổ sung",
            "Hồ sơ sản phẩm «{product}» (mã {journey}) được trả lại để bổ sung.\n\n"
            "Các nội dung còn thiếu:\n{missing_items}\n\n"
            "Hạn nộp bổ sung: {completion_due}. Quá hạn này, hồ sơ sẽ bị coi là rút.",
        ),
        "en": (
            "The dossier of «{product}» needs completing",
            "The dossier of «{product}» (journey {journey}) was returned for completion.\n\n"
            "What is missing:\n{missing_items}\n\n"
            "Complete it by {completion_due}; after that day the dossier lapses.",
        ),
    },
    "commune_report_due": {
        "vi": (
            "Đến hạn báo cáo của xã: sản phẩm «{product}»",
            "Hồ sơ sản phẩm «{product}» (mã {journey}) đã được nộp. "
            "UBND cấp xã cần gửi báo cáo đánh giá trước ngày {commune_report_due}.",
        ),
        "en": (
            "The commune's report is due: «{product}»",
            "The dossier of «{product}» (journey {journey}) was submitted. "
            "The commune's report is due by {commune_report_due}.",
        ),
    },
    "commune_report_missed": {
        "vi": (
            "Quá hạn báo cáo của xã: sản phẩm «{product}»",
            "Báo cáo của UBND cấp xã về sản phẩm «{product}» (mã {journey}) đến hạn ngày {due} "
            "nhưng chưa được gửi.",
        ),
        "en": (
            "The commune's report is overdue: «{product}»",
            "The commune's report on «{product}» (journey {journey}) was due on {due} and has not come.",
        ),
    },
    "deadline_missed": {
        "vi": (
            "Quá thời hạn: {deadline} — sản phẩm «{product}»",
            "Thời hạn «{deadline}» của sản phẩm «{product}» (mã {journey}) là ngày {due}, "
            "bước này thuộc trách nhiệm của {due_from} và chưa được thực hiện.",
        ),
        "en": (
            "Deadline missed: {deadline} — «{product}»",
            "The deadline «{deadline}» of «{product}» (journey {journey}) was {due}; the step, owed by "
            "{due_from}, has not been taken.",
        ),
    },
    "scorecard_awaited": {
        "vi": (
            "Sản phẩm «{product}» chờ phiếu chấm điểm của bạn",
            "Sản phẩm «{product}» (mã {journey}) đã vào đợt đánh giá {round}. "
            "Đề nghị thành viên Hội đồng chấm điểm và nộp phiếu chấm điểm.",
        ),
        "en": (
            "«{product}» awaits your scorecard",
            "«{product}» (journey {journey}) was enrolled in round {round}. Please score it and submit "
            "your scorecard.",
        ),
    },
    "result_finalized": {
        "vi": (
            "Kết quả đánh giá sản phẩm «{product}»",
            "Hội đồng cấp {level} đã chốt kết quả đánh giá sản phẩm «{product}» (mã {journey}): "
            "điểm trung bình {mean}, hạng {stars} sao.",
        ),
        "en": (
            "Evaluation result of «{product}»",
            "The {level} council finalized the result of «{product}» (journey {journey}): mean {mean}, "
            "{stars} stars.",
        ),
    },
    "results_published": {
        "vi": (
            "Công bố kết quả đợt đánh giá {round}",
            "Kết quả đợt đánh giá {round} đã được công bố ({count} sản phẩm). "
            "Xem kết quả tại trang của đợt đánh giá.",
        ),
        "en": (
            "Results of round {round} published",
            "The results of round {round} were published ({count} products). See them on the round's page.",
        ),
    },
    "result_approved": {
        "vi": (
            "Kết quả đánh giá sản phẩm «{product}» được phê duyệt, chuyển Hội đồng cấp {forward_to}",
            "Kết quả đánh giá cấp {level} của sản phẩm «{product}» (mã {journey}) — điểm trung bình "
            "{mean}, {stars} sao — đã được phê duyệt theo quyết định số {decision_number} ngày "
            "{decision_date}. Sản phẩm được chuyển tới Hội đồng cấp {forward_to} đánh giá, phân hạng "
            "(Điều 7 khoản 3 điểm e, Quyết định 26/2026/QĐ-TTg).",
        ),
        "en": (
            "The result of «{product}» approved and passed to the {forward_to} council",
            "The {level} result of «{product}» (journey {journey}) — mean {mean}, {stars} stars — was "
            "approved by decision {decision_number} of {decision_date}. The product goes on to the "
            "{forward_to} council for evaluation (Decision 26/2026/QĐ-TTg, Art. 7.3.e).",
        ),
    },
    "round_results_overdue": {
        "vi": (
            "Đợt đánh giá {round} chưa công bố kết quả đúng hạn",
            "Đến hết ngày {due}, theo lịch đánh giá, phân hạng, đợt đánh giá {round} vẫn chưa công bố "
            "kết quả (Điều 5, Quyết định 26/2026/QĐ-TTg). Đơn vị chịu trách nhiệm: {due_from}.",
        ),
        "en": (
            "Round {round} has not published its results in time",
            "By the end of {due}, the calendar's end date, round {round} had not published its results "
            "(Decision 26/2026/QĐ-TTg, Art. 5). Owed by: {due_from}.",
        ),
    },
    "result_notice_issued": {
        "vi": (
            "Thông báo kết quả đánh giá sản phẩm «{product}»",
            "Hội đồng cấp {level} đã đánh giá sản phẩm «{product}» (mã {journey}): điểm trung bình "
            "{mean}, {stars} sao. Kết quả này không được công nhận là sản phẩm OCOP nên không có quyết "
            "định và giấy chứng nhận (Điều 7 khoản 3 điểm g, Quyết định 26/2026/QĐ-TTg).",
        ),
        "en": (
            "The evaluation result of «{product}»",
            "The {level} council evaluated «{product}» (journey {journey}): mean {mean}, {stars} stars. "
            "This result is not recognized as an OCOP product, so there is no decision and no "
            "certificate (Decision 26/2026/QĐ-TTg, Art. 7.3.g).",
        ),
    },
    "sent_back_for_evaluation": {
        "vi": (
            "Sản phẩm «{product}» được Hội đồng cấp {level} đánh giá lại",
            "Cấp có thẩm quyền chưa công nhận theo kết quả đã có mà giao Hội đồng cấp {level} tổ chức "
            "đánh giá, phân hạng lại sản phẩm «{product}» (mã {journey}) (Điều 7 khoản 4 điểm g, "
            "Quyết định 26/2026/QĐ-TTg). Văn bản: {decision_number}.",
        ),
        "en": (
            "«{product}» to be evaluated again by the {level} council",
            "Instead of recognizing on the result given, the authority has the {level} council evaluate "
            "«{product}» (journey {journey}) again (Decision 26/2026/QĐ-TTg, Art. 7.4.g). "
            "Document: {decision_number}.",
        ),
    },
    "recognized": {
        "vi": (
            "Sản phẩm «{product}» được công nhận {stars} sao",
            "Sản phẩm «{product}» (mã {journey}) được công nhận đạt {stars} sao theo quyết định số "
            "{decision_number} ngày {decision_date}. Giấy chứng nhận số {certificate_number} "
            "có hiệu lực đến hết ngày {valid_until}.",
        ),
        "en": (
            "«{product}» recognized at {stars} stars",
            "«{product}» (journey {journey}) was recognized at {stars} stars by decision {decision_number} "
            "of {decision_date}. Certificate {certificate_number} is valid through {valid_until}.",
        ),
    },
    "certificate_expired": {
        "vi": (
            "Giấy chứng nhận số {certificate_number} đã hết hiệu lực",
            "Giấy chứng nhận số {certificate_number} của sản phẩm «{product}» (mã {journey}) "
            "đã hết hiệu lực từ sau ngày {valid_until}.",
        ),
        "en": (
            "Certificate {certificate_number} has expired",
            "Certificate {certificate_number} of «{product}» (journey {journey}) ran out after "
            "{valid_until}.",
        ),
    },
    "revoked": {
        "vi": (
            "Thu hồi công nhận sản phẩm «{product}»",
            "Công nhận sản phẩm «{product}» (mã {journey}), giấy chứng nhận số {certificate_number}, "
            "đã bị thu hồi. Lý do: {grounds}",
        ),
        "en": (
            "Recognition of «{product}» revoked",
            "The recognition of «{product}» (journey {journey}), certificate {certificate_number}, was "
            "revoked. Grounds: {grounds}",
        ),
    },
    "expiry_notice": {
        "vi": (
            "Giấy chứng nhận số {certificate_number} sắp hết hiệu lực",
            "Giấy chứng nhận số {certificate_number} của sản phẩm «{product}» (mã {journey}) "
            "có hiệu lực đến hết ngày {valid_until}. Để giữ hạng sao, hãy nộp hồ sơ đánh giá lại.",
        ),
        "en": (
            "Certificate {certificate_number} runs out soon",
            "Certificate {certificate_number} of «{product}» (journey {journey}) is valid through "
            "{valid_until}. Apply for re-evaluation to keep the rank.",
        ),
    },
    "re_evaluation_window_opened": {
        "vi": (
            "Mở thời hạn nộp hồ sơ đánh giá lại: giấy chứng nhận số {certificate_number}",
            "Giấy chứng nhận số {certificate_number} của sản phẩm «{product}» (mã {journey}) hết hiệu lực "
            "sau ngày {valid_until}. Hồ sơ đánh giá, phân hạng lại được nộp từ ngày {opens_on} đến hết ngày "
            "{closes_on} (Điều 7 khoản 6, Quyết định 26/2026/QĐ-TTg).",
        ),
        "en": (
            "Re-evaluation filing window open: certificate {certificate_number}",
            "Certificate {certificate_number} of «{product}» (journey {journey}) runs out after "
            "{valid_until}. The re-evaluation dossier is filed from {opens_on} through {closes_on} "
            "(Decision 26/2026/QĐ-TTg, Art. 7.6).",
        ),
    },
    "re_evaluation_window_closing": {
        "vi": (
            "Đã hết thời hạn nộp hồ sơ đánh giá lại: giấy chứng nhận số {certificate_number}",
            "Thời hạn nộp hồ sơ đánh giá lại sản phẩm «{product}» (mã {journey}) đã kết thúc ngày "
            "{closes_on}. Hồ sơ nộp muộn giữ hiệu lực giấy chứng nhận đến khi có kết quả, nhưng không quá "
            "180 ngày sau ngày hết hạn (Điều 12 khoản 3).",
        ),
        "en": (
            "Re-evaluation filing window closed: certificate {certificate_number}",
            "The re-evaluation window of «{product}» (journey {journey}) closed on {closes_on}. A late "
            "dossier keeps the certificate valid until the decision, at most 180 days past its end "
            "(Art. 12.3).",
        ),
    },
    "certificate_extended": {
        "vi": (
            "Giấy chứng nhận số {certificate_number} được kéo dài hiệu lực",
            "Giấy chứng nhận số {certificate_number} của sản phẩm «{product}» (mã {journey}) hết hạn "
            "ngày {valid_until} trong khi đang đánh giá lại: tiếp tục có hiệu lực đến khi có kết quả, "
            "chậm nhất đến hết ngày {extended_until}.",
        ),
        "en": (
            "Certificate {certificate_number} extended",
            "Certificate {certificate_number} of «{product}» (journey {journey}) reached its end on "
            "{valid_until} during its re-evaluation: it stays valid until the decision, through "
            "{extended_until} at most.",
        ),
    },
    "inspection_due": {
        "vi": (
            "Đến kỳ kiểm tra định kỳ sản phẩm «{product}»",
            "Sản phẩm «{product}» (mã {journey}) {stars} sao, giấy chứng nhận số {certificate_number}, "
            "đến kỳ kiểm tra định kỳ từ ngày {due_on}: đã {interval_days} ngày kể từ {counted_from} "
            "({since}) mà chưa ghi nhận lần kiểm tra nào (Điều 9, Quyết định 26/2026/QĐ-TTg; chu kỳ "
            "do Chương trình quy định). Kết quả kiểm tra được ghi nhận trên trang hành trình sản phẩm.",
        ),
        "en": (
            "«{product}» is due its periodic inspection",
            "«{product}» (journey {journey}), {stars} stars, certificate {certificate_number}, is due its "
            "periodic inspection from {due_on}: {interval_days} days have passed since {counted_from} "
            "({since}) with no inspection recorded (Decision 26/2026/QĐ-TTg, Art. 9; the interval is the "
            "programme's setting). The inspection is recorded on the product's journey page.",
        ),
    },
    EMAIL_FAILED: {
        "vi": (
            "Không gửi được thư thông báo tới {recipient}",
            "Thư thông báo «{failed_kind}» gửi tới {recipient} không gửi được ({error}) và sẽ không "
            "được gửi lại. Hãy kiểm tra địa chỉ thư điện tử của người nhận.",
        ),
        "en": (
            "An e-mail notice to {recipient} could not be delivered",
            "The e-mail notice «{failed_kind}» to {recipient} could not be delivered ({error}) and will not "
            "be tried again. Check the recipient's e-mail address.",
        ),
    },
}

# Codes in the words, per language.
_LEVELS = {
    "vi": {"commune": "xã", "district": "huyện", "province": "tỉnh", "central": "trung ương"},
    "en": {"commune": "commune", "district": "district", "province": "provincial", "central": "central"},
}
# What a periodic inspection's interval is counted from (schemas.events.InspectionBasis).
_COUNTED_FROM = {
    "vi": {"recognition": "ngày công nhận", "inspection": "lần kiểm tra gần nhất"},
    "en": {"recognition": "the recognition", "inspection": "the last inspection"},
}
_DEADLINES = {
    "vi": {
        "dossier_completion": "bổ sung hồ sơ",
        "commune_report": "báo cáo của xã",
        "recognition": "quyết định công nhận",
        "passage_completion": "hoàn tất hồ sơ theo bộ tiêu chí cũ",
        "re_evaluation_completion": "hoàn thành đánh giá lại (45 ngày)",
        "revocation_decision": "quyết định thu hồi (15 ngày)",
    },
    "en": {
        "dossier_completion": "dossier completion",
        "commune_report": "commune report",
        "recognition": "recognition decision",
        "passage_completion": "completion under the old rulebook",
        "re_evaluation_completion": "re-evaluation completion (45 days)",
        "revocation_decision": "revocation decision (15 days)",
    },
}
_ROLES = {
    "vi": {
        "producer": "chủ thể sản xuất",
        "commune_officer": "UBND cấp xã",
        "district_officer": "UBND cấp huyện",
        "provincial_officer": "cơ quan thường trực OCOP tỉnh",
        "central_officer": "cơ quan thường trực OCOP trung ương",
        "recognition_authority": "cấp có thẩm quyền công nhận",
    },
    "en": {
        "producer": "the producer",
        "commune_officer": "the commune",
        "district_officer": "the district",
        "provincial_officer": "the provincial OCOP office",
        "central_officer": "the central OCOP office",
        "recognition_authority": "the recognition authority",
    },
}


@dataclass(frozen=True)
class Words:
    """A notice as read: its subject and its body."""

    subject: str
    body: str


def _day(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


def _values(lang: str, data: Mapping[str, Any], facts: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {key: str(value) for key, value in facts.items()}
    for key, value in data.items():
        if value is None:
            continue  # written "—" (an optional field left out)
        if key in {
            "completion_due",
            "commune_report_due",
            "due",
            "valid_until",
            "decision_date",
            "opens_on",
            "closes_on",
            "extended_until",
            "concluded_on",
            "decision_due",
            "due_on",
            "since",
        }:
            values[key] = _day(value)
        elif key == "counted_from":
            values[key] = _COUNTED_FROM[lang].get(str(value), str(value))
        elif key == "missing_items":
            values[key] = "\n".join(f"- {item}" for item in value)
        elif key in {"level", "forward_to"}:
            values[key] = _LEVELS[lang].get(str(value), str(value))
        elif key == "deadline":
            values[key] = _DEADLINES[lang].get(str(value), str(value))
        elif key == "due_from":
            values[key] = _ROLES[lang].get(str(value), str(value))
        else:
            values[key] = str(value)
    certificate = data.get("certificate")
    if isinstance(certificate, Mapping):
        values["certificate_number"] = str(certificate.get("number", ""))
        values["valid_until"] = _day(certificate.get("valid_until", ""))
    if isinstance(data.get("results"), list):
        values["count"] = str(len(data["results"]))
    return values


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def render(template: str, lang: str, data: Mapping[str, Any], facts: Mapping[str, Any]) -> Words:
    """The notice's words in ``lang`` from the event's ``data`` and the product's ``facts``
    (product, journey, round; for an administrator's notice: recipient, failed_kind, error)."""
    subject, body = TEMPLATES[template][lang if lang in LANGUAGES else "vi"]
    values = _Blank(_values(lang, data, facts))
    return Words(subject.format_map(values), body.format_map(values))
