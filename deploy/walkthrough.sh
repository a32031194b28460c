#!/usr/bin/env bash
# One product's journey from idea to certificate, with curl, against a running engine
# (`ocop dev`). Usage: OCOP_ADMIN_TOKEN=... deploy/walkthrough.sh [API_URL]
set -euo pipefail
API=${1:-${OCOP_API_URL:-http://127.0.0.1:8000}}
: "${OCOP_ADMIN_TOKEN:?set OCOP_ADMIN_TOKEN to the administrator token ocop dev printed}"
field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
key() { python3 -c 'import uuid; print(uuid.uuid4())'; }
post() {  # post PATH TOKEN JSON: every POST carries a fresh Idempotency-Key
    curl -sS -X POST "$API$1" -H "Authorization: Bearer $2" -H "Idempotency-Key: $(key)" \
        -H 'Content-Type: application/json' -d "$3"
}
step() { printf '%-34s' "$1"; post "$2" "$3" "$4" | field "['state']['status']"; }
recorded() { printf '%-34s' "$1"; post "$2" "$3" "$4" | field "['event_types']"; }
upload() {  # upload JOURNEY_PATH TOKEN TITLE: a one-page PDF for the dossier; prints the reference to cite
    local file; file=$(mktemp --suffix=.pdf)
    printf '%%PDF-1.4\n%% %s %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' "$3" "$(key)" >"$file"
    curl -sS -X POST "$API$1/documents" -H "Authorization: Bearer $2" -F "file=@$file;type=application/pdf;filename=$3.pdf" \
        | field "['reference']"
    rm -f "$file"
}
actor() { post /v1/actors "$OCOP_ADMIN_TOKEN" "{\"role\":\"$1\",\"jurisdiction\":\"$2\",\"id\":\"$3\"}" | field "['token']"; }

run=$(key | cut -c1-8)   # so the walkthrough can run twice against one engine
producer=$(actor producer 38 "htx-$run")
commune=$(actor commune_officer 14797 "cb-hac-thanh-$run")
province=$(actor provincial_officer 38 "so-nnmt-$run")
authority=$(actor recognition_authority 38 "ubnd-tinh-$run")
for i in 1 2 3; do declare "m$i=$(actor council_member 38 "HD-$run-m$i")"; done
echo "actors created (producer, commune officer, provincial officer, authority, 3 council members)"

journey=$(post /v1/journeys "$producer" \
    '{"product_name":"Nem chua Thanh Hóa","product_group":"food","province_code":38,"commune_code":14797,"product_set":"I.1.a"}' \
    | field "['journey_id']")
J=/v1/journeys/$journey
echo "journey $journey registered"
step "accept-idea (commune officer)"     "$J/accept-idea"     "$commune"  '{}'
plan=$(upload "$J" "$producer" "Phuong an SX")
step "submit-plan (producer)"            "$J/submit-plan"     "$producer" "{\"document\":\"$plan\"}"
step "approve-plan (commune officer)"    "$J/approve-plan"    "$commune"  '{}'
form01=$(upload "$J" "$producer" "Mau 01"); form02=$(upload "$J" "$producer" "Mau 02")
step "submit-dossier (producer)"         "$J/submit-dossier"  "$producer" "{\"documents\":[\"$form01\",\"$form02\"]}"
report=$(upload "$J" "$commune" "Mau 03"); proposal=$(upload "$J" "$commune" "De nghi cua xa")
# QĐ 26/2026 Art. 6.2, 7.2.b: the commune's Mẫu 03 report, its assessment of the four items, its proposal.
assessment='{"local_raw_material":"Thịt lợn của xã","local_labour":"12 lao động trong xã","idea_origin":"Sản phẩm truyền thống","local_identity":"Gói lá chuối theo kinh nghiệm cộng đồng"}'
step "accept-dossier (commune officer)"  "$J/accept-dossier"  "$commune"  "{\"commune_report\":\"$report\",\"commune_assessment\":$assessment,\"proposal\":\"$proposal\"}"
seats="[{\"member_id\":\"HD-$run-m1\",\"role\":\"chair\"},{\"member_id\":\"HD-$run-m2\",\"role\":\"vice_chair\"},{\"member_id\":\"HD-$run-m3\",\"role\":\"member\"}]"
today=$(python3 -c 'import datetime,zoneinfo; print(datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")).date())')
recorded "appoint council (provincial)" /v1/councils         "$province" \
    "{\"council_id\":\"HD-$run\",\"name\":\"Hội đồng OCOP tỉnh Thanh Hóa\",\"level\":\"province\",\"jurisdiction\":\"38\",\"seats\":$seats,\"extra_rounds_allowed\":true}"
# Today's round is off the national calendar (Art. 5): the council's regulation provides for extra rounds.
recorded "open round (provincial)"      /v1/rounds           "$province" \
    "{\"round_id\":\"R-$run\",\"name\":\"Đợt 1\",\"council_id\":\"HD-$run\",\"cut_off\":\"$today\",\"meeting_date\":\"$today\"}"
recorded "enrol (provincial officer)"   "/v1/rounds/R-$run/enrollments" "$province" "{\"journey_id\":\"$journey\"}"
# The council scores after its advisory team has reviewed the dossier (QĐ 26/2026 Art. 7.3.c).
minutes=$(upload "$J" "$province" "Bien ban To tu van")
step "advisory review (provincial)"      "$J/record-advisory-step" "$province" \
    "{\"step\":\"review\",\"held_on\":\"$today\",\"documents\":[\"$minutes\"]}"
# Scored on the sheet of the product's set (QĐ 26/2026 Phụ lục II, I.1.a: 32 criteria), one option
# a criterion (by position from 0): a sheet worth 81 points and one worth 80.
sheet81='{"choices":{"1.1":{"option":2},"1.2":{"option":2},"1.3":{"option":2},"1.4":{"option":2},"1.5":{"option":3},"1.6":{"option":2},"1.7":{"option":1},"2.1":{"option":2},"2.2":{"option":3},"2.3":{"option":2},"2.4":{"option":0},"3.1":{"option":2},"3.2":{"option":1},"3.3":{"option":2},"3.4":{"option":1},"3.5":{"option":2},"4.1":{"option":3},"4.2":{"option":3},"4.3":{"option":4},"5.1":{"option":4},"5.2":{"option":2},"5.3":{"option":3},"6.1":{"option":2},"6.2":{"option":4},"6.3":{"option":0},"6.4":{"option":0},"7":{"option":0},"8":{"option":2},"9":{"option":0},"10":{"option":1},"11":{"option":0},"12":{"option":0}}}'
sheet80='{"choices":{"1.1":{"option":2},"1.2":{"option":2},"1.3":{"option":2},"1.4":{"option":2},"1.5":{"option":3},"1.6":{"option":2},"1.7":{"option":1},"2.1":{"option":2},"2.2":{"option":3},"2.3":{"option":2},"2.4":{"option":0},"3.1":{"option":2},"3.2":{"option":1},"3.3":{"option":2},"3.4":{"option":1},"3.5":{"option":2},"4.1":{"option":3},"4.2":{"option":3},"4.3":{"option":4},"5.1":{"option":4},"5.2":{"option":2},"5.3":{"option":3},"6.1":{"option":2},"6.2":{"option":3},"6.3":{"option":0},"6.4":{"option":0},"7":{"option":0},"8":{"option":2},"9":{"option":0},"10":{"option":1},"11":{"option":0},"12":{"option":0}}}'
printf '%-34s' "submit-scorecard (producer)"
post "$J/submit-scorecard" "$producer" "$sheet80" | field "['detail']"
printf '%-34s' "submit-scorecard (m2, 1.1 = 9)"
post "$J/submit-scorecard" "$m2" '{"choices":{"1.1":{"option":9},"1.2":{"option":2},"1.3":{"option":2},"1.4":{"option":2},"1.5":{"option":3},"1.6":{"option":2},"1.7":{"option":1},"2.1":{"option":2},"2.2":{"option":3},"2.3":{"option":2},"2.4":{"option":0},"3.1":{"option":2},"3.2":{"option":1},"3.3":{"option":2},"3.4":{"option":1},"3.5":{"option":2},"4.1":{"option":3},"4.2":{"option":3},"4.3":{"option":4},"5.1":{"option":4},"5.2":{"option":2},"5.3":{"option":3},"6.1":{"option":2},"6.2":{"option":3},"6.3":{"option":0},"6.4":{"option":0},"7":{"option":0},"8":{"option":2},"9":{"option":0},"10":{"option":1},"11":{"option":0},"12":{"option":0}}}' | field "['detail']"
step "submit-scorecard (m1, chair)"      "$J/submit-scorecard" "$m1" "$sheet81"
step "submit-scorecard (m2)"             "$J/submit-scorecard" "$m2" "$sheet80"
step "submit-scorecard (m3)"             "$J/submit-scorecard" "$m3" "$sheet80"
step "finalize (chair)"                  "$J/finalize"        "$m1"       '{"failed_mandatory_criteria":[]}'
step "recognize (authority)"             "$J/recognize"       "$authority" \
    "{\"decision_number\":\"QĐ 15/QĐ-UBND\",\"decision_date\":\"$today\"}"
echo
curl -sS "$API$J" -H "Authorization: Bearer $province" | python3 -c '
import json, sys
state = json.load(sys.stdin)
c, r = state["certificate"], state["results"][-1]
print("certificate %s: %s★, valid until %s (council mean %s)" % (c["number"], c["stars"], c["valid_until"], r["mean"]))'
curl -sS "$API$J/history" -H "Authorization: Bearer $province" | python3 -c '
import json, sys
body = json.load(sys.stdin)
for e in body["events"]:
    print("  %2s %-22s %-24s %-22s %s" % (e["version"], e["type"], e["actor"]["id"], e["actor"]["role"], e["hash"][:12]))'
printf 'verify: '; curl -sS "$API$J/verify" -H "Authorization: Bearer $province"; echo
