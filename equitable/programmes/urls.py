from django.urls import path

from equitable.programmes import views

app_name = "programmes"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.programme_new, name="programme-new"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("<int:pk>/cohorts/new/", views.cohort_new, name="cohort-new"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/people/", views.cohort_people, name="cohort-people"),
    path("cohorts/<int:pk>/people/clear/", views.cohort_clear, name="cohort-clear"),
]
