"""URLs of the records pages, mounted at /records/."""

from django.urls import path

from jixiao.web.records import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("import/<str:token>/", views.mapping, name="mapping"),
    path("declarations/<int:pk>/", views.actuals, name="actuals"),
    path("declarations/<int:pk>/<int:index>/decide/", views.decide, name="decide"),
    path("declarations/<int:pk>/<int:index>/bind/", views.bind, name="bind"),
    path("declarations/<int:pk>/<int:index>/preview/", views.preview, name="preview"),
    path("declarations/<int:pk>/<int:index>/misses/", views.misses, name="misses"),
]
