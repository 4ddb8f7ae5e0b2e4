"""The re-import diff (articles/changes.py): plain functions over
snapshots, no database."""

from articles.changes import (
    ADDED,
    CHANGED,
    KEPT,
    REMOVED,
    article_changes,
    labelled,
    paragraph_diff,
)


def snap(position, headline, body, **extra):
    return {
        "id": position + 100,
        "position": position,
        "title": headline or body[:10],
        "headline": headline,
        "kicker": "",
        "subtitle": "",
        "kind": "文章",
        "body": body,
        "bylines": [],
        "places": [],
        "programs": [],
        "tags": [],
        "captions": [],
        **extra,
    }


BODY = "本报讯 县里召开春耕动员会。\n\n会议要求各乡镇抓好备耕工作。\n\n会上还表彰了先进个人。"


def test_the_same_articles_have_no_changes():
    old = [
        snap(0, "春耕动员会召开", BODY),
        snap(1, "", "另一篇稿件的正文，讲的是别的事情。"),
    ]
    new = [dict(a, id=a["id"] + 10) for a in old]
    assert article_changes(old=old, new=new) == {"unchanged": 2, "articles": []}


def test_headline_and_lists_report_old_and_new():
    old = [
        snap(0, "春耕动员会召开", BODY, bylines=["王小明（文字）"], places=["城关镇"])
    ]
    new = [
        snap(0, "全县春耕动员会召开", BODY, bylines=["张华（文字）"], places=["城关镇"])
    ]
    result = article_changes(old=old, new=new)
    assert result["unchanged"] == 0
    (entry,) = result["articles"]
    assert entry["change"] == CHANGED and entry["id"] == 100
    assert entry["fields"] == [
        {"field": "headline", "old": "春耕动员会召开", "new": "全县春耕动员会召开"},
        {"field": "bylines", "removed": ["王小明（文字）"], "added": ["张华（文字）"]},
    ]
    assert [f["label"] for f in labelled(result)[0]["fields"]] == ["标题", "署名"]
    assert labelled(result)[0]["change_label"] == "有改动"


def test_body_changes_are_marked_per_paragraph():
    new_body = (
        "本报讯 县里隆重召开春耕动员会。\n\n会上还表彰了先进个人。\n\n"
        "会后，与会人员参观了育苗基地。"
    )
    assert paragraph_diff(BODY, new_body) == [
        {
            "op": "replace",
            "parts": [["=", "本报讯 县里"], ["+", "隆重"], ["=", "召开春耕动员会。"]],
        },
        {"op": "delete", "text": "会议要求各乡镇抓好备耕工作。"},
        {"op": "equal", "count": 1},
        {"op": "insert", "text": "会后，与会人员参观了育苗基地。"},
    ]


def test_articles_are_paired_by_headline_then_by_body():
    old = [
        snap(0, "春耕动员会召开", BODY),
        snap(1, "", "水利站组织技术人员深入田间，帮助农户检修灌溉设施，保障春耕用水。"),
        snap(2, "图书馆读书月", "县图书馆开展读书月活动，向群众推荐农业科技图书。"),
    ]
    new = [
        # The second article now has a headline, and comes first.
        snap(0, "水利站助力春耕", old[1]["body"]),
        snap(1, "春耕动员会召开", BODY),
        snap(2, "", "县文化馆举办书法展览，展出作品一百余幅，展期一周。"),
    ]
    result = article_changes(old=old, new=new, kept=[snap(3, "已编辑的稿件", "正文")])
    changes = [(e["change"], e["title"]) for e in result["articles"]]
    assert result["unchanged"] == 1
    assert changes == [
        (CHANGED, "水利站助力春耕"),
        (ADDED, new[2]["title"]),
        (REMOVED, "图书馆读书月"),
        (KEPT, "已编辑的稿件"),
    ]
    assert result["articles"][2]["id"] is None  # gone: nothing to link to
    assert result["articles"][0]["fields"] == [
        {"field": "headline", "old": "", "new": "水利站助力春耕"}
    ]
