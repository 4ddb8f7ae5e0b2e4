"""The headline area: headlines with their kickers (引题), subtitles (副题) and
□ bylines, section banners, and the photo captions printed among them."""

import re
from dataclasses import dataclass, field

from .bylines import BOX_MARKS, box_byline, is_box_line
from .model import ParsedByline
from .text import clean_heading, compact, visual_length

__all__ = [
    "Candidate",
    "ZoneCaption",
    "is_box_line",
    "is_marked_line",
    "is_subtitle_line",
    "read_zone",
    "split_doubled",
]

_DASH = "(?:——|—|－－|--|―{1,2})"  # a 副题's dash
_SUBTITLE_RE = re.compile(rf"^\s*{_DASH}\s*(?=\S)")
# Either mark: a subtitle's dash, or a box byline's box after any spaces
# (is_box_line strips the line first).
_MARKED_RE = re.compile(rf"^\s*(?:{_DASH}\s*(?=\S)|[{BOX_MARKS}])")


def is_subtitle_line(text: str) -> bool:
    return bool(_SUBTITLE_RE.match(text))


def is_marked_line(text: str) -> bool:
    """is_subtitle_line or is_box_line: the line belongs to a headline
    block by its mark.  Asked of nearly every line, so in one regex."""
    return bool(_MARKED_RE.match(text))


def strip_subtitle_dash(text: str) -> str:
    return _SUBTITLE_RE.sub("", text, count=1).strip()


MAX_DOUBLED = 600  # a line of doubled captions is short; running text is not


