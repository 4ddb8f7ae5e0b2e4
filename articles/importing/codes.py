"""The codes the page parser emits and the error type it raises with them.

Staff never see these codes: `Article.Flag` and `Page.LeftoverKind` in the
models give each its Chinese label, built from the constants here so the
parser and the admin cannot drift apart (a test checks every code has a
label).  Pure Python, like the rest of the parser."""

# Review flags on a parsed article: why staff should look at it.
NO_HEADLINE = "no_headline"
JOINED = "joined_continuation"
POSSIBLE_CONTINUATION = "possible_continuation"
UNKNOWN_BYLINE = "unknown_byline"
NO_BYLINE = "no_byline"
NEW_PROGRAM = "new_program"
NEW_PLACE = "new_place"
WEAK_HEADLINE = "weak_headline"

FLAGS = (
    NO_HEADLINE,
    JOINED,
    POSSIBLE_CONTINUATION,
    UNKNOWN_BYLINE,
    NO_BYLINE,
    NEW_PROGRAM,
    NEW_PLACE,
    WEAK_HEADLINE,
)

# Kinds of leftover: page text that belongs to no article body.
LEFTOVER_HEADLINE = "headline"  # a heading no body claimed
LEFTOVER_BANNER = "banner"  # a column's or page's banner
LEFTOVER_BYLINE = "byline"  # a byline no article took
LEFTOVER_FRAGMENT = "fragment"  # a scrap of text
LEFTOVER_DUPLICATE = "duplicate"  # a second copy of a caption

LEFTOVER_KINDS = (
    LEFTOVER_HEADLINE,
    LEFTOVER_BANNER,
    LEFTOVER_BYLINE,
    LEFTOVER_FRAGMENT,
    LEFTOVER_DUPLICATE,
)


class CodedError(Exception):
    """An error with a `code` naming the reason, for tests and for the
    message staff see; the message itself is in Chinese."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code
