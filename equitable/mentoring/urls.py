from django.urls import path

from equitable.mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="new"),
    path("pairs/", views.pairs, name="pairs"),
    path("join/<slug:token>/", views.open_signup, name="open-signup"),
    path("<int:pk>/", views.scheme_detail, name="scheme"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/join/", views.signup, name="signup"),
    path("<int:pk>/people/", views.people, name="people"),
    path("<int:pk>/people/<int:participant_pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/matching/", views.matching, name="matching"),
    path("<int:pk>/matching/confirm/", views.confirm_all, name="confirm-all"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/change/", views.pair_change, name="pair-change"),
    path("pairs/<int:pk>/confirm/", views.pair_confirm, name="pair-confirm"),
    path("pairs/<int:pk>/end/", views.pair_end, name="pair-end"),
    path("pairs/<int:pk>/check-in/", views.pair_check_in, name="pair-check-in"),
]
