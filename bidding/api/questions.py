"""Questions and answers (答疑): any agency asks while bidding; the answer is public."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from bidding import selectors, services
from bidding.api import serializers as s
from bidding.api.base import BiddingAPIView
from bidding.models import Question
from marketplace.errors import NotFound

CONFLICT = OpenApiResponse(description="The project's state or the clock does not allow it.")
FORBIDDEN = OpenApiResponse(description="The caller's organization may not do this.")


class ProjectQuestions(BiddingAPIView, generics.GenericAPIView):
    serializer_class = s.QuestionSerializer
    queryset = Question.objects.none()  # for the schema; each request reads through selectors

    @extend_schema(summary="Questions and answers of a project (public; askers are not shown)",
                   responses={200: s.QuestionSerializer(many=True)})
    def get(self, request, pk):
        project = self.visible_project(pk)
        page = self.paginate_queryset(selectors.questions_for_viewer(project))
        return self.get_paginated_response(
            s.QuestionSerializer(page, many=True, context=self.context()).data)

    @extend_schema(summary="Ask a question while bidding (agencies)", request=s.TextSerializer,
                   responses={201: s.QuestionSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        project = self.visible_project(pk)
        self.ensure_agency()
        body = s.TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        question = services.question_ask(project=project, by=request.user,
                                         text=body.validated_data["text"])
        return Response(s.QuestionSerializer(question, context=self.context()).data,
                        status=status.HTTP_201_CREATED)


class QuestionAnswer(BiddingAPIView):
    @extend_schema(summary="Answer a question (the owner); the answer is public",
                   request=s.TextSerializer,
                   responses={200: s.QuestionSerializer, 403: FORBIDDEN, 409: CONFLICT})
    def post(self, request, pk):
        question = Question.objects.filter(pk=pk).first()
        if question is None:
            raise NotFound()
        self.owned_project(question.project_id)
        body = s.TextSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        question = services.question_answer(question=question, by=request.user,
                                            text=body.validated_data["text"])
        return Response(s.QuestionSerializer(question, context=self.context()).data)
