"""`make run` prints two demo logins whose rights match their names."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_demo_staff_are_an_editor_and_a_reviewer(client):
    out = io.StringIO()
    call_command("create_demo_staff", stdout=out)
    users = get_user_model().objects
    editor, reviewer = users.get(username="editor"), users.get(username="reviewer")

    assert not editor.is_superuser and not reviewer.is_superuser
    assert editor.is_staff and reviewer.is_staff
    assert [g.name for g in editor.groups.all()] == ["编辑"]
    assert [g.name for g in reviewer.groups.all()] == ["审核"]
    assert editor.has_perm("articles.change_article")
    assert not editor.has_perm("articles.publish_article")
    assert reviewer.has_perm("articles.publish_article")
    printed = out.getvalue()
    assert "editor / newsroom-demo" in printed and "reviewer / newsroom-demo" in printed
    for name in ("editor", "reviewer"):
        # Through the login form, as staff do (django-axes counts it).
        response = client.post(
            "/admin/login/",
            {"username": name, "password": "newsroom-demo", "next": "/admin/"},
        )
        assert response.status_code == 302
        assert client.get("/admin/articles/article/").status_code == 200
        client.logout()


def test_demo_staff_can_run_twice():
    call_command("create_demo_staff", stdout=io.StringIO())
    call_command("create_demo_staff", stdout=io.StringIO())
    editor = get_user_model().objects.get(username="editor")
    assert editor.groups.count() == 1 and not editor.is_superuser


def test_demo_logins_name_the_address_make_run_serves():
    # `make run HOST=0.0.0.0 PORT=8080` passes its address on: the printed
    # link must be the one the server answers at.
    out = io.StringIO()
    call_command("create_demo_staff", "--address", "0.0.0.0:8080", stdout=out)
    assert "http://0.0.0.0:8080/admin/" in out.getvalue()
    assert ":8000" not in out.getvalue()
