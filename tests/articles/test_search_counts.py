"""The count a search shows ("约 N 篇" when estimated) against the true
count, on a generated archive, on both databases: exact below
`planner.EXACT_CAP` matches, and for broad searches the walk's own hit rate
(matches / articles read) times the articles passing the filters, within
±10%."""

import random
from datetime import date, timedelta

import pytest

from articles import search
from articles.models import Article, Place
from articles.search import planner
from articles.selectors import article_search

pytestmark = pytest.mark.django_db

N = 2_000
# Words and the share of articles holding each; filler never holds them.
SHARES = {"甲乙丙": 0.8, "丁戊": 0.45, "己庚辛": 0.2, "壬癸": 0.08, "子丑": 0.01}
FILLER = "山西吕梁交城县的新闻稿件正文内容今天明天"


@pytest.fixture
def archive():
    rng = random.Random(7)
    county = Place.objects.create(name="某县", slug="mou-xian", kind="county")
    town = Place.objects.create(
        name="某镇", slug="mou-zhen", kind="town", parent=county
    )
    rows = []
    for i in range(N):
        words = [w for w, share in SHARES.items() if rng.random() < share]
        parts = ["".join(rng.choices(FILLER, k=rng.randint(5, 15))) for _ in range(6)]
        for w in words:
            parts.insert(rng.randrange(len(parts) + 1), w)
        rows.append(
            Article(
                headline="".join(rng.choices(FILLER, k=8)),
                slug=f"count-{i}",
                body="，".join(parts) + "。",
                status=Article.Status.PUBLISHED,
                pub_date=date(2000, 1, 1) + timedelta(days=rng.randrange(9000)),
            )
        )
    made = Article.objects.bulk_create(rows)
    links = [
        Article.places.through(article_id=a.pk, place_id=town.pk)
        for a in made
        if rng.random() < 0.4
    ]
    Article.places.through.objects.bulk_create(links)
    search.rebuild()  # also analyses: the statistics the planner reads
    return {a.pk: a.body for a in Article.objects.all()}, county


def true_count(texts, q, among=None):
    return sum(
        1
        for pk, body in texts.items()
        if all(t in body for t in q.split()) and (among is None or pk in among)
    )


def shown(params):
    result = article_search(params=params)
    return result.count, result.count_is_estimate


def test_counts_exact_below_the_cap_and_estimated_within_ten_percent(
    archive, monkeypatch
):
    """One archive (building it is the slow part), two checks."""
    counts_below_the_cap_are_exact(archive)
    broad_counts_are_estimated_within_ten_percent(archive, monkeypatch)


def counts_below_the_cap_are_exact(archive):
    texts, county = archive
    in_county = set(county.articles.values_list("pk", flat=True)) | set(
        Article.objects.filter(places__parent=county).values_list("pk", flat=True)
    )
    for q in [*SHARES, "甲乙丙 丁戊", "壬癸 子丑"]:
        assert shown({"q": q}) == (true_count(texts, q), False), q
        assert shown({"q": q, "place": county.slug}) == (
            true_count(texts, q, in_county),
            False,
        ), q


def broad_counts_are_estimated_within_ten_percent(archive, monkeypatch):
    """With caps far below these counts, searches here are walked (on
    PostgreSQL: SQLite lists, and counts what it lists)."""
    from django.db import connection

    monkeypatch.setattr(planner, "EXACT_CAP", 50)
    monkeypatch.setattr(planner, "WALK_MIN", 100)
    estimates = 0
    texts, county = archive
    in_county = set(
        Article.objects.filter(places__parent=county).values_list("pk", flat=True)
    )
    checked = 0
    for q in ["甲乙丙", "丁戊", "己庚辛", "甲乙丙 丁戊", "甲乙丙 己庚辛"]:
        for params, among in (
            ({"q": q}, None),
            ({"q": q, "place": county.slug}, in_county),
            ({"q": q, "sort": "newest"}, None),
            ({"q": q, "sort": "oldest", "page": 3}, None),
        ):
            count, estimated = shown(params)
            truth = true_count(texts, q, among)
            if estimated:
                assert abs(count - truth) <= 0.1 * truth, (params, count, truth)
                estimates += 1
            else:  # the walk read every article there is: it counted them
                assert count == truth, params
            checked += 1
    assert checked == 20
    if connection.vendor == "postgresql":
        assert estimates >= 12


def test_a_broad_count_is_walked_once_and_then_remembered(archive, monkeypatch):
    """The count's walk (to COUNT_WALK matches) is kept with the statistics:
    the same search again, or its next page, shows the same estimate and
    walks only as far as its page and facets need (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite lists every match and counts them")
    monkeypatch.setattr(planner, "EXACT_CAP", 50)
    monkeypatch.setattr(planner, "WALK_MIN", 100)
    walks = []
    walk = search.backend().walk_titled

    def counted(*args, **kwargs):
        walks.append(kwargs["size"])
        return walk(*args, **kwargs)

    monkeypatch.setattr(search.backend(), "walk_titled", counted)
    first = shown({"q": "己庚辛"})
    second = shown({"q": "己庚辛"})
    assert first == second and first[1]
    assert walks == [planner.COUNT_WALK, planner.FACET_WALK]
    assert shown({"q": "己庚辛", "page": 2}) == first
