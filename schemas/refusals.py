"""Why the engine refused a step, in Vietnamese and English (lý do từ chối): one catalogue of
templates, a refusal names its template by key with its parameters.

A domain error (``schemas.errors``), an ``AccessDenied`` and an API error may carry a ``Reason``:
the key of its template here and the parameters the template names (JSON-safe, so they cross
Temporal in the ``ApplicationError``'s details). Its English message — the error's ``message``,
what logs and Temporal show — is made from the same template, so nothing is written twice.

A placeholder ``{name}`` is the parameter as given; ``{name:number}`` a decimal (a decimal comma in
Vietnamese); ``{name:date}`` an ISO date, written dd/mm/yyyy in Vietnamese and as it is (yyyy-mm-dd)
in English; ``{name:place}`` a jurisdiction
("province 38", "national": its kind in the reader's words, ``jurisdiction.*``); any other spec
names a kind of code (``{status:status}``, ``{role:role}``, ``{level:level}``) shown in the
reader's words, which the caller passes (the pages' code words, ``web.i18n.Translator.code``);
without them, the code itself.
A list parameter is its items joined with commas, or with "or" (``{name:status/or}``) or "and".
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Final, TypeAlias

LANGUAGES: Final = ("vi", "en")
ENGLISH: Final = "en"

# What a parameter may be: JSON-safe values (a Decimal is kept as its exact string).
Param: TypeAlias = str | int | bool | list[str] | None
# A code in the reader's words: (kind, code) -> words, e.g. ("status", "AWAITING_ROUND").
CodeWords: TypeAlias = Callable[[str, str], str]

# key -> (Vietnamese, English). Keys are grouped by the module that refuses.
TEMPLATES: Final[dict[str, tuple[str, str]]] = {
    # -- workflows/scoring.py: a council member's scorecard and the council's result
    "scoring.parts_exactly_abc": (
        "phiếu đánh giá gồm đúng ba phần A, B và C",
        "a scorecard has exactly the parts A, B and C",
    ),
    "scoring.part_range": (
        "phần {part} được chấm từ 0 đến {maximum:number}; đã nhập {value:number}",
        "part {part} is scored from 0 to {maximum:number}; got {value:number}",
    ),
    "scoring.part_decimals": (
        "phần {part} có tối đa {places} chữ số thập phân; đã nhập {value:number}",
        "part {part} has at most {places} decimals; got {value:number}",
    ),
    "scoring.no_scorecard": ("chưa có phiếu đánh giá nào được nộp", "no scorecard has been submitted"),
    "scoring.quorum": (
        "mới có {scored} trên {required} phiếu đánh giá cần để đủ số thành viên",
        "{scored} of the {required} scorecards needed for a quorum have been submitted",
    ),
    "scoring.chair_absent": (
        "Chủ tịch Hội đồng chưa chấm điểm: Chủ tịch phải có mặt trong số thành viên chấm",
        "the chair has not scored: the chair must be among those present",
    ),
    "scoring.dispersion": (
        "tổng điểm cao nhất và thấp nhất chênh nhau {spread:number} điểm (tối đa {limit:number}): "
        "các thành viên cần sửa phiếu đánh giá",
        "the highest and lowest totals differ by {spread:number} points (at most {limit:number} "
        "allowed): members must amend their scorecards",
    ),
    # -- workflows/places.py: provinces and communes of 2025
    "places.not_a_province": (
        "{code} không phải mã tỉnh, thành phố năm 2025 (34 tỉnh, thành phố)",
        "{code} is not a province code of 2025 (34 provinces)",
    ),
    "places.not_a_commune": (
        "{code} không phải mã xã, phường, đặc khu năm 2025",
        "{code} is not a commune code of 2025",
    ),
    "places.commune_elsewhere": (
        "{commune} ({code}) không thuộc tỉnh, thành phố có mã {province}",
        "commune {commune} ({code}) is not in province {province}",
    ),
    # -- workflows/plan_rules.py: a province's yearly plan
    "plan.setter": (
        "kế hoạch của tỉnh do cán bộ cấp tỉnh hoặc quản trị viên lập",
        "a province's plan is set by its provincial officer or an administrator",
    ),
    "plan.total_below_targets": (
        "tổng chỉ tiêu không được thấp hơn tổng các chỉ tiêu theo hạng sao",
        "the total target cannot be lower than the sum of the per-star targets",
    ),
    "plan.targets_or_goals": (
        "kế hoạch ghi chỉ tiêu theo hạng sao và tổng, hoặc các mục tiêu, không ghi cả hai",
        "a plan gives per-star targets and a total, or its goals, not both",
    ),
    "plan.goal_total_below": (
        "tổng số sản phẩm mới ({total}) không được thấp hơn tổng các mục tiêu theo hạng sao ({per_star})",
        "the total of new products ({total}) cannot be lower than the sum of the per-star goals "
        "({per_star})",
    ),
    # -- workflows/council_rules.py: councils (Hội đồng đánh giá, phân hạng)
    "council.province_jurisdiction": (
        "Hội đồng cấp tỉnh họp cho một mã tỉnh, không phải {jurisdiction}",
        "a provincial council sits for a province code, not {jurisdiction}",
    ),
    "council.central_national": (
        "Hội đồng Trung ương là cấp quốc gia: phạm vi của Hội đồng là {national}",
        "the central council is national: its jurisdiction is {national}",
    ),
    "council.roster": ("thành phần Hội đồng không hợp lệ: {problem}", "the council's seats: {problem}"),
    "council.appointer": (
        "Hội đồng do {role:role} hoặc quản trị viên thành lập",
        "councils are appointed by the {role:role} or an administrator",
    ),
    "council.exists": ("Hội đồng {council} đã có", "council {council} exists already"),
    "council.unknown": ("không có Hội đồng này", "no such council"),
    "council.conflict_recorder": (
        "xung đột lợi ích do chính thành viên khai hoặc do {role:role} ghi nhận",
        "a conflict of interest is declared by the member or recorded by a {role:role}",
    ),
    "council.not_a_member": (
        "{member} không ngồi trong Hội đồng {council}",
        "{member} does not sit on council {council}",
    ),
    # -- api/access.py: who may read and do what, where (AccessDenied, InvalidSeat)
    "access.own_journeys": (
        "chủ thể OCOP chỉ xem được hành trình sản phẩm của mình",
        "a producer sees only their own journeys",
    ),
    "access.seated_journeys": (
        "thành viên Hội đồng chỉ xem được hành trình của sản phẩm do Hội đồng của mình đánh giá",
        "a council member sees only the journeys their councils evaluate",
    ),
    "access.journey_outside": (
        "hành trình sản phẩm nằm ngoài địa bàn của bạn ({yours:place})",
        "the journey lies outside your jurisdiction ({yours:place})",
    ),
    "access.auditors_read": (
        "kiểm toán viên chỉ đọc, không thay đổi gì",
        "auditors read; they change nothing",
    ),
    "access.role_cannot": (
        "{role:role} không được thực hiện bước “{action:act}”",
        "a {role:role} cannot {action:act}",
    ),
    "access.own_producer": (
        "chỉ chủ thể OCOP của chính hành trình này được thực hiện bước này",
        "only the journey's own producer may take this step",
    ),
    "access.own_dossiers": (
        "chủ thể OCOP chỉ đọc được hồ sơ của mình",
        "a producer reads only their own dossiers",
    ),
    "access.seated_dossiers": (
        "thành viên Hội đồng chỉ đọc được hồ sơ của sản phẩm do Hội đồng của mình đánh giá",
        "a council member reads the dossiers of the products their councils evaluate",
    ),
    "access.no_dossier_reading": (
        "{role:role} không đọc tài liệu của hồ sơ",
        "a {role:role} does not read dossier documents",
    ),
    "access.no_dossier_upload": (
        "{role:role} không thêm tài liệu vào hồ sơ",
        "a {role:role} does not add documents to a dossier",
    ),
    "access.erase_document": (
        "chỉ quản trị viên được xóa một tài liệu",
        "only an administrator erases a document",
    ),
    "access.authority_level": (
        "bước “{action:act}” này do cấp có thẩm quyền {required:level} ký; bạn hoạt động ở {acting:level}",
        "this {action:act} is signed by the {required:level} authority; you act at the {acting:level} level",
    ),
    "access.producers_register": (
        "chỉ chủ thể OCOP đăng ký ý tưởng sản phẩm, không phải {role:role}",
        "only producers register product ideas, not a {role:role}",
    ),
    "access.register_outside": (
        "chủ thể OCOP chỉ đăng ký sản phẩm trên địa bàn của mình ({yours:place})",
        "a producer registers products of their own jurisdiction ({yours:place})",
    ),
    "access.administrators_import": (
        "chỉ quản trị viên được nhập sản phẩm đã được công nhận",
        "only administrators import certified products",
    ),
    "access.product_outside": (
        "sản phẩm nằm ngoài địa bàn của bạn ({yours:place})",
        "the product lies outside your jurisdiction ({yours:place})",
    ),
    "access.council_manager": (
        "Hội đồng {level:level} do {officer:role} hoặc quản trị viên quản lý",
        "a {level:level} council is managed by a {officer:role} or an administrator",
    ),
    "access.council_outside": (
        "Hội đồng họp cho {place:place}, ngoài địa bàn của bạn ({yours:place})",
        "the council sits for {place:place}, outside your jurisdiction ({yours:place})",
    ),
    "access.seat_unknown": (
        "không có thành viên Hội đồng {member} đang hoạt động để xếp vào Hội đồng",
        "no active council member {member} to seat",
    ),
    "access.seat_role": (
        "{member} là {role:role}, không phải thành viên Hội đồng",
        "{member} is a {role:role}, not a council member",
    ),
    "access.seat_elsewhere": (
        "{member} là thành viên Hội đồng của {theirs:place}, không phải của {place:place}",
        "{member} is a council member of {theirs:place}, not of {place:place}",
    ),
    "access.own_conflicts": (
        "thành viên Hội đồng chỉ khai xung đột lợi ích của chính mình",
        "a council member declares only their own conflicts of interest",
    ),
    "access.seated_conflicts": (
        "thành viên Hội đồng chỉ khai xung đột lợi ích trong Hội đồng mình tham gia",
        "a council member declares conflicts only on a council they sit on",
    ),
    "access.conflict_recorder": (
        "xung đột lợi ích trong Hội đồng {level:level} do chính thành viên khai hoặc do {officer:role} "
        "ghi nhận",
        "a conflict of interest on a {level:level} council is declared by the member or recorded by a "
        "{officer:role}",
    ),
    "access.seated_councils": (
        "thành viên Hội đồng chỉ xem được Hội đồng mình tham gia",
        "a council member sees only the councils they sit on",
    ),
    "access.no_council_reading": (
        "{role:role} không xem Hội đồng và đợt đánh giá",
        "a {role:role} does not read councils and rounds",
    ),
    "access.round_runner": (
        "đợt đánh giá của Hội đồng {level:level} do {officer:role} điều hành",
        "rounds of a {level:level} council are run by a {officer:role}",
    ),
    "access.round_outside": (
        "Hội đồng của đợt đánh giá họp cho {place:place}, ngoài địa bàn của bạn ({yours:place})",
        "the round's council sits for {place:place}, outside your jurisdiction ({yours:place})",
    ),
    "access.plan_setter": (
        "kế hoạch của tỉnh do cán bộ cấp tỉnh hoặc quản trị viên lập",
        "a province's plan is set by its provincial officer or an administrator",
    ),
    "access.no_plan_reading": (
        "{role:role} không xem kế hoạch và thống kê",
        "a {role:role} does not read plans and statistics",
    ),
    "access.no_inspection_list": (
        "{role:role} không xem danh sách sản phẩm đến kỳ kiểm tra",
        "a {role:role} does not read the list of products due an inspection",
    ),
    "access.national_statistics": (
        "thống kê của mọi tỉnh dành cho người đọc cấp toàn quốc: hãy chọn một tỉnh",
        "statistics of every province are for national readers: name a province",
    ),
    "access.province_outside": (
        "tỉnh {province} nằm ngoài địa bàn của bạn ({yours:place})",
        "province {province} lies outside your jurisdiction ({yours:place})",
    ),
    "access.national_log": (
        "toàn bộ nhật ký quyết định dành cho kiểm toán viên, quản trị viên và cán bộ Trung ương "
        "cấp toàn quốc",
        "the whole decision log is for national auditors, administrators and central officers",
    ),
    "access.administrators_create": (
        "chỉ quản trị viên được tạo tài khoản người dùng",
        "only administrators create actors",
    ),
    "access.actor_outside": (
        "{place:place} nằm ngoài địa bàn của bạn ({yours:place})",
        "{place:place} lies outside your jurisdiction ({yours:place})",
    ),
    # -- store/documents.py, api/documents.py: a dossier's documents
    "documents.too_large": (
        "{what} sẽ lớn hơn giới hạn {limit} byte",
        "the {what} would be larger than {limit} bytes",
    ),
    "documents.unknown_kind": (
        "nội dung không phải tệp PDF, JPEG, PNG, DOCX, XLSX hay ODT (kiểm tra theo nội dung tệp)",
        "the content is not a PDF, JPEG, PNG, DOCX, XLSX or ODT file (checked by its bytes)",
    ),
    "documents.not_as_sent": (
        "nội dung là {kind} ({media_type}), không phải {claimed} như khi gửi",
        "the content is {kind} ({media_type}), not the {claimed} it was sent as",
    ),
    "documents.erased_content": (
        "nội dung này đã bị xóa theo yêu cầu pháp lý; không được lưu lại",
        "this content was erased on a legal request; it is not kept again",
    ),
    "documents.erased": (
        "tài liệu này đã bị xóa theo yêu cầu pháp lý",
        "this document was erased on a legal request",
    ),
    "documents.content_missing": (
        "nội dung sha256:{sha256} không còn trong kho lưu trữ",
        "the content of sha256:{sha256} is missing from the store",
    ),
    "documents.content_changed": (
        "nội dung sha256:{sha256} không còn khớp với mã băm của nó",
        "the content of sha256:{sha256} no longer matches its hash",
    ),
    "documents.changed_while_read": (
        "nội dung sha256:{sha256} đã thay đổi trong khi đọc",
        "the content of sha256:{sha256} changed while it was read",
    ),
    "documents.unknown": ("không có tài liệu sha256:{sha256}", "no document sha256:{sha256}"),
    "documents.not_uploaded": (
        "tài liệu được dẫn không phải tài liệu đã tải lên cho hành trình này: hãy tải lên trước "
        "(POST /v1/journeys/{{journey_id}}/documents)",
        "a cited document is not one uploaded for this journey: upload it first "
        "(POST /v1/journeys/{{journey_id}}/documents)",
    ),
    "documents.not_multipart": (
        "hãy gửi tài liệu dạng multipart/form-data, trong trường 'file'",
        "send the document as multipart/form-data, in the field 'file'",
    ),
    "documents.not_found": (
        "không có tài liệu sha256:{sha256} trong hành trình {journey}",
        "no document sha256:{sha256} in journey {journey}",
    ),
    "documents.one_file": ("mỗi lần tải lên chỉ gửi một tệp", "send one file per upload"),
    "documents.malformed": (
        "nội dung gửi không phải multipart/form-data hợp lệ",
        "the body is not a well-formed multipart/form-data body",
    ),
    "documents.no_file": (
        "hãy gửi tài liệu trong trường {field} của biểu mẫu (multipart/form-data)",
        "send the document as the form field {field} (multipart/form-data)",
    ),
    # -- store/accounts.py: actors' accounts (tài khoản)
    "accounts.unknown_actor": ("không có người dùng {actor}", "no actor {actor}"),
    "accounts.inactive": ("người dùng {actor} đã bị vô hiệu hóa", "actor {actor} is deactivated already"),
    "accounts.unknown_party": (
        "không có bên liên quan {party} (hoặc thông tin đã bị xóa)",
        "no party {party} (or its details were erased)",
    ),
    "accounts.active": ("người dùng {actor} đang hoạt động", "actor {actor} is active"),
    "accounts.sign_in_exists": (
        "người dùng {actor} đã có tài khoản đăng nhập",
        "actor {actor} has a sign-in already",
    ),
    "accounts.user_name_taken": ("tên đăng nhập này đã được dùng", "this user name is taken"),
    "accounts.no_sign_in": ("người dùng {actor} chưa có tài khoản đăng nhập", "actor {actor} has no sign-in"),
    "accounts.second_factor_enrolled": (
        "đã đăng ký xác thực hai lớp",
        "a second factor is enrolled already",
    ),
    "accounts.administrators_manage": (
        "chỉ quản trị viên quản lý tài khoản người dùng",
        "only administrators manage actors",
    ),
    "accounts.self_deactivation": (
        "quản trị viên không thể tự vô hiệu hóa chính mình",
        "an administrator cannot deactivate themself",
    ),
    # -- schemas/numbers.py: a part score in an API body
    "numbers.not_boolean": (
        "điểm là một số, không phải true hay false",
        "a score is a number, not true or false",
    ),
    "numbers.finite": ("điểm là một số hữu hạn", "a score is a finite number"),
    "numbers.kind": (
        'điểm là một chuỗi số thập phân như "32.50" hoặc một số JSON',
        'a score is a decimal string such as "32.50" or a JSON number',
    ),
    "numbers.plain": (
        'điểm là số thập phân đơn giản với tối đa {places} chữ số thập phân, như "32.50" '
        "(không số mũ, dấu, khoảng trắng, số 0 ở đầu hay thêm chữ số thập phân)",
        'a score is a plain decimal with at most {places} decimals, such as "32.50" '
        "(no exponent, sign, spaces, leading zeros or further decimals)",
    ),
    "numbers.ceiling": ("điểm tối đa là {ceiling:number}", "a score is at most {ceiling:number}"),
    # -- api/routers/producers.py: producer organisations (chủ thể OCOP)
    "producers.own_organisation": (
        "chủ thể OCOP chỉ xem được tổ chức mà tài khoản của mình đại diện",
        "a producer sees only the organisation their account acts for",
    ),
    "producers.no_reading": (
        "{role:role} không xem thông tin chủ thể OCOP",
        "a {role:role} does not read producers",
    ),
    "producers.outside": (
        "chủ thể OCOP nằm ngoài địa bàn của bạn",
        "the producer lies outside your jurisdiction",
    ),
    "producers.change_own": (
        "chủ thể OCOP chỉ thay đổi tổ chức mà tài khoản của mình đại diện",
        "a producer changes only the organisation their account acts for",
    ),
    "producers.enter_own_place": (
        "chủ thể OCOP chỉ khai tổ chức trên địa bàn của mình",
        "a producer enters an organisation of their own jurisdiction",
    ),
    "producers.managers": (
        "chủ thể OCOP do cán bộ cấp xã, cơ quan cấp tỉnh, quản trị viên hoặc chính tài khoản của chủ thể "
        "khai, không phải {role:role}",
        "producers are entered by the commune officer, the provincial agency, an administrator or the "
        "producer's own account, not a {role:role}",
    ),
    "producers.erase": (
        "chỉ quản trị viên được xóa dữ liệu cá nhân của người đại diện",
        "only an administrator erases a representative's personal data",
    ),
    "producers.unknown": ("không có chủ thể OCOP {producer}", "no producer {producer}"),
    "producers.one_organisation": (
        "chủ thể OCOP chỉ khai một tổ chức, tổ chức mà tài khoản của mình đại diện",
        "a producer enters one organisation, the one their account acts for",
    ),
    "producers.link_accounts": (
        "cán bộ hoặc quản trị viên liên kết tài khoản với một tổ chức",
        "an officer or an administrator links accounts to an organisation",
    ),
    "producers.import_stock": (
        "chỉ quản trị viên được nhập danh sách sản phẩm đã được công nhận",
        "only administrators import the stock of certified products",
    ),
    "producers.sheet_outside": (
        "tỉnh của bảng tính nằm ngoài địa bàn của bạn",
        "the sheet's province lies outside your jurisdiction",
    ),
    "producers.stock_importer": (
        "danh sách sản phẩm do quản trị viên cấp tỉnh hoặc toàn quốc nhập",
        "the stock is imported by a province's or the national administrator",
    ),
    "producers.organisation_outside": (
        "tổ chức chủ thể OCOP nằm ngoài địa bàn của bạn",
        "the producer organisation lies outside your jurisdiction",
    ),
    "producers.register_own": (
        "chủ thể OCOP chỉ đăng ký sản phẩm của tổ chức mà tài khoản của mình đại diện",
        "a producer registers products of the organisation their account acts for only",
    ),
    "producers.sheet_province": (
        "hãy ghi tỉnh của bảng tính (province=...)",
        "name the province of the sheet (province=...)",
    ),
    "api.not_a_cursor": ("con trỏ trang không phải do API này cấp", "the cursor is not one this API gave"),
    # -- api/routers/rounds.py, councils.py, actors.py
    "rounds.unknown": ("không có đợt đánh giá {round}", "no round {round}"),
    "rounds.open_already": ("đợt đánh giá {round} đã được mở", "round {round} is open already"),
    "councils.unknown": ("không có Hội đồng {council}", "no council {council}"),
    "councils.unknown_journey": ("không có hành trình sản phẩm {journey}", "no journey {journey}"),
    # -- api/deps.py: authentication
    "auth.no_token": ("hãy gửi Authorization: Bearer <mã truy cập>", "send Authorization: Bearer <token>"),
    "auth.bad_token": ("mã truy cập không hợp lệ", "the token is not valid"),
    # -- api/routers/registry.py: the public registry (tra cứu sản phẩm OCOP)
    "registry.no_product": (
        "không có sản phẩm đã được công nhận {journey} trong danh sách công khai",
        "no certified product {journey} in the registry",
    ),
    "registry.no_product_code": (
        "không có sản phẩm đã được công nhận mang mã sản phẩm {code}",
        "no certified product with the product code {code}",
    ),
    "registry.no_such_certificate": ("không có giấy chứng nhận này", "no such certificate"),
    "registry.no_certificate": (
        "không có giấy chứng nhận {number} trong danh sách công khai",
        "no certificate {number} in the registry",
    ),
    # -- store/producers.py: producer organisations as stored
    "producers.actor_id": (
        "{producer} là mã của một người dùng, không phải mã chủ thể OCOP còn trống",
        "{producer} is an actor's id, not a free producer id",
    ),
    "producers.registration_taken_in": (
        "số đăng ký {number} thuộc về một chủ thể OCOP khác của tỉnh {province}",
        "registration number {number} names another producer of province {province}",
    ),
    "producers.exists": ("chủ thể OCOP {producer} đã có", "producer {producer} exists already"),
    "producers.registration_taken": (
        "số đăng ký {number} thuộc về một chủ thể OCOP khác",
        "registration number {number} names another producer",
    ),
    "producers.nothing_changed": ("nội dung cập nhật không thay đổi gì", "the update changes nothing"),
    "producers.not_a_producer": (
        "người dùng {actor} là {role:role}, không phải chủ thể OCOP",
        "actor {actor} is a {role:role}, not a producer",
    ),
    "producers.account_elsewhere": (
        "người dùng {actor} là chủ thể OCOP của địa bàn khác với xã của tổ chức",
        "actor {actor} is a producer of another jurisdiction than the organisation's commune",
    ),
    "producers.account_linked": (
        "người dùng {actor} đã đại diện cho chủ thể OCOP {producer}",
        "actor {actor} acts for producer {producer} already",
    ),
    "producers.no_representative": (
        "chủ thể OCOP {producer} không có người đại diện",
        "producer {producer} has no representative",
    ),
    "producers.erased_already": (
        "dữ liệu người đại diện của {producer} đã bị xóa",
        "the representative of {producer} is erased already",
    ),
    # -- workflows/lifecycle.py: a product's journey (hành trình sản phẩm)
    "journey.status": (
        "hành trình đang ở trạng thái “{status:status}”; bước này cần {wanted:status/or}",
        "the journey is {status:status}; this step needs {wanted:status/or}",
    ),
    "journey.role": (
        "bước này dành cho {wanted:role/or}, không phải {role:role}",
        "this step is for a {wanted:role/or}, not a {role:role}",
    ),
    "journey.own_producer": (
        "chỉ chủ thể OCOP của chính hành trình này được thực hiện bước này",
        "only the journey's own producer may take this step",
    ),
    "journey.not_seated": (
        "{member} không ngồi trong Hội đồng {council}",
        "{member} does not sit on council {council}",
    ),
    "journey.secretary": ("thư ký Hội đồng không chấm điểm", "the council secretary does not score"),
    "journey.conflict": (
        "{member} đã khai xung đột lợi ích với sản phẩm này",
        "{member} declared a conflict of interest with this product",
    ),
    "journey.scored_already": (
        "bạn đã chấm điểm sản phẩm này; hãy sửa phiếu đánh giá của mình",
        "you have scored this product already; amend your scorecard instead",
    ),
    "journey.no_scorecard": (
        "bạn chưa có phiếu đánh giá sản phẩm này để sửa; hãy nộp phiếu",
        "you have no scorecard for this product to amend; submit one",
    ),
    "journey.chair_finalizes": (
        "chỉ Chủ tịch Hội đồng chốt kết quả",
        "only the chair of the council finalizes a result",
    ),
    # The commune's acceptance (qd26-2026 Art. 6.2, 7.2.b: Rulebook.acceptance_requires); the
    # missing parts are codes of the acceptance's fields (field.*).
    "journey.acceptance_requires": (
        "theo {rulebook}, UBND cấp xã gửi hồ sơ kèm báo cáo và văn bản đề nghị; còn thiếu: "
        "{missing:field/and}",
        "under {rulebook} the commune sends the dossier with its report and proposal; missing: "
        "{missing:field/and}",
    ),
    # A dossier under a rulebook that scores by option (Phụ lục II): its set picks the sheet.
    "journey.product_set_required": (
        "hãy chọn bộ sản phẩm (Phụ lục I): theo {rulebook}, sản phẩm được chấm trên phiếu đánh giá của "
        "bộ sản phẩm của mình",
        "name the product set (bộ sản phẩm, Phụ lục I): under {rulebook} a product is scored on its "
        "set's sheet",
    ),
    # The periodic inspection's timer (qd26-2026 Art. 9.2.a; workflows/inspection.py).
    "journey.inspection_not_awaited": (
        "sản phẩm không có kỳ kiểm tra định kỳ nào đang chờ đến hạn",
        "no periodic inspection of the product is awaiting its due day",
    ),
    "journey.inspection_not_due": (
        "kỳ kiểm tra định kỳ đến hạn ngày {due_on:date}",
        "the periodic inspection is due on {due_on:date}",
    ),
    "journey.not_a_command": (
        "{command} không phải một lệnh của hành trình sản phẩm",
        "{command} is not a journey command",
    ),
    "journey.not_registered": (
        "hành trình sản phẩm chưa được đăng ký",
        "the journey has not been registered",
    ),
    "journey.paper_date_future": (
        "hồ sơ không thể nộp vào một ngày trong tương lai ({day:date})",
        "a dossier cannot be submitted on a future date ({day:date})",
    ),
    "journey.paper_date_early": (
        "hồ sơ không thể nộp trước ngày {earliest:date}; ngày đã ghi là {day:date}",
        "a dossier cannot be submitted before {earliest:date}, not {day:date}",
    ),
    "journey.registered_already": (
        "hành trình sản phẩm {journey} đã được đăng ký",
        "journey {journey} is registered already",
    ),
    "journey.register_self": (
        "chủ thể OCOP chỉ đăng ký ý tưởng sản phẩm cho chính mình",
        "a producer registers ideas for themselves only",
    ),
    "journey.exists": (
        "hành trình sản phẩm {journey} đã có",
        "journey {journey} exists already",
    ),
    "journey.level_stars": (
        "theo bộ tiêu chí {rulebook}, {level:level} không công nhận hạng {stars}★",
        "under {rulebook} the {level:level} level does not recognize {stars}★",
    ),
    "journey.recognition_future": (
        "quyết định công nhận không thể ghi ngày trong tương lai",
        "a recognition decision cannot be dated in the future",
    ),
    "journey.no_group": (
        "bộ tiêu chí {rulebook} không có nhóm sản phẩm '{group}'",
        "{rulebook} has no product group '{group}'",
    ),
    "journey.earlier_order": (
        "các lần công nhận trước được liệt kê từ cũ nhất đến mới nhất, mỗi ngày một quyết định",
        "earlier recognitions are listed oldest first, one decision a day",
    ),
    "journey.earlier_date": (
        "lần công nhận trước phải có ngày trước giấy chứng nhận đang có hiệu lực",
        "an earlier recognition is dated before the certificate in force",
    ),
    "journey.no_checklist": (
        "theo bộ tiêu chí {rulebook}, hồ sơ không có danh mục để xếp tài liệu",
        "under {rulebook} a dossier has no checklist to file documents under",
    ),
    "journey.checklist_item": (
        "'{code}' không phải mục nhận tài liệu trong danh mục hồ sơ {variant:variant}; các mục nhận tài "
        "liệu là {filed}",
        "'{code}' is no item of the {variant:variant} dossier's checklist that takes documents; they are "
        "{filed}",
    ),
    "journey.stray_document": (
        "{document}, xếp vào mục {code}, không phải tài liệu của hồ sơ",
        "{document}, filed under {code}, is not one of the dossier's documents",
    ),
    "journey.set_at_registration": (
        "bộ sản phẩm đã được chọn khi đăng ký: {product_set}",
        "the product set was named at registration: {product_set}",
    ),
    "journey.no_advisory": (
        "bộ tiêu chí {rulebook} không ghi nhận bước nào của Tổ tư vấn",
        "{rulebook} records no advisory team steps",
    ),
    "journey.advisory_level": (
        "không ghi nhận bước của Tổ tư vấn ở {level:level}",
        "no advisory team steps are recorded at the {level:level} level",
    ),
    "journey.advisory_step": (
        "bộ tiêu chí {rulebook} không có bước '{step:advisory}' của Tổ tư vấn",
        "{rulebook} has no advisory step '{step:advisory}'",
    ),
    "journey.advisory_before_council": (
        "Hội đồng chỉ chấm điểm sau khi Tổ tư vấn đã đánh giá hồ sơ (Điều 7.3.c, 7.4.c); chưa ghi nhận ở "
        "{level:level}: {missing:advisory/and}",
        "the council scores only after its advisory team has reviewed the dossier (Art. 7.3.c, 7.4.c); "
        "not yet recorded at the {level:level} level: {missing:advisory/and}",
    ),
    "journey.advisory_future": (
        "bước của Tổ tư vấn không thể ghi ngày trong tương lai",
        "an advisory step cannot be dated in the future",
    ),
    "journey.advisory_early": (
        "bước của Tổ tư vấn không thể trước ngày tiếp nhận hồ sơ, {accepted_on:date}",
        "an advisory step cannot predate the dossier's acceptance, {accepted_on:date}",
    ),
    "journey.accepted_future": (
        "hồ sơ không thể được tiếp nhận vào một ngày trong tương lai ({accepted_on:date})",
        "a dossier cannot be accepted on a future date ({accepted_on:date})",
    ),
    "journey.commune_report_needed": (
        "theo bộ tiêu chí {rulebook}, hồ sơ được tiếp nhận kèm báo cáo của UBND cấp xã",
        "under {rulebook} the dossier is accepted with the commune's report",
    ),
    "journey.report_document_only": (
        "theo bộ tiêu chí {rulebook}, báo cáo của xã chỉ là một tài liệu, không kèm phần đánh giá",
        "under {rulebook} the commune's report is a document only",
    ),
    "journey.assessment_blank": (
        "phần đánh giá của xã chưa ghi gì về {blank:assessment}",
        "the commune's assessment says nothing on {blank:assessment}",
    ),
    "journey.set_named": (
        "bộ sản phẩm đã được chọn: {product_set}",
        "the product set was named already: {product_set}",
    ),
    "journey.no_sheet": (
        "theo bộ tiêu chí {rulebook}, không có phiếu tiêu chí để tự đánh giá sản phẩm",
        "under {rulebook} there is no sheet of criteria to assess a product on",
    ),
    "journey.name_set": (
        "hãy chọn bộ sản phẩm trước: bộ sản phẩm quyết định phiếu đánh giá",
        "name the product set (bộ sản phẩm) first: it picks the sheet",
    ),
    "journey.evidence_unscored": (
        "có minh chứng cho tiêu chí {criterion}, nhưng bản tự đánh giá này không chấm tiêu chí đó",
        "evidence for criterion {criterion}, which this self-assessment does not score",
    ),
    "journey.unknown_group": (
        "không có nhóm sản phẩm '{group}'; bộ tiêu chí {rulebook} có các nhóm {codes}",
        "unknown product group '{group}'; {rulebook} has {codes}",
    ),
    "journey.assessment_missing": (
        "phần đánh giá của xã gồm {items:assessment}; còn thiếu {missing:assessment}",
        "the commune's assessment covers {items:assessment}; missing {missing:assessment}",
    ),
    "journey.assessment_unknown": (
        "phần đánh giá của xã gồm {items:assessment}; không có mục {unknown:assessment}",
        "the commune's assessment covers {items:assessment}; unknown {unknown:assessment}",
    ),
    "journey.assessment_both": (
        "phần đánh giá của xã gồm {items:assessment}; còn thiếu {missing:assessment}; không có mục "
        "{unknown:assessment}",
        "the commune's assessment covers {items:assessment}; missing {missing:assessment}; unknown "
        "{unknown:assessment}",
    ),
    "journey.round_level": (
        "hành trình chờ đợt đánh giá {level:level}, không phải đợt {council_level:level}",
        "the journey awaits a {level:level} round, not a {council_level:level} one",
    ),
    "journey.no_district": (
        "hành trình không ghi huyện nên không có Hội đồng cấp huyện nào đánh giá sản phẩm",
        "the journey records no district, so no district council sits for it",
    ),
    "journey.council_elsewhere": (
        "Hội đồng {council} họp cho {sits}, không phải cho {level:level} của sản phẩm này ({jurisdiction})",
        "council {council} sits for {sits}, not for this product's {level:level} ({jurisdiction})",
    ),
    "journey.other_round": (
        "sản phẩm đang được đánh giá trong đợt {round}, không phải đợt {from_round}",
        "the product is evaluated in round {round}, not {from_round}",
    ),
    "journey.carry_same_council": (
        "sản phẩm được chuyển sang đợt tiếp theo của cùng Hội đồng",
        "a product is carried over to the next round of the same council",
    ),
    "journey.carry_other_round": (
        "sản phẩm được chuyển sang một đợt khác",
        "a product is carried over to another round",
    ),
    "journey.conflict_already": (
        "{member} đã khai xung đột lợi ích với sản phẩm này rồi",
        "{member} has declared a conflict with this product already",
    ),
    "journey.opinions_spread": (
        "tổng điểm theo ý kiến bằng văn bản chênh nhau {spread:number} điểm (tối đa {limit:number}): Hội "
        "đồng họp trực tiếp, các thành viên sửa phiếu tại cuộc họp và Chủ tịch Hội đồng chốt kết quả với "
        "ngày họp (met_on)",
        "the written opinions differ by {spread:number} points (at most {limit:number}): the council "
        "meets in person, its members amend there, and the chair finalizes with the meeting's day (met_on)",
    ),
    "journey.meeting_asked": (
        "một thành viên đã đề nghị họp: Hội đồng họp trực tiếp và Chủ tịch Hội đồng chốt kết quả với ngày "
        "họp (met_on)",
        "a member asked for a meeting: the council meets in person, and the chair finalizes with the "
        "meeting's day (met_on)",
    ),
    "journey.meeting_future": (
        "cuộc họp của Hội đồng không thể ghi ngày sau hôm nay",
        "the council's meeting cannot be dated after today",
    ),
    "journey.not_written_opinion": (
        "chỉ Hội đồng đánh giá lại bằng ý kiến bằng văn bản mới được đề nghị họp",
        "only a council evaluating a re-evaluation by written opinion is asked to meet",
    ),
    "journey.meeting_asked_already": (
        "{member} đã đề nghị họp rồi",
        "{member} has asked for a meeting already",
    ),
    "journey.site_check_rules": (
        "việc quyết định khảo sát thực tế chỉ dành cho đánh giá lại theo quy định của bộ tiêu chí {rulebook}",
        "the site-check choice is made for a re-evaluation under {rulebook}'s rules",
    ),
    "journey.site_check_made": (
        "cơ quan {level:level} đã quyết định về khảo sát thực tế rồi",
        "the {level:level} agency has made its site-check choice already",
    ),
    "journey.survey_grounds_unknown": (
        "bộ tiêu chí {rulebook} không khảo sát thực tế vì các lý do: {grounds:site}",
        "{rulebook} surveys a site for none of {grounds:site}",
    ),
    "journey.survey_needs_ground": (
        "chỉ khảo sát thực tế khi quy mô sản xuất thay đổi lớn hoặc hồ sơ minh chứng không rõ ràng",
        "a site is surveyed only where production changed much or evidence is unclear",
    ),
    "journey.grounds_without_survey": (
        "lý do khảo sát chỉ ghi khi có quyết định khảo sát thực tế",
        "grounds for a survey go with a survey",
    ),
    "journey.recognition_level": (
        "kết quả đang chờ công nhận ở {level:level}",
        "the result awaits recognition at the {level:level} level",
    ),
    "journey.recognition_early": (
        "quyết định công nhận không thể có ngày trước kết quả của Hội đồng",
        "a recognition decision cannot predate the council result",
    ),
    "journey.decision_future": (
        "quyết định không thể ghi ngày trong tương lai",
        "a decision cannot be dated in the future",
    ),
    "journey.decision_early": (
        "quyết định không thể có ngày trước kết quả của Hội đồng",
        "a decision cannot predate the council result",
    ),
    "journey.nothing_to_order": (
        "kết quả này chỉ được công nhận hoặc không; không có việc đánh giá lại nào để yêu cầu thay thế",
        "this result is recognized or not; there is no evaluation to order instead",
    ),
    "journey.no_certificate": (
        "sản phẩm không có giấy chứng nhận còn hiệu lực",
        "the product holds no certificate in force",
    ),
    "journey.top_stars": (
        "sản phẩm {stars}★ không thể nâng hạng",
        "a {stars}★ product cannot be upgraded",
    ),
    "journey.revoke_uncertified": (
        "chỉ thu hồi được sản phẩm có giấy chứng nhận còn hiệu lực",
        "only a product with a certificate in force can be revoked",
    ),
    "journey.revocation_cites": (
        "theo bộ tiêu chí {rulebook}, việc thu hồi phải nêu căn cứ, văn bản kết luận và ngày của văn bản đó",
        "under {rulebook} a revocation cites its ground, the concluding document and its date",
    ),
    "journey.no_ground": (
        "bộ tiêu chí {rulebook} không có căn cứ thu hồi '{ground:ground}'",
        "{rulebook} has no revocation ground '{ground:ground}'",
    ),
    "journey.conclusion_future": (
        "văn bản kết luận không thể ghi ngày trong tương lai",
        "a conclusion cannot be dated in the future",
    ),
    "journey.conclusion_early": (
        "kết luận về một giấy chứng nhận không thể có ngày trước ngày công nhận",
        "a conclusion about a certificate cannot predate its recognition",
    ),
    "journey.file_uncertified": (
        "chỉ sản phẩm có giấy chứng nhận còn hiệu lực mới có hồ sơ thu hồi",
        "only a product with a certificate in force has a revocation file",
    ),
    "journey.no_revocation_file": (
        "bộ tiêu chí {rulebook} không có hồ sơ thu hồi: cấp có thẩm quyền thu hồi theo căn cứ của mình",
        "{rulebook} has no revocation file: the authority revokes on its grounds",
    ),
    "journey.file_open": (
        "giấy chứng nhận này đã có hồ sơ thu hồi đang mở",
        "a revocation file is already open for this certificate",
    ),
    "journey.inspect_uncertified": (
        "chỉ kiểm tra sản phẩm có giấy chứng nhận còn hiệu lực",
        "only a product with a certificate in force is inspected",
    ),
    "journey.no_inspection": (
        "bộ tiêu chí {rulebook} không có việc kiểm tra sau công nhận",
        "{rulebook} has no post-recognition inspection",
    ),
    "journey.ministry_reason": (
        "Bộ chỉ kiểm tra sản phẩm {stars} sao khi cần thiết: hãy nêu lý do (reason)",
        "the ministry inspects a {stars}-star product only when needed: say why (reason)",
    ),
    "journey.inspection_unknown": (
        "bộ tiêu chí {rulebook} không có nội dung kiểm tra {checks:check}",
        "{rulebook} has no inspection of {checks:check}",
    ),
    "journey.failing_checks_criteria": (
        "kết luận sản phẩm không còn đáp ứng tiêu chí phải có việc kiểm tra các tiêu chí",
        "a conclusion that the product no longer meets the criteria checks the criteria",
    ),
    "journey.inspection_future": (
        "cuộc kiểm tra không thể ghi ngày trong tương lai",
        "an inspection cannot be dated in the future",
    ),
    "journey.inspection_early": (
        "cuộc kiểm tra sản phẩm đã được công nhận không thể có ngày trước ngày công nhận",
        "an inspection of a certified product cannot predate its recognition",
    ),
    "journey.redo_uncertified": (
        "chỉ sản phẩm có giấy chứng nhận còn hiệu lực mới được yêu cầu đánh giá lại",
        "only a product with a certificate in force is evaluated again on request",
    ),
    "journey.no_redo": (
        "bộ tiêu chí {rulebook} không có việc yêu cầu đánh giá lại kết quả",
        "{rulebook} has no request to redo an evaluation",
    ),
    "journey.redo_own_level": (
        "Bộ yêu cầu tỉnh đánh giá lại kết quả của chính tỉnh, không phải của cấp khác",
        "the ministry asks a province to redo its own evaluation, not another level's",
    ),
    "journey.redo_asked": (
        "Bộ đã yêu cầu đánh giá lại kết quả này rồi",
        "the ministry has asked for this evaluation to be redone already",
    ),
    "journey.no_notice_due": (
        "không có giấy chứng nhận nào đang chờ thông báo hết hạn",
        "there is no certificate awaiting its expiry notice",
    ),
    "journey.window_notices": (
        "giấy chứng nhận theo các thông báo của thời hạn đánh giá lại, không theo thông báo hết hạn",
        "the certificate follows the re-evaluation window's notices, not the expiry notice",
    ),
    "journey.notice_not_due": (
        "chưa đến lúc gửi thông báo hết hạn",
        "the expiry notice is not due yet",
    ),
    "journey.nothing_to_expire": (
        "không có giấy chứng nhận còn hiệu lực để cho hết hạn",
        "there is no certificate in force to expire",
    ),
    "journey.valid_until": (
        "giấy chứng nhận còn hiệu lực đến hết ngày {valid_until:date}",
        "the certificate is valid until {valid_until:date}",
    ),
    "journey.extended_until": (
        "giấy chứng nhận được gia hạn đến khi có quyết định, tối đa đến hết ngày {extended:date}",
        "the certificate is extended until the decision, at most {extended:date}",
    ),
    "journey.extend_first": (
        "đang đánh giá lại: giấy chứng nhận được gia hạn trước",
        "a re-evaluation is in progress: the certificate is extended first",
    ),
    "journey.expires_if_fails": (
        "đang đánh giá lại: giấy chứng nhận chỉ hết hiệu lực nếu không đạt",
        "a re-evaluation is in progress: the certificate expires only if it fails",
    ),
    "journey.no_window_to_open": (
        "không có giấy chứng nhận nào đang chờ mở thời hạn đánh giá lại",
        "there is no certificate whose re-evaluation window is yet to open",
    ),
    "journey.no_window_rules": (
        "bộ tiêu chí của giấy chứng nhận không có thời hạn đánh giá lại",
        "the certificate's rulebook has no re-evaluation window",
    ),
    "journey.window_not_due": (
        "chưa đến thời hạn đánh giá lại",
        "the re-evaluation window is not open yet",
    ),
    "journey.no_open_window": (
        "không có thời hạn đánh giá lại nào đang mở",
        "there is no open re-evaluation window",
    ),
    "journey.window_filed": (
        "hồ sơ đánh giá lại đã được nộp: thời hạn không còn gì để đóng",
        "the re-evaluation was filed: the window has nothing to close",
    ),
    "journey.window_open_through": (
        "thời hạn đánh giá lại mở đến hết ngày {closes_on:date}",
        "the re-evaluation window is open through {closes_on:date}",
    ),
    "journey.nothing_to_extend": (
        "không có giấy chứng nhận nào để gia hạn",
        "there is no certificate to extend",
    ),
    "journey.extend_under_re_evaluation": (
        "chỉ gia hạn giấy chứng nhận đang được đánh giá lại",
        "only a certificate under re-evaluation is extended",
    ),
    "journey.completion_not_passed": (
        "chưa hết hạn bổ sung hồ sơ",
        "the dossier completion deadline has not passed",
    ),
    "journey.unknown_deadline": (
        "không có loại thời hạn '{deadline}'",
        "unknown deadline '{deadline}'",
    ),
    "journey.completion_not_flagged": (
        "quá hạn bổ sung hồ sơ thì hồ sơ hết hiệu lực; hạn này không được đánh dấu là quá hạn",
        "a missed dossier completion deadline lapses the dossier; it is not flagged",
    ),
    "journey.no_open_deadline": (
        "không có thời hạn “{kind:deadline}” nào đang mở",
        "no open {kind:deadline} deadline",
    ),
    "journey.deadline_due": (
        "thời hạn “{kind:deadline}” là ngày {due:date}",
        "the {kind:deadline} deadline is {due:date}",
    ),
    "journey.after_cut_off": (
        "hồ sơ được tiếp nhận ngày {accepted:date}, sau hạn chót tiếp nhận hồ sơ của đợt {cut_off:date}: "
        "hồ sơ chờ đợt sau",
        "the dossier was accepted on {accepted:date}, after the round's cut-off {cut_off:date}: it waits "
        "for the next round",
    ),
    "journey.cut_off_unrecorded": (
        "ngày tiếp nhận hồ sơ chưa được ghi nhận, nên không xếp được vào đợt có hạn chót tiếp nhận hồ sơ "
        "{cut_off:date}: hồ sơ chờ đợt sau",
        "the dossier was accepted on not recorded, after the round's cut-off {cut_off:date}: it waits for "
        "the next round",
    ),
    "round.no_calendar": (
        "không có lịch toàn quốc cho các đợt đánh giá của Hội đồng này: hãy ghi hạn chót tiếp nhận hồ sơ "
        "của đợt",
        "no national calendar for this council's rounds: name the round's cut-off",
    ),
    "round.runner": (
        "đợt đánh giá do {officer:role} điều hành, không phải {role:role}",
        "rounds are run by the {officer:role}, not a {role:role}",
    ),
    "round.open_already": (
        "đợt đánh giá {round} đã được mở",
        "round {round} is open already",
    ),
    "round.no_council": (
        "không có Hội đồng {council}",
        "no council {council}",
    ),
    "round.extra_not_allowed": (
        "Quy chế hoạt động của Hội đồng {council} không quy định tổ chức thêm đợt đánh giá (Điều 5): "
        "hạn chót {cut_off:date} không theo lịch toàn quốc, đợt theo lịch tiếp theo nhận hồ sơ đến "
        "{calendar:date}",
        "the regulation of council {council} provides for no extra rounds (Art. 5): the cut-off "
        "{cut_off:date} is not the national calendar's, whose next round takes proposals until "
        "{calendar:date}",
    ),
    "round.name_cut_off": (
        "hãy ghi hạn chót tiếp nhận hồ sơ của đợt",
        "name the round's cut-off",
    ),
    "round.meeting_before_cut_off": (
        "Hội đồng họp sau hạn chót tiếp nhận hồ sơ, không phải trước đó",
        "the council meets after the submission cut-off, not before it",
    ),
    "round.cut_off_passed": (
        "hạn chót tiếp nhận hồ sơ {cut_off:date} đã qua",
        "the cut-off {cut_off:date} has passed already",
    ),
    "round.not_opened": (
        "đợt đánh giá chưa được mở",
        "the round has not been opened",
    ),
    "round.enrolled_already": (
        "hành trình sản phẩm {journey} đã được xếp vào đợt đánh giá này",
        "journey {journey} is enrolled in this round already",
    ),
    "round.results_due": (
        "kết quả của đợt đánh giá có hạn đến ngày {due:date}",
        "the round's results are due by {due:date}",
    ),
    "round.carry_to_itself": (
        "sản phẩm được chuyển sang một đợt khác, không phải chính đợt này",
        "a product is carried over to another round, not to this one",
    ),
    "round.unfinished": (
        "{count} sản phẩm chưa có kết quả: hãy mở đợt tiếp theo của Hội đồng và đóng đợt này, chuyển các "
        "sản phẩm sang đợt đó (carry_over_to)",
        "{count} products are not finalized: open the council's next round and close this one into it "
        "(carry_over_to)",
    ),
    "round.not_a_command": (
        "{command} không phải một lệnh của đợt đánh giá",
        "{command} is not a round command",
    ),
    "round.status": (
        "đợt đánh giá {status:round}",
        "the round is {status:round}",
    ),
    "round.enrolment_closed": (
        "việc xếp sản phẩm vào đợt {name} đã kết thúc vào hạn chót {cut_off:date}",
        "enrolment in {name} closed at its cut-off {cut_off:date}",
    ),
    "round.publish_closed": (
        "kết quả chỉ được công bố sau khi đóng đợt đánh giá; đợt hiện {status:round}",
        "results are published once the round is closed; it is {status:round}",
    ),
    "sheets.set_sector": (
        "bộ sản phẩm '{product_set}' thuộc ngành {sector} ({sector_name}), không thuộc nhóm sản phẩm "
        "'{product_group}'",
        "product set '{product_set}' is in sector {sector} ({sector_name}), not the product group "
        "'{product_group}'",
    ),
    "sheets.unknown_set": (
        "không có bộ sản phẩm '{product_set}'; các bộ sản phẩm là {sets}",
        "unknown product set '{product_set}'; the sets are {sets}",
    ),
    "sheets.give_parts": (
        "theo bộ tiêu chí {rulebook}, sản phẩm này được chấm theo từng phần: hãy nhập điểm các phần",
        "under {rulebook} this product is scored part by part: give its parts",
    ),
    "sheets.give_choices": (
        "sản phẩm này được chấm theo phương án trên phiếu {sheet}: hãy chọn một phương án cho mỗi tiêu chí",
        "this product is scored by option on sheet {sheet}: give one choice per criterion",
    ),
    "journeys.closed": (
        "hành trình sản phẩm {journey} đã kết thúc: không thực hiện thêm bước nào",
        "journey {journey} is closed: it takes no more steps",
    ),
    "rounds.closed": (
        "đợt đánh giá {round} đã công bố kết quả: không thực hiện thêm bước nào",
        "round {round} has published its results: it takes no more steps",
    ),
    "engine.temporal": (
        "không kết nối được Temporal: {problem}",
        "temporal: {problem}",
    ),
    "engine.no_database": (
        "cơ sở dữ liệu: chưa đặt OCOP_DATABASE_URL",
        "database: OCOP_DATABASE_URL is not set",
    ),
    "engine.database": (
        "không kết nối được cơ sở dữ liệu: {problem}",
        "database: {problem}",
    ),
    "idempotency.reused": (
        "Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới",
        "this Idempotency-Key was used for another request; use a new key for a new request",
    ),
    "journeys.unknown": (
        "không có hành trình sản phẩm {journey}",
        "no journey {journey}",
    ),
    "journeys.no_event_then": (
        "hành trình sản phẩm {journey} chưa có sự kiện nào được ghi vào thời điểm đó",
        "journey {journey} had no recorded event then",
    ),
    "journeys.no_event_at": (
        "hành trình sản phẩm {journey} chưa có sự kiện nào được ghi vào lúc {at}",
        "journey {journey} had no recorded event at {at}",
    ),
    "journeys.no_event_at_all": (
        "hành trình sản phẩm {journey} chưa có sự kiện nào được ghi",
        "journey {journey} had no recorded event at all",
    ),
    "metrics.no_token": (
        "hãy gửi Authorization: Bearer <mã truy cập số liệu vận hành, OCOP_METRICS_TOKEN>",
        "send Authorization: Bearer <the metrics token, OCOP_METRICS_TOKEN>",
    ),
    "plans.none": (
        "tỉnh {province} chưa có kế hoạch năm {year}",
        "province {province} has no plan for {year}",
    ),
    "sheets.choose_option": (
        "tiêu chí {criterion}: hãy chọn một trong các phương án của tiêu chí (theo thứ tự, từ 0)",
        "criterion {criterion}: choose one of its options (by position, from 0)",
    ),
    "sheets.choose_case": (
        "tiêu chí {criterion}: hãy chọn trường hợp trước, một trong {cases}",
        "criterion {criterion}: choose its case first, one of {cases}",
    ),
    "sheets.no_variants": (
        "tiêu chí {criterion}: tiêu chí này không chia trường hợp",
        "criterion {criterion}: it has no variants",
    ),
    "sheets.not_an_option": (
        "tiêu chí {criterion}: phương án {option} không thuộc các phương án của tiêu chí [{allowed}]",
        "criterion {criterion}: option {option} is not one of its options [{allowed}]",
    ),
    "sheets.not_an_option_in_case": (
        "tiêu chí {criterion}: phương án {option} không thuộc các phương án của tiêu chí [{allowed}] "
        "trong trường hợp {case}",
        "criterion {criterion}: option {option} is not one of its options [{allowed}] in case {case}",
    ),
    "sheets.not_a_criterion": (
        "tiêu chí {criterion}: không phải tiêu chí của phiếu {sheet}",
        "criterion {criterion}: not a criterion of sheet {sheet}",
    ),
    "sheets.not_applicable": (
        "tiêu chí {criterion}: điều kiện của tiêu chí không thỏa ({condition}): hãy bỏ trống",
        "criterion {criterion}: its condition does not hold ({condition}): leave it out",
    ),
    "sheets.not_answered": (
        "tiêu chí {criterion}: chưa được chấm",
        "criterion {criterion}: not answered",
    ),
    "sheets.give_points": (
        "tiêu chí {criterion}: hãy nhập điểm (phiếu chấm theo phần không có phương án)",
        "criterion {criterion}: give its points (a flat sheet has no options)",
    ),
}


class Reason:
    """A refusal's template key and its parameters (JSON-safe): what it says in either language."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        if key not in TEMPLATES:
            raise KeyError(f"no refusal template {key!r} in schemas/refusals.py")
        self.key = key
        self.params: dict[str, Param] = {name: _json_safe(value) for name, value in params.items()}

    def text(self, lang: str = ENGLISH, words: CodeWords | None = None) -> str:
        """The refusal in ``lang`` (vi or en; another is English), codes in ``words`` if given."""
        return told(self.key, self.params, lang, words)

    @property
    def message(self) -> str:
        """In English, codes as they are: the error's message."""
        return self.text()

    def details(self) -> dict[str, object]:
        """What crosses Temporal in the ApplicationError's details."""
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def of_details(cls, details: object) -> Reason | None:
        """The reason carried in details (``details()``), or None (an older or foreign error)."""
        if not isinstance(details, Mapping):
            return None
        key, params = details.get("key"), details.get("params")
        if not isinstance(key, str) or key not in TEMPLATES or not isinstance(params, Mapping):
            return None
        return cls(key, **{str(name): value for name, value in params.items()})

    def __repr__(self) -> str:
        return f"Reason({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reason) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)


