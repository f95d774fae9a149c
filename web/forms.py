"""One page form = one command: the form is read by the API's own marshmallow schema and sent to the
same application-service method, so a page records exactly what the API would, and refuses the same.

Every page's action is a ``Step``; ``perform`` runs it and answers a ``Result``: the outcome (its
``position`` is used to redirect with read-your-writes), or the refusal — the rule's message for the
top of the page, each bad field's message for beside its field, and what the person typed, kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g
from flask_babel import LazyString, lazy_gettext
from marshmallow import Schema, ValidationError

from domain.errors import DomainError, InvalidInput
from web import evidence, refusals

Values = Mapping[str, Any]
FILE_REFUSED = lazy_gettext("Only PDF, JPEG, PNG, Word or Excel files, as their content shows")


@dataclass(frozen=True)
class Field:
    """One form control. ``kind``: text, textarea, date, datetime-local, number, select, checkbox,
    checkboxes (one box per choice, all posted under the name: a list), or file (files as evidence:
    the form is then multipart; each file is uploaded and referenced by its SHA-256)."""

    name: str
    label: LazyString | str
    kind: str = "text"
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = True


@dataclass(frozen=True)
class Step:
    """An action a person may take on one aggregate (or, with ``versioned=False``, create one).

    ``code``: the domain's step (``allowed_steps``); ``word``: the glossary's action naming the
    button (``glossary.ACTIONS``; the code when not given); ``method``: the ``Tracker`` command;
    ``schema``: the API's schema for its body; ``parse``: turns the posted form into that body's raw
    form (lists, nested rows), by default the fields as they are, blanks left out;
    ``applies(target, actor)``: offered now to this person (the command still has the last word);
    ``buttons``: (field, value, action) for a form with one button per answer (a review's 评审通过 /
    评审不通过), each posting its value under the field.
    """

    code: str
    method: str
    word: str | None = None
    schema: type[Schema] | None = None
    fields: tuple[Field, ...] = ()
    applies: Callable[[Any, Any], bool] = lambda target, actor: True
    parse: Callable[[Values], dict[str, Any]] | None = None
    versioned: bool = True
    today_as: str | None = None
    body_as: str | None = None
    buttons: tuple[tuple[str, str, str], ...] = ()


def button(step: Step) -> str:
    """The glossary's action for the step's button."""
    return step.word or step.code


@dataclass
class Result:
    outcome: Any = None
    status: int = 200
    message: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome is not None


def form_values(step: Step, form: Values) -> dict[str, Any]:
    """The fields as posted, blanks left out (an empty control means "not given"), and the button pressed."""
    values = {name: form[name] for name, value, _ in step.buttons if form.get(name) == value}
    for control in step.fields:
        value = form.get(control.name, "")
        if control.kind == "checkbox":
            values[control.name] = value in ("on", "true", "1", "y")
        elif isinstance(value, str) and value.strip():
            values[control.name] = value.strip()
    return values


def kept_value(form: Values, name: str) -> Any:
    """What was typed in a control; a list for a control posted more than once (checkboxes)."""
    several = form.getlist(name) if hasattr(form, "getlist") else []
    return several if len(several) > 1 else form.get(name, "")


def perform(step: Step, ids: list[Any], form: Values, version: int | None = None) -> Result:
    """Load the form with the API's schema, send the command as the signed-in person, answer the result."""
    kept = {name: kept_value(form, name) for name in form if name != "csrf_token"}
    raw = step.parse(form) if step.parse else form_values(step, form)
    for control in step.fields:
        if control.kind == "file":
            try:
                raw = {**raw, control.name: evidence.uploaded(control.name)}
            except InvalidInput:
                errors = {control.name: str(FILE_REFUSED)}
                return Result(status=422, message=str(refusals.INVALID), errors=errors, values=kept)
    try:
        body = step.schema().load(raw) if step.schema is not None else dict(raw)
    except ValidationError as error:
        errors = refusals.field_errors(error.messages)
        return Result(status=422, message=str(refusals.INVALID), errors=errors, values=kept)
    if step.body_as is not None:
        body = {step.body_as: body}
    if step.today_as is not None:
        body[step.today_as] = current_app.extensions["views"].today()
    if step.versioned:
        body["expected_version"] = version
    try:
        outcome = getattr(current_app.extensions["tracker"], step.method)(g.person.actor, *ids, **body)
    except DomainError as error:
        errors = refusals.field_errors(error.fields) if isinstance(error, InvalidInput) else {}
        return Result(status=refusals.status(error), message=refusals.explain(error), errors=errors, values=kept)
    return Result(outcome=outcome, values=kept)


FILES = Field("files", lazy_gettext("Files (PDF, image, Word, Excel; at most 20 MB)"), "file", required=False)
"""The evidence forms' file input: the files go with the command as ``files``."""
