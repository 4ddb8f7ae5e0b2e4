import pytest
from django.contrib.auth.models import Group


@pytest.fixture
def editor(django_user_model, imported_pages):
    user = django_user_model.objects.create_user(
        "bianji", password="pw-editor-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer(django_user_model, imported_pages):
    user = django_user_model.objects.create_user(
        "shenhe", password="pw-reviewer-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="审核"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


# The year of printed pages the print tests use.
from tests.print.conftest import printed_pages, year_tree  # noqa: E402, F401
