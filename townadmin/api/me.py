"""GET /api/v1/me/: who is signed in, in which roles, reaching which towns."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from townadmin.access import towns_by_role


class TownRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="9-digit division code")
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the roles the user holds."
    )
    towns = serializers.DictField(
        child=TownRefSerializer(many=True),
        help_text="For each role code, the towns where the user acts in that role.",
    )


class MeView(APIView):
    """The signed-in user, their roles, and the towns each role reaches."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        towns = towns_by_role(user)
        data = {
            "username": user.get_username(),
            "display_name": str(user),
            "roles": list(towns),  # every role the user holds, in Role order
            "towns": {
                role: [{"code": town.code, "name": town.name} for town in role_towns]
                for role, role_towns in towns.items()
            },
        }
        return Response(MeSerializer(data).data)
