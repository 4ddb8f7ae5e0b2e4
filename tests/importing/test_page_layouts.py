"""The layouts the importer meets, one behaviour each, on short pages."""

from articles.importing import parse_page
from articles.importing.headings import split_doubled
from tests.importing.gazetteer import fixture_gazetteer


def parse(text):
    return parse_page(text, gazetteer=fixture_gazetteer())


def spaced(*lines):
    """A column-wrapped page: a blank line after every printed line."""
    return "\n\n".join(lines) + "\n"


PARAGRAPH_PER_LINE = """交城县召开秋季农业生产推进会
本报讯 10月15日,交城县召开秋季农业生产推进会.会议要求各乡镇抓好秋收秋种,确保粮食颗粒归仓。全县玉米种植面积达到12万亩,预计总产量比去年增长5%!
会议强调,要加强农机调度,做好秋季防火工作:确保安全生产;严防秸秆焚烧。(王 强 李红梅)
夏家营镇开展消防安全演练
本报讯 近日,夏家营镇组织全镇企业开展消防安全演练,来自20余家企业的100多名职工参加。演练中,消防队员现场讲解了灭火器的使用方法。
通过演练,职工们的安全意识和自救能力明显提高。(文/张丽 赵 刚 图/刘明)
"""


def test_paragraph_per_line_page_with_headlines_above_bodies():
    page = parse(PARAGRAPH_PER_LINE)
    assert [a.headline for a in page.articles] == [
        "交城县召开秋季农业生产推进会",
        "夏家营镇开展消防安全演练",
    ]
    first = page.articles[0]
    assert len(first.paragraphs()) == 2
    assert first.paragraphs()[1].startswith("会议强调，要加强农机调度")


def test_ascii_punctuation_becomes_full_width_in_bodies():
    body = parse(PARAGRAPH_PER_LINE).articles[0].body
    assert (
        "10月15日，交城县" in body
        and "增长5%！" in body
        and "工作：确保安全生产；" in body
    )
    assert "," not in body and ";" not in body


def test_text_and_picture_bylines():
    second = parse(PARAGRAPH_PER_LINE).articles[1]
    assert [(b.name, b.role) for b in second.bylines] == [
        ("张丽", "writer"),
        ("赵刚", "writer"),
        ("刘明", "photographer"),
    ]
    assert "张丽" not in second.body


def test_headline_block_at_page_end_with_kicker_subtitle_and_byline():
    page = parse(
        spaced("近年来，交城县坚持把乡村振兴作", "为重要任务，推动农业全面升级。")
        + "\n幸福路上\n乡村振兴看交城\n——交城县推进乡村振兴工作纪实\n\n□ 本报记者 张 丽\n"
    )
    (article,) = page.articles
    assert (
        article.headline == "幸福路上乡村振兴看交城"
        or article.headline == "乡村振兴看交城"
    )
    assert article.subtitle == "交城县推进乡村振兴工作纪实"
    assert [(b.name, b.role) for b in article.bylines] == [("张丽", "writer")]


def test_kicker_above_a_longer_title():
    page = parse(
        spaced(
            "本报讯 近日，交城县西营镇举办第三届",
            "果蔬采摘节，游客们走进大棚采摘果蔬。",
            "（郭 晋）",
        )
        + "\n甜蜜果蔬 喜迎游客\n\n西营镇第三届果蔬采摘节开幕吸引八方游客\n"
    )
    (article,) = page.articles
    assert article.kicker == "甜蜜果蔬 喜迎游客"
    assert article.headline == "西营镇第三届果蔬采摘节开幕吸引八方游客"


def test_two_line_headline_is_joined():
    page = parse(
        spaced(
            "本报讯 近日，交城县打响秋冬季大气",
            "污染综合治理攻坚战，确保空气质量改善。",
            "（孙宝忠）",
        )
        + "\n交城打响秋冬季大气污染\n综合治理攻坚战\n"
    )
    assert page.articles[0].headline == "交城打响秋冬季大气污染综合治理攻坚战"


def test_body_without_headline_is_flagged_and_never_borrows_one():
    page = parse(
        spaced(
            "本报讯 近日，交城县天宁镇举办农民丰收节，",
            "吸引了上万名群众参加。",
            "（张丽）",
        )
        + "\n"
        + spaced(
            "本报讯 9月28日，太原市交城商会揭牌，", "多家会员企业签约。", "（刘明）"
        )
        + "\n天宁镇举办农民丰收节\n"
    )
    first, second = page.articles
    assert first.headline == "天宁镇举办农民丰收节"
    assert second.headline == ""
    assert "no_headline" in second.flags
    assert second.suggested_headline.startswith("9月28日")


