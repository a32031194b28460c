"""The pages' words in Vietnamese (the default) and English, and how dates and scores are written.

Every message is a pair (Vietnamese, English), so that a language can never miss one. Codes the
engine gives (statuses, event types, roles, levels, next steps of a round's results) are
translated here; the engine's refusals have their templates in ``schemas/refusals.py``.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from schemas.log import BrokenLink
from workflows.calendar import VIETNAM

LANGUAGES: Final = ("vi", "en")
DEFAULT_LANGUAGE: Final = "vi"
# The language of the page being served (set by web.pages.any_page): refusals are told in it.
PAGE_LANGUAGE: ContextVar[str] = ContextVar("page_language", default=DEFAULT_LANGUAGE)
_TWO_PLACES = Decimal("0.01")

# key -> (Vietnamese, English); ``{name}`` placeholders are filled by ``Translator.__call__``.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # -- frame
    "app.name": ("OCOP — Hệ thống đánh giá, phân hạng sản phẩm", "OCOP — product evaluation"),
    "nav.skip": ("Bỏ qua, đến nội dung chính", "Skip to the main content"),
    "nav.work": ("Việc của tôi", "My work"),
    "nav.journeys": ("Hành trình sản phẩm", "Product journeys"),
    "nav.signout": ("Đăng xuất", "Sign out"),
    "nav.signed_in_as": ("Đăng nhập: {id} ({role})", "Signed in: {id} ({role})"),
    "nav.main": ("Điều hướng chính", "Main navigation"),
    "nav.inbox": ("Thông báo", "Notices"),
    "nav.rulebooks": ("Bộ tiêu chí", "Rulebooks"),
    "nav.verify": ("Kiểm tra nhật ký", "Verify the log"),
    # The rulebooks the engine ships, read only (web/rulebooks.py).
    "rulebooks.title": ("Bộ tiêu chí và quy trình đánh giá", "Rulebooks"),
    "rulebooks.rule": (
        "Các bộ tiêu chí và quy trình đánh giá, phân hạng sản phẩm OCOP mà hệ thống áp dụng, đúng như dữ "
        "liệu hệ thống dùng để quyết định. Mỗi hồ sơ giữ bộ tiêu chí có hiệu lực khi hồ sơ được nộp.",
        "The OCOP evaluation and ranking rulebooks the engine applies, exactly the data it decides "
        "with. Each dossier keeps the rulebook in force when it was submitted.",
    ),
    "rulebooks.name": ("Bộ tiêu chí", "Rulebook"),
    "rulebooks.id": ("Mã", "Code"),
    "rulebooks.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "rulebooks.from": ("Hiệu lực từ", "In force from"),
    "rulebooks.until": ("Hết hiệu lực", "In force until"),
    "rulebooks.state": ("Tình trạng", "State"),
    "rulebooks.in_force": ("Đang có hiệu lực", "In force"),
    "rulebooks.lapsed": ("Đã hết hiệu lực", "Lapsed"),
    "rulebooks.superseded": ("Đã được thay thế", "Superseded"),
    "rulebooks.back": ("← Các bộ tiêu chí", "← Rulebooks"),
    "rulebooks.intake": ("Cấp tiếp nhận hồ sơ", "Level receiving dossiers"),
    "rulebooks.validity": ("Thời hạn giấy chứng nhận", "Certificate term"),
    "rulebooks.months": ("{n} tháng", "{n} months"),
    "rulebooks.expiry_notice": ("Báo trước khi hết hạn", "Notice before expiry"),
    "rulebooks.bands": ("Hạng sao theo điểm", "Rank bands"),
    "rulebooks.band": ("Hạng {stars}: từ {lower} điểm", "{stars}: from {lower} points"),
    "rulebooks.recognizable": ("được công nhận", "recognized"),
    "rulebooks.scorecard": ("Phiếu đánh giá", "Scorecard"),
    "rulebooks.part": ("Phần", "Part"),
    "rulebooks.maximum": ("Điểm tối đa", "Maximum"),
    "rulebooks.by_option": (
        "Chấm theo từng tiêu chí, mỗi tiêu chí chọn một mức; {n} phiếu theo bộ sản phẩm (Phụ lục II).",
        "Scored criterion by criterion, one option each; {n} sheets by product set (Phụ lục II).",
    ),
    "rulebooks.by_parts": (
        "Chấm theo tổng điểm của từng phần.",
        "Scored by the total of each part.",
    ),
    "rulebooks.levels": ("Các cấp đánh giá", "Council levels"),
    "rulebooks.level": ("Cấp", "Level"),
    "rulebooks.certifies": ("Công nhận hạng", "Recognizes"),
    "rulebooks.forward_at": ("Chuyển cấp trên", "Forwarded to the next level"),
    "rulebooks.from_points": ("từ {lower} điểm", "from {lower} points"),
    "rulebooks.quorum": ("Số thành viên tối thiểu", "Quorum"),
    "rulebooks.quorum_fixed": ("{n} thành viên", "{n} members"),
    "rulebooks.quorum_share": ("{a}/{b} số thành viên", "{a}/{b} of the members"),
    "rulebooks.chair_required": ("Chủ tịch phải có mặt", "the chair must be present"),
    "rulebooks.standing_agency": ("Cơ quan thường trực", "Standing agency"),
    "rulebooks.authority": ("Thẩm quyền công nhận", "Recognition authority"),
    "rulebooks.deadlines": ("Thời hạn", "Time limits"),
    "rulebook.unit.working_days": ("{n} ngày làm việc", "{n} working days"),
    "rulebook.unit.calendar_days": ("{n} ngày", "{n} calendar days"),
    "rulebooks.calendar": ("Lịch đánh giá hằng năm", "The yearly calendar"),
    "rulebooks.round": ("Đợt", "Round"),
    "rulebooks.round_of": ("Đợt {n} {level}", "Round {n}, {level}"),
    "rulebooks.cut_off": ("Hạn nhận hồ sơ (ngày/tháng)", "Proposals by (day/month)"),
    "rulebooks.ends": ("Hoàn thành (ngày/tháng)", "Finished by (day/month)"),
    "rulebooks.passage": ("Chuyển tiếp", "Passage from older rulebooks"),
    "rulebooks.passage_text": (
        "Áp dụng từ {day}, thay cho {older}. Hồ sơ nộp trước ngày đó giữ bộ tiêu chí cũ: đánh giá lần "
        "đầu, nâng hạng hoàn thành trong {first}, đánh giá lại trong {again}.",
        "Applies from {day}, taking over from {older}. Dossiers submitted before keep their rulebook: "
        "first evaluations and upgrades completed within {first}, re-evaluations within {again}.",
    ),
    "rulebooks.re_evaluation": ("Đánh giá lại", "Re-evaluation"),
    "rulebooks.re_evaluation_text": (
        "Nộp hồ sơ từ {opens} đến {closes} ngày trước khi giấy chứng nhận hết hạn; hoàn thành trong "
        "{completion}; nộp muộn được giữ giấy chứng nhận tối đa {extension} ngày sau khi hết hạn.",
        "Filed from {opens} to {closes} days before the certificate ends; completed within "
        "{completion}; a late filer keeps the certificate at most {extension} days past its end.",
    ),
    "rulebooks.revocation": ("Thu hồi", "Revocation"),
    "rulebooks.revocation_text": (
        "Quyết định thu hồi trong {decision} kể từ ngày có văn bản kết luận, vì một trong các căn cứ:",
        "Decided within {decision} of the concluding document, on one of these grounds:",
    ),
    "rulebooks.inspection": ("Kiểm tra sau công nhận", "Inspection after recognition"),
    "rulebooks.inspection_every": (
        "Kiểm tra định kỳ: {days} ngày sau ngày công nhận hoặc lần kiểm tra gần nhất ({source}).",
        "Periodic inspection: {days} days after the recognition or the last inspection ({source}).",
    ),
    "rulebooks.inspection_source": (
        "thiết lập của chương trình: Điều 9.2.a Quyết định 26/2026/QĐ-TTg yêu cầu kiểm tra định kỳ "
        "nhưng không quy định khoảng thời gian",
        "the programme's setting: Art. 9.2.a of QĐ 26/2026/QĐ-TTg requires periodic inspections but "
        "sets no interval",
    ),
    "rulebooks.inspection_none": ("Không có kỳ kiểm tra định kỳ.", "No periodic inspection falls due."),
    "rulebooks.contents": ("Thành phần hồ sơ", "What a dossier holds"),
    "rulebooks.groups": ("Nhóm sản phẩm", "Product groups"),
    "rulebooks.sheets": ("Phiếu đánh giá theo bộ sản phẩm", "Sheets by product set"),
    "rulebooks.sheet_no": ("Phiếu số", "Sheet"),
    "rulebooks.product_set": ("Bộ sản phẩm", "Product set"),
    "rulebooks.criteria": ("Số tiêu chí", "Criteria"),
    "rulebooks.n_criteria": ("{n} tiêu chí", "{n} criteria"),
    # The whole log's verification (web/verification.py).
    "verify.title": ("Kiểm tra toàn bộ nhật ký quyết định", "Verify the whole decision log"),
    "verify.rule": (
        "Tính lại chuỗi băm của mọi hồ sơ, hội đồng, đợt đánh giá và kế hoạch trên cùng một ảnh chụp "
        "dữ liệu; một sự kiện bị sửa, xoá hay chèn thêm sẽ bị chỉ ra.",
        "Recomputes the hash chain of every journey, council, round and plan over one snapshot; an "
        "event edited, deleted or inserted is named.",
    ),
    "verify.run": ("Kiểm tra toàn bộ nhật ký", "Verify the whole log"),
    "verify.ok": ("Nhật ký toàn vẹn", "The log is intact"),
    "verify.broken": ("Chuỗi băm bị phá vỡ", "Hash chains are broken"),
    "verify.streams": ("Số chuỗi đã kiểm tra", "Streams checked"),
    "verify.events": ("Số sự kiện đã kiểm tra", "Events checked"),
    "verify.broken_streams": ("{n} chuỗi bị phá vỡ", "{n} broken streams"),
    "verify.stream": ("Chuỗi", "Stream"),
    "verify.version": ("Phiên bản", "Version"),
    "verify.problem": ("Vấn đề", "Problem"),
    "verify.problem.duplicate_version": (
        "phiên bản {version} xuất hiện hơn một lần (bị chèn?)",
        "version {version} appears more than once (forged?)",
    ),
    "verify.problem.missing_version": (
        "thiếu phiên bản {version} (bị xoá?)",
        "version {version} missing (deleted?)",
    ),
    "verify.problem.not_genesis": (
        "phiên bản 1 không bắt đầu từ mã băm gốc",
        "version 1 does not start from the genesis hash",
    ),
    "verify.problem.unlinked": (
        "phiên bản {version} không nối với phiên bản {previous}",
        "version {version} does not link to version {previous}",
    ),
    "verify.problem.edited": (
        "mã băm không khớp với nội dung (bị sửa?)",
        "the hash does not match the content (edited?)",
    ),
    "verify.problem.no_head": (
        "có sự kiện nhưng không có đầu chuỗi (đầu chuỗi bị xoá?)",
        "events without a stream head (head deleted?)",
    ),
    "verify.problem.beyond_head": (
        "phiên bản {version} vượt quá đầu chuỗi (bị chèn?)",
        "version {version} is beyond the stream head (forged?)",
    ),
    "verify.problem.head_hash": (
        "mã băm của đầu chuỗi không khớp với phiên bản {version}",
        "the stream head's hash does not match version {version}",
    ),
    "verify.problem.no_events": (
        "có đầu chuỗi nhưng không còn sự kiện nào (bị xoá?)",
        "a stream head without events (deleted?)",
    ),
    "stream.journey": ("hành trình sản phẩm", "product journey"),
    "stream.round": ("đợt đánh giá", "evaluation round"),
    "stream.council": ("hội đồng", "council"),
    "stream.plan": ("kế hoạch", "plan"),
    "nav.unread": ("{n} thông báo chưa đọc", "{n} unread notices"),
    # -- the public registry (web/registry.py): no sign-in
    "registry.title": ("Tra cứu sản phẩm OCOP", "OCOP product registry"),
    "registry.intro": (
        "Danh sách công khai các sản phẩm OCOP đã được công nhận, với giấy chứng nhận và hiệu lực của "
        "chúng. Không cần đăng nhập.",
        "The public list of recognized OCOP products, with their certificates and whether they are in "
        "force. No sign-in needed.",
    ),
    "registry.search": ("Tìm kiếm", "Search"),
    "registry.q": ("Tên sản phẩm", "Product name"),
    "registry.province": ("Tỉnh, thành phố", "Province"),
    "registry.commune": ("Xã, phường, đặc khu", "Commune"),
    "registry.any": ("Tất cả", "Any"),
    "registry.stars": ("Hạng sao", "Stars"),
    "registry.n_stars": ("{n} sao", "{n} stars"),
    "registry.product_set": ("Bộ sản phẩm", "Product set"),
    "registry.product_group": ("Nhóm sản phẩm", "Product group"),
    "registry.category": ("Bộ, nhóm sản phẩm", "Product set or group"),
    "registry.year": ("Năm công nhận", "Year recognized"),
    "registry.status": ("Hiệu lực", "Status"),
    "registry.status.latest": ("Giấy chứng nhận mới nhất", "Latest certificate"),
    "registry.status.in_force": ("Còn hiệu lực", "In force"),
    "registry.status.expired": ("Hết hiệu lực", "Expired"),
    "registry.status.superseded": ("Đã được thay thế", "Superseded"),
    "registry.status.revoked": ("Đã bị thu hồi", "Revoked"),
    "registry.since.in_force": ("Có hiệu lực từ ngày {day}", "In force since {day}"),
    "registry.since.expired": ("Hết hiệu lực từ ngày {day}", "Expired since {day}"),
    "registry.since.superseded": ("Được thay thế từ ngày {day}", "Superseded on {day}"),
    "registry.since.revoked": ("Bị thu hồi ngày {day}", "Revoked on {day}"),
    "registry.results": ("Kết quả", "Results"),
    "registry.page": ("trang {n}", "page {n}"),
    "registry.pages": ("Các trang kết quả", "Result pages"),
    "registry.none": ("Không tìm thấy sản phẩm nào.", "No product found."),
    "registry.previous": ("Trang trước", "Previous page"),
    "registry.next": ("Trang sau", "Next page"),
    "registry.export": ("Dữ liệu mở", "Open data"),
    "registry.export_note": (
        "Mọi giấy chứng nhận theo bộ lọc trên (kể cả giấy đã được thay thế), để tải về và dùng lại.",
        "Every certificate matching the filters above (superseded ones too), to download and reuse.",
    ),
    "registry.export_csv": ("Tải về CSV", "Download CSV"),
    "registry.export_xlsx": ("Tải về Excel (xlsx)", "Download Excel (xlsx)"),
    "registry.api": ("Dữ liệu JSON cho hệ thống khác", "JSON for integrators"),
    "registry.product_code": ("Mã sản phẩm OCOP", "OCOP product code"),
    "registry.producer": ("Chủ thể OCOP", "Producer"),
    "registry.unknown": ("Chưa có thông tin", "Not given"),
    "registry.place": ("Địa bàn", "Place"),
    "registry.level": ("Cấp công nhận", "Recognized at"),
    "registry.certificate": ("Số giấy chứng nhận", "Certificate number"),
    "registry.decision": ("Quyết định công nhận", "Recognition decision"),
    "registry.decision_text": ("Số {number}, ngày {day}", "No. {number} of {day}"),
    "registry.valid_until": ("Có hiệu lực đến", "Valid until"),
    "registry.extended_until": ("Được kéo dài hiệu lực đến", "Extended until"),
    "registry.certificates": ("Các giấy chứng nhận của sản phẩm", "The product's certificates"),
    "registry.verification": ("Xác minh hồ sơ", "Verification of the record"),
    "registry.verified": (
        "Chuỗi băm của hồ sơ sản phẩm nguyên vẹn: {n} sự kiện vừa được kiểm tra lại, không có gì bị sửa "
        "hay xóa.",
        "The product record's hash chain is intact: {n} events were just checked again, nothing was "
        "altered or deleted.",
    ),
    "registry.broken": (
        "Chuỗi băm của hồ sơ bị đứt tại phiên bản {version}: {problem}",
        "The record's hash chain is broken at version {version}: {problem}",
    ),
    "registry.head_hash": ("Mã băm đầu chuỗi", "Head hash"),
    "registry.head_version": ("Số sự kiện trong hồ sơ", "Events in the record"),
    "registry.verify_how": (
        "Mỗi sự kiện được băm (SHA-256) cùng mã băm của sự kiện trước nó: sửa hay xóa một sự kiện làm "
        "đổi mã băm đầu chuỗi.",
        "Each event is hashed (SHA-256) with the hash of the event before it: altering or deleting one "
        "changes the head hash.",
    ),
    "registry.too_many": (
        "Quá nhiều yêu cầu từ địa chỉ của bạn. Vui lòng thử lại sau {seconds} giây.",
        "Too many requests from your address. Please try again in {seconds} seconds.",
    ),
    "registry.not_found": (
        "Không có sản phẩm OCOP đã được công nhận với mã này.",
        "No recognized OCOP product has this id.",
    ),
    "registry.back": ("Quay lại tra cứu", "Back to the registry"),
    # -- the inbox (web/inbox.py)
    "inbox.title": ("Thông báo của tôi", "My notices"),
    "inbox.empty": ("Chưa có thông báo nào.", "No notices yet."),
    "inbox.unread": ("Chưa đọc: {n}", "Unread: {n}"),
    "inbox.new": ("Mới", "New"),
    "inbox.mark_read": ("Đánh dấu đã đọc", "Mark as read"),
    "inbox.read_all": ("Đánh dấu tất cả đã đọc", "Mark all as read"),
    "lang.label": ("Ngôn ngữ", "Language"),
    "lang.switch": ("Đổi ngôn ngữ", "Change language"),
    "lang.vi": ("Tiếng Việt", "Tiếng Việt (Vietnamese)"),
    "lang.en": ("English (tiếng Anh)", "English"),
    "common.none": ("—", "—"),
    "common.yes": ("Có", "Yes"),
    "common.no": ("Không", "No"),
    "common.more": ("và còn nữa: chỉ hiện {n} mục đầu", "and more: only the first {n} are shown"),
    "common.open": ("Mở", "Open"),
    "common.recorded": ("Đã ghi nhận: {what}.", "Recorded: {what}."),
    "common.refused": ("Hệ thống không chấp nhận bước này:", "The engine refused this step:"),
    "common.optional": ("(không bắt buộc)", "(optional)"),
    "common.back": ("Quay lại", "Back"),
    "common.product": ("Sản phẩm", "Product"),
    "common.journey": ("Mã hành trình", "Journey id"),
    "common.status": ("Trạng thái", "Status"),
    "common.level": ("Cấp", "Level"),
    "common.stars": ("Hạng sao", "Stars"),
    "common.updated": ("Cập nhật", "Updated"),
    "common.rulebook": ("Bộ tiêu chí", "Rulebook"),
    "common.round": ("Đợt đánh giá", "Round"),
    "common.council": ("Hội đồng", "Council"),
    "common.mean": ("Điểm trung bình", "Mean score"),
    "common.due": ("Hạn", "Due"),
    "common.actions": ("Thao tác", "Actions"),
    # -- the confirmation before an irreversible step (web/confirm.py)
    "confirm.title": ("Xác nhận: {what}", "Confirm: {what}"),
    "confirm.what": ("Nội dung sẽ được ghi nhận", "What will be recorded"),
    "confirm.irreversible": (
        "Bước này không thể hoàn tác sau khi ghi nhận. Hãy kiểm tra lại trước khi xác nhận.",
        "This step cannot be undone once recorded. Check it before you confirm.",
    ),
    "confirm.button": ("Xác nhận và ghi nhận", "Confirm and record"),
    "confirm.back": ("Quay lại, không ghi nhận", "Go back without recording"),
    "confirm.step": ("Bước", "Step"),
    "confirm.scored": ("Số phiếu đã chấm / số tối thiểu", "Scorecards in / required"),
    # -- councils and rounds (web/rounds.py)
    "council.new.title": ("Thành lập Hội đồng đánh giá", "Appoint a council"),
    "council.id": ("Mã Hội đồng", "Council id"),
    "council.name": ("Tên Hội đồng", "Council name"),
    "council.jurisdiction": ("Địa bàn", "Jurisdiction"),
    "council.extra_rounds_allowed": (
        "Quy chế hoạt động của Hội đồng quy định tổ chức thêm đợt đánh giá ngoài lịch",
        "The council's regulation provides for rounds beyond the calendar",
    ),
    "council.extra_rounds_allowed.help": (
        "Theo Điều 5 QĐ 26/2026, các đợt đánh giá theo lịch toàn quốc; chỉ tổ chức thêm đợt khi Quyết định "
        "ban hành Quy chế hoạt động của Hội đồng quy định.",
        "Under Art. 5 of QĐ 26/2026 rounds follow the national calendar; extra rounds only where the "
        "decision issuing the council's regulation provides for them.",
    ),
    "council.extra_rounds.allowed": (
        "Quy chế hoạt động cho phép tổ chức thêm đợt đánh giá ngoài lịch toàn quốc.",
        "Its regulation allows rounds beyond the national calendar.",
    ),
    "council.extra_rounds.not_allowed": (
        "Các đợt đánh giá theo lịch toàn quốc (Quy chế hoạt động không quy định thêm đợt).",
        "Its rounds follow the national calendar (its regulation provides for no extra rounds).",
    ),
    "council.seats": ("Thành viên Hội đồng", "Seats"),
    "council.seats.help": (
        "Mỗi dòng một thành viên: mã tài khoản và vai trò (một Chủ tịch; Thư ký không chấm điểm). "
        "Dòng trống được bỏ qua.",
        "One member a row: the account id and the role (one chair; the secretary does not score). "
        "Empty rows are left out.",
    ),
    "council.member": ("Thành viên", "Member"),
    "council.seat_role": ("Vai trò", "Role"),
    "council.seat.member_n": ("Mã tài khoản thành viên {n}", "Account id of member {n}"),
    "council.seat.role_n": ("Vai trò của thành viên {n}", "Role of member {n}"),
    "council.appoint": ("Thành lập Hội đồng", "Appoint the council"),
    "council.done.appointed": ("Đã thành lập Hội đồng.", "The council is appointed."),
    "council.workload": ("Khối lượng công việc", "Workload"),
    "council.workload.enrolled": ("Sản phẩm đã xếp vào đợt: {n}", "Products enrolled: {n}"),
    "council.workload.evaluating": (
        "Đang chấm hoặc chờ chốt: {n}",
        "Being scored or awaiting finalization: {n}",
    ),
    "council.workload.finalized": ("Đã chốt kết quả: {n}", "Finalized: {n}"),
    "council.rounds": ("Các đợt đánh giá", "Rounds"),
    "council.rounds.none": ("Hội đồng chưa có đợt đánh giá nào.", "The council has no round yet."),
    "rounds.new.title": ("Mở đợt đánh giá", "Open a round"),
    "rounds.name": ("Tên đợt đánh giá", "Round name"),
    "rounds.id": ("Mã đợt đánh giá", "Round id"),
    "rounds.council.choose": ("— Chọn Hội đồng —", "— Choose a council —"),
    "rounds.cut_off": ("Hạn chót tiếp nhận hồ sơ", "Submission cut-off"),
    "rounds.cut_off.calendar": (
        "Để trống: theo lịch đánh giá toàn quốc (Điều 5, QĐ 26/2026)",
        "Leave empty for the national calendar's (Art. 5, QĐ 26/2026)",
    ),
    "rounds.meeting": ("Ngày họp Hội đồng", "Meeting date"),
    "rounds.open": ("Mở đợt", "Open the round"),
    "rounds.products": ("Sản phẩm trong đợt", "Products in the round"),
    "rounds.products.none": ("Chưa có sản phẩm nào trong đợt.", "No product in the round yet."),
    "rounds.results_link": ("Kết quả đánh giá", "Results"),
    "rounds.enrol.choose": (
        "Chọn các sản phẩm cần xếp vào đợt này",
        "Choose the products to enrol in this round",
    ),
    "rounds.enrol.button": ("Xếp các sản phẩm đã chọn vào đợt", "Enrol the chosen products"),
    "rounds.enrol.none": ("Chưa chọn sản phẩm nào.", "No product was chosen."),
    "rounds.enrol.nothing": ("Không có sản phẩm nào đang chờ.", "No product is waiting."),
    "rounds.enrol.closed": ("Đợt đã hết hạn tiếp nhận sản phẩm.", "The round takes no more products."),
    "rounds.enrol.outcome": ("Kết quả xếp sản phẩm vào đợt", "What became of the products chosen"),
    "rounds.enrol.ok": ("đã xếp vào đợt", "enrolled"),
    "rounds.enrol.refused": ("không xếp được: {why}", "not enrolled: {why}"),
    "rounds.close": ("Đóng đợt đánh giá", "Close the round"),
    "rounds.carry_over": ("Chuyển sản phẩm chưa chốt sang đợt", "Carry unfinished products over to"),
    "rounds.carry_over.none": ("— Không chuyển —", "— None —"),
    "rounds.publish": ("Công bố kết quả", "Publish the results"),
    "rounds.confirm.close": ("Xác nhận đóng đợt {name}", "Confirm closing {name}"),
    "rounds.confirm.publish": (
        "Xác nhận công bố kết quả đợt {name}",
        "Confirm publishing the results of {name}",
    ),
    "rounds.done.opened": ("Đã mở đợt đánh giá.", "The round is open."),
    "rounds.done.enrolled": ("Đã xếp {n} sản phẩm vào đợt.", "{n} products enrolled."),
    "rounds.done.closed": ("Đã đóng đợt đánh giá.", "The round is closed."),
    "rounds.done.published": ("Đã công bố kết quả.", "The results are published."),
    "results.now": ("Hiện nay", "Now"),
    # -- a producer registers a product idea (web/ideas.py)
    "idea.new.title": ("Đăng ký ý tưởng sản phẩm", "Register a product idea"),
    "idea.product_name": ("Tên sản phẩm", "Product name"),
    "idea.product_group": ("Nhóm sản phẩm", "Product group"),
    "idea.province": ("Tỉnh, thành phố", "Province"),
    "idea.commune": ("Xã, phường", "Commune"),
    "idea.register": ("Đăng ký ý tưởng", "Register the idea"),
    "idea.link": ("Đăng ký ý tưởng sản phẩm mới", "Register a new product idea"),
    # -- errors
    "error.title": ("Lỗi {status}", "Error {status}"),
    "error.400": ("Không đọc được biểu mẫu đã gửi", "The form sent could not be read"),
    "error.403": ("Bạn không có quyền xem trang này", "You may not open this page"),
    "error.404": ("Không tìm thấy", "Not found"),
    "error.409": ("Không thực hiện được", "Cannot be done"),
    "error.413": ("Biểu mẫu đã gửi quá lớn", "The form sent is too large"),
    "error.form_unreadable": (
        "biểu mẫu có quá nhiều trường hoặc tệp, hoặc không đúng định dạng. Hãy mở lại trang và gửi lại.",
        "the form has too many fields or files, or is malformed. Open the page again and send it again.",
    ),
    "error.form_too_large": (
        "nội dung gửi lên vượt quá giới hạn cho phép. Hãy rút gọn nội dung và gửi lại.",
        "what was sent exceeds the limit. Shorten it and send it again.",
    ),
    "error.500": ("Hệ thống gặp lỗi", "The engine failed"),
    "error.503": ("Hệ thống tạm thời không sẵn sàng", "The engine is unavailable for now"),
    "error.csrf": (
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
        "The form has expired or is not valid. Reload the page and try again.",
    ),
    "error.reason": ("Lý do: {reason}", "Reason: {reason}"),
    "error.home": ("Về trang Việc của tôi", "Go to My work"),
    # -- sign-in
    "signin.title": ("Đăng nhập", "Sign in"),
    "signin.intro": (
        "Đăng nhập bằng tên đăng nhập và mật khẩu mà quản trị viên đã cấp cho bạn.",
        "Sign in with the user name and password your administrator gave you.",
    ),
    "signin.user_name": ("Tên đăng nhập", "User name"),
    "signin.password": ("Mật khẩu", "Password"),
    "signin.submit": ("Đăng nhập", "Sign in"),
    "signin.empty": ("Hãy nhập tên đăng nhập và mật khẩu.", "Enter your user name and password."),
    "signin.wrong": ("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong user name or password."),
    "signin.locked": (
        "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Hãy thử lại sau {until}.",
        "The account is locked after repeated failed sign-ins. Try again after {until}.",
    ),
    "signin.deactivated": (
        "Tài khoản này đã bị ngừng hoạt động. Hãy liên hệ quản trị viên.",
        "This account has been deactivated. Contact your administrator.",
    ),
    "signin.token_title": (
        "Dành cho tích hợp hệ thống: đăng nhập bằng mã truy cập",
        "For system integrators: sign in with an access token",
    ),
    "signin.token": ("Mã truy cập", "Access token"),
    "signin.token_submit": ("Đăng nhập bằng mã truy cập", "Sign in with the access token"),
    "signin.invalid": ("Mã truy cập không hợp lệ.", "The access token is not valid."),
    "signin.token_empty": ("Hãy nhập mã truy cập.", "Enter your access token."),
    "signin.code_title": ("Xác thực hai lớp", "Two-step verification"),
    "signin.code_intro": (
        "Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực của bạn.",
        "Enter the 6-digit code your authenticator app shows now.",
    ),
    "signin.code": ("Mã xác thực", "Verification code"),
    "signin.code_submit": ("Xác nhận", "Confirm"),
    "signin.code_wrong": (
        "Mã xác thực không đúng hoặc đã được dùng.",
        "The verification code is wrong or was used already.",
    ),
    "account.password_title": ("Đặt mật khẩu mới", "Choose a new password"),
    "account.password_intro": (
        "Bạn đang dùng mật khẩu được cấp. Hãy chọn mật khẩu của riêng bạn trước khi tiếp tục.",
        "You signed in with a password you were given. Choose your own before you go on.",
    ),
    "account.new_password": ("Mật khẩu mới (ít nhất {n} ký tự)", "New password (at least {n} characters)"),
    "account.repeat_password": ("Nhập lại mật khẩu mới", "Repeat the new password"),
    "account.password_submit": ("Lưu mật khẩu", "Save the password"),
    "account.password_short": (
        "Mật khẩu cần ít nhất {n} ký tự.",
        "A password needs at least {n} characters.",
    ),
    "account.password_long": (
        "Mật khẩu không được dài quá 256 ký tự.",
        "A password has at most 256 characters.",
    ),
    "account.password_is_name": (
        "Mật khẩu không được trùng với tên đăng nhập.",
        "The password must not be your user name.",
    ),
    "account.password_same": (
        "Hãy chọn mật khẩu khác mật khẩu được cấp.",
        "Choose a password other than the one you were given.",
    ),
    "account.password_mismatch": ("Hai lần nhập mật khẩu không khớp nhau.", "The two passwords differ."),
    "account.totp_title": ("Đăng ký xác thực hai lớp", "Set up two-step verification"),
    "account.totp_intro": (
        "Vai trò của bạn bắt buộc xác thực hai lớp. Thêm khoá dưới đây vào ứng dụng xác thực trên "
        "điện thoại (ví dụ Google Authenticator, Microsoft Authenticator), rồi nhập mã 6 chữ số mà "
        "ứng dụng hiển thị.",
        "Your role requires two-step verification. Add the key below to an authenticator app on "
        "your phone (such as Google Authenticator or Microsoft Authenticator), then enter the "
        "6-digit code it shows.",
    ),
    "account.totp_secret": ("Khoá bí mật", "Secret key"),
    "account.totp_uri": (
        "Hoặc địa chỉ otpauth để dán vào ứng dụng",
        "Or the otpauth address to paste into the app",
    ),
    "account.totp_submit": ("Xác nhận và đăng ký", "Confirm and set up"),
    "account.code_wrong": (
        "Mã không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã mới.",
        "The code is wrong. Check your phone's clock and enter a new code.",
    ),
    "nav.actors": ("Tác nhân", "Actors"),
    "actors.title": ("Quản lý tác nhân", "Manage actors"),
    "actors.intro": (
        "Tìm một tác nhân theo mã để ngừng hoạt động, cấp mã truy cập mới hay đặt lại mật khẩu.",
        "Find an actor by id to deactivate it, rotate its token or reset its password.",
    ),
    "actors.find": ("Mã tác nhân", "Actor id"),
    "actors.find_submit": ("Tìm", "Find"),
    "actor_new.title": ("Tạo tác nhân mới", "Create an actor"),
    "actor_new.intro": (
        "Tạo tài khoản cho một người dùng trong địa bàn của bạn; "
        "mã truy cập chỉ hiện một lần ở trang tiếp theo.",
        "Create an account for a user of your jurisdiction; its token is shown once, on the next page.",
    ),
    "actor_new.role_choose": ("— Chọn vai trò —", "— Choose a role —"),
    "actor_new.jurisdiction_hint": (
        "VN, mã tỉnh (38), mã xã (14797) hoặc tên huyện; có thể ghi rõ province:, commune:, district:.",
        "VN, a province code (38), a commune code (14797) or a district name; "
        "or say province:, commune:, district:.",
    ),
    "actor_new.jurisdiction_bad": (
        "Địa bàn này không hợp với vai trò đã chọn (cán bộ cấp xã: mã xã; cán bộ cấp huyện: tên huyện).",
        "This jurisdiction does not fit the chosen role "
        "(commune officers: a commune code; district officers: a district name).",
    ),
    "actor_new.id_hint": (
        "Chữ, số và . _ : @ -; để trống thì hệ thống tự đặt.",
        "Letters, digits and . _ : @ -; left empty, the engine makes one.",
    ),
    "actor_new.id_bad": (
        "Mã bắt đầu bằng chữ hoặc số, chỉ gồm chữ, số và . _ : @ - (tối đa 100 ký tự).",
        "An id starts with a letter or digit and has only letters, digits and . _ : @ - (100 at most).",
    ),
    "actor_new.submit": ("Tạo tác nhân", "Create the actor"),
    "actor_new.confirm": ("Xác nhận tạo tác nhân", "Confirm the new actor"),
    "actor_new.confirm_warning": (
        "Tác nhân được tạo với vai trò và địa bàn này; mã truy cập chỉ hiện một lần ở trang tiếp theo.",
        "The actor is created with this role and jurisdiction; its token is shown once, on the next page.",
    ),
    "actor_new.id_made": ("(hệ thống tự đặt)", "(made by the engine)"),
    "actor.title": ("Tác nhân {id}", "Actor {id}"),
    "actor.role": ("Vai trò", "Role"),
    "actor.jurisdiction": ("Địa bàn", "Jurisdiction"),
    "actor.state": ("Trạng thái", "State"),
    "actor.active": ("Đang hoạt động", "Active"),
    "actor.inactive": ("Đã ngừng hoạt động", "Deactivated"),
    "actor.token_expires": ("Mã truy cập hết hạn lúc", "Token expires at"),
    "actor.signs_in": ("Đăng nhập bằng mật khẩu", "Signs in with a password"),
    "actor.deactivate": ("Ngừng hoạt động", "Deactivate"),
    "actor.deactivate_title": ("Xác nhận ngừng hoạt động", "Confirm deactivation"),
    "actor.deactivate_warning": (
        "Tác nhân {id} sẽ không dùng được mã truy cập và bị đăng xuất khỏi mọi phiên, ngay lập tức. "
        "Việc này được ghi vào nhật ký.",
        "Actor {id} will lose the use of its token and every open session, at once. This is "
        "recorded in the log.",
    ),
    "actor.deactivate_yes": ("Có, ngừng hoạt động", "Yes, deactivate"),
    "actor.reactivate": ("Cho hoạt động trở lại", "Reactivate"),
    "actor.rotate": ("Cấp mã truy cập mới", "Issue a new token"),
    "actor.rotate_title": ("Xác nhận cấp mã truy cập mới", "Confirm a new token"),
    "actor.rotate_warning": (
        "Mã truy cập hiện tại của {id} sẽ bị vô hiệu ngay lập tức; các hệ thống đang dùng nó phải "
        "được cập nhật mã mới.",
        "The present token of {id} stops working at once; systems that use it need the new one.",
    ),
    "actor.rotate_yes": ("Có, cấp mã mới", "Yes, issue a new token"),
    "actor.cancel": ("Huỷ, quay lại", "Cancel"),
    "actor.reset": ("Đặt lại mật khẩu", "Reset the password"),
    "actor.reset_totp": (
        "Xoá cả xác thực hai lớp (người dùng mất điện thoại)",
        "Also remove the two-step verification (a lost phone)",
    ),
    "actor.open": ("Cấp tài khoản đăng nhập", "Give a sign-in"),
    "actor.user_name": ("Tên đăng nhập", "User name"),
    "actor.user_name_bad": (
        "Tên đăng nhập cần 1 đến 100 ký tự, không có ký tự điều khiển.",
        "A user name has 1 to 100 characters and no control characters.",
    ),
    "actor.once_title": ("Chỉ hiện một lần", "Shown this once"),
    "actor.once_note": (
        "Hãy chuyển cho người dùng qua một kênh an toàn. Hệ thống không lưu và sẽ không hiện lại.",
        "Pass it on over a safe channel. The engine does not keep it and will not show it again.",
    ),
    "actor.new_token": ("Mã truy cập mới", "New access token"),
    "actor.first_password": (
        "Mật khẩu tạm thời của {user} (phải đổi ở lần đăng nhập đầu)",
        "First password of {user} (changed at the first sign-in)",
    ),
    "actor.back": ("Về trang tác nhân", "Back to the actor"),
    "actor.done": ("Đã ghi nhận.", "Recorded."),
    "signout.done": ("Bạn đã đăng xuất.", "You have signed out."),
    # -- my work
    "work.title": ("Việc của tôi", "My work"),
    "work.nothing": ("Hiện không có việc nào chờ bạn.", "Nothing waits for you now."),
    "work.count": ("{n} mục", "{n} items"),
    "work.ideas": ("Ý tưởng sản phẩm cần xem xét", "Product ideas to review"),
    "work.plans": ("Phương án sản xuất kinh doanh cần xem xét", "Business plans to review"),
    "work.dossiers": ("Hồ sơ cần kiểm tra", "Dossiers to check"),
    "work.enrol": ("Sản phẩm chờ xếp vào đợt đánh giá", "Products awaiting a round"),
    "work.score": ("Sản phẩm cần chấm điểm", "Products to score"),
    "work.finalize": ("Kết quả cần chốt (Chủ tịch Hội đồng)", "Results to finalize (chair)"),
    "work.finalize.ready": ("sẵn sàng chốt", "ready to finalize"),
    "work.finalize.waiting": ("chưa chốt được: {why}", "not yet: {why}"),
    "work.recognize": ("Quyết định công nhận cần ký", "Recognitions to sign"),
    "work.producer": ("Bước tiếp theo của bạn", "Your next steps"),
    "work.deadlines": ("Thời hạn sắp đến hoặc đã quá", "Deadlines near or missed"),
    "work.deadline.missed": ("đã quá hạn", "missed"),
    "work.deadline.near": ("còn {days} ngày", "{days} days left"),
    "work.deadline.today": ("hết hạn hôm nay", "due today"),
    "work.deadline.overdue": ("quá hạn {days} ngày", "{days} days overdue"),
    "work.board": ("Bảng điểm của Hội đồng", "Council board"),
    "work.score_link": ("Chấm điểm", "Score"),
    "work.journeys_link": ("Xem các hành trình sản phẩm", "See the product journeys"),
    "work.reports": ("Báo cáo, thống kê", "Reports and statistics"),
    "work.plan_link": ("Tiến độ kế hoạch {year}", "Plan progress {year}"),
    # -- journeys list
    "journeys.title": ("Hành trình sản phẩm", "Product journeys"),
    "journeys.filter": ("Lọc", "Filter"),
    "journeys.any_status": ("Mọi trạng thái", "Any status"),
    "journeys.empty": ("Không có hành trình nào.", "No journeys."),
    "journeys.next": ("Trang sau", "Next page"),
    # -- journey page
    "journey.title": ("Hành trình: {name}", "Journey: {name}"),
    "journey.summary": ("Tóm tắt", "Summary"),
    "journey.producer": ("Chủ thể OCOP", "Producer"),
    "journey.group": ("Nhóm sản phẩm", "Product group"),
    "journey.place": ("Địa bàn", "Place"),
    "journey.variant": ("Loại hồ sơ", "Application"),
    "journey.accepted_on": ("Ngày tiếp nhận hồ sơ", "Dossier accepted on"),
    "journey.documents": ("Tài liệu hồ sơ (mã băm)", "Dossier documents (hashes)"),
    "documents.title": ("Tài liệu đã nộp", "Documents uploaded"),
    "documents.none": ("Chưa có tài liệu nào.", "No document yet."),
    "documents.choose": (
        "Chọn tệp để tải lên (PDF, JPEG, PNG, DOCX, XLSX, ODT)",
        "Choose files to upload (PDF, JPEG, PNG, DOCX, XLSX, ODT)",
    ),
    "documents.sending": ("đang tải lên…", "uploading…"),
    "documents.done": ("đã tải lên", "uploaded"),
    "documents.failed": ("không tải lên được", "could not be uploaded"),
    "documents.cited": ("có trong hồ sơ", "in the dossier"),
    "documents.verified": (
        "Nội dung được kiểm tra với mã SHA-256 mỗi lần mở:",
        "Checked against its SHA-256 at every opening:",
    ),
    "documents.erased": (
        "nội dung đã bị xóa theo yêu cầu pháp lý ({when})",
        "content erased on a legal request ({when})",
    ),
    "journey.certificate": ("Giấy chứng nhận", "Certificate"),
    "journey.no_certificate": ("Chưa có giấy chứng nhận.", "No certificate."),
    "journey.cert.number": ("Số giấy chứng nhận", "Certificate number"),
    "journey.cert.decision": ("Quyết định công nhận", "Recognition decision"),
    "journey.cert.valid_until": ("Hiệu lực đến", "Valid until"),
    "journey.cert.expired": ("đã hết hiệu lực", "expired"),
    "journey.cert.revoked": ("đã bị thu hồi", "revoked"),
    "journey.cert.in_force": ("còn hiệu lực", "in force"),
    "journey.past_certificates": ("Giấy chứng nhận trước đây", "Earlier certificates"),
    "journey.results": ("Kết quả đánh giá của Hội đồng", "Council results"),
    "journey.deadlines": ("Thời hạn đang mở", "Open deadlines"),
    "journey.deadline.from": ("Trách nhiệm: {who}", "Owed by: {who}"),
    "journey.verify": ("Kiểm tra tính toàn vẹn của nhật ký", "Integrity of the decision log"),
    "journey.verify.ok": (
        "Chuỗi băm nguyên vẹn: đã kiểm tra {n} sự kiện.",
        "Hash chain intact: {n} events checked.",
    ),
    "journey.verify.broken": (
        "Chuỗi băm bị phá vỡ tại phiên bản {version}: {problem}",
        "Hash chain broken at version {version}: {problem}",
    ),
    "journey.asof": ("Trạng thái tại một ngày", "State as of a date"),
    "journey.asof.date": ("Ngày (cuối ngày, giờ Việt Nam)", "Date (end of day, Vietnam time)"),
    "journey.asof.show": ("Xem trạng thái", "Show the state"),
    "journey.asof.result": ("Trạng thái vào cuối ngày {day}", "State at the end of {day}"),
    "journey.asof.none": ("Chưa có sự kiện nào vào ngày {day}.", "No event had been recorded by {day}."),
    "journey.asof.later": ("ghi nhận sau ngày đã chọn", "recorded after the chosen date"),
    "journey.timeline": ("Nhật ký quyết định", "Decision history"),
    "journey.export": ("Tải nhật ký", "Download the history"),
    "journey.export.json": ("JSON", "JSON"),
    "journey.export.csv": ("CSV", "CSV"),
    "journey.tl.when": ("Thời điểm", "When"),
    "journey.tl.who": ("Người thực hiện", "Who"),
    "journey.tl.authority": ("Thay mặt", "For"),
    "journey.tl.why": ("Lý do", "Why"),
    "journey.tl.evidence": ("Tài liệu kèm theo", "Evidence"),
    "journey.tl.link": ("Phiên bản {version}, băm {hash}", "Version {version}, hash {hash}"),
    "journey.tl.scores": ("Điểm", "Scores"),
    "journey.tl.sealed": (
        "Điểm được giữ kín đến khi bạn nộp phiếu của mình hoặc Hội đồng chốt kết quả (chấm điểm độc lập).",
        "Scores withheld until you have submitted your own scorecard or the council has finalized "
        "(independent scoring).",
    ),
    "journey.actions": ("Các bước bạn có thể thực hiện", "Steps you can take"),
    "journey.score_page": ("Mở phiếu chấm điểm", "Open the scorecard"),
    "journey.board_page": ("Mở bảng điểm của Hội đồng", "Open the council board"),
    # -- action forms
    "action.submit": ("Ghi nhận", "Record"),
    "field.reason": ("Lý do", "Reason"),
    "field.authority": ("Cơ quan thay mặt", "Acting for (body)"),
    "field.document": ("Mã băm tài liệu", "Document hash"),
    "field.documents": ("Mã băm tài liệu, mỗi dòng một mã", "Document hashes, one per line"),
    "field.product_set": ("Bộ sản phẩm (Phụ lục I)", "Product set (Phụ lục I)"),
    "field.missing_items": ("Nội dung còn thiếu, mỗi dòng một mục", "Missing items, one per line"),
    "field.commune_report": ("Mã băm báo cáo của xã", "Hash of the commune report"),
    "field.accepted_on": ("Ngày tiếp nhận (nếu nhập sau)", "Date of acceptance (if entered later)"),
    "field.level": ("Cấp công nhận", "Level of recognition"),
    "field.decision_number": ("Số quyết định", "Decision number"),
    "field.decision_date": ("Ngày quyết định", "Decision date"),
    "field.certificate_number": ("Số giấy chứng nhận", "Certificate number"),
    "field.grounds": ("Căn cứ thu hồi", "Grounds for revocation"),
    "field.ground": ("Trường hợp thu hồi (Điều 8 khoản 1, QĐ 26/2026)", "Case of revocation (Art. 8.1)"),
    "field.conclusion": ("Văn bản kết luận (tài liệu đã tải lên)", "Concluding document (uploaded)"),
    "field.concluded_on": ("Ngày kết luận", "Date of the conclusion"),
    # -- the commune's and the province's steps (QĐ 26/2026 Điều 7 khoản 2, 3)
    "field.proposal": (
        "Văn bản đề nghị của UBND xã, do Chủ tịch UBND xã ký (tài liệu đã tải lên)",
        "The commune's proposal, signed by its chairman (uploaded)",
    ),
    "field.advisory_step": ("Bước của Tổ tư vấn", "Advisory team's step"),
    "field.commune_assessment": (
        "Đánh giá của xã theo Mẫu số 03 (từng nội dung)",
        "The commune's assessment (Mẫu 03, item by item)",
    ),
    "field.held_on": ("Ngày thực hiện", "Date of the step"),
    "field.findings_short": ("Nhận xét, đề nghị của Tổ tư vấn", "The advisory team's findings"),
    "advisory.review": ("Đánh giá hồ sơ", "Review of the dossier"),
    "advisory.site_survey": ("Khảo sát thực tế tại cơ sở", "Site survey"),
    "advisory.extra_tests": ("Đề nghị bổ sung kết quả kiểm nghiệm", "Request for extra tests"),
    "advisory.test_results": ("Kết quả kiểm nghiệm bổ sung", "Extra test results"),
    "advisory.report": ("Báo cáo đánh giá gửi Chủ tịch Hội đồng", "Report to the council's chair"),
    "assessment.local_raw_material": ("Sử dụng nguyên liệu địa phương", "Use of local raw material"),
    "assessment.local_labour": ("Sử dụng lao động địa phương", "Use of local labour"),
    "assessment.idea_origin": ("Nguồn gốc ý tưởng sản phẩm", "Origin of the product idea"),
    "assessment.local_identity": ("Bản sắc, trí tuệ địa phương", "Local identity and know-how"),
    "journey.product_code": ("Mã số sản phẩm", "Product code"),
    "journey.receipt_number": ("Số phiếu đăng ký", "Registration receipt"),
    # -- post-recognition inspection (QĐ 26/2026 Điều 9)
    "field.inspection_kind": ("Hình thức kiểm tra", "Kind of inspection"),
    "field.inspected_on": ("Ngày kết luận kiểm tra", "Date of the inspection's conclusion"),
    "field.checked": ("Nội dung kiểm tra", "What was checked"),
    "field.findings": ("Kết quả kiểm tra", "Findings"),
    "field.meets_criteria": ("Kết luận", "Conclusion"),
    "field.evidence": ("Tài liệu chứng minh (tài liệu đã tải lên)", "Evidence (uploaded documents)"),
    # -- re-evaluation by written opinion, the site check, the ministry's request (Điều 7.6, 10.1.b)
    "field.survey": ("Kiểm tra thực tế tại cơ sở", "Survey the site"),
    "survey.true": ("Có khảo sát thực tế", "Survey the site"),
    "survey.false": ("Không khảo sát thực tế", "No site survey"),
    "field.site_grounds": ("Lý do khảo sát", "Why the site is surveyed"),
    "site.production_changed": ("Thay đổi lớn về quy mô sản xuất", "Production changed much"),
    "site.evidence_unclear": ("Hồ sơ minh chứng không rõ ràng", "The evidence is unclear"),
    "field.redo_findings": (
        "Nội dung đánh giá, phân hạng không đúng quy định",
        "What in the evaluation was improper",
    ),
    "inspection.periodic": ("Kiểm tra định kỳ", "Periodic inspection"),
    "inspection.ad_hoc": ("Kiểm tra đột xuất", "Ad-hoc inspection"),
    "check.criteria": (
        "Việc duy trì các tiêu chí theo hồ sơ đã được đánh giá, phân hạng",
        "The criteria kept as evaluated",
    ),
    "check.ocop_mark": ("Sử dụng nhãn hiệu OCOP", "Use of the OCOP mark"),
    "check.promotion": ("Sử dụng thông tin và quảng bá sản phẩm OCOP", "Information and promotion"),
    "meets.true": ("Sản phẩm vẫn đáp ứng tiêu chí", "The product still meets the criteria"),
    "meets.false": (
        "Sản phẩm không còn đáp ứng tiêu chí (lập hồ sơ đề nghị thu hồi)",
        "The product no longer meets the criteria (opens a revocation file)",
    ),
    # -- revocation grounds (QĐ 26/2026 Điều 8 khoản 1)
    "ground.a": (
        "a) Cung cấp thông tin, tài liệu không trung thực hoặc giả mạo hồ sơ",
        "a) Untruthful information or a forged dossier",
    ),
    "ground.b": (
        "b) Không còn đáp ứng tiêu chí OCOP theo kết luận kiểm tra, giám sát",
        "b) No longer meets the criteria, per an inspection conclusion",
    ),
    "ground.c": (
        "c) Vi phạm pháp luật về chất lượng, an toàn thực phẩm, môi trường, sở hữu trí tuệ, ghi nhãn …",
        "c) A violation of the law on quality, food safety, environment, IP, labelling …",
    ),
    "ground.d": (
        "d) Sử dụng nhãn hiệu OCOP không đúng quy định, gây nhầm lẫn",
        "d) Misuse of the OCOP mark causing confusion",
    ),
    "ground.đ": (
        "đ) Chủ thể không còn hoạt động sản xuất sản phẩm OCOP",
        "đ) The producer no longer produces the product",
    ),
    "ground.e": (
        "e) Trường hợp khác theo kết luận và đề nghị của cơ quan nhà nước có thẩm quyền",
        "e) Another case concluded and proposed by a competent state body",
    ),
    "field.invalid": ("Giá trị không hợp lệ: {msg}", "Not a valid value: {msg}"),
    # -- scoring
    "score.title": ("Phiếu chấm điểm: {name}", "Scorecard: {name}"),
    "score.dossier": ("Hồ sơ sản phẩm", "Product dossier"),
    "score.card": ("Phiếu chấm điểm", "Scorecard"),
    "score.part": ("Phần {part}: {name} (0 – {max})", "Part {part}: {name} (0 – {max})"),
    "score.part.A": ("Sản phẩm và sức mạnh cộng đồng", "Product and community strength"),
    "score.part.B": ("Khả năng tiếp thị", "Marketing capacity"),
    "score.part.C": ("Chất lượng sản phẩm", "Product quality"),
    "score.total": ("Tổng điểm", "Total"),
    "score.total_of": ("trên {max}", "of {max}"),
    "score.submit": ("Nộp phiếu chấm điểm", "Submit the scorecard"),
    "score.amend": ("Sửa phiếu chấm điểm", "Amend the scorecard"),
    "score.amend_reason": ("Lý do sửa", "Reason for the amendment"),
    "score.mine": (
        "Phiếu của bạn: tổng {total} (đã sửa {n} lần).",
        "Your scorecard: total {total} (amended {n} times).",
    ),
    "score.saved": ("Đã ghi nhận phiếu chấm điểm của bạn.", "Your scorecard has been recorded."),
    "score.advisory_awaited": (
        "Hội đồng chấm điểm sau khi Tổ tư vấn đánh giá hồ sơ (Điều 7.3.c QĐ 26/2026); cơ quan thường trực "
        "chưa ghi nhận: {steps}. Phiếu chấm gửi lúc này sẽ không được ghi nhận.",
        "The council scores after its advisory team has reviewed the dossier (Art. 7.3.c of QĐ 26/2026); "
        "the standing agency has not recorded yet: {steps}. A sheet sent now is not recorded.",
    ),
    "score.not_open": (
        "Sản phẩm này hiện không trong đợt đánh giá: không thể chấm điểm.",
        "This product is not being evaluated now: it cannot be scored.",
    ),
    "score.decimals": ("Tối đa {n} chữ số thập phân.", "At most {n} decimals."),
    "score.hint": (
        "Điểm tối đa của từng phần theo bộ tiêu chí {rulebook}.",
        "Part maxima of rulebook {rulebook}.",
    ),
    # the scoring page reads a score as a person types it (schemas.numbers.read_typed_score)
    "score.format": (
        "Nhập số với dấu phẩy hoặc dấu chấm thập phân, ví dụ 3,5 hoặc 3.5.",
        "Type a number with a decimal comma or point, e.g. 3,5 or 3.5.",
    ),
    "score.error.empty": ("Hãy nhập điểm của phần này.", "Enter this part's score."),
    "score.error.not_a_number": (
        "Không đọc được điểm này: chỉ nhập chữ số, với một dấu phẩy (hoặc dấu chấm) thập phân, "
        "ví dụ 3,5. Không dùng dấu phân cách hàng nghìn.",
        "This is not a score: digits only, with one decimal comma (or point), e.g. 3,5. No "
        "thousands separators.",
    ),
    "score.error.exponent": (
        "Không dùng dạng số mũ (như 1e1): hãy viết số đầy đủ, ví dụ 10.",
        "No exponent (such as 1e1): write the number out, e.g. 10.",
    ),
    "score.error.too_many_decimals": (
        "Tối đa 2 chữ số thập phân (ví dụ 3,25). Không dùng dấu phân cách hàng nghìn.",
        "At most 2 decimals (e.g. 3.25). No thousands separators.",
    ),
    "score.error.range": (
        "Phần {part} được chấm từ 0 đến {max}; đã nhập {value}.",
        "Part {part} is scored from 0 to {max}; you typed {value}.",
    ),
    "score.error.places": (
        "Phần {part} có tối đa {n} chữ số thập phân; đã nhập {value}.",
        "Part {part} has at most {n} decimals; you typed {value}.",
    ),
    "score.error.summary": (
        "Phiếu chấm điểm chưa hợp lệ: xem thông báo bên cạnh từng phần.",
        "The scorecard is not valid: see the message beside each part.",
    ),
    "score.preview.title": ("Kiểm tra trước khi ghi nhận", "Check before it is recorded"),
    "score.preview": (
        "Sẽ ghi nhận: {parts} — tổng {total}",
        "To be recorded: {parts} — total {total}",
    ),
    "score.preview.note": (
        "Điểm được ghi vào nhật ký đúng như trên, với 2 chữ số thập phân. Sau khi ghi nhận, chỉ có "
        "thể sửa bằng một lần sửa phiếu (được ghi lại).",
        "The scores go into the log exactly as above, with 2 decimals. Once recorded, they change "
        "only by an amendment (which is recorded too).",
    ),
    "score.check": ("Kiểm tra phiếu", "Check the scorecard"),
    "score.confirm": ("Xác nhận và ghi nhận", "Confirm and record"),
    "score.edit": ("Sửa lại", "Change the scores"),
    # the sheet of options (web/templates/_sheet.html, QĐ 26/2026 Phụ lục II)
    "sheet.name": (
        "Phiếu đánh giá {name} (bộ sản phẩm {set}, {rulebook}): chọn một phương án cho mỗi tiêu chí.",
        "Scorecard {name} (product set {set}, {rulebook}): choose one option per criterion.",
    ),
    "sheet.part": ("Phần {part}", "Part {part}"),
    # -- the producer's self-assessment (Mẫu 02, phần III)
    "self.title": ("Tự đánh giá sản phẩm: {name}", "Self-assessment: {name}"),
    "self.link": ("Phiếu tự đánh giá của chủ thể", "The producer's self-assessment"),
    "self.intro": (
        "Chủ thể tự chấm điểm sản phẩm trên cùng phiếu mà Hội đồng sử dụng và gắn tài liệu chứng minh "
        "cho từng tiêu chí. Phiếu tự đánh giá là một phần của hồ sơ, được Hội đồng xem cạnh phiếu của "
        "mình và không được tính vào kết quả.",
        "The producer scores the product on the sheet the council uses and links the supporting "
        "documents to each criterion. The self-assessment is part of the dossier, shown to the "
        "council beside their own sheets, and never counted in the result.",
    ),
    "self.saved": ("Đã ghi nhận phiếu tự đánh giá.", "The self-assessment has been recorded."),
    "self.recorded": (
        "Đã tự đánh giá: tổng {total} ({parts}), lần sửa {n}, lúc {when}.",
        "Self-assessed: total {total} ({parts}), revision {n}, at {when}.",
    ),
    "self.none": ("Chưa có phiếu tự đánh giá.", "No self-assessment yet."),
    "self.choose_set": ("Chọn bộ sản phẩm (Phụ lục I)", "Choose the product set (Phụ lục I)"),
    "self.show_sheet": ("Mở phiếu đánh giá", "Open the sheet"),
    "self.no_sheet": (
        "Chưa thể tự đánh giá: sản phẩm chưa có bộ sản phẩm, hoặc bộ tiêu chí đang áp dụng không chấm "
        "theo phiếu.",
        "No self-assessment yet possible: the product has no product set, or the rulebook in force "
        "does not score on a sheet.",
    ),
    "self.evidence": ("Tài liệu chứng minh", "Supporting documents"),
    "self.no_documents": (
        "Chưa có tài liệu nào được tải lên cho hồ sơ này: hãy tải lên trước để gắn vào tiêu chí.",
        "No document has been uploaded for this dossier yet: upload them first to link them to criteria.",
    ),
    "self.preview": (
        "Sẽ ghi nhận phiếu tự đánh giá: {parts} — tổng {total}.",
        "The self-assessment to record: {parts} — total {total}.",
    ),
    "self.preview.evidence": (
        "Số tiêu chí có tài liệu chứng minh: {n}.",
        "Criteria with supporting documents: {n}.",
    ),
    "self.beside": ("Chủ thể tự đánh giá:", "The producer's self-assessment:"),
    "self.beside.none": ("không chấm", "not scored"),
    "self.gap.title": ("Khoảng cách đến hạng sao tiếp theo", "The gap to the next star"),
    "self.gap.rank": (
        "Theo phiếu tự đánh giá, sản phẩm đạt {stars} sao.",
        "On this self-assessment the product would get {stars} stars.",
    ),
    "self.gap.points": (
        "Để đạt {stars} sao: cần thêm {n} điểm (từ {lower} điểm).",
        "For {stars} stars: {n} more points (from {lower}).",
    ),
    "self.gap.band_ok": (
        "Tổng điểm đã đủ cho {stars} sao.",
        "The total is enough for {stars} stars.",
    ),
    "self.gap.minimum": (
        "{code} {label}: {points} điểm, mức tối thiểu {minimum} — cần đạt: “{option}”.",
        "{code} {label}: {points} points, minimum {minimum} — needs: “{option}”.",
    ),
    "self.gap.minimums_ok": (
        "Các tiêu chí đều đạt mức tối thiểu của {stars} sao.",
        "Every criterion meets the {stars}-star minimums.",
    ),
    "self.gap.top": ("Đây là hạng cao nhất.", "This is the highest rank."),
    "self.gap.note": (
        "Chỉ để tham khảo: kết quả do Hội đồng chấm, phiếu tự đánh giá không được tính.",
        "For guidance only: the council scores the product; the self-assessment is never counted.",
    ),
    # -- one member's filled sheet, printable (Phụ lục II)
    "print.title": ("Phiếu đánh giá: {name}", "Scoring sheet: {name}"),
    "print.law": (
        "Phụ lục II — Quyết định số 26/2026/QĐ-TTg",
        "Phụ lục II — Decision 26/2026/QĐ-TTg",
    ),
    "print.heading": ("Phiếu đánh giá sản phẩm OCOP", "OCOP product scoring sheet"),
    "print.member": ("Thành viên Hội đồng", "Council member"),
    "print.recorded": ("Ghi nhận lúc", "Recorded at"),
    "print.code": ("Mã", "Code"),
    "print.text": ("Tiêu chí / phương án", "Criterion / option"),
    "print.max": ("Tối đa", "Maximum"),
    "print.chosen": ("đã chọn", "chosen"),
    "print.na": ("không áp dụng", "not applicable"),
    "print.signature": ("Người chấm điểm (ký, ghi rõ họ tên)", "Scored by (signature and full name)"),
    "print.none": (
        "Không có phiếu chấm điểm nào của {member} mà bạn được xem.",
        "There is no scorecard of {member} that you may read.",
    ),
    "print.link": ("Bản in phiếu đánh giá", "Printable sheet"),
    # -- what a dossier must hold (thành phần hồ sơ, QĐ 26/2026 Điều 6)
    "field.contents": (
        "Tài liệu theo thành phần hồ sơ (mỗi dòng một tài liệu)",
        "Documents by part of the dossier (one a line)",
    ),
    "checklist.title": ("Thành phần hồ sơ ({variant})", "What the dossier holds ({variant})"),
    "checklist.mau01": ("Mẫu 01: Phiếu đăng ký sản phẩm OCOP", "Mẫu 01: OCOP product registration form"),
    "checklist.mau02": (
        "Mẫu 02: Phiếu tự đánh giá, phân hạng sản phẩm (phần III)",
        "Mẫu 02: the producer's self-assessment (part III)",
    ),
    "checklist.mau02_changes": (
        "Mẫu 02: Phiếu tự đánh giá thể hiện những thay đổi so với sản phẩm đã được công nhận",
        "Mẫu 02: self-assessment showing what changed since the recognized product",
    ),
    "checklist.mau02_evidence": (
        "Tài liệu chứng minh kèm theo Mẫu 02 (gắn với từng tiêu chí)",
        "Evidence for Mẫu 02 (linked to its criteria)",
    ),
    "checklist.mau03": (
        "Mẫu 03: Báo cáo đánh giá của UBND xã và văn bản đề nghị",
        "Mẫu 03: the commune's assessment report and proposal",
    ),
    "checklist.updates": (
        "Cập nhật kể từ khi được công nhận (nguyên liệu, công nghệ, bao bì, nhãn, công bố chất lượng, "
        "kiểm nghiệm định kỳ, thị trường, sản lượng, doanh thu)",
        "Updates since recognition (raw materials, technology, packaging, label, quality declaration, "
        "periodic tests, market, output, revenue)",
    ),
    "checklist.renewed_papers": (
        "Giấy tờ có thời hạn đã được gia hạn",
        "Time-limited papers renewed",
    ),
    "checklist.by.producer": ("chủ thể nộp", "from the producer"),
    "checklist.by.commune": ("UBND xã bổ sung khi tiếp nhận", "added by the commune at acceptance"),
    "checklist.present": ("đã có", "there"),
    "checklist.missing": ("còn thiếu", "missing"),
    "checklist.none": (
        "Bộ tiêu chí đang áp dụng không có danh mục thành phần hồ sơ.",
        "The rulebook in force has no dossier checklist.",
    ),
    "sheet.subtotal": ("Đã chấm", "Scored"),
    "sheet.max": ("tối đa {n} điểm", "at most {n} points"),
    "sheet.points": ("{n} điểm", "{n} points"),
    "sheet.points.col": ("Điểm", "Points"),
    "sheet.criterion": ("Tiêu chí", "Criterion"),
    "sheet.option": ("Phương án đã chọn", "Option chosen"),
    "sheet.marker": ("(mức tối thiểu của hạng {n} sao)", "(the minimum for {n} stars)"),
    "sheet.variant": ("Chọn trường hợp áp dụng trước", "Choose the case that applies first"),
    "sheet.not_applicable": (
        "Không áp dụng: {note} — tiêu chí này không được chấm.",
        "Not applicable: {note} — this criterion is not scored.",
    ),
    "sheet.total_note": (
        "Điểm từng phần và tổng điểm ở đây chỉ để theo dõi; điểm được ghi nhận là điểm hệ thống tính "
        "khi kiểm tra phiếu.",
        "The subtotals here are a guide; what is recorded is what the engine computes when you check.",
    ),
    "sheet.preview.na": ("Không áp dụng: {codes}.", "Not applicable: {codes}."),
    "sheet.preview.choices": ("Các phương án đã chọn ({n} tiêu chí)", "The options chosen ({n} criteria)"),
    "sheet.error.summary": (
        "Phiếu chấm điểm chưa hợp lệ: xem thông báo bên cạnh từng tiêu chí.",
        "The scorecard is not valid: see the message beside each criterion.",
    ),
    "sheet.error.missing": (
        "Chưa chọn phương án cho tiêu chí {code}.",
        "No option chosen for criterion {code}.",
    ),
    "sheet.error.not_an_option": (
        "Phương án đã chọn không thuộc tiêu chí {code}: hãy chọn lại.",
        "The option chosen is not one of criterion {code}: choose again.",
    ),
    "sheet.error.variant": (
        "Tiêu chí {code}: hãy chọn trường hợp áp dụng, rồi một phương án của trường hợp đó.",
        "Criterion {code}: choose the case that applies, then one of its options.",
    ),
    "sheet.error.not_applicable": (
        "Tiêu chí {code} không áp dụng ({note}): để trống.",
        "Criterion {code} does not apply ({note}): leave it blank.",
    ),
    "sheet.error.unknown_criterion": (
        "Tiêu chí {code} không có trong phiếu này.",
        "Criterion {code} is not on this sheet.",
    ),
    "sheet.error.out_of_range": (
        "Điểm của tiêu chí {code} nằm ngoài khoảng cho phép.",
        "The points of criterion {code} are out of range.",
    ),
    # -- board
    "board.title.round": ("Bảng điểm — đợt {id}", "Board — round {id}"),
    "board.title.council": ("Bảng điểm — Hội đồng {id}", "Board — council {id}"),
    "board.refresh": ("Tự động cập nhật vài giây một lần.", "Refreshes every few seconds."),
    "board.refresh_now": ("Cập nhật ngay", "Refresh now"),
    "board.last": ("Cập nhật lúc {time}", "Updated at {time}"),
    "board.empty": ("Chưa có sản phẩm nào.", "No products yet."),
    "board.quorum": ("Túc số", "Quorum"),
    "board.quorum.value": ("{n}/{required}", "{n}/{required}"),
    "board.chair_missing": ("chưa có Chủ tịch", "chair missing"),
    "board.dispersion": ("Độ chênh lệch", "Dispersion"),
    "board.dispersion.value": ("{spread} (tối đa {limit})", "{spread} (at most {limit})"),
    "board.finalize": ("Chốt kết quả", "Finalize"),
    "board.met_on": (
        "Ngày Hội đồng họp trực tiếp (đánh giá lại bằng văn bản)",
        "Day the council met in person (written-opinion re-evaluation)",
    ),
    "board.finalized": ("Đã chốt: {mean} — {stars}", "Finalized: {mean} — {stars}"),
    "board.conflict": ("xung đột lợi ích", "conflict of interest"),
    "board.not_scored": ("chưa chấm", "not scored"),
    "board.ok": ("đạt", "met"),
    "board.not_ok": ("chưa đạt", "not met"),
    "board.why_disabled": ("Chưa thể chốt: {why}", "Cannot finalize yet: {why}"),
    "board.chair_only": ("Chỉ Chủ tịch Hội đồng chốt kết quả.", "Only the chair finalizes."),
    "board.member": ("{id} ({seat})", "{id} ({seat})"),
    "board.scored": ("đã chấm", "scored"),
    "board.capped": (
        "{band}★ theo điểm; {stars}★ vì {criteria} dưới mức tối thiểu của {rank}★",
        "{band}★ by score; {stars}★ because {criteria} are below the {rank}★ minimum",
    ),
    "common.and": (" và ", " and "),
    "board.sealed.member": (
        "Điểm của các thành viên khác hiện sau khi bạn nộp phiếu của mình (chấm điểm độc lập); "
        "trước đó bạn chỉ thấy ai đã chấm.",
        "Other members' scores show once you have submitted your own scorecard (independent "
        "scoring); until then you see who has scored.",
    ),
    "board.sealed.other": (
        "Điểm từng phiếu hiện sau khi Hội đồng chốt kết quả (chấm điểm độc lập); "
        "trước đó chỉ hiện ai đã chấm.",
        "Each scorecard's scores show once the council has finalized (independent scoring); until "
        "then only who has scored.",
    ),
    # -- round results
    "results.title": ("Kết quả đợt đánh giá {name}", "Results of round {name}"),
    "results.status": ("Tình trạng đợt: {status}", "Round status: {status}"),
    "results.meeting": ("Ngày họp Hội đồng: {day}", "Council meeting: {day}"),
    "results.next": ("Bước tiếp theo", "Next step"),
    "results.empty": ("Không có sản phẩm nào bạn được xem.", "No product you may see."),
    "results.board": ("Bảng điểm của đợt", "The round's board"),
    # -- plan
    "plan.title": ("Kế hoạch {year} của tỉnh {province}", "Plan {year} of {province}"),
    "plan.target": ("Chỉ tiêu", "Target"),
    "plan.new": ("Công nhận mới", "New"),
    "plan.upgrade": ("Nâng hạng", "Upgrades"),
    "plan.re_evaluation": ("Đánh giá lại", "Re-evaluations"),
    "plan.remaining": ("Còn lại", "Remaining"),
    "plan.total": ("Tổng", "Total"),
    "plan.chart": (
        "Biểu đồ: số sản phẩm công nhận mới so với chỉ tiêu, theo hạng sao",
        "Chart: new recognitions against the target, by star rank",
    ),
    "plan.bar": ("{stars}: {new} / {target}", "{stars}: {new} / {target}"),
    # -- plan goals as written (schemas/plan.py PlanGoal)
    "plan.reference": ("Văn bản: {reference}.", "Document: {reference}."),
    "plan.former_province": (
        "Kế hoạch của tỉnh {name} (trước sắp xếp năm 2025).",
        "The plan of {name} province (before the 2025 merger).",
    ),
    "plan.goals": ("Các chỉ tiêu của kế hoạch", "The plan's goals"),
    "plan.set_title": ("Đặt kế hoạch của năm", "Set the year's plan"),
    "plan.set_intro": (
        "Chỉ tiêu sản phẩm mới được công nhận theo hạng sao và tổng số; để trống hạng không đặt chỉ tiêu. "
        "Kế hoạch ghi theo từng chỉ tiêu (goals) được đặt qua API.",
        "Targets of new recognized products per star and in total; leave a rank empty for no target. "
        "A plan written as goals is set through the API.",
    ),
    "plan.target_of": ("Chỉ tiêu {stars}", "Target {stars}"),
    "plan.total_target": ("Chỉ tiêu tổng số sản phẩm mới", "Target of all new products"),
    "plan.document": ("Văn bản kế hoạch", "The plan's document"),
    "plan.set_submit": ("Ghi kế hoạch", "Record the plan"),
    "plan.confirm": ("Xác nhận kế hoạch {year} của tỉnh {province}", "Confirm the plan {year} of {province}"),
    "plan.set_done": ("Đã ghi kế hoạch.", "The plan is recorded."),
    "plan.count_bad": (
        "Nhập một số nguyên không âm (số sản phẩm).",
        "Enter a whole number, not negative (a number of products).",
    ),
    "plan.none_yet": ("Tỉnh chưa có kế hoạch cho năm này.", "The province has no plan for this year yet."),
    "plan.confirm_warning": (
        "Kế hoạch được ghi vào nhật ký; sửa lại sau này là một lần ghi mới, lần này vẫn được lưu.",
        "The plan goes into the log; a later revision is a new record, and this one stays.",
    ),
    # -- statistics of recognitions (web/statistics.py) and the workbooks (web/exports.py)
    "stats.title": ("Thống kê sản phẩm OCOP được công nhận", "Statistics of recognized OCOP products"),
    "stats.link": ("Thống kê sản phẩm OCOP", "OCOP statistics"),
    "stats.province": ("Tỉnh, thành phố", "Province"),
    "stats.every_province": ("cả nước", "every province"),
    "stats.year": ("Năm quyết định", "Year of the decision"),
    "stats.every_year": ("mọi năm", "every year"),
    "stats.show": ("Xem thống kê", "Show"),
    "stats.summary": (
        "{total} quyết định công nhận — {where}, {when}.",
        "{total} recognition decisions — {where}, {when}.",
    ),
    "stats.none": ("Chưa có quyết định công nhận nào.", "No recognition decision yet."),
    "stats.by_stars": ("Theo hạng sao", "By star rank"),
    "stats.by_year": ("Theo năm quyết định", "By year of the decision"),
    "stats.by_kind": ("Theo hình thức đánh giá", "By kind of application"),
    "stats.by_level": ("Theo cấp công nhận", "By level recognizing"),
    "stats.by_province": ("Theo tỉnh, thành phố", "By province"),
    "stats.by_commune": ("Theo xã, phường", "By commune"),
    "stats.by_product_set": ("Theo bộ, nhóm sản phẩm", "By product set or group"),
    "stats.value": ("Phân loại", "Value"),
    "stats.recognitions": ("Số quyết định công nhận", "Recognitions"),
    "export.xlsx": ("Tải về Excel (xlsx)", "Download Excel (xlsx)"),
    "stats.kind": ("Hình thức đánh giá", "Kind of application"),
    "stats.sheet": ("Thống kê", "Statistics"),
    "xlsx.number": ("STT", "No."),
    "xlsx.commune": ("Xã, phường", "Commune"),
    "xlsx.status_now": ("Tình trạng hiện nay", "Status now"),
    "xlsx.about": ("Thông tin đợt", "About the round"),
    "xlsx.item": ("Mục", "Item"),
    "xlsx.value": ("Nội dung", "Value"),
    "xlsx.cut_off": ("Hạn nhận hồ sơ", "Cut-off"),
    "xlsx.meeting": ("Ngày họp Hội đồng", "Council meeting"),
    "xlsx.results": ("Kết quả", "Results"),
    "xlsx.star_count": ("Số sao", "Number of stars"),
    "xlsx.by_star": ("Theo hạng sao", "By star rank"),
    "xlsx.valid_until": ("Giấy chứng nhận có hiệu lực đến", "Certificate valid until"),
    # -- a council's membership and conflicts of interest (web/membership.py)
    "membership.title": ("Thành viên và xung đột lợi ích — {name}", "Membership and conflicts — {name}"),
    "membership.link": ("Thành viên, kiện toàn Hội đồng, xung đột lợi ích", "Membership and conflicts"),
    "membership.scores": ("Chấm điểm", "Scores"),
    "membership.conflicts": ("Xung đột lợi ích đã khai báo", "Declared conflicts of interest"),
    "membership.conflicts.none": ("Chưa có xung đột lợi ích nào được khai báo.", "No conflict declared."),
    "membership.declare": ("Khai báo xung đột lợi ích", "Declare a conflict of interest"),
    "membership.reason": ("Lý do", "Reason"),
    "membership.change": ("Kiện toàn Hội đồng", "Change the membership"),
    "membership.change.help": (
        "Các thành viên mới của Hội đồng. Các đợt đánh giá đã mở giữ nguyên thành viên như khi mở.",
        "The council's new seats. Rounds opened earlier keep the members they opened with.",
    ),
    "membership.change.button": ("Ghi nhận kiện toàn Hội đồng", "Record the new membership"),
    "membership.done.changed": ("Đã ghi nhận kiện toàn Hội đồng.", "The new membership is recorded."),
    "membership.done.conflict": ("Đã ghi nhận xung đột lợi ích.", "The conflict of interest is recorded."),
    # -- one recognition decision for several products (web/authority.py)
    "sign.title": ("Ký quyết định công nhận", "Sign a recognition decision"),
    "sign.link": ("Ký một quyết định cho nhiều sản phẩm", "Sign one decision for several products"),
    "sign.intro": (
        "Chọn các sản phẩm được công nhận trong cùng một quyết định, rồi nhập số và ngày của quyết định. "
        "Mỗi sản phẩm được cấp một giấy chứng nhận riêng.",
        "Choose the products one decision recognizes, then give the decision's number and date. "
        "Each product gets a certificate of its own.",
    ),
    "sign.awaiting": ("Sản phẩm chờ quyết định công nhận", "Products awaiting recognition"),
    "sign.choose": ("Chọn", "Choose"),
    "sign.decision": ("Quyết định công nhận", "The recognition decision"),
    "sign.button": ("Xem lại trước khi ký", "Review before signing"),
    "sign.nothing": ("Không có sản phẩm nào chờ bạn ký.", "No product awaits your signature."),
    "sign.none": ("Hãy chọn ít nhất một sản phẩm.", "Choose at least one product."),
    "sign.count": ("Số sản phẩm", "Products"),
    "sign.confirm": ("Ký quyết định công nhận {n} sản phẩm", "Sign the recognition of {n} products"),
    "sign.done": (
        "Đã ghi nhận quyết định {number}: {n} sản phẩm được công nhận.",
        "Recorded decision {number}: {n} products recognized.",
    ),
    "sign.recognized": ("Đã được công nhận", "Recognized"),
    "sign.refused_one": ("Không được ghi nhận: {why}", "Not recorded: {why}"),
    "sign.refused": (
        "{n} trong {total} sản phẩm không được ghi nhận (xem từng dòng); các sản phẩm khác đã được ghi nhận.",
        "{n} of {total} products were not recorded (see each row); the others were.",
    ),
    "plan.goal": ("Chỉ tiêu", "Goal"),
    "plan.achieved": ("Đã đạt", "Achieved"),
    "plan.status": ("Tình trạng", "Status"),
    "plan.areas_met": ("{met}/{total} địa bàn đạt", "{met} of {total} areas met"),
    "plan.by_area": ("Theo địa bàn", "By area"),
    "plan.area": (
        "đạt {achieved}, còn {remaining} — {status}",
        "{achieved} achieved, {remaining} to go — {status}",
    ),
    "goal.kind.new_products": ("Sản phẩm mới được công nhận", "New products recognized"),
    "goal.kind.upgraded_products": ("Sản phẩm được nâng hạng", "Products upgraded"),
    "goal.kind.re_evaluated_products": ("Sản phẩm được đánh giá lại", "Products re-evaluated"),
    "goal.kind.evaluated_products": ("Sản phẩm được đánh giá, phân hạng", "Products evaluated"),
    "goal.kind.proposed_to_central": (
        "Sản phẩm đề xuất Trung ương đánh giá",
        "Products proposed to the central level",
    ),
    "goal.kind.participating_organisations": (
        "Tổ chức kinh tế tham gia",
        "Producer organisations taking part",
    ),
    "goal.kind.new_organisations": ("Tổ chức kinh tế phát triển mới", "New producer organisations"),
    "goal.kind.consolidated_organisations": (
        "Tổ chức kinh tế được củng cố",
        "Producer organisations consolidated",
    ),
    "goal.kind.provincial_rounds": ("Đợt đánh giá cấp tỉnh", "Provincial evaluation rounds held"),
    "goal.rank": ("{stars}", "{stars}"),
    "goal.rank_or_higher": ("{stars} trở lên", "{stars} or higher"),
    "goal.in_commune": ("tại {name}", "in {name}"),
    "goal.in_district": ("tại {name}", "in {name}"),
    "goal.scope.each_commune": ("mỗi xã, phường", "in each commune"),
    "goal.scope.each_district": ("mỗi huyện, thị xã, thành phố", "in each district"),
    "goal.at_least": ("ít nhất {value}", "at least {value}"),
    "goal.range": ("từ {value} đến {up_to}", "{value} to {up_to}"),
    "goal.status.below": ("Chưa đạt", "Not yet met"),
    "goal.status.met": ("Đạt", "Met"),
    "goal.status.above": ("Vượt", "Exceeded"),
    # -- roles
    "role.producer": ("Chủ thể OCOP", "Producer"),
    "role.commune_officer": ("Cán bộ cấp xã", "Commune officer"),
    "role.district_officer": ("Cán bộ cấp huyện", "District officer"),
    "role.provincial_officer": ("Cán bộ cấp tỉnh", "Provincial officer"),
    "role.central_officer": ("Cán bộ Trung ương", "Central officer"),
    "role.council_member": ("Thành viên Hội đồng", "Council member"),
    "role.recognition_authority": ("Cấp có thẩm quyền công nhận", "Recognition authority"),
    "role.auditor": ("Kiểm toán viên", "Auditor"),
    "role.administrator": ("Quản trị viên", "Administrator"),
    "role.system": ("Hệ thống", "System"),
    # -- council seats
    "seat.chair": ("Chủ tịch", "chair"),
    "seat.vice_chair": ("Phó Chủ tịch", "vice-chair"),
    "seat.member": ("Ủy viên", "member"),
    "seat.secretary": ("Thư ký", "secretary"),
    # -- levels
    "level.commune": ("cấp xã", "commune"),
    "level.district": ("cấp huyện", "district"),
    "level.province": ("cấp tỉnh", "province"),
    "level.central": ("Trung ương", "central"),
    # a jurisdiction's kind, in a refusal (schemas/refusals.py, {…:place}): "tỉnh 38"
    "jurisdiction.national": ("toàn quốc", "national"),
    "jurisdiction.province": ("tỉnh", "province"),
    "jurisdiction.commune": ("xã", "commune"),
    "jurisdiction.district": ("huyện", "district"),
    # -- statuses
    "status.IDEA_REGISTERED": ("Đã đăng ký ý tưởng", "Idea registered"),
    "status.IDEA_RETURNED": ("Ý tưởng bị trả lại", "Idea returned"),
    "status.PLAN_PENDING": ("Chờ phương án SXKD", "Business plan pending"),
    "status.PLAN_SUBMITTED": ("Đã nộp phương án SXKD", "Business plan submitted"),
    "status.IN_DEVELOPMENT": ("Đang phát triển sản phẩm", "In development"),
    "status.DOSSIER_SUBMITTED": ("Đã nộp hồ sơ", "Dossier submitted"),
    "status.DOSSIER_RETURNED": ("Hồ sơ bị trả lại", "Dossier returned"),
    "status.AWAITING_ROUND": ("Chờ đợt đánh giá", "Awaiting a round"),
    "status.IN_EVALUATION": ("Đang đánh giá", "In evaluation"),
    "status.AWAITING_RECOGNITION": ("Chờ quyết định công nhận", "Awaiting recognition"),
    "status.AWAITING_APPROVAL": ("Chờ phê duyệt kết quả", "Awaiting approval of the result"),
    "status.CERTIFIED": ("Đã được công nhận", "Certified"),
    "status.NOT_RANKED": ("Không xếp hạng", "Not ranked"),
    "status.EXPIRED": ("Hết hiệu lực", "Expired"),
    "status.REVOKED": ("Bị thu hồi", "Revoked"),
    "status.WITHDRAWN": ("Đã rút", "Withdrawn"),
    # -- round statuses
    "round.open": ("đang mở", "open"),
    "round.closed": ("đã đóng", "closed"),
    "round.results_published": ("đã công bố kết quả", "results published"),
    # -- variants
    "variant.new": ("Đánh giá lần đầu", "New"),
    "variant.upgrade": ("Nâng hạng", "Upgrade"),
    "variant.re_evaluation": ("Đánh giá lại", "Re-evaluation"),
    # -- outcomes
    "outcome.not_ranked": ("Không xếp hạng", "Not ranked"),
    "outcome.recognize": ("Đề nghị công nhận", "To be recognized"),
    "outcome.forward": ("Chuyển lên cấp trên", "Forwarded"),
    "outcome.recognize_then_forward": ("Công nhận rồi chuyển lên", "Recognized, then forwarded"),
    "outcome.keep_certificate": ("Giữ giấy chứng nhận", "Keeps the certificate"),
    "outcome.approve_then_forward": ("Phê duyệt kết quả rồi chuyển lên", "Approved, then forwarded"),
    "outcome.returned_for_decision": ("Chuyển về tỉnh quyết định", "Returned to the province to decide"),
    # -- deadlines
    "deadline.dossier_completion": ("Bổ sung hồ sơ", "Dossier completion"),
    "deadline.commune_report": ("Báo cáo của xã", "Commune report"),
    "deadline.recognition": ("Quyết định công nhận", "Recognition decision"),
    "deadline.revocation_decision": (
        "Quyết định thu hồi (15 ngày từ ngày kết luận)",
        "Revocation decision (15 days from the conclusion)",
    ),
    "deadline.re_evaluation_completion": (
        "Hoàn thành đánh giá lại (45 ngày)",
        "Re-evaluation completed (45 days)",
    ),
    "deadline.passage_completion": (
        "Hoàn thành đánh giá theo điều khoản chuyển tiếp",
        "Completion under the transitional provision",
    ),
    # -- next steps (round results), codes of workflows.round_rules.result_row
    "next.recognize": ("Chờ công nhận {stars} {level}", "To be recognized {stars} at the {level} level"),
    "next.recognize_then_forward": (
        "Công nhận {stars} {level}, rồi chuyển lên {next}",
        "Recognized {stars} at the {level} level, then sent on to the {next} level",
    ),
    "next.forward": ("Chuyển lên {next}", "Sent on to the {next} level"),
    "next.not_ranked": ("Không xếp hạng", "Not ranked"),
    "next.keep_certificate": ("Giữ giấy chứng nhận hiện có", "Keeps its certificate"),
    "next.approve_then_forward": (
        "Chờ Chủ tịch UBND tỉnh phê duyệt, rồi chuyển lên Trung ương",
        "To be approved by the provincial chairman, then sent to the central council",
    ),
    "next.returned_for_decision": (
        "Chờ tỉnh công nhận theo kết quả Trung ương hoặc đánh giá lại",
        "The province recognizes on the central result or evaluates again",
    ),
    "next.carried_over": ("Chuyển sang đợt {round}", "Carried over to round {round}"),
    "next.withdrawn": ("Đã rút hồ sơ", "Withdrawn"),
    "next.pending": ("Chưa có kết quả", "No result yet"),
    # -- actions
    "act.accept-idea": ("Chấp nhận ý tưởng", "Accept the idea"),
    "act.return-idea": ("Trả lại ý tưởng", "Return the idea"),
    "act.resubmit-idea": ("Nộp lại ý tưởng", "Resubmit the idea"),
    "act.submit-plan": ("Nộp phương án SXKD", "Submit the business plan"),
    "act.approve-plan": ("Phê duyệt phương án", "Approve the plan"),
    "act.return-plan": ("Trả lại phương án", "Return the plan"),
    "act.submit-dossier": ("Nộp hồ sơ", "Submit the dossier"),
    "act.return-dossier": ("Trả lại hồ sơ", "Return the dossier"),
    "act.resubmit-dossier": ("Nộp lại hồ sơ", "Resubmit the dossier"),
    "act.accept-dossier": ("Tiếp nhận hồ sơ", "Accept the dossier"),
    "act.submit-self-assessment": ("Tự đánh giá sản phẩm", "Self-assess the product"),
    "act.submit-scorecard": ("Nộp phiếu chấm điểm", "Submit a scorecard"),
    "act.amend-scorecard": ("Sửa phiếu chấm điểm", "Amend a scorecard"),
    "act.finalize": ("Chốt kết quả", "Finalize the result"),
    "act.recognize": ("Ký quyết định công nhận", "Sign the recognition"),
    "act.approve-result": ("Phê duyệt kết quả đánh giá", "Approve the result"),
    "act.evaluate-again": ("Tổ chức đánh giá lại cấp tỉnh", "Have the province evaluate again"),
    "act.apply-upgrade": ("Đăng ký nâng hạng", "Apply for an upgrade"),
    "act.apply-re-evaluation": ("Đăng ký đánh giá lại", "Apply for re-evaluation"),
    "act.revoke": ("Thu hồi công nhận", "Revoke the recognition"),
    "act.open-revocation": ("Lập hồ sơ đề nghị thu hồi", "Open a revocation file"),
    "act.record-inspection": ("Ghi nhận kết quả kiểm tra, giám sát", "Record an inspection"),
    "act.request-meeting": ("Đề nghị Hội đồng họp trực tiếp", "Ask the council to meet in person"),
    "act.decide-site-check": ("Quyết định kiểm tra thực tế tại cơ sở", "Decide on a site survey"),
    "act.require-redo": (
        "Đề nghị tỉnh đánh giá lại và thu hồi quyết định công nhận",
        "Ask the province to redo the evaluation and revoke",
    ),
    "act.record-advisory-step": ("Ghi nhận bước của Tổ tư vấn", "Record an advisory team's step"),
    "act.withdraw": ("Rút hồ sơ", "Withdraw"),
    # -- event types
    "event.idea_registered": ("Đăng ký ý tưởng sản phẩm", "Product idea registered"),
    "event.certified_imported": ("Nhập sản phẩm đã được công nhận", "Certified product imported"),
    "event.idea_accepted": ("Chấp nhận ý tưởng", "Idea accepted"),
    "event.idea_returned": ("Trả lại ý tưởng", "Idea returned"),
    "event.idea_resubmitted": ("Nộp lại ý tưởng", "Idea resubmitted"),
    "event.plan_submitted": ("Nộp phương án SXKD", "Business plan submitted"),
    "event.plan_approved": ("Phê duyệt phương án SXKD", "Business plan approved"),
    "event.plan_returned": ("Trả lại phương án SXKD", "Business plan returned"),
    "event.dossier_submitted": ("Nộp hồ sơ sản phẩm", "Dossier submitted"),
    "event.upgrade_applied": ("Đăng ký nâng hạng", "Upgrade applied for"),
    "event.re_evaluation_applied": ("Đăng ký đánh giá lại", "Re-evaluation applied for"),
    "event.dossier_returned": ("Trả lại hồ sơ", "Dossier returned"),
    "event.dossier_resubmitted": ("Nộp lại hồ sơ", "Dossier resubmitted"),
    "event.dossier_accepted": ("Tiếp nhận hồ sơ", "Dossier accepted"),
    "event.self_assessment_submitted": ("Chủ thể tự đánh giá sản phẩm", "Producer's self-assessment"),
    "event.enrolled_in_round": ("Xếp vào đợt đánh giá", "Enrolled in a round"),
    "event.carried_over": ("Chuyển sang đợt sau", "Carried over to the next round"),
    "event.scorecard_submitted": ("Nộp phiếu chấm điểm", "Scorecard submitted"),
    "event.scorecard_amended": ("Sửa phiếu chấm điểm", "Scorecard amended"),
    "event.council_finalized": ("Hội đồng chốt kết quả", "Council result finalized"),
    "event.central_result_below_threshold": (
        "Kết quả Trung ương dưới ngưỡng 5 sao",
        "Central result below the 5-star threshold",
    ),
    "event.certificate_superseded": ("Giấy chứng nhận được thay thế", "Certificate superseded"),
    "event.recognized": ("Quyết định công nhận", "Recognized"),
    "event.result_approved": ("Phê duyệt kết quả đánh giá", "Result approved"),
    "event.sent_back_for_evaluation": ("Tổ chức đánh giá lại", "Sent back for evaluation"),
    # The event records that the expiry notice fell due; its hand-off is in the notices table.
    "event.expiry_notice_sent": ("Đến hạn thông báo hết hiệu lực", "Expiry notice due"),
    "event.certificate_expired": ("Giấy chứng nhận hết hiệu lực", "Certificate expired"),
    "event.revoked": ("Thu hồi công nhận", "Recognition revoked"),
    "event.re_evaluation_window_opened": (
        "Mở thời hạn nộp hồ sơ đánh giá lại",
        "Re-evaluation window opened",
    ),
    "event.re_evaluation_window_closing": (
        "Hết thời hạn nộp hồ sơ đánh giá lại",
        "Re-evaluation window closed",
    ),
    "event.certificate_extended": ("Kéo dài hiệu lực giấy chứng nhận", "Certificate extended"),
    "event.revocation_opened": ("Lập hồ sơ đề nghị thu hồi", "Revocation file opened"),
    "event.inspection_recorded": ("Kiểm tra, giám sát sau công nhận", "Post-recognition inspection"),
    "event.inspection_due": ("Đến kỳ kiểm tra định kỳ", "Periodic inspection due"),
    "deadline.results_publication": ("Công bố kết quả đợt đánh giá", "Publication of the results"),
    # How a council evaluates (EvaluationMode) and judges a rank's minimums (MinimumJudgement).
    "evaluation_mode.written_opinion": ("Lấy ý kiến bằng văn bản", "By written opinion"),
    "evaluation_mode.meeting": ("Họp Hội đồng", "In a meeting"),
    "part.A": ("Phần A", "Part A"),
    "part.B": ("Phần B", "Part B"),
    "part.C": ("Phần C", "Part C"),
    "judgement.criterion_mean": ("Theo điểm trung bình của tiêu chí", "By the criterion's mean"),
    "judgement.majority_of_sheets": ("Theo đa số phiếu chấm", "By a majority of the sheets"),
    # What a periodic inspection's interval is counted from (inspection_due's counted_from).
    "inspection_basis.recognition": ("Ngày công nhận", "The recognition"),
    "inspection_basis.inspection": ("Lần kiểm tra gần nhất", "The last inspection"),
    # The list of products due an inspection (web/inspections.py, qd26-2026 Art. 9.2.a).
    "inspections.title": ("Sản phẩm đến kỳ kiểm tra định kỳ", "Products due a periodic inspection"),
    "inspections.link": ("Sản phẩm đến kỳ kiểm tra định kỳ", "Products due a periodic inspection"),
    "inspections.rule": (
        "Sản phẩm OCOP đã được công nhận được kiểm tra định kỳ (Điều 9, Quyết định 26/2026/QĐ-TTg). "
        "Quyết định không quy định chu kỳ; chu kỳ tính từ ngày công nhận hoặc lần kiểm tra gần nhất "
        "(lấy ngày muộn hơn) là quy định của Chương trình. Kết quả kiểm tra được ghi nhận trên trang "
        "hành trình của từng sản phẩm.",
        "Recognized OCOP products are inspected periodically (Decision 26/2026/QĐ-TTg, Art. 9). The "
        "decision sets no interval; the interval, counted from the recognition or the last inspection "
        "(whichever is later), is the programme's setting. Each inspection is recorded on the "
        "product's journey page.",
    ),
    "inspections.commune": ("Xã, phường", "Commune"),
    "inspections.every_commune": ("Tất cả xã, phường", "Every commune"),
    "inspections.stars": ("Hạng sao", "Stars"),
    "inspections.every_star": ("Tất cả hạng sao", "Every rank"),
    "inspections.n_stars": ("{n} sao", "{n} stars"),
    "inspections.ahead": ("Thời điểm", "When"),
    "inspections.due_today": ("Đã đến kỳ", "Due now"),
    "inspections.within": ("Đến kỳ trong {days} ngày tới", "Due within {days} days"),
    "inspections.show": ("Xem", "Show"),
    "inspections.summary": (
        "Sản phẩm của {where} đến kỳ kiểm tra định kỳ, tính đến ngày {day}; kỳ quá hạn lâu nhất trước.",
        "Products of {where} due a periodic inspection as of {day}; the longest overdue first.",
    ),
    "inspections.your_area": ("địa bàn của bạn", "your area"),
    "inspections.none": (
        "Không có sản phẩm nào đến kỳ kiểm tra định kỳ.",
        "No product is due a periodic inspection.",
    ),
    "inspections.product": ("Sản phẩm", "Product"),
    "inspections.producer": ("Chủ thể OCOP", "Producer"),
    "inspections.certificate": ("Giấy chứng nhận số", "Certificate"),
    "inspections.recognized_on": ("Ngày công nhận", "Recognized on"),
    "inspections.last_inspected_on": ("Lần kiểm tra gần nhất", "Last inspection"),
    "inspections.never": ("Chưa kiểm tra", "None yet"),
    "inspections.due_on": ("Đến kỳ từ ngày", "Due from"),
    "inspections.overdue": ("Quá hạn", "Overdue"),
    "inspections.days": ("{days} ngày", "{days} days"),
    "inspections.today": ("Hôm nay", "Today"),
    "inspections.in_days": ("Còn {days} ngày", "In {days} days"),
    "inspections.pages": ("Trang", "Pages"),
    "inspections.first": ("Trang đầu", "First page"),
    "inspections.more": ("Trang sau", "Next page"),
    "event.meeting_requested": ("Thành viên đề nghị Hội đồng họp trực tiếp", "A member asked for a meeting"),
    "event.site_check_decided": ("Quyết định kiểm tra thực tế tại cơ sở", "Site-survey choice recorded"),
    "event.redo_required": (
        "Bộ đề nghị tỉnh đánh giá lại, thu hồi quyết định công nhận",
        "The ministry asked the province to redo the evaluation",
    ),
    "event.advisory_step_recorded": ("Tổ tư vấn Hội đồng", "Advisory team's step"),
    "event.result_notice_issued": (
        "Thông báo bằng văn bản kết quả đánh giá (không công nhận)",
        "Written notice of the result (no recognition)",
    ),
    "event.withdrawn": ("Rút hồ sơ", "Withdrawn"),
    "event.deadline_missed": ("Quá thời hạn", "Deadline missed"),
    "event.conflict_recorded": ("Ghi nhận xung đột lợi ích", "Conflict of interest recorded"),
    # -- printed documents (web/printed.py): PDFs printed from the log
    "printed.documents": ("Văn bản (PDF)", "Documents (PDF)"),
    "printed.certificate": ("Giấy chứng nhận", "Certificate"),
    "printed.decision": ("Quyết định công nhận", "Recognition decision"),
    "printed.scoresheets": ("Phiếu chấm điểm của Hội đồng (PDF)", "The council's scoresheets (PDF)"),
    "printed.scoresheets.title": ("Phiếu chấm điểm — {product}", "Scoresheets — {product}"),
    "printed.scoresheets.intro": (
        "Phiếu của từng thành viên trong kết quả đánh giá gần nhất, như khi Chủ tịch Hội đồng chốt kết quả.",
        "Each member's sheet in the latest council result, as it stood when the chair finalized it.",
    ),
    "printed.scoresheets.none": ("Chưa có kết quả đánh giá được chốt.", "No council result finalized yet."),
    "printed.minutes": ("Biên bản họp Hội đồng (PDF)", "Minutes of the council (PDF)"),
    "printed.back": ("Quay lại hành trình sản phẩm", "Back to the product's journey"),
}


# -- the events' fields on the timeline (web/journey.py event_details): each field of an event of a
# journey, round, council or plan, in both languages; tests/web/test_i18n.py walks every event class.
EVENT_FIELDS: Final[dict[str, tuple[str, str]]] = {
    "accepted_on": ("Ngày tiếp nhận", "Accepted on"),
    "added": ("Thành viên bổ sung", "Members added"),
    "application_only": ("Chỉ rút đơn đăng ký (giữ giấy chứng nhận)", "Only the application withdrawn"),
    "band_stars": ("Hạng sao theo điểm", "Stars by the score"),
    "body": ("Cơ quan kiểm tra", "Inspecting body"),
    "by_certificate_number": ("Thay bằng giấy chứng nhận số", "Replaced by certificate"),
    "carried_over": ("Số sản phẩm chuyển đợt sau", "Products carried over"),
    "certificate": ("Giấy chứng nhận", "Certificate"),
    "certificate_number": ("Số giấy chứng nhận", "Certificate number"),
    "checked": ("Nội dung kiểm tra", "What was checked"),
    "choices": ("Lựa chọn theo tiêu chí", "Options by criterion"),
    "closes_on": ("Ngày kết thúc", "Closes on"),
    "commune_assessment": ("Đánh giá của xã (Mẫu 03)", "The commune's assessment (Mẫu 03)"),
    "commune_code": ("Mã xã, phường", "Commune code"),
    "commune_report": ("Báo cáo của xã", "Commune report"),
    "commune_report_due": ("Hạn báo cáo của xã", "Commune report due"),
    "completion_due": ("Hạn bổ sung hồ sơ", "Completion due"),
    "concluded_on": ("Ngày kết luận", "Concluded on"),
    "conclusion": ("Văn bản kết luận", "Concluding document"),
    "conflicts": ("Xung đột lợi ích", "Conflicts of interest"),
    "contents": ("Thành phần hồ sơ", "Dossier contents"),
    "council": ("Hội đồng", "Council"),
    "council_id": ("Hội đồng", "Council"),
    "counted_from": ("Tính từ", "Counted from"),
    "criterion_evidence": ("Minh chứng theo tiêu chí", "Evidence by criterion"),
    "cut_off": ("Hạn chót nhận hồ sơ", "Cut-off date"),
    "deadline": ("Thời hạn", "Deadline"),
    "decision_date": ("Ngày quyết định", "Decision date"),
    "decision_due": ("Hạn ra quyết định", "Decision due"),
    "decision_number": ("Số quyết định", "Decision number"),
    "dispersion_limit": ("Giới hạn chênh lệch điểm", "Dispersion limit"),
    "district": ("Huyện", "District"),
    "districts": ("Các huyện", "Districts"),
    "document": ("Tài liệu", "Document"),
    "documents": ("Tài liệu", "Documents"),
    "due": ("Hạn", "Due"),
    "due_from": ("Trách nhiệm của", "Owed by"),
    "due_on": ("Đến kỳ ngày", "Due on"),
    "earlier_certificates": ("Giấy chứng nhận trước đó", "Earlier certificates"),
    "evaluation_mode": ("Hình thức đánh giá", "How the council evaluates"),
    "evidence": ("Tài liệu chứng minh", "Evidence"),
    "extended_until": ("Gia hạn đến", "Extended until"),
    "failed_mandatory_criteria": ("Tiêu chí bắt buộc không đạt", "Mandatory criteria failed"),
    "filed_late": ("Nộp quá hạn", "Filed late"),
    "findings": ("Kết quả, nhận xét", "Findings"),
    "former_province": ("Tỉnh trước sáp nhập", "Province before the merger"),
    "forward_to": ("Chuyển lên cấp", "Forwarded to"),
    "from_round": ("Từ đợt", "From round"),
    "goals": ("Mục tiêu", "Goals"),
    "ground": ("Trường hợp thu hồi", "Case of revocation"),
    "grounds": ("Căn cứ", "Grounds"),
    "held_back": ("Hạng sao chưa đạt do điểm tối thiểu", "Ranks held back by minimums"),
    "held_on": ("Ngày thực hiện", "Held on"),
    "inspected_on": ("Ngày kiểm tra", "Inspected on"),
    "interval_days": ("Chu kỳ (ngày)", "Interval (days)"),
    "journey_id": ("Hành trình sản phẩm", "Product journey"),
    "judged_by": ("Cách xét điểm tối thiểu", "How minimums are judged"),
    "jurisdiction": ("Địa bàn", "Jurisdiction"),
    "kind": ("Hình thức", "Kind"),
    "label": ("Tên", "Label"),
    "lapsed": ("Quá hạn nên tự chấm dứt", "Lapsed at its deadline"),
    "level": ("Cấp", "Level"),
    "mean": ("Điểm trung bình", "Mean score"),
    "meeting_date": ("Ngày họp", "Meeting date"),
    "meeting_grounds": ("Lý do họp trực tiếp", "Grounds for meeting"),
    "meets_criteria": ("Kết luận", "Conclusion"),
    "member_id": ("Thành viên", "Member"),
    "met_on": ("Ngày họp", "Met on"),
    "minimum": ("Điểm tối thiểu", "Minimum"),
    "minimum_judgement": ("Cách xét điểm tối thiểu", "How minimums are judged"),
    "extra_rounds_allowed": ("Quy chế cho phép thêm đợt ngoài lịch", "Regulation allows extra rounds"),
    "missing_items": ("Nội dung còn thiếu", "Missing items"),
    "name": ("Tên", "Name"),
    "next_level": ("Cấp tiếp theo", "Next level"),
    "not_applicable": ("Tiêu chí không áp dụng", "Criteria not applicable"),
    "notified": ("Đã thông báo cho", "Notified"),
    "number": ("Số", "Number"),
    "opens_on": ("Ngày bắt đầu", "Opens on"),
    "outcome": ("Kết quả", "Outcome"),
    "parts": ("Điểm theo phần", "Scores by part"),
    "points": ("Điểm theo tiêu chí", "Points by criterion"),
    "previous_total": ("Tổng điểm trước khi sửa", "Previous total"),
    "producer_id": ("Chủ thể OCOP", "Producer"),
    "producer_organisation": ("Tổ chức của chủ thể", "Producer's organisation"),
    "product_code": ("Mã sản phẩm", "Product code"),
    "product_group": ("Nhóm sản phẩm", "Product group"),
    "product_name": ("Tên sản phẩm", "Product name"),
    "product_set": ("Bộ sản phẩm (Phụ lục I)", "Product set (Phụ lục I)"),
    "proposal": ("Văn bản đề nghị của xã", "The commune's proposal"),
    "province_code": ("Mã tỉnh", "Province code"),
    "quorum": ("Số thành viên tối thiểu", "Quorum"),
    "re_evaluation_due": ("Hạn nộp hồ sơ đánh giá lại", "Re-evaluation due"),
    "reason": ("Lý do", "Reason"),
    "receipt_number": ("Số tiếp nhận hồ sơ", "Receipt number"),
    "recognition_due": ("Hạn ra quyết định công nhận", "Recognition due"),
    "recognize_stars": ("Hạng sao được công nhận", "Stars to recognize"),
    "reference": ("Văn bản kế hoạch", "Plan document"),
    "removed": ("Thành viên rút khỏi Hội đồng", "Members removed"),
    "results": ("Kết quả", "Results"),
    "results_due": ("Hạn công bố kết quả", "Results due"),
    "revision": ("Lần điều chỉnh", "Revision"),
    "round_id": ("Đợt đánh giá", "Round"),
    "rulebook": ("Bộ tiêu chí", "Rulebook"),
    "scorecards": ("Số phiếu chấm", "Scorecards"),
    "seats": ("Thành viên Hội đồng", "Seats"),
    "sheet": ("Phiếu chấm (bộ sản phẩm)", "Scoresheet (product set)"),
    "since": ("Kể từ", "Since"),
    "stars": ("Hạng sao", "Stars"),
    "step": ("Bước", "Step"),
    "submitted_on": ("Ngày nộp", "Submitted on"),
    "survey": ("Khảo sát thực tế", "Site survey"),
    "targets": ("Chỉ tiêu theo hạng sao", "Targets by stars"),
    "to_round": ("Sang đợt", "To round"),
    "total": ("Tổng điểm", "Total"),
    "valid_until": ("Hiệu lực đến", "Valid until"),
    "variant": ("Loại đánh giá", "Kind of evaluation"),
    "voided_total": ("Tổng điểm bị hủy", "Voided total"),
    "year": ("Năm", "Year"),
}
# The fields holding codes, and the family of words each code reads in (``{family}.{code}``).
EVENT_FIELD_CODES: Final[dict[str, str]] = {
    "level": "level",
    "forward_to": "level",
    "next_level": "level",
    "outcome": "outcome",
    "variant": "variant",
    "deadline": "deadline",
    "ground": "ground",
    "grounds": "site",  # a site check's grounds (a revocation's are free text, shown as written)
    "step": "advisory",
    "kind": "inspection",
    "checked": "check",
    "counted_from": "inspection_basis",
    "evaluation_mode": "evaluation_mode",
    "minimum_judgement": "judgement",
    "judged_by": "judgement",
    "due_from": "role",
    "notified": "role",
    "survey": "survey",
    "meets_criteria": "meets",
    "parts": "part",  # the scorecard's parts A, B, C (their scores follow)
}


def score_text(value: Decimal, lang: str) -> str:
    """A score with two decimals, rounded half-up; a decimal comma in Vietnamese."""
    text = f"{value.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP):.2f}"
    return text.replace(".", ",") if lang == "vi" else text


def date_text(day: date | datetime) -> str:
    """dd/mm/yyyy; a moment is shown as its day in Vietnam."""
    if isinstance(day, datetime):
        day = day.astimezone(VIETNAM)
    return day.strftime("%d/%m/%Y")


def datetime_text(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM:SS, Vietnam time."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


def stars_text(stars: int | None) -> str:
    return "★" * stars if stars else "—"


class Translator:
    """The messages of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        self._index = LANGUAGES.index(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        if pair is None:
            return key
        text = pair[self._index]
        return text.format(**values) if values else text

    def code(self, prefix: str, value: object) -> str:
        """A code the engine gives (a status, an event type, a role ...); itself if unknown."""
        text = str(getattr(value, "value", value))
        key = f"{prefix}.{text}"
        return self(key) if key in MESSAGES else text

    def field(self, name: str) -> str:
        """An event's field as the timeline labels it (``EVENT_FIELDS``); itself if unknown."""
        pair = EVENT_FIELDS.get(name)
        return pair[self._index] if pair is not None else name

    def next_step(self, code: str) -> str:
        """A next-step code of a round's results (``workflows.round_rules.result_row``)."""
        kind, *args = code.split(":")
        if kind in ("recognize", "recognize_then_forward") and len(args) >= 2:
            stars = int(args[1]) if args[1].isdigit() else None
            following = self.code("level", args[2]) if len(args) > 2 else ""
            return self(
                f"next.{kind}", stars=stars_text(stars), level=self.code("level", args[0]), next=following
            )
        if kind == "forward" and args:
            return self("next.forward", next=self.code("level", args[0]))
        if kind == "carried_over" and args:
            return self("next.carried_over", round=":".join(args))
        return self.code("next", kind)

    def chain_problem(self, link: BrokenLink) -> str:
        """What broke a hash chain (``store.verify``), in this language; as stored if it has no code."""
        if link.kind is None:
            return link.problem
        return self(f"verify.problem.{link.kind}", version=link.version, previous=link.version - 1)

    def score(self, value: Decimal | None) -> str:
        return score_text(value, self.lang) if value is not None else "—"

    def join(self, items: list[str]) -> str:
        """ "2.1, 3.4 và 5.1": items as a sentence lists them."""
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + self("common.and") + items[-1]

    def number(self, value: Decimal) -> str:
        """A number as short as it reads exactly (a part maximum: 40, 12,5)."""
        text = format(value.normalize(), "f")
        return text.replace(".", ",") if self.lang == "vi" else text
