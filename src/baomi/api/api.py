"""The one NinjaAPI instance; each app contributes its router from `<app>/api.py`.

Contract: design.md "JSON API (v1)". Base /api/v1/, schema at /api/v1/openapi.json, docs at
/api/v1/docs. Every operation needs a caller: a bearer token, or the signed-in web session.
"""

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from baomi.api import errors, idempotency
from baomi.api.auth import BearerToken, WebSession


class ChineseJSONRenderer(JSONRenderer):
    # UTF-8 Chinese as is: readable in curl and logs, and smaller than \uXXXX escapes.
    json_dumps_params = {"ensure_ascii": False}


class BaomiAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Every write documents the optional Idempotency-Key header (baomi.api.idempotency)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                if method.upper() in idempotency.WRITE_METHODS:
                    operation.setdefault("parameters", []).append(idempotency.OPENAPI_PARAMETER)
        return schema


api = BaomiAPI(
    title="Baomi API",
    version="1",
    description=(
        "保密管理系统 JSON API v1。认证：`Authorization: Bearer <令牌>`。"
        '错误统一为 `{"error": {"code", "message", "detail"}}`：'
        "401 unauthenticated，403 规则编号（如 CR-7）或 forbidden，404 not_found（不存在或无权查看），"
        "409 invalid_state，422 invalid（detail 为 {字段: [说明]}），"
        "503 unavailable（数据库暂时不可用，操作未完成；按 Retry-After 秒后重试）。"
        "写操作（POST/PUT/PATCH/DELETE）可带 `Idempotency-Key` 请求头（1–255 个可见 ASCII 字符）："
        "同一调用者 24 小时内以同一键重发同一请求，返回第一次的结果（响应头 Idempotent-Replayed: true），"
        "不会重复执行或重复记录审计；同一键用于方法、路径或请求体不同的请求返回 422。"
        "5xx 的结果不会保存，可用同一键重试。"
    ),
    urls_namespace="api",
    auth=[BearerToken(), WebSession()],
    renderer=ChineseJSONRenderer(),
    # No online validator: Swagger UI would send the schema to validator.swagger.io (SEC-6).
    docs=Swagger(settings={"validatorUrl": None}),
)
errors.install(api)