def test_continuation_is_joined_and_flagged():
    page = parse(
        spaced(
            "本报讯 今年以来，交城县西营镇",
            "大力发展设施蔬菜产业，新建",
            "日光温室 200 座，带动周边",
            "本报讯 近日，交城县天宁镇举",
            "办农民丰收节，吸引了上万名",
            "群众参加。 （张丽）",
            "群众增收致富，全镇蔬菜产值",
            "突破一亿元。 （刘明）",
        )
        + "\n西营镇设施蔬菜助农增收\n\n天宁镇举办农民丰收节\n"
    )
    assert len(page.articles) == 2
    joined = page.articles[0]
    assert joined.body.endswith("带动周边群众增收致富，全镇蔬菜产值突破一亿元。")
    assert "joined_continuation" in joined.flags
    assert [b.name for b in joined.bylines] == ["刘明"]


def test_body_that_stops_mid_sentence_without_partner_is_flagged():
    page = parse(
        spaced(
            "本报讯 今年以来，交城县西营镇", "大力发展设施蔬菜产业，新建", "（张丽）"
        )
        + "\n"
    )
    assert (
        page.articles[0].flags == []
        or "possible_continuation" not in page.articles[0].flags
    )
    page = parse(
        spaced(
            "本报讯 今年以来，交城县西营镇",
            "大力发展设施蔬菜产业，新建日光温室",
            "本报讯 近日召开大会。",
        )
    )
    assert "possible_continuation" in page.articles[0].flags


def test_spaced_characters_and_cut_words_are_cleaned():
    page = parse(
        spaced(
            "本报讯 位于山",
            "西省的交城县建档立卡贫",
            "困 户 ，她 主 动 报 了 名 ，月工资在 1500 元以上。",
        )
    )
    assert (
        "山西省的交城县建档立卡贫困户，她主动报了名，月工资在1500元以上。"
        in page.articles[0].body
    )


def test_photo_story_and_doubled_caption():
    page = parse(
        spaced(
            "金秋时节收获忙",
            "金秋时节，交城县各地玉米陆续",
            "成熟，农民们抢抓晴好天气收获。",
            "王 强 摄",
            "农民在田间收获玉米农民在田间收获玉米",
        )
    )
    (story,) = page.articles
    assert story.kind == "photo"
    assert story.headline == "金秋时节收获忙"
    assert [(b.name, b.role) for b in story.bylines] == [("王强", "photographer")]
    assert [(c.text, c.article_index) for c in page.captions] == [
        ("农民在田间收获玉米", 0)
    ]
    assert "农民在田间收获玉米" not in story.body


def test_several_doubled_captions_on_one_line():
    assert split_doubled("甲乙丙丁戊甲乙丙丁戊 己庚辛壬癸子己庚辛壬癸子") == [
        "甲乙丙丁戊",
        "己庚辛壬癸子",
    ]
    assert split_doubled("哒哒哒哒哒哒哒哒") is None
    assert split_doubled("交城县召开大会") is None


def test_section_banner_stays_out_of_bodies():
    page = parse(
        spaced(
            "本报讯 近日，交城县洪相乡组织开展", "道路交通安全宣传活动。", "（李红梅）"
        )
        + "\n——喜迎二十大\n\n洪相乡开展交通安全宣传\n"
    )
    assert "喜迎二十大" not in page.articles[0].body
    assert page.articles[0].headline == "洪相乡开展交通安全宣传"
    assert any(lo.kind == "banner" and lo.text == "喜迎二十大" for lo in page.leftovers)


def test_brief_keeps_its_marker_and_is_a_brief():
    page = parse(spaced("本报讯 近日，交城县洪相乡开展宣传。", "（李红梅）"))
    assert page.articles[0].body.startswith("本报讯")
    assert page.articles[0].kind == "brief"


def test_places_link_into_the_hierarchy():
    page = parse(spaced("本报讯 交城县西营镇东关村新建温室。", "（李红梅）"))
    places = {p.name: p for p in page.articles[0].places}
    assert places["西营镇"].parent == "交城县" and places["西营镇"].known
    assert places["东关村"].parent == "西营镇" and not places["东关村"].known
    assert "new_place" in page.articles[0].flags


def test_new_programs_are_proposed():
    page = parse(
        spaced(
            "本报讯 交城县启动“百村示范”工程，", "开展“清洁家园”行动。", "（李红梅）"
        )
    )
    assert "百村示范工程" in page.articles[0].new_programs
    assert "清洁家园行动" in page.articles[0].new_programs
    assert "new_program" in page.articles[0].flags


def test_tags_have_no_numbers_or_stop_words():
    page = parse(PARAGRAPH_PER_LINE)
    for article in page.articles:
        assert article.tags
        assert all(not any(ch.isdigit() for ch in tag) for tag in article.tags)
        assert "本报讯" not in article.tags


def test_empty_and_whitespace_pages():
    assert parse("").articles == []
    assert parse("\n\n   \n").articles == []
