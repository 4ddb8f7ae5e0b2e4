"""The parser's result: small dataclasses, no behaviour beyond convenience."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ParsedByline:
    name: str
    role: str = "writer"  # writer | photographer
    affiliation: str = ""
    certain: bool = True


@dataclass
class ParsedCaption:
    text: str
    article_index: int | None = None
    position: int = 0


@dataclass
class ParsedPlace:
    name: str
    kind: str = "other"
    parent: str | None = None
    known: bool = True


@dataclass
class ParsedArticle:
    body: str
    headline: str = ""
    kicker: str = ""
    subtitle: str = ""
    suggested_headline: str = ""
    kind: str = "article"  # article | brief | photo
    bylines: list[ParsedByline] = field(default_factory=list)
    byline_text: str = ""  # the bylines as printed: （文/张丽 图/刘明）, □ 新华社记者 …
    places: list[ParsedPlace] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    new_programs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    position: int = 0
    # Line numbers (0-based) in the page text, for staff to find the source.
    first_line: int = 0
    last_line: int = 0

    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p]


@dataclass(frozen=True)
class Leftover:
    """Page text that belongs to no article body: shown to staff, never lost."""

    kind: str  # headline | banner | byline | fragment
    text: str
    line: int = 0


@dataclass
class ParsedPage:
    articles: list[ParsedArticle] = field(default_factory=list)
    captions: list[ParsedCaption] = field(default_factory=list)
    leftovers: list[Leftover] = field(default_factory=list)
