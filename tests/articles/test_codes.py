"""The parser's codes and the labels staff see: declared once, all labelled."""

import re

import pytest
from django.urls import reverse

from articles.importing import codes, parse_page
from articles.importing.decode import DecodeError
from articles.models import Article, Page
from articles.services import PageImportError, WorkflowError
from tests.conftest import sample_pages

CJK = re.compile("[\u4e00-\u9fff]")


def test_every_flag_code_has_a_chinese_label():
    labels = dict(Article.Flag.choices)
    # The services add flags of their own (reprint); every parser code is one.
    assert set(codes.FLAGS) <= set(labels)
    for code, label in labels.items():
        assert CJK.search(label), code


def test_every_leftover_kind_has_a_chinese_label():
    labels = dict(Page.LeftoverKind.choices)
    assert set(labels) == set(codes.LEFTOVER_KINDS)
    for kind in codes.LEFTOVER_KINDS:
        assert CJK.search(labels[kind]), kind


def test_the_parser_emits_only_declared_codes():
    for path in sample_pages():
        page = parse_page(path.read_text("utf-8"))
        for leftover in page.leftovers:
            assert leftover.kind in codes.LEFTOVER_KINDS, (path.name, leftover)
        for article in page.articles:
            assert set(article.flags) <= set(codes.FLAGS), (path.name, article.flags)


def test_errors_with_codes_share_one_base():
    for error in (DecodeError, PageImportError, WorkflowError):
        assert issubclass(error, codes.CodedError)
        assert error("消息", "some_code").code == "some_code"


@pytest.mark.django_db
def test_page_admin_labels_a_duplicate_caption_leftover(staff_client, imported_pages):
    """The parser sets a doubled caption aside as a `duplicate` leftover;
    staff see its Chinese label, not the code."""
    page = Page.objects.order_by("pk").first()
    page.leftovers = [
        {"kind": codes.LEFTOVER_DUPLICATE, "text": "第二份图片说明", "line": 3}
    ]
    page.save(update_fields=["leftovers"])
    html = staff_client.get(
        reverse("admin:articles_page_change", args=[page.pk])
    ).content.decode()
    assert "[重复的图片说明] 第二份图片说明" in html
    assert "[duplicate]" not in html
