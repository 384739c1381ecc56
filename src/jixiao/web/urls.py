"""URL map of the jixiao web application."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language

from jixiao.web import benchmarks
from jixiao.web.accounts import views as accounts
from jixiao.web.api.api import api, api_not_found
from jixiao.web.declarations import adjustments, exante
from jixiao.web.declarations import views as declarations
from jixiao.web.evaluation.urls import public_urlpatterns as public_evaluations
from jixiao.web.jobs import views as jobs
from jixiao.web.public import views as public
from jixiao.web.review import views as review

urlpatterns = [
    path("", declarations.dashboard, name="dashboard"),
    path("login/", accounts.sign_in, name="login"),
    path("logout/", accounts.sign_out, name="logout"),
    path("account/", accounts.account, name="account"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("declarations/", declarations.declaration_list, name="declaration_list"),
    path("organisations/options/", declarations.organisation_options, name="organisation_options"),
    path("declarations/new/", declarations.declaration_new, name="declaration_new"),
    path("declarations/import/", declarations.import_upload, name="import_upload"),
    path("declarations/import/progress/", declarations.import_pages, name="import_pages"),
    path("declarations/import/<int:pk>/", declarations.import_preview, name="import_preview"),
    path("declarations/target-check/", declarations.target_check, name="target_check"),
    path("declarations/live-check/", declarations.live_check, name="live_check"),
    path("declarations/template.xlsx", declarations.template_download, name="template_download"),
    path("declarations/export/", declarations.export_selected, name="export_selected"),
    path("declarations/suggest/", declarations.suggest, name="suggest"),
    path("declarations/framework/", declarations.framework_levels, name="framework_levels"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path("declarations/<int:pk>/edit/", declarations.declaration_edit, name="declaration_edit"),
    path("declarations/<int:pk>/history/", declarations.declaration_history, name="declaration_history"),
    path("declarations/<int:pk>/export.json", declarations.export_json, name="export_json"),
    path("declarations/<int:pk>/export.<str:fmt>", declarations.export_file, name="export_file"),
    path("declarations/<int:pk>/review/", declarations.rereview, name="rereview"),
    path("declarations/<int:pk>/action/", review.take_action, name="take_action"),
    path("declarations/<int:pk>/adjustments/new/", adjustments.adjustment_new, name="adjustment_new"),
    path("declarations/<int:pk>/ex-ante/", exante.exante_edit, name="exante_edit"),
    path("declarations/adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment_detail"),
    path(
        "declarations/adjustments/<int:pk>/action/", adjustments.adjustment_action, name="adjustment_action"
    ),
    path("benchmarks/", benchmarks.benchmark_page, name="benchmarks"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/export/", jobs.start_export, name="job_start_export"),
    path("jobs/review/", jobs.start_review, name="job_start_review"),
    path("jobs/actuals/", jobs.start_actuals, name="job_start_actuals"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("jobs/<int:pk>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<int:pk>/status.json", jobs.job_status_json, name="job_status"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="job_retry"),
    path("public/", public.public_list, name="public_list"),
    path("public/organisations/", public.public_organisation_options, name="public_organisation_options"),
    path("public/<int:pk>/", public.public_detail, name="public_detail"),
    path("evaluation/", include("jixiao.web.evaluation.urls")),
    path("records/", include("jixiao.web.records.urls")),
    path("departments/", include("jixiao.web.departments.urls")),
    path("public/evaluations/", include(public_evaluations)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),  # unknown API paths answer JSON, like every API error
]