def split_doubled(text: str, min_unit: int = 4) -> list[str] | None:
    """`家庭医生深入贫困户家中义诊家庭医生深入贫困户家中义诊` → the caption once.

    The PDF layer of some pages prints each caption twice in a row, several
    to a line.  Returns the captions when the whole line is made of doubled
    units, otherwise None.
    """
    if len(text) < 2 * min_unit:
        return None  # (a line's characters, spaces left out, are fewer)
    flat = "".join(text.split())  # the tokens between spaces, joined
    if not 2 * min_unit <= len(flat) <= MAX_DOUBLED:
        return None
    # A doubled line opens with a unit printed twice: its first `min_unit`
    # characters come again within the line's first half.  Most lines are
    # told apart here, in C, before the search for a decomposition.
    if flat.find(flat[:min_unit], min_unit, len(flat) // 2 + min_unit) < 0:
        return None
    # Cut points are allowed only where the printed line had a space, or
    # anywhere for a unit that repeats right away.
    result = _decompose(flat, 0, min_unit, {})
    if result is None:
        return None
    units = []
    for unit in result:
        if len(set(unit)) <= 2:
            return None  # 哒哒哒哒哒哒哒哒 is text, not a doubled caption
        units.append(_respace(unit, text))
    return units


def _decompose(s: str, i: int, min_unit: int, memo: dict) -> list[str] | None:
    if i == len(s):
        return []
    if i in memo:
        return memo[i]
    memo[i] = None
    for size in range(min_unit, (len(s) - i) // 2 + 1):
        if s[i : i + size] == s[i + size : i + 2 * size]:
            rest = _decompose(s, i + 2 * size, min_unit, memo)
            if rest is not None:
                memo[i] = [s[i : i + size], *rest]
                break
    return memo[i]


def _respace(unit: str, original: str) -> str:
    """Give a caption back the space it had inside (`助残济困 关爱盲人`)."""
    pattern = r"\s*".join(re.escape(ch) for ch in unit)
    match = re.search(pattern, original)
    if not match:
        return unit
    return clean_heading(match.group(0))


@dataclass
class Candidate:
    """One headline as printed, with what stands around it."""

    lines: list  # layout.Line objects of the main title
    kicker: str = ""
    subtitle: str = ""
    bylines: list[ParsedByline] = field(default_factory=list)
    byline_text: str = ""  # the □ line as printed
    zone: int = 0
    order: int = 0  # position among all candidates on the page
    # Headline lines printed apart from this one but found to belong to it.
    before: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.lines[0].no

    @property
    def last_line(self) -> int:
        return self.lines[-1].no

    @property
    def headline(self) -> str:
        parts = [
            *self.before,
            join_heading_lines([ln.text for ln in self.lines]),
            *self.extra,
        ]
        return " ".join(p for p in parts if p)

    def match_text(self) -> str:
        return " ".join(p for p in (self.kicker, self.headline, self.subtitle) if p)


@dataclass
class ZoneCaption:
    text: str
    line: int
    group: int  # captions printed on one line share a group


def join_heading_lines(texts: list[str]) -> str:
    """A headline printed over two lines.  Two short parallel halves
    (国家扶贫日 / 帮扶暖民心) keep a space between them; a headline that simply
    wrapped (交城县举办 / “最美家庭”系列表彰会) is joined up."""
    cleaned = [clean_heading(t) for t in texts]
    if len(cleaned) == 1:
        return cleaned[0]
    out = cleaned[0]
    for nxt in cleaned[1:]:
        a, b = visual_length(out.split(" ")[-1]), visual_length(nxt)
        couplet = abs(a - b) <= 0.5 and a <= 8 and " " not in nxt
        out = f"{out} {nxt}" if couplet else out + nxt
    return out


# How photo captions announce themselves: 图为…, 这是…拍摄的…, …（1月29日摄）。
_CAPTION_MARK_RE = re.compile(
    r"^\s*(?:图为|图：|图:|上图|下图|左图|右图|图\d|图[①-⑩]|这是.{0,24}?拍摄的)"
    r"|[（(][^（）()]{0,24}(?:摄|照片)[）)][。.]?\s*$"
)


def caption_marked(text: str) -> bool:
    return bool(_CAPTION_MARK_RE.search(text))


def _captionish(text: str) -> bool:
    """A sentence describing a photo: headlines do not end in 。 nor open
    with 图为, and they are seldom this long."""
    flat = compact(text)
    width = visual_length(flat)
    if flat.endswith(("。", "。”", "。）")) or caption_marked(flat):
        return True
    if flat.endswith(("…", "...", "！", "？", "!", "?")):  # NFKC makes … ...
        return False  # a headline's ending (…只为告诉大家这件事……)
    # A caption is a sentence with its clauses; a long headline without a
    # comma stays one (安徽凤阳：…评选表彰活动).
    return width >= 16 and ("，" in flat or "," in flat)


def read_zone(
    zone_lines: list, zone_id: int
) -> tuple[list[Candidate], list[ZoneCaption], list]:
    """Parse one stretch of headline area into candidates, captions and
    leftovers (banners, stray bylines).  `zone_lines` are layout.Line objects
    in page order."""
    from .model import Leftover

    # Regroup by blank lines: a block is what the page printed together.
    groups: list[list] = []
    for line in zone_lines:
        if groups and line.gap == 0:
            groups[-1].append(line)
        else:
            groups.append([line])

    items: list[tuple[str, object]] = []  # (kind, payload) in page order
    leftovers: list = []
    caption_group = 0
    for group in groups:
        plain = [ln for ln in group if not is_marked_line(ln.text)]
        structural = len(plain) < len(group)
        joined = "".join(compact(ln.text) for ln in group)
        if not structural and (
            len(group) >= 3 or (len(group) >= 2 and _captionish(joined))
        ):
            text = clean_heading("".join(ln.text.strip() for ln in group))
            items.append(("caption", ZoneCaption(text, group[0].no, caption_group)))
            caption_group += 1
            continue
        for line in group:
            doubled = split_doubled(line.text)
            if doubled:
                # Each unit twice, as printed: de-duplication keeps the
                # second copy among the page's leftovers.
                for text in doubled + doubled:
                    items.append(("caption", ZoneCaption(text, line.no, caption_group)))
                caption_group += 1
            elif is_subtitle_line(line.text):
                items.append(("subtitle", line))
            elif is_box_line(line.text):
                items.append(("box", line))
            elif _captionish(line.text) and not (len(plain) > 1 and not structural):
                items.append(
                    (
                        "caption",
                        ZoneCaption(clean_heading(line.text), line.no, caption_group),
                    )
                )
                caption_group += 1
            else:
                items.append(("head", line))

    items = _merge_split_captions(items)
    items = _captions_between_captions(items)

    candidates: list[Candidate] = []
    captions: list[ZoneCaption] = []
    current: Candidate | None = None
    prev_kind = None
    prev_line = None
    for kind, payload in items:
        if kind == "caption":
            captions.append(payload)
            current = None
        elif kind == "head":
            line = payload
            same_block = prev_line is not None and line.gap == 0 and prev_kind == "head"
            if current is not None and same_block and not line.lead:
                current.lines.append(line)
            else:
                current = Candidate(lines=[line], zone=zone_id)
                candidates.append(current)
        elif kind == "subtitle":
            line = payload
            if (
                current is not None
                and line.gap == 0
                and prev_kind in ("head", "subtitle")
            ):
                text = strip_subtitle_dash(clean_heading(line.text))
                current.subtitle = f"{current.subtitle} {text}".strip()
            else:
                leftovers.append(
                    Leftover("banner", strip_subtitle_dash(line.text), line.no)
                )
                current = None
        elif kind == "box":
            line = payload
            names = box_byline(line.text)
            if current is not None and names and not current.bylines and line.gap <= 1:
                current.bylines = names
                current.byline_text = clean_heading(line.text)
            else:
                leftovers.append(Leftover("byline", clean_heading(line.text), line.no))
        prev_kind = kind
        prev_line = payload if kind != "caption" else None

    _find_kickers(candidates)
    return candidates, captions, leftovers


def _captions_between_captions(items: list) -> list:
    """Captions are printed in runs under their photos: a short unpunctuated
    line with a caption on either side (给学员讲授如何包裹婴儿) is one too."""
    out = list(items)
    for k in range(1, len(items) - 1):
        kind, payload = items[k]
        if (
            kind == "head"
            and items[k - 1][0] == "caption"
            and items[k + 1][0] == "caption"
            and payload.gap >= 1
            and (k + 2 >= len(items) or items[k + 2][1] is not payload)
        ):
            out[k] = (
                "caption",
                ZoneCaption(
                    clean_heading(payload.text), payload.no, 5_000 + payload.no
                ),
            )
    return out


def _merge_split_captions(items: list) -> list:
    """A caption wrapped over two blocks: a long headline-like line straight
    before a caption-like line is the caption's first half."""
    out: list = []
    for kind, payload in items:
        if (
            kind == "caption"
            and out
            and out[-1][0] == "head"
            and (line := out[-1][1]).gap <= 1
            and " " not in line.text.strip()
            and visual_length(line.text) >= 14
            and payload.line - line.no <= 2
            # …unless the caption is a whole sentence of its own: then the
            # line above it is a headline.
            and not payload.text.rstrip().endswith("。")
        ):
            out.pop()
            payload = ZoneCaption(
                clean_heading(line.text.strip() + payload.text), line.no, payload.group
            )
        out.append((kind, payload))
    return out


def _find_kickers(candidates: list[Candidate]) -> None:
    """A kicker (引题) is a short two-phrase line straight above a longer
    title: 展现交城特色 助力脱贫增收 / 交城县农特产品在…备受青睐."""
    i = 0
    while i < len(candidates) - 1:
        above, below = candidates[i], candidates[i + 1]
        top = clean_heading(above.lines[0].text)
        if (
            len(above.lines) == 1
            and not above.subtitle
            and not above.bylines
            # Two phrases (展现交城特色 助力脱贫增收), or a column's label
            # indented above a headline with its 副题 (新春走基层).
            and (
                (
                    " " in top
                    and visual_length(below.headline) >= 1.5 * visual_length(top)
                )
                or (above.lines[0].lead and below.subtitle)
            )
            and not below.lines[0].lead
            and below.lines[0].gap <= 1
            and below.lines[0].no - above.lines[-1].no <= 2
        ):
            below.kicker = top
            del candidates[i]
            continue
        i += 1
