from articles.importing.bylines import (
    box_byline,
    parse_byline_text,
    photo_credit,
    split_end_byline,
    split_start_byline,
)


def names(bylines):
    return [(b.name, b.role) for b in bylines]


def test_bracket_byline_full_width():
    text, bylines = split_end_byline("用实际行动献礼。（孙宝忠 周爱爱）")
    assert text == "用实际行动献礼。"
    assert names(bylines) == [("孙宝忠", "writer"), ("周爱爱", "writer")]


def test_bracket_byline_ascii_with_spaced_name():
    text, bylines = split_end_byline("阳光运行。(王 强 李红梅)")
    assert text == "阳光运行。"
    assert names(bylines) == [("王强", "writer"), ("李红梅", "writer")]


def test_text_and_picture_roles():
    bylines = parse_byline_text("文/张丽 赵 刚 图/刘明")
    assert names(bylines) == [
        ("张丽", "writer"),
        ("赵刚", "writer"),
        ("刘明", "photographer"),
    ]


def test_photo_credit():
    assert names(photo_credit("王 强 摄")) == [("王强", "photographer")]
    assert names(photo_credit("（本报记者 王强 摄影）")) == [("王强", "photographer")]


def test_box_byline_with_agency():
    bylines = box_byline("□ 新华社记者 张丽 赵刚 刘明")
    assert names(bylines) == [
        ("张丽", "writer"),
        ("赵刚", "writer"),
        ("刘明", "writer"),
    ]
    assert {b.affiliation for b in bylines} == {"新华社"}


def test_box_byline_spaced_two_character_name():
    assert names(box_byline("□ 孙宝忠 郭 晋")) == [
        ("孙宝忠", "writer"),
        ("郭晋", "writer"),
    ]


def test_brief_opening_byline_leaves_the_brief_marker():
    text, bylines = split_start_byline("本报讯（记者 张丽 通讯员 刘明）今天上午")
    assert text.startswith("本报讯") and "张丽" not in text
    assert names(bylines) == [("张丽", "writer"), ("刘明", "writer")]


def test_bracketed_asides_are_not_bylines():
    assert split_end_byline("召开县委常委（扩大）")[1] == []
    assert split_end_byline("增长（2019年）")[1] == []
    assert parse_byline_text("居民") is None


def test_uncommon_surname_is_marked_uncertain():
    bylines = parse_byline_text("孙宝忠 卍卍")
    assert bylines is not None
    assert [b.certain for b in bylines] == [True, False]