def _json_safe(value: object) -> Param:
    if isinstance(value, Enum):  # a status, a role, a level: its code
        return _json_safe(value.value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Sequence | frozenset | set):
        return [str(_json_safe(item)) for item in value]
    return str(value)


def placeholders(template: str) -> dict[str, str]:
    """The parameters a template names, with their spec ('' for none)."""
    return {name: spec or "" for _, name, spec, _ in string.Formatter().parse(template) if name is not None}


# How a list parameter's items are joined ({x:kind/or}), in (Vietnamese, English).
_JOINERS: Final = {"or": (" hoặc ", " or "), "and": (" và ", " and ")}


class _Teller(string.Formatter):
    def __init__(self, lang: str, words: CodeWords | None) -> None:
        self.lang = lang
        self.words = words

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, list):  # items joined by commas, or by "or"/"and" ({x:status/or})
            format_spec, _, joiner = format_spec.partition("/")
            pair = _JOINERS.get(joiner, (", ", ", "))
            return (pair[0] if self.lang == "vi" else pair[1]).join(
                self.format_field(item, format_spec) for item in value
            )
        if value is None:
            return "—"
        if format_spec == "number":
            text = format(Decimal(str(value)).normalize(), "f")
            return text.replace(".", ",") if self.lang == "vi" else text
        if format_spec == "date":  # dd/mm/yyyy in Vietnamese; in English as the messages always were
            day = date.fromisoformat(str(value))
            return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()
        if format_spec == "place":  # a jurisdiction, "<kind> <code>" or "national"
            kind, _, code = str(value).partition(" ")
            kind = self.words("jurisdiction", kind) if self.words is not None else kind
            return f"{kind} {code}" if code else kind
        if format_spec:
            return self.words(format_spec, str(value)) if self.words is not None else str(value)
        return str(value)


def told(key: str, params: Mapping[str, Param], lang: str = ENGLISH, words: CodeWords | None = None) -> str:
    """The template ``key`` in ``lang`` filled with ``params``."""
    pair = TEMPLATES[key]
    template = pair[0] if lang == "vi" else pair[1]
    return _Teller(lang, words).vformat(template, (), dict(params))


def language_of(accept_language: str | None, default: str = "vi") -> str:
    """The language an ``Accept-Language`` header prefers among vi and en (its weights honoured);
    ``default`` when it names neither (or is absent)."""
    best: tuple[float, str] | None = None
    for item in (accept_language or "").split(","):
        tag, _, weight = item.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        quality = 1.0
        if weight.strip().startswith("q="):
            try:
                quality = float(weight.strip()[2:])
            except ValueError:
                quality = 0.0
        if lang in LANGUAGES and quality > 0 and (best is None or quality > best[0]):
            best = (quality, lang)
    return best[1] if best is not None else default
