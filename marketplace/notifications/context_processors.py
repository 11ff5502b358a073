from django.utils.functional import SimpleLazyObject

from marketplace.notifications.selectors import unread_count


def inbox(request):
    # Lazy: pages that never show the header badge pay no query.
    return {"unread_count": SimpleLazyObject(lambda: unread_count(request.user))}
