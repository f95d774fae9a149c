"""Every word on a page comes from the catalog: no English on a 简体中文 page and no Chinese on an
English one (people's own data aside), and every word the templates and the glossary use is in
both catalogs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from demo.workflow import (
    AUDITOR,
    BRANCH_HEAD,
    DIRECTOR,
    EVERYONE,
    HR_LEAD,
    PM,
    SALES,
    SERVICE_MANAGER,
    TECH_LEAD,
    Launch,
)
from domain.gates import REVIEW_ITEMS
from tests.web.conftest import NAMES, PEOPLE, Visitor, signed_in, visible_text
from web import glossary, sentences
from web.i18n import TRANSLATIONS

pytestmark = pytest.mark.backends()
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{[\w\[\]]+\}")
"""A value put into a message (``%(when)s``, ``{who}``): a name, not a word of either language."""
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
UNKNOWN = "00000000-0000-4000-8000-000000000000"
CATALOGS = {"zh-CN": "zh_Hans_CN", "en": "en"}


def catalog(language: str):
    with (TRANSLATIONS / CATALOGS[language] / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


def leaks(html: str, language: str, user_data: list[str]) -> list[str]:
    """Words of the other language left once people's own data is taken out of the visible text."""
    text = visible_text(html, language)
    for item in sorted(user_data, key=len, reverse=True):
        text = text.replace(item, " ")
    return (ENGLISH_WORD if language == "zh-CN" else CHINESE).findall(text)


@pytest.fixture
def launch(tracker) -> Launch:
    return Launch(tracker).advance_to("implementation").issue_tickets()


def user_data(launch: Launch) -> list[str]:
    project = launch.project
    titles = [launch.ticket(ref).title for ref in launch.tickets]
    titles += [c for r in project.current_plan["requirements"] for c in r["acceptance_criteria"]]
    titles += [review.comments for version in project.plans for review in version.reviews]
    titles += [position["title"] for position in project.current_plan["positions"]]
    people = [*(a.user for a in EVERYONE), "ops.admin", *PEOPLE.values(), *NAMES.values()]
    criteria = [c for ref in launch.tickets for c in launch.ticket(ref).acceptance_criteria]
    letters = [entry["letter_reference"] for entry in project.appointments]
    return [
        project.code,
        "SH-PLANNING",
        "SH-IN-REVIEW",
        project.name,
        project.customer,
        *titles,
        *people,
        *letters,
        "agreed",
        "CSV",
        *criteria,
        *WORKED,
    ]


WORKED = ("招聘进度落后", "外包招聘", "不同意", "录用名单", "缺考核记录", "租用设备")
"""What people typed while working the tickets below (their own data, in either language)."""


def work_tickets(launch: Launch) -> None:
    """R1 through a rejected escalation, a passed review, a return and a new submission; R2 with an
    alternative waiting for the PM: the ticket pages then show every kind of round and form."""
    t, r1, r2 = launch.tracker, launch.tickets["R1"], launch.tickets["R2"]
    t.start_ticket(HR_LEAD, r1)
    t.flag_risk(HR_LEAD, r1, WORKED[0])
    t.propose_alternative(HR_LEAD, r1, WORKED[1], True)
    t.confirm_alternative(PM, r1, 1, escalate=True)
    t.approve_alternative(BRANCH_HEAD, r1, 1, "rejected", WORKED[2])
    t.propose_alternative(HR_LEAD, r1, WORKED[1], False)
    t.review_alternative(PM, r1, 2, ["hr", "operations"], "passed", "")
    t.submit_ticket(HR_LEAD, r1, WORKED[3])
    criteria = [{"criterion": c, "met": False, "note": WORKED[4]} for c in launch.ticket("R1").acceptance_criteria]
    t.decide_acceptance(PM, r1, "returned", criteria, WORKED[4])
    t.submit_ticket(HR_LEAD, r1, WORKED[3])
    t.flag_risk(TECH_LEAD, r2, WORKED[0])
    t.propose_alternative(TECH_LEAD, r2, WORKED[5], True)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_no_page_shows_words_of_the_other_language(app, launch: Launch, language: str) -> None:
    pages = {None: ["/login"]}
    pages.update({person: ["/"] for person in (PM, HR_LEAD, AUDITOR)})
    pages[SALES] = ["/", "/projects", "/projects?q=熱線", f"/projects/{launch.project_id}", f"/projects/{UNKNOWN}"]
    work_tickets(launch)
    tickets = [f"/tickets/{launch.tickets['R1']}", f"/tickets/{launch.tickets['R2']}"]
    pages[SALES] += [f"/projects/{launch.project_id}/tickets", "/departments/hr", "/departments/sales", *tickets]
    pages[PM] += tickets
    pages[HR_LEAD] += ["/departments/hr", *tickets]
    pages[SALES] += ["/projects/new", f"/projects/{launch.project_id}/plan?from=2000-01-01&to=2100-12-31"]
    planning = Launch(launch.tracker, code="SH-PLANNING").advance_to("planning").project_id
    in_review = Launch(launch.tracker, code="SH-IN-REVIEW").advance_to("plan_review").project_id
    pages[PM] += [f"/projects/{launch.project_id}/plan", f"/projects/{planning}/plan"]
    pages[PM] += [f"/projects/{in_review}", f"/projects/{in_review}/plan"]
    pages[DIRECTOR] = [f"/projects/{planning}", "/projects/new"]
    signed_in(app, DIRECTOR)  # (adds the director's account)
    ticket = next(iter(launch.tickets.values()))
    pages[SALES] += [
        f"/projects/{launch.project_id}/history",
        f"/projects/{launch.project_id}/history?as_of=2999-01-01",
    ]
    pages[SALES] += [f"/tickets/{ticket}/history?as_of=2999-01-01", f"/projects/{launch.project_id}/contract"]
    pages[AUDITOR].extend(["/audit", "/audit?verify=1", "/audit?role=sales&since=2000-01-01"])
    pages[PM].append("/audit")
    for person, paths in pages.items():
        visitor = Visitor(app.test_client(), language)
        if person is not None:
            visitor.sign_in(person.user)
        for path in paths:
            html = visitor.get(path).get_data(as_text=True)
            assert f'<html lang="{language}">' in html
            assert leaks(html, language, user_data(launch)) == [], (person, path)
    refused = Visitor(app.test_client(), language).post("/login", {}, with_token=False)
    assert leaks(refused.get_data(as_text=True), language, []) == []


