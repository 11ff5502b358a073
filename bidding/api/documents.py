"""A project's documents through the API (issue 17 §5): listed and downloaded by whoever may
see the project (its draft only by the owner), uploaded by the owner while the page would let
it (`rules.check_can_change_documents`), every file checked by content like the page's."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from bidding import services
from bidding.api.base import BiddingAPIView
from bidding.models import ProjectAttachment
from marketplace.errors import NotFound
from marketplace.files import file_response


class ProjectDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    url = serializers.SerializerMethodField(help_text="Downloads the document")

    class Meta:
        model = ProjectAttachment
        fields = ["id", "name", "content_type", "size", "sha256", "uploaded_at", "url"]

    def get_url(self, document) -> str:
        path = reverse("api:project_document_download", args=[document.project_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class DocumentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False,
        help_text="Multipart: one or more files (PDF, JPEG, PNG), checked by their content.")


class ProjectDocuments(BiddingAPIView, generics.GenericAPIView):
    serializer_class = ProjectDocumentSerializer
    queryset = ProjectAttachment.objects.none()  # for the schema; requests read the project's
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(summary="A project's documents (a draft's only for its owner)",
                   operation_id="projects_documents_list",
                   responses={200: ProjectDocumentSerializer(many=True)})
    def get(self, request, pk):
        project = self.visible_project(pk)
        page = self.paginate_queryset(project.attachments.order_by("uploaded_at", "id"))
        return self.get_paginated_response(
            ProjectDocumentSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Attach documents to a draft (its owner)", request={
            "multipart/form-data": DocumentUploadSerializer},
        responses={201: ProjectDocumentSerializer(many=True),
                   400: OpenApiResponse(description="A file refused: not a PDF, JPEG or PNG "
                                                    "by its content, too large, too many."),
                   403: OpenApiResponse(description="Not the project's owner."),
                   409: OpenApiResponse(description="No longer a draft.")})
    def post(self, request, pk):
        project = self.owned_project(pk)
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        documents = services.project_attach(project=project, files=body.validated_data["files"],
                                            by=request.user)
        return Response(ProjectDocumentSerializer(documents, many=True,
                                                  context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class ProjectDocumentDownload(BiddingAPIView):
    @extend_schema(summary="Download one of a project's documents",
                   responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk, document_pk):
        project = self.visible_project(pk)
        document = ProjectAttachment.objects.filter(project=project, pk=document_pk).first()
        if document is None:
            raise NotFound()
        return file_response(document)
