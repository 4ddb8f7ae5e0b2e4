"""Full-text search: the one module that knows how text is tokenised and how
each database indexes it.  (Filled in by the search work; the importer calls
these hooks so every saved article is indexed.)"""


def index_articles(*, articles) -> None:
    return None


def index_remove(*, article_ids) -> None:
    return None
