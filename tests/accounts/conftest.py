import pytest
from django.conf import settings


@pytest.fixture
def english(client):
    """The page client with English chosen (the language cookie the switcher sets)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client

