from django.utils.functional import SimpleLazyObject

from marketplace.accounts.selectors import membership_of


def membership(request):
    return {"current_membership": SimpleLazyObject(lambda: membership_of(request.user))}
