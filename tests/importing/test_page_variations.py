"""Layout variations met on pages the importer had never seen, one behaviour
each, on short pages written for the test (names and places made up)."""

from articles.importing import parse_page
from articles.importing.bylines import photo_credit
from articles.importing.words import reads_on
from tests.importing.gazetteer import fixture_gazetteer


def parse(text):
    return parse_page(text, gazetteer=fixture_gazetteer())


def spaced(*lines):
    """A column-wrapped page: a blank line after every printed line."""
    return "\n\n".join(lines) + "\n"


# Two articles in a 14-character column, the headline block at the end.
COLUMN_ARTICLES = (
    "近日，西营镇组织农技人员深入",
    "田间地头，为种植户讲解玉米病",
    "虫害防治技术，发放资料三百余",
    "份，受到群众欢迎。（张平）",
    "今年以来，夏家营镇大力发展食",
    "用菌产业，新建标准化大棚二十",
    "座，带动周边农户就近务工增收。",
    "（李红梅）",
)


def test_caption_sentence_in_headline_block_does_not_end_the_text():
    """A caption ending in 。 printed among the headlines used to be taken
    for the last body line, and the headlines before it ran into a body."""
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "西营镇农技人员讲解玉米病虫害防治",
            "农技人员在田间向种植户讲解防治技术。",
            "夏家营镇食用菌产业带农增收",
        )
    )
    heads = {a.headline for a in page.articles}
    assert heads == {"西营镇农技人员讲解玉米病虫害防治", "夏家营镇食用菌产业带农增收"}
    assert all("讲解防治技术。" not in a.body for a in page.articles)
    [caption] = page.captions
    assert caption.text == "农技人员在田间向种植户讲解防治技术。"
    assert page.articles[caption.article_index].headline.startswith("西营镇")


def test_caption_opening_with_tu_wei_is_a_caption():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "图为种植户在大棚内采收平菇。",
            "夏家营镇食用菌产业带农增收",
        )
    )
    assert [c.text for c in page.captions] == ["图为种植户在大棚内采收平菇。"]
    assert all("采收平菇" not in a.body for a in page.articles)


def test_headline_wrapped_over_two_printed_lines_is_one_headline():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "西营镇农技人员深入田间讲解玉",
            "米病虫害防治技术",
            "夏家营镇食用菌产业带农增收",
        )
    )
    first = next(a for a in page.articles if "玉米病" in a.body)
    # Cut mid-word (玉 / 米): joined up; two phrases would keep a space.
    assert first.headline == "西营镇农技人员深入田间讲解玉米病虫害防治技术"
    assert all("防治技术" not in item.text for item in page.leftovers)


def test_headline_printed_as_two_phrases_keeps_them_apart():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "深入田间送技术",
            "西营镇讲解玉米病虫害防治",
            "夏家营镇食用菌产业带农增收",
        )
    )
    first = next(a for a in page.articles if "玉米病" in a.body)
    assert first.headline == "深入田间送技术 西营镇讲解玉米病虫害防治"


def test_two_headlines_on_neighbouring_lines_stay_apart():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "西营镇讲解玉米病虫害防治",
            "夏家营镇食用菌产业带农增收",
        )
    )
    assert {a.headline for a in page.articles} == {
        "西营镇讲解玉米病虫害防治",
        "夏家营镇食用菌产业带农增收",
    }


def test_photo_credit_with_a_rare_surname_ends_the_story():
    assert [b.name for b in photo_credit("松召明 摄")] == ["松召明"]
    assert photo_credit("松召明 摄")[0].certain is False
    assert photo_credit("松召明摄影展开幕") is None
    many = photo_credit("王平 李红 张强 赵刚 刘明 陈亮 杨帆 黄河 摄")
    assert len(many) == 8