def _mount() -> None:
    # Imported here so that the app modules can import `baomi.api.schemas` freely.
    from baomi.accounts.api import me_router as accounts_me_router
    from baomi.accounts.api import router as accounts_router
    from baomi.accounts.api import settings_router as security_settings_router
    from baomi.alerts.api import router as alerts_router
    from baomi.approvals.api import router as requests_router
    from baomi.approvals.policy_api import router as policies_router
    from baomi.approvals.policy_api import settings_router as unit_settings_router
    from baomi.archive.api import carrier_router as archive_carrier_router
    from baomi.archive.api import retrievals_router
    from baomi.archive.api import router as dossiers_router
    from baomi.assessments.api import router as assessments_router
    from baomi.audit.api import router as audit_router
    from baomi.carriers.api import router as carriers_router
    from baomi.carriers.places_api import router as places_router
    from baomi.carriers.slips_api import router as slips_router
    from baomi.catalogue.api import router as catalogue_router
    from baomi.destruction.api import router as destruction_router
    from baomi.devices.api import router as devices_router
    from baomi.dispatch.api import carrier_router as dispatch_carrier_router
    from baomi.dispatch.api import dispatches_router, recalls_router
    from baomi.handover.api import people_router as handover_people_router
    from baomi.handover.api import router as handovers_router
    from baomi.imports.api import router as imports_router
    from baomi.incidents.api import router as incidents_router
    from baomi.inspections.api import router as inspections_router
    from baomi.inspections.rectifications_api import rectifications_router
    from baomi.meetings.api import router as meetings_router
    from baomi.org.admin_api import grants_router, units_router  # also: departments/people writes
    from baomi.org.api import router as org_router
    from baomi.outside_meetings.api import router as attendances_router
    from baomi.personnel.api import router as personnel_router
    from baomi.reclassification.api import notices_router, unclear_router
    from baomi.reclassification.api import router as reclassifications_router
    from baomi.reports.api import router as statistics_router
    from baomi.reports.yearly.api import router as yearly_router
    from baomi.review.api import router as reviews_router
    from baomi.review.api import terms_router
    from baomi.sites.api import checks_router, keys_router, visitors_router
    from baomi.sites.api import router as sites_router
    from baomi.stocktake.api import router as stocktakes_router
    from baomi.training.api import bank_router, exams_router, trainings_router
    from baomi.workdays.api import router as workdays_router

    api.add_router("", org_router, tags=["人员"])
    api.add_router("", accounts_me_router, tags=["账号"])
    api.add_router("/accounts", accounts_router, tags=["账号"])
    api.add_router("/security-settings", security_settings_router, tags=["账号"])
    api.add_router("", personnel_router, tags=["涉密人员"])
    api.add_router("/units", units_router, tags=["系统管理"])
    api.add_router("/grants", grants_router, tags=["授权管理"])
    api.add_router("/carriers", carriers_router, tags=["载体"])
    api.add_router("/places", places_router, tags=["存放位置"])
    api.add_router("/requests", requests_router, tags=["审批"])
    api.add_router("/audit", audit_router, tags=["审计"])
    api.add_router("/reviews", reviews_router, tags=["保密审查"])
    api.add_router("/term-lists", terms_router, tags=["保密审查"])
    api.add_router("/stocktakes", stocktakes_router, tags=["清查"])
    api.add_router("/reclassifications", reclassifications_router, tags=["密级变更"])
    api.add_router("/unclear-items", unclear_router, tags=["密级变更"])
    api.add_router("/notices", notices_router, tags=["通知"])
    api.add_router("/alerts", alerts_router, tags=["提醒"])
    api.add_router("/carriers", archive_carrier_router, tags=["档案"])
    api.add_router("/dossiers", dossiers_router, tags=["档案"])
    api.add_router("/retrievals", retrievals_router, tags=["档案"])
    api.add_router("/destruction-lists", destruction_router, tags=["销毁"])
    api.add_router("/handovers", handovers_router, tags=["交接"])
    api.add_router("/imports", imports_router, tags=["台帐导入"])
    api.add_router("/people", handover_people_router, tags=["交接"])
    api.add_router("/carriers", dispatch_carrier_router, tags=["发文与清退"])
    api.add_router("/dispatches", dispatches_router, tags=["发文与清退"])
    api.add_router("/recalls", recalls_router, tags=["发文与清退"])
    api.add_router("/circulation-slips", slips_router, tags=["传阅单"])
    api.add_router("/approval-policies", policies_router, tags=["审批"])
    api.add_router("/unit-settings", unit_settings_router, tags=["审批"])
    api.add_router("/statistics", statistics_router, tags=["统计"])
    api.add_router("/reports", yearly_router, tags=["年度报告"])
    api.add_router("/meetings", meetings_router, tags=["涉密会议"])
    api.add_router("/sites", sites_router, tags=["要害部门部位"])
    api.add_router("/visitors", visitors_router, tags=["要害部门部位"])
    api.add_router("/site-keys", keys_router, tags=["要害部门部位"])
    api.add_router("/closing-checks", checks_router, tags=["要害部门部位"])
    api.add_router("/inspections", inspections_router, tags=["保密检查"])
    api.add_router("/rectifications", rectifications_router, tags=["保密检查"])
    api.add_router("/trainings", trainings_router, tags=["保密教育"])
    api.add_router("/question-bank", bank_router, tags=["保密教育"])
    api.add_router("/exams", exams_router, tags=["保密教育"])
    api.add_router("/catalogue", catalogue_router, tags=["保密事项目录"])
    api.add_router("/devices", devices_router, tags=["计算机与存储介质"])
    api.add_router("/incidents", incidents_router, tags=["失泄密事件"])
    api.add_router("/meeting-attendances", attendances_router, tags=["外出会议带回文件"])
    api.add_router("/working-days", workdays_router, tags=["工作日历"])
    api.add_router("/assessments", assessments_router, tags=["保密工作考核"])


_mount()
