from rest_framework.pagination import PageNumberPagination as BasePageNumberPagination

from marketplace import search


class PageNumberPagination(BasePageNumberPagination):
    """`{count, next, previous, results}` with `page` and `page_size` (at most 100).

    A text search's results are paged by id, as the pages do (`marketplace.web.page_of`): the
    filtered ids in one narrow query, then the page's rows from the view's unfiltered
    queryset (which holds who may see what)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        if view is None or not search.is_ranked(queryset):
            return super().paginate_queryset(queryset, request, view)
        ids = super().paginate_queryset(search.ids_in_order(queryset), request, view)
        if ids is None:
            return None
        return search.in_order(view.get_queryset(), ids)
