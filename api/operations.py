"""Contract and operations: terms and amendments, KPI reports, outages, volumes; the KPI and settlement views."""

from __future__ import annotations

from flask.views import MethodView

from api.auth import current_actor
from api.guard import Blueprint
from api.http import commands_on
from api.schemas.operations import (
    ContractIn,
    ContractOut,
    KpiReportIn,
    KpisOut,
    OutageIn,
    SettlementOut,
    VolumesIn,
)
from api.schemas.views import AfterQuery
from api.views import fresh, views
from domain import reading_rights
from projections import contract, kpis, settlements

blp = Blueprint("operations", __name__, url_prefix="/api/projects", description="Contract and operations")
BLUEPRINTS = [blp]
ONE = "/<uuid:project_id>"


command = commands_on(blp, "project_id", ONE)


def require_read(project_id, kind: str) -> None:
    """403 unless the signed-in reader may read ``kind`` of this project (``domain.reading_rights``)."""
    reading_rights.require_read(current_actor(), kind, views().reader.one("project", project_id))


command("/kpi-reports", KpiReportIn, "record_kpi_report", "Record a period's KPI figures (service manager).")
command("/outages", OutageIn, "record_outage", "Record an outage (system maintenance lead).")
command("/volumes", VolumesIn, "record_volumes", "Record a month's volumes for settlement (service manager).")


@blp.route(f"{ONE}/contract")
class Contract(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, ContractOut)
    def get(self, args, project_id):
        """The terms in force this month and every recording of terms (who, when, why); commercial figures."""
        headers = fresh(args)
        require_read(project_id, "contract_terms")
        return contract.contract_view(views().reader, project_id, views().today()), headers


command(
    "/contract",
    ContractIn,
    "record_contract_terms",
    "Record the contract terms, or amend them with a reason and the month they apply from (sales or PM).",
    verb="put",
    body_as="terms",
)


@blp.route(f"{ONE}/kpis")
class Kpis(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, KpisOut)
    def get(self, args, project_id):
        """Each reported period's KPI figures against the contract's targets, met or not; operational figures."""
        headers = fresh(args)
        require_read(project_id, "kpi_reports")
        return kpis.kpi_view(views().reader, project_id), headers


@blp.route(f"{ONE}/settlements/<month>")
class Settlement(MethodView):
    @blp.arguments(AfterQuery, location="query")
    @blp.response(200, SettlementOut)
    def get(self, args, project_id, month):
        """The month's settlement (``YYYY-MM``), every step of the computation shown; commercial figures."""
        headers = fresh(args)
        require_read(project_id, "settlements")
        return settlements.settlement_view(views().reader, project_id, month), headers