def test_captions_under_a_photo_credit_belong_to_that_story():
    page = parse(
        spaced(
            *COLUMN_ARTICLES[:4],
            "秋收时节，田野里一片金黄，",
            "农户们忙着收割晾晒。",
            "王平 摄",
            "农户在场院晾晒玉米。",
            "村民将辣椒挂上屋檐。",
            "西营镇农技人员讲解玉米病虫害防治",
            "秋收忙",
        )
    )
    story = next(a for a in page.articles if "金黄" in a.body)
    assert story.kind == "photo"
    owner = page.articles.index(story)
    assert sorted(c.text for c in page.captions if c.article_index == owner) == [
        "农户在场院晾晒玉米。",
        "村民将辣椒挂上屋檐。",
    ]


HEADLINE_BLOCK = ("西营镇产业发展见成效", "夏家营镇食用菌产业带农增收")


def test_two_line_subhead_is_one_paragraph():
    page = parse(
        "今年以来，西营镇围绕产业发展\n\n"
        "做了大量工作，成效明显。\n\n"
        "抓实产业项目\n建设示范园区\n\n"
        "全镇新建大棚二十座，带动农户\n\n"
        "增收致富，群众得到实惠。（张平）\n\n"
        + spaced(*COLUMN_ARTICLES[4:], *HEADLINE_BLOCK)
    )
    assert page.articles[0].paragraphs()[1] == "抓实产业项目建设示范园区"


def test_stretched_line_ending_a_sentence_does_not_end_the_paragraph():
    # The second line was justified to the column with spaces: print does
    # that to every line of a paragraph but its last.
    page = parse(
        spaced(
            "本报讯 西营镇磁窑村位于县城以",
            "北 两 公 里 ，全 村 三 百 户 。",
            "现有党员三十人，村两委班子成员",
            "八人，村集体经济逐年壮大。",
        )
    )
    assert len(page.articles[0].paragraphs()) == 1


def test_one_line_subhead_between_paragraphs_of_a_column():
    page = parse(
        spaced(
            "本报讯 近年来，西营镇积极探索基层治理",
            "新模式，推动网格化管理全面覆盖，群众",
            "满意度明显提升，社会治理成效显著。",
            "网格管理，快速回应诉求",
            "西营镇建立镇村两级联动的网格化管",
            "理机制，充分发挥网格员作用，及时解",
            "决群众反映的各类问题。（张平）",
            *COLUMN_ARTICLES[4:],
            *HEADLINE_BLOCK,
        )
    )
    paragraphs = page.articles[0].paragraphs()
    assert paragraphs[1] == "网格管理，快速回应诉求"
    assert paragraphs[2].startswith("西营镇建立镇村两级")


def test_first_line_of_a_paragraph_is_not_a_subhead():
    page = parse(
        spaced(
            "本报讯 近年来，西营镇积极探索基层治理",
            "新模式，推动网格化管理全面覆盖，群众",
            "满意度明显提升，社会治理成效显著。",
            "在推进过程中，西营镇",
            "建立镇村两级联动的网格化管理机制，",
            "及时解决群众反映的各类问题。（张平）",
            *COLUMN_ARTICLES[4:],
            *HEADLINE_BLOCK,
        )
    )
    body = page.articles[0].body
    assert "在推进过程中，西营镇建立镇村两级" in body
    assert "在推进过程中，西营镇" not in page.articles[0].paragraphs()


def test_reads_on_sees_a_word_cut_at_the_line_end():
    assert reads_on("县委宣传部副部", "长王某某出席")
    assert not reads_on("快速回应诉求", "西营镇建立")


PER_LINE_WITH_SUBHEAD = (
    "\n\n西营镇发展食用菌产业\n\n\n\n"
    "本报讯 近日,西营镇食用菌基地迎来采收期,大棚里一派繁忙景象。"
    "基地负责人介绍,今年新建大棚二十座,带动周边农户就近务工。\n\n"
    "建设标准化大棚\n\n"
    "基地采用统一标准建设大棚,配套智能温控设备,"
    "菌菇品质稳定,产品销往省内多个城市,很受市场欢迎,订单\n\n"
    "已经排到了明年春天。(王平)\n\n\n\n"
    "夏家营镇开展消防演练\n\n\n\n"
    "本报讯 近日,夏家营镇组织企业职工开展消防安全演练,一百多名职工参加。\n"
)


