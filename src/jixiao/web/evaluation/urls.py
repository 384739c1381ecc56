"""URLs of the evaluation app, mounted at /evaluation/ (and the public list at /public/evaluations/)."""

from django.urls import path

from jixiao.web.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("results/", views.results_page, name="results"),
    path("results/export.<str:fmt>", views.results_export, name="results_export"),
    path("declarations/<int:pk>/self-evaluation/", views.self_evaluation_page, name="self_evaluation"),
    path(
        "declarations/<int:pk>/self-evaluation/edit/", views.self_evaluation_edit, name="self_evaluation_edit"
    ),
    path(
        "declarations/<int:pk>/self-evaluation/score/",
        views.self_evaluation_score,
        name="self_evaluation_score",
    ),
    path(
        "declarations/<int:pk>/self-evaluation/publish/",
        views.self_evaluation_publish,
        name="self_evaluation_publish",
    ),
    path(
        "declarations/<int:pk>/self-evaluation/action/",
        views.self_evaluation_action,
        name="self_evaluation_action",
    ),
    path(
        "declarations/<int:pk>/self-evaluation/export.<str:fmt>",
        views.self_evaluation_export,
        name="self_evaluation_export",
    ),
    path("declarations/<int:pk>/monitoring/", views.monitoring_edit, name="monitoring_edit"),
    path("declarations/<int:pk>/monitoring/check/", views.monitoring_check, name="monitoring_check"),
    path("declarations/<int:pk>/monitoring/<int:month>/", views.monitoring_page, name="monitoring_page"),
    path(
        "declarations/<int:pk>/monitoring/<int:month>/export.<str:fmt>",
        views.monitoring_export,
        name="monitoring_export",
    ),
    path(
        "declarations/<int:pk>/monitoring/<int:month>/action/",
        views.monitoring_action,
        name="monitoring_action",
    ),
]

public_urlpatterns = [
    path("", views.public_list, name="public_evaluations"),
    path("<int:pk>/", views.public_detail, name="public_evaluation"),
]
