"""One event as the audit log shows it: who, when (UTC and Shanghai), what, and a readable line.

The line is made from ``SENTENCES`` through ``Words``: ``PLAIN`` keeps the API's English with the
codes as they are (its default); the pages (and the API asked for Chinese by ``Accept-Language``)
pass the catalog's words (``web.sentences``), which translate the sentence and each code in it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from domain.clock import SHANGHAI
from projections.audit_log import decode_event

BASE_FIELDS = {
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "actor",
    "role",
    "actor_department",
}
SENTENCES = {
    "Registered": "registered project {code} for {customer}",
    "ProjectManagerAppointed": "appointed {project_manager} as project manager ({letter_reference})",
    "RequirementChangeRecorded": "recorded a requirement change ({review_outcome}): {description}",
    "PlanDrafted": "drafted plan version {plan_version}",
    "PlanSubmitted": "submitted plan version {plan_version} for review",
    "PlanApproved": "approved plan version {plan_version}",
    "PlanRejected": "rejected plan version {plan_version}: {comments}",
    "PlanRevisionStarted": "started a plan revision ({trigger}): {reason}",
    "TicketsIssued": "issued {count} requirement ticket(s)",
    "TicketsWithdrawn": "withdrew {count} ticket(s): {reason}",
    "MeetingHeld": "held a coordination meeting on {held_on}",
    "ManualSubmitted": "submitted operations manual revision {revision} ({document_reference})",
    "ManualApproved": "approved operations manual revision {revision}",
    "ManualRejected": "rejected operations manual revision {revision}: {comments}",
    "TrialStarted": "started the trial operation {start} to {planned_end}",
    "ProcessAuditRecorded": "recorded a process audit held on {held_on}",
    "CustomerFeedbackRelayed": "relayed customer feedback: {summary}",
    "ImprovementRecorded": "recorded an improvement measure: {measure}",
    "EquipmentReportFiled": "filed the equipment operation report {period_start} to {period_end}",
    "TrialReviewOpened": "opened a trial review held on {held_on}",
    "TrialReviewConcluded": "trial review concluded: {outcome}",
    "TrialExtended": "extended the trial until {extend_until}",
    "WentLive": "decided go-live on {go_live_on}",
    "ProjectCancelled": "cancelled the project: {reason}",
    "Issued": "issued ticket {requirement_ref} to {department}, due {due}",
    "Started": "started work on the ticket",
    "RiskFlagged": "flagged a risk: {reason}",
    "AlternativeProposed": "proposed alternative {n}: {description}",
    "AlternativeConfirmed": "confirmed alternative {n}",
    "AlternativeEscalated": "escalated alternative {n} to the branch head",
    "AlternativeApproved": "approved alternative {n}",
    "AlternativeRejected": "rejected alternative {n}: {comments}",
    "AlternativeReviewPassed": "alternative {n} passed review",
    "AlternativeReviewFailed": "alternative {n} failed review: {comments}",
    "SubmittedForAcceptance": "submitted the ticket for acceptance",
    "TicketAccepted": "accepted the ticket",
    "TicketReturned": "returned the ticket: {comments}",
    "TicketCancelled": "cancelled the ticket: {reason}",
    "RequirementRevised": "revised the requirement (plan version {plan_version}), due {due}",
    "Opened": "opened the trial review held on {held_on}",
    "ItemAssessed": "assessed {item}: {met_text}",
    "Concluded": "concluded the trial review: {outcome}",
    "DecisionMade": "decided {decision} on {on}",
    "NonconformityRecorded": "recorded a nonconformity: {description}",
    "ContractTermsRecorded": "recorded the contract terms{effective}{why}",
    "KpiReportRecorded": "reported KPIs for {period_start} to {period_end}: {figures_text}",
    "OutageRecorded": "recorded an outage from {started_at} to {ended_at} ({caused_text}): {cause}",
    "ScheduleRecorded": "recorded the working-day schedule of {year} ({reference})",
    "ScheduleRevised": "corrected the working-day schedule ({reference}): {reason}",
    "DueRecounted": "recounted the due date with the {year} schedule: {old_due} → {new_due}",
    "ImprovementDueRecounted": "recounted improvement measure {n} with the {year} schedule: {old_due} → {new_due}",
    "CorrectiveActionDueRecounted": "recounted corrective action {n} with the {year} schedule: {old_due} → {new_due}",
    "ImprovementCompleted": "recorded improvement measure {n} done: {evidence}",
    "ImprovementVerified": "verified improvement measure {n}, {verdict_text}: {comments}",
    "CorrectiveActionCompleted": "recorded corrective action {n} done: {evidence}",
    "CorrectiveActionVerified": "verified corrective action {n}, {verdict_text}: {comments}",
    "RectificationNotified": "recorded rectification notice {n} for {month} ({outcome}, {notice_reference}), due {due}",
    "RectificationPlanned": "recorded the plan of rectification {n}: {measures_text}",
    "RectificationCompleted": "reported rectification {n} done: {evidence}",
    "RectificationClosed": "closed rectification {n}: {comments}",
    "VolumesRecorded": "recorded the volumes of {month}: {figures[valid_calls]} valid calls{why}",
    "AccessRecordOpened": "opened the access record of {user}",
    "TokensRevoked": "revoked every token of {user} issued until then: {reason}",
    "AccountAdded": "added an account for {user} as {account_role}",
    "AccountDisabled": "disabled the account of {user}: {reason}",
    "LanguageChosen": "chose {language} as the pages' language of {user}",
    "TerminationNoticed": "recorded the {by}'s termination notice ({termination_reason}) given on {notice_on}, "
    "effective on {effective_on}",
    "HandoverItemCompleted": "recorded the handover item {handover_item} done: {evidence}",
    "ProjectClosed": "closed the project: {summary}",
    "RequestRecorded": (
        "recorded customer request {n}, {kind} received {received_on}: {details}; "
        "{owner_department} to act by {due} ({notice_days} working days)"
    ),
    "RequestFulfilled": "recorded customer request {n} fulfilled: {evidence}",
    "RequestDueRecounted": "recounted customer request {n} with the {year} schedule: {old_due} → {new_due}",
}


LINE = "{who} ({role}) {what}"
FRAGMENTS = (
    " applying from {effective}",
    " ({reason})",
    "caused by the provider",
    "not caused by the provider",
    "effective, closed",
    "not effective, reopened until {new_due}",
)
"""Pieces of sentences, translated like the sentences (``Words.sentence``)."""
CODED = {
    "department": "department", "account_role": "role", "item": "review_item", "review_outcome": "outcome",
    "outcome": "outcome", "decision": "outcome", "trigger": "outcome", "language": "outcome",
    "by": "notice_by", "termination_reason": "termination_reason", "handover_item": "handover_item",
    "kind": "request_kind", "owner_department": "department",
}  # fmt: skip
"""Fields holding a code, and the glossary group naming it (``Words.word``)."""


class Words(Protocol):
    def sentence(self, template: str) -> str:
        """``template`` (a ``SENTENCES`` value, ``LINE`` or a ``FRAGMENTS`` piece) in the reader's language."""
        ...

    def word(self, group: str, code: Any) -> str:
        """A code (a role, a department, an outcome …) in the reader's language."""
        ...

    def day(self, value: date) -> str:
        """A calendar date as the reader writes it (``2026-12-21``, ``2026年12月21日``)."""
        ...


