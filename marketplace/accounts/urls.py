from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from marketplace.accounts import views, views_members, views_second_factor, views_security
from marketplace.accounts.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

app_name = "accounts"

password_reset_urls = [
    # Django's own views and token checks; our templates and forms (the e-mail leaves through
    # the outbox, the new password ends every session).
    path("password/reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        form_class=PasswordResetForm,
        extra_email_context={"valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
        success_url=reverse_lazy("accounts:password_reset_done")),
         name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views_security.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=SetPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete")),
         name="password_reset_confirm"),
    path("password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"),
         name="password_reset_complete"),
]

urlpatterns = [
    path("register/agency/", views.register_agency, name="register_agency"),
    path("register/owner/", views.register_owner, name="register_owner"),
    # Django's login; a user with an authenticator app goes on to the code (login/code/).
    path("login/", views_second_factor.LoginView.as_view(), name="login"),
    path("login/code/", views_second_factor.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=PasswordChangeForm,
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_changed",
    ),
    *password_reset_urls,
    path("organization/", views.organization_details, name="organization"),
    path("members/", views_members.members, name="members"),
    path("members/<int:user_id>/role/", views_members.member_role, name="member_role"),
    path("members/<int:user_id>/signatory/", views_members.member_signatory,
         name="member_signatory"),
    path("members/<int:user_id>/remove/", views_members.member_remove, name="member_remove"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("security/", views_security.security, name="security"),
    path("security/sessions/<int:session_id>/end/", views_security.session_end,
         name="session_end"),
    path("security/sessions/end-others/", views_security.sessions_end_others,
         name="sessions_end_others"),
    path("security/tokens/<int:token_id>/revoke/", views_security.token_revoke,
         name="token_revoke"),
    path("security/two-step/", views_second_factor.second_factor_settings,
         name="second_factor"),
    path("security/two-step/start/", views_second_factor.second_factor_start,
         name="second_factor_start"),
    path("security/two-step/confirm/", views_second_factor.second_factor_confirm,
         name="second_factor_confirm"),
    path("security/two-step/recovery-codes/", views_second_factor.second_factor_recovery,
         name="second_factor_recovery"),
    path("security/two-step/remove/", views_second_factor.second_factor_remove,
         name="second_factor_remove"),
    path("security/log-out-everywhere/", views_security.log_out_everywhere,
         name="log_out_everywhere"),
]
