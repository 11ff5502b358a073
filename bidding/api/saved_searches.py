"""Saved project searches through the API (issue 17 §5): the caller's own searches, created
from the project list's query string, renamed, re-timed or deleted. Someone else's is 404."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding import selectors_searches as selectors
from bidding.models import SavedSearch, SavedSearchMatch
from bidding.services import saved_searches as services
from marketplace.api import fields


class SavedSearchMatchSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = SavedSearchMatch
        fields = ["project", "title", "matched_at"]


class SavedSearchSerializer(serializers.ModelSerializer):
    recent_matches = serializers.SerializerMethodField(
        help_text=f"The last {selectors.LAST_MATCHES} projects delivered, newest first")

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "frequency", "created_at", "last_run_at",
                  "recent_matches"]

    @extend_schema_field(SavedSearchMatchSerializer(many=True))
    def get_recent_matches(self, search) -> list[dict]:
        matches = getattr(search, "recent_matches", None)
        if matches is None:
            matches = search.matches.select_related("project").order_by("-matched_at", "-id")
        return SavedSearchMatchSerializer(list(matches)[:selectors.LAST_MATCHES], many=True).data


class SavedSearchInput(serializers.Serializer):
    name = fields.CharField(kind="line")
    query = fields.CharField(kind="query", allow_blank=True, required=False, default="",
                             help_text="The project list's query string, e.g. "
                                       "`service_item=A01&region=500103&q=环评`")
    frequency = serializers.ChoiceField(choices=SavedSearch.Frequency.choices,
                                        default=SavedSearch.Frequency.DAILY)


class SavedSearchChange(serializers.Serializer):
    name = fields.CharField(kind="line", required=False)
    frequency = serializers.ChoiceField(choices=SavedSearch.Frequency.choices, required=False)


class SavedSearchList(generics.GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = SavedSearchSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SavedSearch.objects.none()
        return selectors.saved_searches_of(self.request.user)

    @extend_schema(summary="The caller's saved project searches",
                   operation_id="saved_searches_list",
                   responses={200: SavedSearchSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(SavedSearchSerializer(page, many=True).data)

    @extend_schema(summary="Save a project search", request=SavedSearchInput,
                   responses={201: SavedSearchSerializer})
    def post(self, request):
        body = SavedSearchInput(data=request.data)
        body.is_valid(raise_exception=True)
        search = services.saved_search_create(user=request.user, **body.validated_data)
        return Response(SavedSearchSerializer(search).data, status=status.HTTP_201_CREATED)


class SavedSearchDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="One of the caller's saved searches",
                   responses={200: SavedSearchSerializer})
    def get(self, request, pk):
        return Response(SavedSearchSerializer(
            selectors.saved_search_of(request.user, pk)).data)

    @extend_schema(summary="Rename a saved search or change how often it reports",
                   request=SavedSearchChange, responses={200: SavedSearchSerializer})
    def patch(self, request, pk):
        search = selectors.saved_search_of(request.user, pk)
        body = SavedSearchChange(data=request.data)
        body.is_valid(raise_exception=True)
        search = services.saved_search_update(search=search, by=request.user,
                                              **body.validated_data)
        return Response(SavedSearchSerializer(search).data)

    @extend_schema(summary="Delete a saved search", responses={204: None})
    def delete(self, request, pk):
        services.saved_search_delete(search=selectors.saved_search_of(request.user, pk),
                                     by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
