"""Bylines as printed: （孙宝忠 周爱爱）, (王 强 李红梅), （文/张丽 赵 刚 图/刘明）,
王 强 摄, □ 路小飞 张晋, □ 新华社记者 张丽 赵刚 刘明."""

import re

from .model import ParsedByline
from .text import CJK, normalize_width
from .words import is_common_word

WRITER = "writer"
PHOTOGRAPHER = "photographer"

# The hundred-odd commonest surnames cover nearly every byline; a name outside
# them is still accepted but marked uncertain so staff check it.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧闭由"
)
COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "司徒",
}

# Words in a byline that are not names: roles, ranks, the paper itself.
_TITLE_WORDS = (
    "本报记者",
    "本报通讯员",
    "特约记者",
    "见习记者",
    "实习生",
    "通讯员",
    "记者",
    "本报",
    "摄影",
    "撰稿",
    "编辑",
)
_AGENCY_RE = re.compile(
    f"^([{CJK}]{{1,8}}?(?:社|报|台|网|中心))(?:记者|通讯员|特约记者)"
)
_ROLE_MARK_RE = re.compile(r"^(文|图|摄|摄影|文图|图文)[/／:：]")
_NAME_RE = re.compile(f"^[{CJK}·]{{2,5}}$")
_SPACES = re.compile(r"[\s\u3000]+")


def _merge_single_chars(tokens: list[str]) -> list[str]:
    """郭 晋 → 郭晋: layout spaces two-character names to the width of three."""
    out: list[str] = []
    run: list[str] = []

    def flush():
        if not run:
            return
        if len(run) in (2, 3):
            out.append("".join(run))
        elif len(run) == 4:
            out.extend(["".join(run[:2]), "".join(run[2:])])
        else:
            out.extend(run)
        run.clear()

    for token in tokens:
        if len(token) == 1:
            run.append(token)
        else:
            flush()
            out.append(token)
    flush()
    return out


def looks_like_name(name: str) -> bool:
    return bool(_NAME_RE.match(name))


def name_is_certain(name: str) -> bool:
    if not looks_like_name(name) or len(name) > 4:
        return False
    if is_common_word(name, min_frequency=50):
        return False  # 居民, 群众: a surname character starting an ordinary word
    return name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES


def parse_byline_text(
    text: str, default_role: str = WRITER, *, require_certain: bool = True
) -> list[ParsedByline] | None:
    """Names and roles from the inside of a byline; None when it is not one.

    Accepts role marks (文/ 图/ 摄/), agencies (新华社记者), titles (本报记者,
    通讯员) and a trailing 摄.  Rejects anything with digits or sentence
    punctuation, so a bracketed aside like （扩大） is never taken for a name.
    """
    text = normalize_width(text).strip()
    if not text or len(text) > 60 or re.search(r"[0-9，。、；：！？,.;!?“”]", text):
        return None
    text = text.replace("／", "/")
    role = default_role
    if re.search(r"(摄影?|图)$", text) and not text.endswith("/图"):
        stripped = re.sub(r"\s*(摄影?|图)$", "", text)
        if stripped != text:
            role, text = PHOTOGRAPHER, stripped
    # Put spaces around role marks so "文/张丽" and "文 / 张丽" split alike.
    text = re.sub(r"(文|图|摄影|摄)\s*[/:：]\s*", r" \1/ ", text)
    tokens = [t for t in _SPACES.split(text) if t]
    result: list[ParsedByline] = []
    affiliation = ""
    pending: list[str] = []
    current_role = role

    def flush_pending():
        for name in _merge_single_chars(pending):
            if not looks_like_name(name):
                raise ValueError(name)
            result.append(
                ParsedByline(
                    name=name,
                    role=current_role,
                    affiliation=affiliation,
                    certain=name_is_certain(name),
                )
            )
        pending.clear()

    try:
        for token in tokens:
            mark = _ROLE_MARK_RE.match(token + ("" if token.endswith("/") else ""))
            if token.endswith("/") and token[:-1] in (
                "文",
                "图",
                "摄",
                "摄影",
                "文图",
                "图文",
            ):
                flush_pending()
                current_role = (
                    WRITER if token[:-1] in ("文", "文图", "图文") else PHOTOGRAPHER
                )
                continue
            if mark:
                flush_pending()
                current_role = WRITER if mark.group(1) == "文" else PHOTOGRAPHER
                token = token[mark.end() :]
                if not token:
                    continue
            agency = _AGENCY_RE.match(token)
            if agency and not agency.group(1).startswith("本报"):
                flush_pending()
                affiliation = agency.group(1)
                token = token[agency.end() :]
                if not token:
                    continue
            for title in _TITLE_WORDS:
                if token.startswith(title):
                    flush_pending()
                    token = token[len(title) :]
                    break
            if not token:
                continue
            pending.append(token)
        flush_pending()
    except ValueError:
        return None
    # A bracketed aside such as （扩大） is not a byline: at least one name must
    # look like a real one.
    if not result or (require_certain and not any(b.certain for b in result)):
        return None
    return result


