"""Public audit checkpoints (API.md "Added in round 2": `GET audit/checkpoints/`)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.audit import checkpoints
from marketplace.audit.models import AuditCheckpoint


class CheckpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditCheckpoint
        fields = ["id", "root", "created_at", "previous", "hash", "streams", "entries",
                  "signature", "key_id"]


class SigningKeySerializer(serializers.Serializer):
    algorithm = serializers.CharField()
    key_id = serializers.CharField()
    public_key = serializers.CharField(help_text="Raw Ed25519 public key, base64")


@extend_schema(summary="Published audit checkpoints, newest first", auth=[])
class CheckpointList(ListAPIView):
    """Each checkpoint anchors every audit stream's head in one Merkle `root`, chained by
    `previous` (the `hash` of the checkpoint before) and signed (Ed25519 over `hash`)."""

    queryset = AuditCheckpoint.objects.order_by("-id")
    serializer_class = CheckpointSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    filter_backends: list = []


@extend_schema(summary="The key that signs the audit checkpoints", auth=[],
               responses=SigningKeySerializer)
class SigningKey(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request):
        return Response({"algorithm": "Ed25519", "key_id": checkpoints.key_id(),
                         "public_key": checkpoints.public_key_b64()})
