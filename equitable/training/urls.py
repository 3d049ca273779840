from django.urls import path

from equitable.training import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.preview, name="preview"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/download.<str:fmt>", views.overdue_download, name="overdue_download"),
]