def test_per_line_page_subhead_is_set_off_by_fewer_blank_lines():
    page = parse(PER_LINE_WITH_SUBHEAD)
    assert [a.headline for a in page.articles] == [
        "西营镇发展食用菌产业",
        "夏家营镇开展消防演练",
    ]
    paragraphs = page.articles[0].paragraphs()
    assert paragraphs[1] == "建设标准化大棚"


def test_per_line_page_joins_a_line_cut_by_a_column_break():
    paragraphs = parse(PER_LINE_WITH_SUBHEAD).articles[0].paragraphs()
    assert paragraphs[-1].endswith("订单已经排到了明年春天。")


def test_continuation_found_where_the_cut_word_reads_on():
    """An article cut mid-word goes on after another article's paragraph
    with no byline between them: the piece that reads on is joined, the
    other article keeps its own text."""
    page = parse(
        spaced(
            "本报讯 今年以来，西营镇大力发展",
            "设施农业，全镇新建日光温室一百",
            "余座，带动周边农户务工的留守妇",
            "本报讯 近日，夏家营镇组织企业职",
            "工开展消防安全演练，一百多名职",
            "工参加了演练。",
            "女二百多人，人均月增收两千元。",
            "（张平）",
            "西营镇设施农业带农增收",
            "夏家营镇开展消防演练",
        )
    )
    first = next(a for a in page.articles if "设施农业" in a.body)
    assert "留守妇女二百多人" in first.body
    assert "joined_continuation" in first.flags
    other = next(a for a in page.articles if "消防安全演练" in a.body)
    assert "二百多人" not in other.body


def test_captions_in_a_run_after_a_photo_credit_on_a_per_line_page():
    page = parse(
        "\n\n秋收时节晒丰收\n\n\n\n"
        "秋天,西营镇的农家小院里晒满了玉米和辣椒,一派丰收景象。\n\n"
        "王平 摄\n\n"
        "农户在场院晾晒玉米。\n\n"
        "村民将辣椒挂上屋檐。\n\n\n\n"
        "夏家营镇开展消防演练\n\n\n\n"
        "本报讯 近日,夏家营镇组织企业职工开展消防安全演练,一百多名职工参加。"
        "演练中,消防队员现场讲解了灭火器的使用方法。(李红梅)\n"
    )
    assert sorted(c.text for c in page.captions) == [
        "农户在场院晾晒玉米。",
        "村民将辣椒挂上屋檐。",
    ]
    story = page.articles[page.captions[0].article_index]
    assert story.headline == "秋收时节晒丰收"
    assert all("晾晒玉米。" not in a.body for a in page.articles)


def test_caption_marks_among_the_text():
    page = parse(
        spaced(
            *COLUMN_ARTICLES[:4],
            "这是10月12日拍摄的西营镇设施农业园区（无人机照片）。",
            *COLUMN_ARTICLES[4:],
            *HEADLINE_BLOCK,
        )
    )
    assert [c.text for c in page.captions] == [
        "这是10月12日拍摄的西营镇设施农业园区（无人机照片）。"
    ]
    assert all("无人机照片" not in a.body for a in page.articles)


def test_narrow_column_beside_a_picture_is_text_not_headlines():
    page = parse(
        spaced(
            *COLUMN_ARTICLES[:4],
            "为解决暑期留守儿",
            "童看护难的问题，",
            "西营镇组织大学生志愿者为村里的孩子们",
            "办起了暑期课堂，辅导功课、开展活动。",
            "王平 摄",
            *COLUMN_ARTICLES[4:],
            *HEADLINE_BLOCK,
        )
    )
    story = next(a for a in page.articles if "暑期课堂" in a.body)
    assert story.body.startswith("为解决暑期留守儿童看护难的问题")
    assert all(a.headline != "为解决暑期留守儿" for a in page.articles)


