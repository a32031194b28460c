"""What a dossier must hold per variant (qd26-2026 Art. 6; ocop.md §7 "Dossier") as rulebook data,
and what the journey's dossier holds: the documents filed by checklist item, the self-assessment and
the documents linked to its criteria, the commune's report at acceptance."""

from __future__ import annotations

from datetime import date

from schemas.commands import AcceptIdea, SubmitDossier, SubmitSelfAssessment
from schemas.errors import InvalidCommand
from schemas.rulebooks import get_rulebook
from schemas.scorecard import SHEETS
from tests.factories import (
    COMMUNE_OFFICER,
    PRODUCER,
    JourneyDriver,
    approve_plan,
    register,
    return_dossier,
    submit_plan,
    vn,
)
from tests.scoresheets import filled
from workflows.checklist import dossier_checklist, missing_items

QD26 = get_rulebook("qd26-2026")
SHEET = SHEETS["qd26-2026"]["I.1.a"]
FORM_01 = "sha256:" + "1" * 64
LABEL = "sha256:" + "2" * 64


def _in_development(day: date = date(2026, 9, 1)) -> JourneyDriver:
    driver = JourneyDriver(now=vn(day))
    driver.run(register(district=None).model_copy(update={"product_set": "I.1.a"}))
    driver.run_all([AcceptIdea(actor=COMMUNE_OFFICER), submit_plan(), approve_plan()])
    return driver


def _dossier(contents: dict[str, list[str]] | None, documents: tuple[str, ...] = (FORM_01,)) -> SubmitDossier:
    return SubmitDossier(actor=PRODUCER, documents=list(documents), contents=contents)


def test_the_checklists_of_the_three_variants_are_the_rulebooks_data() -> None:
    contents = QD26.dossier_contents
    assert contents is not None
    codes = {
        variant: [i.code for i in contents.items(variant)] for variant in ("new", "upgrade", "re_evaluation")
    }
    assert codes["new"] == ["mau01", "mau02", "mau02_evidence", "mau03"]
    assert codes["upgrade"] == ["mau01", "mau02_changes", "mau02_evidence", "mau03"]
    assert codes["re_evaluation"] == [
        "mau01",
        "mau02",
        "mau02_evidence",
        "updates",
        "renewed_papers",
        "mau03",
    ]
    assert {i.by for i in contents.items("new") if i.code == "mau03"} == {"commune"}
    assert get_rulebook("qd148-1489-2025").dossier_contents is None  # no checklist before QĐ 26/2026


def test_a_first_dossier_shows_what_it_holds_and_what_is_missing_until_its_acceptance() -> None:
    driver = _in_development()
    before = dossier_checklist(driver.journey, QD26)
    assert before is not None
    assert missing_items(before) == ["mau01", "mau02", "mau02_evidence", "mau03"]
    driver.run(
        SubmitSelfAssessment(actor=PRODUCER, choices=filled(SHEET), criterion_evidence={"2.3": [LABEL]})
    )
    driver.run(_dossier({"mau01": [FORM_01]}, (FORM_01, LABEL)))
    submitted = dossier_checklist(driver.journey, QD26)
    assert submitted is not None
    assert missing_items(submitted) == ["mau03"]  # the commune's report comes with its acceptance
    lines = {line.code: line for line in submitted}
    assert lines["mau01"].documents == (FORM_01,)
    assert lines["mau02_evidence"].documents == (LABEL,)
    driver.run(driver.accept())
    accepted = dossier_checklist(driver.journey, QD26)
    assert accepted is not None
    assert missing_items(accepted) == []


def test_a_dossier_without_its_self_assessment_shows_mau_02_missing() -> None:
    driver = _in_development()
    driver.run(_dossier({"mau01": [FORM_01]}))
    checklist = dossier_checklist(driver.journey, QD26)
    assert checklist is not None
    assert missing_items(checklist) == ["mau02", "mau02_evidence", "mau03"]
    # Returned for completion: the same items are missing, for the producer to complete.
    driver.run(return_dossier(("Mẫu 02",)))
    assert dossier_checklist(driver.journey, QD26) == checklist


def test_documents_are_filed_only_under_items_that_take_documents_and_only_the_dossiers_own() -> None:
    driver = _in_development()
    driver.expect_refused(_dossier({"mau99": [FORM_01]}), InvalidCommand)
    driver.expect_refused(_dossier({"mau02": [FORM_01]}), InvalidCommand)  # shown by the self-assessment
    driver.expect_refused(_dossier({"updates": [FORM_01]}), InvalidCommand)  # a re-evaluation's item
    driver.expect_refused(_dossier({"mau01": [LABEL]}), InvalidCommand)  # not one of its documents


def test_under_a_rulebook_without_a_checklist_nothing_is_filed_and_there_is_no_checklist() -> None:
    driver = _in_development(date(2025, 9, 1))  # qd148-1489-2025
    driver.expect_refused(_dossier({"mau01": [FORM_01]}), InvalidCommand)
    driver.run(_dossier(None))
    assert dossier_checklist(driver.journey, get_rulebook("qd148-1489-2025")) is None
    assert driver.journey.dossier_contents == {}
