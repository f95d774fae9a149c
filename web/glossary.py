"""UI.md's glossary as catalog entries: every page names phases, roles, departments, states, review
items, KPIs, things and actions from here, so one word has one translation everywhere.

Each group is a message context (``pgettext``): "Sales" the role (销售) and "Sales" the department
(销售部) are two entries. Codes are the domain's; an unknown code is shown as it is (user data).
"""

from __future__ import annotations

from flask_babel import lazy_pgettext


def _group(context: str, words: dict[str, str]) -> dict[str, object]:
    return {code: lazy_pgettext(context, word) for code, word in words.items()}


PHASES = _group("phase", {
    "intake": "Intake", "planning": "Planning", "plan_review": "Plan review", "implementation": "Implementation",
    "trial_operation": "Trial operation", "trial_review": "Trial review", "live": "Live",
    "terminating": "Terminating", "closed": "Closed", "cancelled": "Cancelled",
})  # fmt: skip
ROLES = _group("role", {
    "sales": "Sales", "operations_director": "Operations director", "project_manager": "Project manager",
    "department_lead": "Department lead", "service_manager": "Service manager", "branch_head": "Branch head",
    "auditor": "Auditor",
})  # fmt: skip
DEPARTMENTS = _group("department", {
    "sales": "Sales", "operations": "Operations", "technology": "Technology", "hr": "HR",
    "administration": "Administration", "system_maintenance": "System maintenance",
})  # fmt: skip
TICKET_STATES = _group("ticket state", {
    "issued": "Issued", "in_progress": "In progress", "at_risk": "At risk",
    "alternative_proposed": "Alternative proposed", "alternative_under_review": "Alternative under review",
    "alternative_escalated": "Escalated", "submitted": "Submitted", "accepted": "Accepted", "cancelled": "Cancelled",
})  # fmt: skip
THINGS = _group("thing", {
    "project": "Project", "plan": "Project plan", "ticket": "Requirement ticket",
    "criteria": "Acceptance criteria", "alternative": "Alternative plan", "meeting": "Coordination meeting",
    "manual": "Operations manual", "review": "Trial review record", "nonconformity": "Nonconformity",
    "corrective_action": "Corrective action", "improvement": "Improvement measure", "request": "Customer requests",
    "equipment_report": "Equipment operation report", "appointment": "Appointment letter", "contract": "Contract",
    "kpis": "KPIs", "availability": "System availability", "settlement": "Settlement", "audit_log": "Audit log",
    "history": "History",
})  # fmt: skip
REVIEW_ITEMS = _group("review item", {
    "customer_requirements": "Customer requirements", "implicit_requirements": "Implicit requirements",
    "legal_requirements": "Legal requirements", "trial_summary": "Trial summary", "facilities": "Facilities",
    "equipment": "Equipment", "processes": "Processes", "personnel": "Personnel",
})  # fmt: skip
KPIS = _group("KPI", {
    "answer_rate": "Answer rate", "service_level": "Service level", "average_response_time": "Average response time",
    "average_handle_time": "Average handle time", "first_contact_resolution": "First-contact resolution",
    "customer_satisfaction": "Customer satisfaction", "complaint_rate": "Complaint rate",
})  # fmt: skip
ACTIONS = _group("action", {
    "sign_in": "Sign in", "sign_out": "Sign out", "new_project": "New project", "appoint_pm": "Appoint PM",
    "save_plan": "Save plan", "submit_plan": "Submit for review", "approve_plan": "Approve",
    "reject_plan": "Reject", "issue_tickets": "Issue tickets", "start_work": "Start work", "flag_risk": "Flag risk",
    "propose_alternative": "Propose alternative", "submit_ticket": "Submit for acceptance", "accept": "Accept",
    "return": "Return", "approve": "Approve", "reject": "Reject", "start_trial": "Start trial",
    "open_review": "Open review", "decide_go_live": "Decide go-live", "extend_trial": "Extend trial",
    "cancel_project": "Cancel project", "export_csv": "Export CSV", "history": "History", "as_of": "As of",
})  # fmt: skip
ACTIONS.update(_group("ending action", {
    "record_termination": "Record termination notice", "record_handover": "Record handover done",
    "close_project": "Close project",
}))  # fmt: skip
"""Term and end's steps (DOMAIN.md "Term and end"; UI.md's glossary has no word for them)."""
ACTIONS.update(_group("plan review action", {"approve_plan": "Approve", "reject_plan": "Reject"}))
"""A plan review's 评审通过 / 评审不通过 are not an alternative's 批准 / 驳回: the same English, two entries."""
ACTIONS.update(_group("alternative action", {"confirm_alternative": "Confirm", "escalate_alternative": "Escalate"}))
"""The PM confirms an alternative that meets the requirements, or escalates it to the branch head (上报)."""
ALTERNATIVE_STATUSES = _group("alternative status", {
    "proposed": "Proposed", "under_review": "Under review", "confirmed": "Confirmed", "escalated": "Escalated",
    "approved": "Approved", "rejected": "Rejected", "passed": "Review passed", "failed": "Review failed",
    "accepted": "Accepted", "returned": "Returned",
})  # fmt: skip
"""What became of an alternative plan, and of an acceptance check (DOMAIN.md 6)."""
ACTIONS.update(_group("trial action", {
    "submit_manual": "Submit manual", "record_audit": "Record process audit", "relay_feedback": "Relay feedback",
    "record_improvement": "Record improvement", "file_equipment_report": "File equipment report",
    "assess_item": "Record review item", "conclude_review": "Conclude review",
    "record_nonconformity": "Record nonconformity", "complete_action": "Record done", "verify_action": "Verify",
}))  # fmt: skip
"""The trial's steps UI.md's glossary has no word for (DOMAIN.md's terms)."""
ACTIONS.update(_group("change action", {
    "record_requirement_change": "Record requirement change", "revise_plan": "Start plan revision",
    "hold_meeting": "Record meeting",
}))  # fmt: skip
"""Changes and coordination (DOMAIN.md 1, 5 and 8), before go-live and while live."""
SIGN_IN = _group("sign-in", {"username": "Username", "password": "Password", "language": "Language"})
GATES = _group("gate", {
    "plan_dates_ordered": "Plan dates in order", "plan_approved": "Plan approved",
    "tickets_accepted": "Tickets accepted", "manual_approved": "Operations manual approved",
    "trial_started": "Trial started", "equipment_report": "Equipment operation report filed",
    "review_items_assessed": "Review items assessed", "review_items_met": "Review items met",
    "review_passed": "Trial review passed", "go_live_decision": "Go-live decided",
    "corrective_actions_closed": "Corrective actions closed",
})  # fmt: skip
ACTION_STATES = _group("action state", {"open": "Open", "done": "Done", "closed": "Closed", "reopened": "Reopened"})
ACTIONS.update(_group("rectification action", {
    "notify_rectification": "Record rectification notice", "plan_rectification": "Record rectification plan",
    "complete_rectification": "Report rectification done", "close_rectification": "Close rectification",
}))  # fmt: skip
"""The steps of a rectification (整改, DOMAIN.md "Running the live service")."""
ASSESSMENT_OUTCOMES = _group("assessment", {
    "passed": "Passed", "failed": "Failed", "missing": "Report missing", "open": "Not yet assessed",
})  # fmt: skip
"""A month's assessment (月度考核)."""
RECTIFICATION_STATES = _group("rectification state", {
    "notified": "Notice received", "planned": "Planned", "completed": "Completed", "closed": "Closed",
})  # fmt: skip
"""Where an improvement measure or a corrective action stands (DOMAIN.md "Closing the loops")."""
EVENTS = _group("event", {
    "Registered": "Project registered", "ProjectManagerAppointed": "Project manager appointed",
    "RequirementChangeRecorded": "Requirement change recorded", "MeetingHeld": "Coordination meeting held",
    "ProjectCancelled": "Project cancelled", "PlanDrafted": "Plan drafted",
    "PlanSubmitted": "Plan submitted for review",
    "PlanApproved": "Plan approved", "PlanRejected": "Plan rejected", "PlanRevisionStarted": "Plan revision started",
    "TicketsIssued": "Tickets issued", "TicketsWithdrawn": "Tickets withdrawn",
    "ManualSubmitted": "Operations manual submitted", "ManualApproved": "Operations manual approved",
    "ManualRejected": "Operations manual rejected", "TrialStarted": "Trial operation started",
    "ProcessAuditRecorded": "Process audit recorded", "CustomerFeedbackRelayed": "Customer feedback relayed",
    "ImprovementRecorded": "Improvement measure recorded", "EquipmentReportFiled": "Equipment operation report filed",
    "TrialReviewOpened": "Trial review opened", "TrialReviewConcluded": "Trial review concluded",
    "TrialExtended": "Trial extended", "WentLive": "Go-live decided", "Issued": "Ticket issued",
    "Started": "Work started", "RiskFlagged": "Risk flagged", "AlternativeProposed": "Alternative proposed",
    "AlternativeConfirmed": "Alternative confirmed", "AlternativeEscalated": "Alternative escalated",
    "AlternativeApproved": "Alternative approved", "AlternativeRejected": "Alternative rejected",
    "AlternativeReviewPassed": "Alternative passed review", "AlternativeReviewFailed": "Alternative failed review",
    "SubmittedForAcceptance": "Submitted for acceptance", "TicketAccepted": "Ticket accepted",
    "TicketReturned": "Ticket returned", "TicketCancelled": "Ticket cancelled",
    "RequirementRevised": "Requirement revised", "Opened": "Trial review opened",
    "ItemAssessed": "Review item assessed",
    "Concluded": "Trial review concluded", "DecisionMade": "Decision made",
    "NonconformityRecorded": "Nonconformity recorded", "ContractTermsRecorded": "Contract terms recorded",
    "KpiReportRecorded": "KPI report recorded", "OutageRecorded": "Outage recorded",
    "ScheduleRecorded": "Working-day schedule recorded", "ScheduleRevised": "Working-day schedule corrected",
    "DueRecounted": "Due date recounted", "ImprovementDueRecounted": "Improvement measure due date recounted",
    "CorrectiveActionDueRecounted": "Corrective action due date recounted", "VolumesRecorded": "Volumes recorded",
    "AccessRecordOpened": "Access record opened", "TokensRevoked": "Tokens revoked", "AccountAdded": "Account added",
    "AccountDisabled": "Account disabled", "LanguageChosen": "Language chosen",
    "ImprovementCompleted": "Improvement measure done", "ImprovementVerified": "Improvement measure verified",
    "CorrectiveActionCompleted": "Corrective action done", "CorrectiveActionVerified": "Corrective action verified",
    "TerminationNoticed": "Termination notice recorded", "HandoverItemCompleted": "Handover item done",
    "ProjectClosed": "Project closed",
    "RequestRecorded": "Customer request recorded", "RequestFulfilled": "Customer request fulfilled",
    "RequestDueRecounted": "Customer request due date recounted",
    "RectificationNotified": "Rectification notice recorded", "RectificationPlanned": "Rectification plan recorded",
    "RectificationCompleted": "Rectification done", "RectificationClosed": "Rectification closed",
})  # fmt: skip
NOTICE_BY = _group("notice by", {"customer": "the customer", "provider": "the provider"})
"""Whose termination notice (DOMAIN.md "Term and end")."""
TERMINATION_REASONS = _group("termination reason", {
    "expiry": "Expiry", "breach": "Breach of contract", "kpi_failures": "KPI failures",
    "convenience": "Convenience", "force_majeure": "Force majeure",
})  # fmt: skip
HANDOVER_ITEMS = _group("handover item", {
    "customer_data_returned": "Customer data returned", "recordings_returned": "Call recordings returned",
    "access_revoked": "System access revoked", "staff_released": "Staff released",
    "final_settlement": "Final settlement agreed",
})  # fmt: skip
"""The handover checklist of a terminating project."""
REQUEST_KINDS = _group("request kind", {
    "seat_change": "Seat change", "skill_group_change": "Skill group change", "ivr_change": "IVR change",
    "equipment_spec": "Equipment specification change", "volume_surge": "Call-volume surge",
    "extra_training": "Extra training", "staff_replacement": "Staff replacement",
})  # fmt: skip
"""The customer's requests with notice periods (通知事項, DOMAIN.md "Running the live service")."""
REQUEST_STATES = _group("request state", {"open": "Open", "fulfilled": "Fulfilled"})
ACTIONS.update(_group("request action", {"record_request": "Record request", "fulfil_request": "Fulfil"}))
OUTCOMES = _group("outcome", {
    "accepted": "accepted", "rejected": "rejected", "passed": "passed", "failed": "failed",
    "go_live": "go live", "extend_trial": "extend the trial", "customer_change": "customer change",
    "force_majeure": "force majeure", "met": "met", "not met": "not met", "zh-CN": "Simplified Chinese",
    "en": "English", "open": "open", "decided": "decided", "missing": "missing",
})  # fmt: skip
"""Codes inside the audit log's sentences (outcomes, decisions, triggers, languages)."""
OTHER_EVENT = lazy_pgettext("event", "Change")

GROUPS = {
    "phase": PHASES, "role": ROLES, "department": DEPARTMENTS, "ticket_state": TICKET_STATES, "thing": THINGS,
    "review_item": REVIEW_ITEMS, "kpi": KPIS, "action": ACTIONS, "sign_in": SIGN_IN, "gate": GATES,
    "alternative_status": ALTERNATIVE_STATUSES,
    "outcome": OUTCOMES, "action_state": ACTION_STATES, "notice_by": NOTICE_BY,
    "termination_reason": TERMINATION_REASONS, "handover_item": HANDOVER_ITEMS,
    "request_kind": REQUEST_KINDS,
    "request_state": REQUEST_STATES,
    "assessment": ASSESSMENT_OUTCOMES,
    "rectification_state": RECTIFICATION_STATES,
}  # fmt: skip


def word(group: str, code: str | None) -> object:
    """The glossary's word for ``code`` in the page's language (the code itself if the glossary has none)."""
    return GROUPS[group].get(code, code) if code is not None else ""


def event_name(event_type: str) -> object:
    return EVENTS.get(event_type.rsplit(".", 1)[-1], OTHER_EVENT)
