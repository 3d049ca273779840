from django.urls import path

from equitable.service_users import views

app_name = "service_users"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.service_new, name="service-new"),
    path("census/", views.census, name="census"),
    path("<int:pk>/", views.service_detail, name="service"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_mapping, name="import-mapping"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("<int:pk>/download/<slug:table>.csv", views.download, name="download"),
]
