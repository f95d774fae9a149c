"""Every word on a page comes from the catalog: no English on a 简体中文 page and no Chinese on an
English one (people's own data aside), and every word the templates and the glossary use is in
both catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from demo.workflow import AUDITOR, EVERYONE, HR_LEAD, PM, SALES, Launch
from tests.web.conftest import PEOPLE, Visitor, visible_text
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
    people = [*(a.user for a in EVERYONE), "ops.admin", *PEOPLE.values()]
    letters = [entry["letter_reference"] for entry in project.appointments]
    return [
        project.code,
        project.name,
        project.customer,
        *titles,
        *people,
        *letters,
        "agreed",
        "CSV",
    ]  # (the demo review's comments; 导出 CSV: UI.md's own word)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_no_page_shows_words_of_the_other_language(app, launch: Launch, language: str) -> None:
    pages = {None: ["/login"]}
    pages.update({person: ["/"] for person in (PM, HR_LEAD, AUDITOR)})
    pages[SALES] = ["/", "/projects", "/projects?q=熱線", f"/projects/{launch.project_id}", f"/projects/{UNKNOWN}"]
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