class Plain:
    """The API's English: sentences as written, codes as they are."""

    def sentence(self, template: str) -> str:
        return template

    def word(self, group: str, code: Any) -> str:
        return str(code)

    def day(self, value: date) -> str:
        return value.isoformat()


PLAIN = Plain()


def event_data(event: Any) -> dict[str, Any]:
    return {k: v for k, v in vars(event).items() if k not in BASE_FIELDS}


def summary(event: Any, words: Words = PLAIN) -> str:
    data = event_data(event)
    kind = type(event).__name__
    fields = {
        **data,
        **{name: words.day(value) for name, value in data.items() if type(value) is date},
        **{name: words.word(group, data[name]) for name, group in CODED.items() if data.get(name) is not None},
        "count": len(data.get("tickets") or data.get("ticket_ids") or []),
        "met_text": words.word("outcome", "met" if data.get("met") else "not met"),
        **_contract_texts(data, words),
    }
    line = words.sentence(LINE)
    who = {"who": event.actor, "role": words.word("role", event.role)}
    try:
        return line.format(**who, what=words.sentence(SENTENCES[kind]).format(**fields))
    except (KeyError, IndexError):
        return line.format(**who, what=words.word("event", kind))


def _contract_texts(data: dict[str, Any], words: Words) -> dict[str, str]:
    """Pieces of the contract records' sentences: when terms apply, why, which figures, whose outage;
    and the verdict of a verified measure or corrective action."""
    effective = (data.get("terms") or {}).get("effective_from")
    figures = data.get("figures") or {}
    caused = FRAGMENTS[2] if data.get("provider_caused") else FRAGMENTS[3]
    verdict = FRAGMENTS[4] if data.get("effective") else FRAGMENTS[5]
    return {
        "effective": words.sentence(FRAGMENTS[0]).format(effective=effective) if effective else "",
        "why": words.sentence(FRAGMENTS[1]).format(reason=data["reason"]) if data.get("reason") else "",
        "figures_text": ", ".join(f"{words.word('kpi', kpi)} {value}" for kpi, value in figures.items()),
        "caused_text": words.sentence(caused),
        "verdict_text": words.sentence(verdict).format(new_due=data.get("new_due")),
        "measures_text": "; ".join(data.get("measures") or []),
    }


def describe_row(mapper: Any, row: dict[str, Any], words: Words = PLAIN) -> dict[str, Any]:
    event = decode_event(mapper, row)
    time: datetime = event.timestamp
    return {
        "position": row["position"],
        "time": time,
        "time_shanghai": time.astimezone(SHANGHAI).isoformat(),
        "actor": row["actor"],
        "role": row["role"],
        "department": row["department"],
        "project_id": row["project_id"],
        "aggregate_id": row["aggregate_id"],
        "version": row["version"],
        "type": row["type"],
        "data": event_data(event),
        "summary": summary(event, words),
    }
