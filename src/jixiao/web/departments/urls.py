"""URLs of the department pages, mounted at /departments/."""

from django.urls import path

from jixiao.web.departments import views

app_name = "departments"

urlpatterns = [
    path("", views.department_list, name="list"),
    path("import/", views.department_import, name="import"),
    path("template.xlsx", views.department_template, name="template"),
    path("<int:pk>/", views.department_detail, name="detail"),
    path("<int:pk>/action/", views.department_action, name="action"),
    path("<int:pk>/export.<str:fmt>", views.department_export, name="export"),
    path("<int:pk>/self-evaluation/", views.self_evaluation_page, name="self_evaluation"),
    path("<int:pk>/self-evaluation/action/", views.self_evaluation_action, name="self_evaluation_action"),
    path(
        "<int:pk>/self-evaluation/export.<str:fmt>",
        views.self_evaluation_export,
        name="self_evaluation_export",
    ),
]
