from django.urls import path

from equitable.eqia import views

app_name = "eqia"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="new"),
    path("characteristics/", views.characteristics, name="characteristics"),
    path("<int:pk>/", views.detail, name="assessment"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/screening/", views.screening, name="screening"),
    path("<int:pk>/full/", views.full, name="full"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/scope/", views.scope, name="scope"),
    path("<int:pk>/status/", views.status, name="status"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign-off"),
    path("<int:pk>/actions/", views.make_actions, name="actions"),
    path("<int:pk>/pdf/", views.assessment_pdf, name="pdf"),
]
