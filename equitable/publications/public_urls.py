from django.urls import path

from equitable.publications import public_views as views

app_name = "published"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.organisation, name="organisation"),
    path("<slug:slug>/<int:pk>/", views.publication, name="publication"),
    path("<slug:slug>/<int:pk>/pdf/", views.publication_pdf, name="pdf"),
    path("<slug:slug>/<int:pk>/files/<str:name>", views.publication_file, name="file"),
]
