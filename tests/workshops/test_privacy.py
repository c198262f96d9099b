"""Only what the workshop needs is stored: no IP address, no name, tokens only as digests."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

WORKSHOP_MODELS = list(apps.get_app_config("workshops").get_models())


@pytest.mark.parametrize("model", WORKSHOP_MODELS, ids=lambda m: m.__name__)
def test_no_model_keeps_an_ip_address(model):
    for field in model._meta.get_fields():
        assert not isinstance(field, models.GenericIPAddressField), field
        assert "ip" not in field.name.lower().split("_"), field
        assert "addr" not in field.name.lower(), field


@pytest.mark.parametrize("model", WORKSHOP_MODELS, ids=lambda m: m.__name__)
def test_tokens_are_stored_only_as_digests(model):
    names = {field.name for field in model._meta.get_fields()}
    assert "token" not in names


def test_the_privacy_page_states_the_retention_and_no_ip(client, settings):
    page = client.get(reverse("core:privacy")).content.decode()
    assert f"{settings.SONAR_WORKSHOP_RETENTION_DAYS} jours" in page
    assert "sans adresse IP" in page
