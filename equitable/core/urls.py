from django.urls import path

from equitable.core import views

app_name = "core"

urlpatterns = [
    path("", views.root, name="root"),
    path("home/", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("brand/<slug:slug>.css", views.brand_css, name="brand-css"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("admin/", views.admin_home, name="admin-home"),
    path("admin/users/new/", views.new_user, name="new-user"),
    path("admin/audit-log/", views.audit_log, name="audit-log"),
    path("account/api-tokens/", views.api_tokens, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
