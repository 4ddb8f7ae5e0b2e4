"""Places, programs and tags found in made-up sentences (real geography,
invented text), with the national gazetteer the importer uses."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing.entities import (
    Gazetteer,
    find_places,
    find_programs,
    find_tags,
)
from articles.importing.places import _cjk_run_start
from articles.importing.text import CJK
from tests.importing.gazetteer import fixture_gazetteer


def places(text: str, gazetteer: Gazetteer | None = None) -> dict:
    found = find_places(text, gazetteer or fixture_gazetteer())
    return {p.name: (p.kind, p.parent, p.known) for p in found}


def test_two_character_counties_come_from_the_data():
    found = places("今年蔚县和磁县的客人也来了。")
    assert found["蔚县"] == ("county", "张家口市", True)
    assert found["磁县"] == ("county", "邯郸市", True)


def test_a_chain_of_divisions_is_cut_at_real_boundaries():
    found = places("四川省绵阳市三台县潼川镇召开了会议。")
    assert list(found) == ["四川省", "绵阳市", "三台县", "潼川镇"]
    assert found["潼川镇"][1] == "三台县"


def test_town_after_a_county_is_not_joined_to_its_last_character():
    found = places("兴义市七舍镇今年种茶一千亩。")
    assert "七舍镇" in found and not any(n.startswith("义市") for n in found)


def test_new_village_goes_under_the_town_printed_before_it():
    found = places("交城县西营镇石门岭村、土堆村的村民来了。")
    assert found["石门岭村"] == ("village", "西营镇", False)
    assert found["土堆村"] == ("village", "西营镇", False)
    assert not any(n.startswith("镇") for n in found)


def test_village_name_is_the_whole_name_the_data_holds():
    # 沙河 is also a city's short name: the village is 北沙河村, not 沙河市.
    found = places("我们来到北沙河村调研。")
    assert "北沙河村" in found
    assert "沙河市" not in found and "沙河村" not in found


def test_village_starting_with_a_grammar_character_after_its_town():
    # 由 usually ends a name before it; right after 某某镇 it starts one.
    found = places("我是大桥镇由桥村的驻村干部。")
    assert "由桥村" in found


def test_junk_gets_no_place():
    for text in (
        "三是以县乡“两级”联动推进工作。",
        "他三天不出村。",
        "弘扬文明乡风，建设文明城市，创建文明村。",
        "这里成了“网红村”，一个美丽村庄。",
        "长治久安是大家的愿望。",
        "绿水青山就是金山银山。",
        "推进新型城镇化。",
    ):
        assert places(text) == {}, text


def test_short_names_count_as_words_of_their_own():
    assert "交城县" in places("来到交城参观。")
    assert places("罗建华在平原地区新建了友谊桥。") == {}


def test_short_name_right_after_its_city():
    assert "仙游县" in places("莆田仙游举办了展会。")


def test_name_shared_by_many_places_takes_the_parent_the_text_names():
    gazetteer = Gazetteer()
    gazetteer.add_place("甲县", "county", None)
    gazetteer.add_place("乙县", "county", None)
    gazetteer.add_place("城关镇", "town", "甲县")
    gazetteer.add_place("城关镇", "town", "乙县")
    assert places("乙县城关镇今天开会。", gazetteer)["城关镇"][1] == "乙县"
    assert places("城关镇今天开会。", gazetteer)["城关镇"][1] is None


def test_names_added_to_a_gazetteer_are_matched_at_once():
    gazetteer = Gazetteer()
    assert places("某某湾社区", gazetteer) == {}
    gazetteer.place_index()
    gazetteer.add_place("某某湾社区", "community", None)
    assert "某某湾社区" in places("来到某某湾社区。", gazetteer)


def test_quoted_programs_are_proposed_and_emphasis_is_not():
    known, proposed = find_programs(
        "全村开展“三治融合”工作，评选“五好家庭户”，成了“自带热度”的地方。",
        Gazetteer(),
    )
    assert "三治融合" in proposed and "五好家庭户" in proposed
    assert "自带热度" not in proposed


def test_programs_named_by_a_head_word():
    _, proposed = find_programs("各村掀起垃圾革命，建起农家阅读书屋。", Gazetteer())
    assert any(p.endswith("革命") for p in proposed)


def test_tags_leave_out_noise_words_and_people():
    text = (
        "县长张明远到合作社调研食用菌产业。张明远说，目标是解决问题，"
        "主题是食用菌。合作社的食用菌卖到外地，食用菌成了主导产业。"
    )
    tags = find_tags(text)
    assert "食用菌" in tags
    for word in ("目标", "问题", "主题", "张明远", "明远"):
        assert word not in tags


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("交城村镇a1，\n 𠀀")), max_size=12))
def test_the_run_of_chinese_before_a_suffix(text):
    for end in range(len(text) + 1):
        low = end
        while low > 0 and end - low < 6 and re.match(f"[{CJK}]", text[low - 1]):
            low -= 1
        assert _cjk_run_start(text, end) == low
