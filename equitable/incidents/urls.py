from django.urls import path

from equitable.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.index, name="index"),
    path("trends/", views.trends, name="trends"),
    path("paper/", views.paper, name="paper"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/support/<int:pk>/", views.contact, name="contact"),
    path("settings/support/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/update/", views.update, name="update"),
    path("reports/<int:pk>/note/", views.note, name="note"),
    path("reports/<int:pk>/reply/", views.reply, name="reply"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
