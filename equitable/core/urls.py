from django.urls import path

from equitable.core import admin_views, document_views, help_views, home_views, sso_views, views

app_name = "core"

urlpatterns = [
    path("", views.root, name="root"),
    path("home/", home_views.home, name="home"),
    path("home/pinned/", home_views.home_pins, name="home-pins"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/sso/", sso_views.sso_start, name="sso-start"),
    path("sign-in/sso/callback/", sso_views.sso_callback, name="sso-callback"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("brand/<slug:slug>.css", views.brand_css, name="brand-css"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz/", views.healthz, name="healthz"),
    path("documents/<int:pk>/", document_views.document, name="document"),
    path(
        "documents/<int:pk>/download/",
        document_views.document_download,
        name="document-download",
    ),
    path("admin/", views.admin_home, name="admin-home"),
    path("admin/users/new/", views.new_user, name="new-user"),
    path("admin/audit-log/", admin_views.audit_log_page, name="audit-log"),
    path("admin/audit-log.csv", admin_views.audit_log_csv, name="audit-log-csv"),
    path(
        "admin/record-of-processing.csv",
        admin_views.processing_record_csv,
        name="processing-record-csv",
    ),
    path("admin/users/", admin_views.users, name="admin-users"),
    path("admin/users/<int:pk>/", admin_views.user_detail, name="admin-user"),
    path("admin/users/<int:pk>/active/", admin_views.user_set_active, name="admin-user-active"),
    path("admin/users/<int:pk>/reset/", admin_views.user_send_reset, name="admin-user-reset"),
    path("admin/logo/", admin_views.logo_page, name="admin-logo"),
    path("admin/logo/remove/", admin_views.logo_remove, name="admin-logo-remove"),
    path("brand/<slug:slug>/logo", admin_views.logo, name="logo"),
    path(
        "reset-password/<str:uidb64>/<str:token>/",
        admin_views.password_reset,
        name="password-reset",
    ),
    path("help/", help_views.help_index, name="help"),
    path("help/definitions/<slug:doc>/", help_views.help_doc, name="help-doc"),
    path("help/<slug:section>/", help_views.help_section, name="help-section"),
    path("account/api-tokens/", views.api_tokens, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api-token-revoke"),
]