_BRACKET_END_RE = re.compile(r"[（(]([^（）()]{2,60})[）)]\s*$")
_BRACKET_START_RE = re.compile(r"^(本报讯)\s*[（(]([^（）()]{2,60})[）)]\s*")
BOX_MARKS = "□■◇◆☆★●○▲△"  # what a box byline (□ 路小飞 张晋) opens with
_BOX_RE = re.compile(f"^[{BOX_MARKS}]\\s*")
_CREDIT_RE = re.compile(f"^[（(]?[{CJK}/／:：\\s]{{2,60}}?摄影?\\s*[）)]?$")
# Names set apart from 摄 by a space (`松召峰 摄`): the layout of a credit line,
# trusted even when a surname is rare (the names are then marked uncertain).
_SPACED_CREDIT_RE = re.compile(f"^[{CJK}]{{2,4}}(?:\\s+[{CJK}]{{2,4}})*\\s+摄影?$")


def split_end_byline(text: str) -> tuple[str, list[ParsedByline]]:
    """`…正能量。 （孙宝忠）` → (`…正能量。`, [孙宝忠]).  Text without a byline
    at its end comes back unchanged with no bylines."""
    rest, bylines, _ = cut_end_byline(text)
    return rest, bylines


def cut_end_byline(text: str) -> tuple[str, list[ParsedByline], str]:
    """Like split_end_byline, also returning the byline as printed."""
    match = _BRACKET_END_RE.search(text.rstrip())
    if not match:
        return text, [], ""
    bylines = parse_byline_text(match.group(1))
    if not bylines:
        return text, [], ""
    return text[: match.start()].rstrip(), bylines, match.group(0).strip()


def split_start_byline(text: str) -> tuple[str, list[ParsedByline]]:
    """`本报讯（记者 张丽）今天…` → (`本报讯 今天…`, [张丽])."""
    rest, bylines, _ = cut_start_byline(text)
    return rest, bylines


def cut_start_byline(text: str) -> tuple[str, list[ParsedByline], str]:
    match = _BRACKET_START_RE.match(text.lstrip())
    if not match:
        return text, [], ""
    bylines = parse_byline_text(match.group(2))
    if not bylines:
        return text, [], ""
    printed = match.group(0)[len(match.group(1)) :].strip()
    return match.group(1) + " " + text.lstrip()[match.end() :], bylines, printed


def box_byline(line: str) -> list[ParsedByline] | None:
    """`□ 路小飞 张晋` under a feature's headline."""
    match = _BOX_RE.match(line.strip())
    if not match:
        return None
    return parse_byline_text(line.strip()[match.end() :])


def is_box_line(line: str) -> bool:
    return bool(_BOX_RE.match(line.strip()))


def photo_credit(line: str) -> list[ParsedByline] | None:
    """`王 强 摄`, `（王强 摄）`, `本报记者 王强 摄影` after a photo story."""
    stripped = line.strip()
    if len(stripped) > 80 or not _CREDIT_RE.match(stripped):
        return None
    inner = stripped.strip("（）() ")
    inner = re.sub(r"\s*摄影?$", "", inner)
    bylines = parse_byline_text(
        inner,
        default_role=PHOTOGRAPHER,
        require_certain=not _SPACED_CREDIT_RE.match(stripped),
    )
    if not bylines:
        return None
    return [
        ParsedByline(b.name, PHOTOGRAPHER, b.affiliation, b.certain)
        if b.role == WRITER
        else b
        for b in bylines
    ]


def split_end_credit(text: str) -> tuple[str, list[ParsedByline]]:
    """A photo story's last line may carry its credit after the text: `…。 王强 摄`."""
    rest, credit, _ = cut_end_credit(text)
    return rest, credit


def cut_end_credit(text: str) -> tuple[str, list[ParsedByline], str]:
    if not text.rstrip().endswith(("摄", "摄影")):
        return text, [], ""
    tail = text[-40:]
    match = re.search(f"(?:^|[。！？”\\s])([{CJK}][{CJK}\\s]{{1,24}}摄影?)\\s*$", tail)
    if not match:
        return text, [], ""
    credit = photo_credit(match.group(1))
    if not credit:
        return text, [], ""
    cut = len(text) - len(tail) + match.start(1)
    return text[:cut].rstrip(), credit, match.group(1).strip()
