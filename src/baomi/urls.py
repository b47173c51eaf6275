from django.contrib.auth import views as auth_views
from django.urls import include, path

from baomi.api.api import api
from baomi.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("carriers/", include("baomi.carriers.urls")),
    path("requests/", include("baomi.approvals.urls")),
    path("audit/", include("baomi.audit.urls")),
    path("dispatch/", include("baomi.dispatch.urls")),
    path("archive/", include("baomi.archive.urls")),
    path("destruction/", include("baomi.destruction.urls")),
    path("handover/", include("baomi.handover.urls")),
    path("stocktakes/", include("baomi.stocktake.urls")),
    path("reclassification/", include("baomi.reclassification.urls")),
    path("alerts/", include("baomi.alerts.urls")),
    path("reviews/", include("baomi.review.urls")),
    path("people/", include("baomi.personnel.urls")),
    path("dashboard/", include("baomi.reports.urls")),
    path("reports/yearly/", include("baomi.reports.yearly.urls")),
    path("console/", include("baomi.administration.urls")),
    path("imports/", include("baomi.imports.urls")),
    path("meetings/", include("baomi.meetings.urls")),
    path("sites/", include("baomi.sites.urls")),
    path("accounts/", include("baomi.accounts.urls")),
    path("inspections/", include("baomi.inspections.urls")),
    path("training/", include("baomi.training.urls")),
    path("catalogue/", include("baomi.catalogue.urls")),
    path("devices/", include("baomi.devices.urls")),
    path("incidents/", include("baomi.incidents.urls")),
    path("outside-meetings/", include("baomi.outside_meetings.urls")),
    path("working-days/", include("baomi.workdays.urls")),
    path("assessments/", include("baomi.assessments.urls")),
    path("", include("baomi.web.urls")),
    path("api/v1/", api.urls),
]

# A database fault answers 503 (JSON under /api/), not Django's HTML "Server Error (500)".
handler500 = "baomi.web.security.server_error"
