"""Reprints: the same piece printed again (with cuts, other punctuation, a
new headline) is found at import, linked both ways, flagged, shown on both
public pages and in the API, and kept out of "related articles"."""

import pytest
from django.urls import reverse

from articles import browsing, reprints, services
from articles.models import Article, Reprint

pytestmark = pytest.mark.django_db

# Text written for these tests.
PARAS = [
    "本报讯 三月以来，河滨镇组织农技人员走进田间地头，为种植户讲解小麦春季管理技术，"
    "重点介绍了病虫害绿色防控和科学追肥的方法，发放技术资料两千余份。",
    "培训现场，农技员结合实物标本，手把手教农户识别条锈病和蚜虫，并演示了无人机飞防作业。"
    "不少农户表示，学到了实用技术，今年增产更有信心了。",
    "据了解，全镇今年小麦播种面积三万余亩，镇里还将分片组建技术服务队，跟踪指导到收获。",
]
BYLINE = "（通讯员 赵文华）"


def page_of(paragraphs, headline):
    return ("\n\n".join(paragraphs) + BYLINE + f"\n\n{headline}\n").encode()


def only_article(result):
    assert len(result.articles) == 1, [a.body for a in result.articles]
    return result.articles[0]


@pytest.fixture
def original(gazetteer_db):
    result = services.page_import(
        raw=page_of(PARAS, "河滨镇开展小麦春管技术培训"),
        filename="a.txt",
        publication="交城报",
        publish=True,
    )
    return only_article(result)


def test_reprint_with_cuts_punctuation_and_new_headline_is_linked(original):
    edited = [PARAS[0].replace("，", ",").replace("。", ". "), PARAS[1]]  # cut one
    result = services.page_import(
        raw=page_of(edited, "小麦春管培训进田间"),
        filename="b.txt",
        publication="文水报",
        publish=True,
    )
    reprint = only_article(result)
    link = Reprint.objects.get()
    assert (link.article, link.original) == (reprint, original)
    reprint.refresh_from_db()
    assert Article.Flag.REPRINT in reprint.flags
    assert "与已有稿件基本相同（转载或重复）" in reprint.flag_labels()
    # Both ways: each page names the other printing.
    for this, other in ((reprint, original), (original, reprint)):
        html = page_html(reverse("articles:article_detail", args=[this.slug]))
        assert 'id="also-printed-in"' in html and other.get_absolute_url() in html
        data = api_json(reverse("articles:api_article", args=[this.pk]))
        assert [o["id"] for o in data["also_printed_in"]] == [other.pk]
    assert reprint not in browsing.related_articles(original)
    assert original not in browsing.related_articles(reprint)


def test_a_different_article_on_the_same_topic_is_no_reprint(original):
    other = [
        "本报讯 近日，河滨镇小麦陆续进入拔节期，镇农业站抽调技术人员，分组到各村查看苗情，"
        "指导农户适时浇水施肥，防止倒伏和早衰。",
        "技术人员还在村委会设立咨询点，现场解答种植户提出的问题，并登记需要上门服务的地块。",
    ]
    result = services.page_import(
        raw=page_of(other, "河滨镇小麦进入拔节期"), filename="c.txt", publish=True
    )
    article = only_article(result)
    assert not Reprint.objects.exists()
    assert Article.Flag.REPRINT not in article.flags


def test_replacing_a_page_drops_its_index_rows_and_links(original):
    services.page_import(raw=page_of(PARAS[:2], "另一标题"), filename="b.txt")
    assert Reprint.objects.count() == 1
    services.page_import(
        raw=page_of(PARAS[:2], "另一标题") + "补白。\n".encode(),
        filename="b.txt",
        replace=True,
    )
    # The replaced article's rows went with it; its new one is linked again.
    assert Reprint.objects.count() == 1
    assert Reprint.objects.get().original == original


@pytest.mark.parametrize(
    "edit, same",
    [
        (lambda t: t, True),
        (lambda t: t.replace("，", ",").replace("。", "."), True),
        (lambda t: "\n\n".join(t.split("\n\n")[:2]), True),
        (lambda t: t.replace("三万余亩", "三万五千亩"), True),
        (lambda t: t.split("\n\n")[2], False),  # one paragraph is too little
    ],
)
def test_edits_that_keep_or_change_the_piece(edit, same):
    body = "\n\n".join(PARAS)
    found, _ = reprints.is_reprint(
        reprints.packed_shingles(body), reprints.packed_shingles(edit(body))
    )
    assert found is same


def page_html(url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def api_json(url):
    from django.test import Client

    response = Client().get(url)
    assert response.status_code == 200
    return response.json()


def test_band_keys_are_the_stored_ones():
    """Every stored band key depends on the signature scheme (datasketch's
    64-bit permutations, seed 18, the shingles unhashed): a change in it —
    a datasketch release included — must come with a migration that
    computes the keys again (as 0022 did), or no new article would ever
    match an archived one.  These are the keys of a text written here."""
    keys = reprints.body_band_keys(PARAS[0])
    assert len(keys) == reprints.BANDS
    assert keys[:4] == [
        6023620026224126663,
        2486520999981150778,
        2623118206064446872,
        5287824331600511463,
    ]
    assert reprints.body_band_keys("太短的正文") is None
