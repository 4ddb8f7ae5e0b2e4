"""Readers' names (issue 19): suggestions as they type, pinyin, counts
that are what clicking shows, what to try when nothing is found."""

import json

import pytest
from django.urls import reverse

from articles import search, services, suggestions
from articles.models import Article, HeadlineWord, NameKey, Place
from articles.selectors import article_search
from people.models import Byline, Person

pytestmark = pytest.mark.django_db


def suggested(client, q):
    response = client.get(reverse("articles:api_suggest"), {"q": q})
    assert response.status_code == 200
    return response.json()["suggestions"]


def test_smoke(client, imported_pages):
    print(suggested(client, "jc"))
    print(suggested(client, "交城縣"))
    print(suggestions.pinyin_readings("jiaocheng"), suggestions.pinyin_readings("chejian"))
    print(NameKey.objects.count(), HeadlineWord.objects.count())
    r = article_search(params={"q": "jiaocheng"})
    print(r.read_as, r.count, article_search(params={"q": "交城"}).count)
    assert 0