def test_every_word_the_pages_use_is_in_both_catalogs() -> None:
    web = Path(glossary.__file__).parent
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    used = {(None, message) for _, _, message, *_ in extract_from_dir(web, method_map) if isinstance(message, str)}
    groups = [*glossary.GROUPS.values(), glossary.EVENTS, {"other": glossary.OTHER_EVENT}]
    used |= {lazy._args for group in groups for lazy in group.values()}
    used |= {(sentences.CONTEXT, template) for template in sentences.templates()}
    for language, pattern in (("zh-CN", ENGLISH_WORD), ("en", CHINESE)):
        entries = {(message.context, message.id): message.string for message in catalog(language) if message.id}
        missing = {key for key in used if not entries.get(key)}
        assert missing == set(), language
        words = {key: PLACEHOLDER.sub("", text).replace("CSV", "") for key, text in entries.items()}
        other_language = {key: text for key, text in words.items() if pattern.findall(text)}
        assert other_language == {}, language


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_no_trial_page_shows_words_of_the_other_language(app, tracker, language: str) -> None:
    """The manual, the trial's records, a failed review with its nonconformity, a passed one awaiting
    the decision (its forms), a review under way (its item forms) and the trial's part of My work."""
    launch = Launch(tracker).advance_to("trial_review").assess_all(unmet=("personnel",))
    launch.conclude()
    failed = launch.review_id
    tracker.record_nonconformity(PM, failed, "座席培训未完成", "补训", "hr", due=date(2026, 12, 24))
    tracker.complete_corrective_action(HR_LEAD, failed, 1, "补训记录")
    tracker.verify_corrective_action(PM, failed, 1, False, "考核未通过", new_due=date(2026, 12, 28))
    tracker.complete_corrective_action(HR_LEAD, failed, 1, "再次考核")
    tracker.verify_corrective_action(PM, failed, 1, True, "考核通过")
    launch.open_review().assess_all().conclude()
    tracker.record_nonconformity(PM, failed, "夜班人手不足", "增聘", "hr", due=date(2026, 12, 30))  # open
    tracker.record_nonconformity(PM, failed, "排班表缺失", "补排班", "hr", due=date(2026, 12, 30))
    tracker.complete_corrective_action(HR_LEAD, failed, 3, "排班表")  # done, awaiting the PM
    other = Launch(tracker, code="SH-TWO").advance_to("trial_review")
    project = f"/projects/{launch.project_id}"
    pages = {
        PM: [project, f"/reviews/{failed}", f"/reviews/{launch.review_id}", f"/reviews/{other.review_id}"],
        BRANCH_HEAD: ["/", project, f"/reviews/{launch.review_id}"],
        SERVICE_MANAGER: ["/", f"/projects/{other.project_id}"],
        HR_LEAD: [f"/reviews/{failed}"],
    }
    data = [*user_data(launch), "SH-TWO", "OM-SH-01", "first issue", "complete", "no outage", "trial summary"]
    data += [f"evidence for {item}" for item in REVIEW_ITEMS] + ["座席培训未完成", "补训", *NAMES.values()]
    data += ["补训记录", "考核未通过", "再次考核", "考核通过", "夜班人手不足", "增聘", "排班表缺失", "补排班", "排班表"]
    for person, paths in pages.items():
        visitor = signed_in(app, person, language)
        for path in paths:
            answer = visitor.get(path)
            html = answer.get_data(as_text=True)
            assert answer.status_code == 200 and f'<html lang="{language}">' in html
            assert leaks(html, language, data) == [], (person, path)