def test_headline_with_commas_ending_in_ellipsis_is_no_caption():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "年关将至，西营镇农技人员为何又下田……",
            "夏家营镇食用菌产业带农增收",
        )
    )
    assert page.captions == []
    assert {a.headline for a in page.articles} >= {
        "年关将至，西营镇农技人员为何又下田……"
    }


def test_full_line_ending_a_sentence_then_a_shorter_first_line():
    """The print indents a paragraph's first line; the text layer keeps the
    line two characters short even where it drops the indent's spaces."""
    page = parse(
        spaced(
            "本报讯 近年来，西营镇积极探索基层治理",
            "新模式，推动网格化管理全面覆盖，群众满",
            "意度明显提升，社会治理成效显著提高了。",
            "今年以来，全镇新建网格服务站",
            "十二个，配备专职网格员三十名，做到小事",
            "不出村、大事不出镇。（张平）",
            *COLUMN_ARTICLES[4:],
            *HEADLINE_BLOCK,
        )
    )
    paragraphs = page.articles[0].paragraphs()
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("今年以来，全镇新建网格服务站十二个")


PHOTO_STORY = (
    "秋收时节，西营镇的田野里一片",
    "金黄，农户们忙着收割晾晒。",
    "王平 摄",
)


def test_column_label_above_a_headline_with_subtitle_is_its_kicker():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            *PHOTO_STORY,
            "乡村纪行",
            "秋收的喜悦",
            "——西营镇农户晒丰收",
            *HEADLINE_BLOCK,
        ).replace("秋收的喜悦\n\n——", "秋收的喜悦\n——")
    )
    story = next(a for a in page.articles if "晾晒" in a.body)
    assert (story.kicker, story.headline, story.subtitle) == (
        "乡村纪行",
        "秋收的喜悦",
        "西营镇农户晒丰收",
    )
    assert "weak_headline" in story.flags  # its words are not in the text


def test_line_between_two_captions_is_a_caption():
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            "农技人员讲解防治技术。农技人员讲解防治技术。",
            "种植户认真听讲",
            "资料发到农户手中。资料发到农户手中。",
            *HEADLINE_BLOCK,
        )
    )
    assert sorted(c.text for c in page.captions) == [
        "农技人员讲解防治技术。",
        "种植户认真听讲",
        "资料发到农户手中。",
    ]
    assert all(a.headline != "种植户认真听讲" for a in page.articles)


def test_long_headline_without_a_comma_is_no_caption():
    head = "西营镇举办农技培训暨玉米病虫害防治技术现场观摩推进会议"
    page = parse(spaced(*COLUMN_ARTICLES, head, HEADLINE_BLOCK[1]))
    assert head in {a.headline for a in page.articles}
    assert page.captions == []


def test_per_line_articles_set_apart_by_blank_lines_without_headline_or_byline():
    page = parse(
        "\n\n西营镇发展食用菌产业\n\n\n\n"
        "本报讯 近日,西营镇食用菌基地迎来采收期,大棚里一派繁忙景象。\n\n"
        "基地今年新建大棚二十座,带动周边农户就近务工增收。\n\n\n\n"
        "夏季的山村,天气渐热,雨水也多了起来,村民们忙着修渠引水。\n\n"
        "村里今年新修水渠三公里,解决了三百多亩农田的灌溉难题。\n"
    )
    assert len(page.articles) == 2
    assert page.articles[1].body.startswith("夏季的山村")


def test_headline_stands_with_its_storys_photo_captions():
    """A photo story's headline shares no word with its text; the captions
    printed under it do, and they carry it to that story."""
    page = parse(
        spaced(
            *COLUMN_ARTICLES,
            *PHOTO_STORY,
            "丰收的味道",
            "农户在场院晾晒刚收割的玉米。",
            "田野里金黄一片秋收正忙。",
        )
    )
    story = next(a for a in page.articles if "晾晒" in a.body)
    assert story.headline == "丰收的味道"
