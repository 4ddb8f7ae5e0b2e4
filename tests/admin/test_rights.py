"""Who may do what through every fix tool: an editor (编辑) edits but cannot
put text on the public site, take it off, or delete a published article; a
reviewer (审核) can.  Each route is tried as each role through the admin, and
the services are tried directly, since they are what enforces it."""

import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, Caption, Page, Place, Program
from people import services as people_services
from people.models import Byline, Person

pytestmark = pytest.mark.django_db

PUBLISHED, REVIEW, DRAFT = "published", "review", "draft"


def same_page_pair(first_status: str, second_status: str):
    """Two articles of one page with the given statuses."""
    page = next(p for p in Page.objects.all() if p.articles.count() >= 2)
    first, second = page.articles.order_by("position")[:2]
    Article.objects.filter(pk=first.pk).update(status=first_status)
    Article.objects.filter(pk=second.pk).update(status=second_status)
    first.refresh_from_db()
    second.refresh_from_db()
    return first, second


def other_page_article(article: Article) -> Article:
    return Article.objects.exclude(page_id=article.page_id).first()


def merge(client, first, second):
    return client.post(
        reverse("admin:articles_article_merge", args=[first.pk]),
        {"other": second.pk},
    )


def unchanged(*articles) -> bool:
    for article in articles:
        stored = Article.objects.filter(pk=article.pk).first()
        if stored is None or (stored.body, stored.status) != (
            article.body,
            article.status,
        ):
            return False
    return True


# --- merge -------------------------------------------------------------------------


def test_editor_cannot_publish_review_text_by_merging_it_into_a_published_article(
    editor_client,
):
    live, draft = same_page_pair(PUBLISHED, REVIEW)
    merge(editor_client, live, draft)
    assert unchanged(live, draft)


def test_editor_cannot_delete_a_published_article_by_merging_it_away(editor_client):
    draft, live = same_page_pair(REVIEW, PUBLISHED)
    merge(editor_client, draft, live)
    assert unchanged(draft, live)


def test_reviewer_merges_into_and_out_of_published_articles(reviewer_client):
    live, draft = same_page_pair(PUBLISHED, REVIEW)
    merge(reviewer_client, live, draft)
    assert not Article.objects.filter(pk=draft.pk).exists()
    live.refresh_from_db()
    assert live.body.endswith(draft.body)


def test_editor_merges_two_articles_in_review(editor_client):
    first, second = same_page_pair(REVIEW, REVIEW)
    merge(editor_client, first, second)
    assert not Article.objects.filter(pk=second.pk).exists()


@pytest.mark.parametrize("role", ["editor_client", "reviewer_client"])
def test_merge_refuses_an_article_of_another_page(role, request):
    client = request.getfixturevalue(role)
    first, _ = same_page_pair(REVIEW, REVIEW)
    stranger = other_page_article(first)
    Article.objects.filter(pk=stranger.pk).update(status=REVIEW)
    stranger.refresh_from_db()
    response = merge(client, first, stranger)
    assert unchanged(first, stranger)
    assert "同一版面" in response.content.decode()


def test_merge_service_checks_both_articles(editor, reviewer):
    live, draft = same_page_pair(PUBLISHED, REVIEW)
    for first, second in [(live, draft), (draft, live)]:
        with pytest.raises(services.WorkflowError) as info:
            services.article_merge(first=first, second=second, user=editor)
        assert info.value.code == services.FORBIDDEN
    stranger = other_page_article(live)
    with pytest.raises(services.WorkflowError) as info:
        services.article_merge(first=live, second=stranger, user=reviewer)
    assert info.value.code == services.INVALID
    # A stale object does not fool it: the stored status counts.
    draft.status = PUBLISHED
    live.status = REVIEW
    with pytest.raises(services.WorkflowError):
        services.article_merge(first=live, second=draft, user=editor)
    assert unchanged(Article.objects.get(pk=live.pk), Article.objects.get(pk=draft.pk))


# --- split -------------------------------------------------------------------------


def longest(status: str) -> Article:
    article = max(Article.objects.all(), key=lambda a: len(a.paragraphs()))
    Article.objects.filter(pk=article.pk).update(status=status)
    article.refresh_from_db()
    return article


def split(client, article):
    return client.post(
        reverse("admin:articles_article_split", args=[article.pk]), {"at": 1}
    )


def test_editor_cannot_split_text_off_a_published_article(editor_client, editor):
    article = longest(PUBLISHED)
    count = Article.objects.count()
    split(editor_client, article)
    assert unchanged(article) and Article.objects.count() == count
    with pytest.raises(services.WorkflowError):
        services.article_split(article=article, at=1, user=editor)


def test_reviewer_splits_a_published_article(reviewer_client):
    article = longest(PUBLISHED)
    count = Article.objects.count()
    split(reviewer_client, article)
    assert Article.objects.count() == count + 1


def test_editor_splits_an_article_in_review(editor_client):
    article = longest(REVIEW)
    count = Article.objects.count()
    split(editor_client, article)
    assert Article.objects.count() == count + 1


# --- captions ----------------------------------------------------------------------


def move_caption(client, caption, target):
    return client.post(
        reverse("admin:articles_caption_change", args=[caption.pk]),
        {
            "text": caption.text,
            "article": target.pk,
            "page": caption.page_id,
            "position": caption.position,
        },
    )


def review_caption_and_live_target():
    draft, live = same_page_pair(REVIEW, PUBLISHED)
    caption = Caption.objects.create(
        text="一段还在审核中的图片说明", article=draft, page=draft.page, position=0
    )
    return caption, live


def test_editor_cannot_move_a_review_caption_onto_a_published_article(
    editor_client, editor
):
    caption, live = review_caption_and_live_target()
    move_caption(editor_client, caption, live)
    caption.refresh_from_db()
    assert caption.article_id != live.pk
    with pytest.raises(services.WorkflowError):
        services.caption_move(caption=caption, article=live, user=editor)


def test_reviewer_moves_a_caption_onto_a_published_article(reviewer_client):
    caption, live = review_caption_and_live_target()
    move_caption(reviewer_client, caption, live)
    caption.refresh_from_db()
    assert caption.article_id == live.pk


def test_editor_moves_a_caption_between_articles_in_review(editor_client):
    first, second = same_page_pair(REVIEW, REVIEW)
    caption = Caption.objects.create(
        text="图片说明", article=first, page=first.page, position=0
    )
    move_caption(editor_client, caption, second)
    caption.refresh_from_db()
    assert caption.article_id == second.pk


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_caption_cannot_move_to_another_pages_article(role, request):
    user = request.getfixturevalue(role)
    first, _ = same_page_pair(REVIEW, REVIEW)
    caption = Caption.objects.create(
        text="图片说明", article=first, page=first.page, position=0
    )
    stranger = other_page_article(first)
    Article.objects.filter(pk=stranger.pk).update(status=REVIEW)
    with pytest.raises(services.WorkflowError) as info:
        services.caption_move(caption=caption, article=stranger, user=user)
    assert info.value.code == services.INVALID


# --- headline fixes (an in-place correction, as on the form) -----------------------


@pytest.mark.parametrize("role", ["editor_client", "reviewer_client"])
@pytest.mark.parametrize("status", [REVIEW, PUBLISHED])
def test_headline_fix_is_an_edit_for_both_roles(role, status, request):
    client = request.getfixturevalue(role)
    article = Article.objects.filter(headline="").first()
    Article.objects.filter(pk=article.pk).update(status=status)
    client.post(
        reverse("admin:articles_article_headline", args=[article.pk]),
        {"custom": "编辑补写的标题"},
    )
    article.refresh_from_db()
    assert article.headline == "编辑补写的标题" and article.status == status


# --- restore from history ------------------------------------------------------------


def restore_published_version(client, article):
    """Restore the revision in which the article was published."""
    earlier = article.history.filter(status=PUBLISHED).first()
    url = reverse(
        "admin:articles_article_simple_history", args=[article.pk, earlier.history_id]
    )
    from tests.admin.test_workflow import form_data_from

    response = client.get(url)
    return client.post(url, form_data_from(response))


def unpublished_with_history(reviewer) -> Article:
    article = Article.objects.published().first()
    services.article_unpublish(article=article, user=reviewer)
    article.refresh_from_db()
    return article


def test_editor_cannot_republish_by_restoring_a_published_version(
    editor_client, reviewer
):
    article = unpublished_with_history(reviewer)
    restore_published_version(editor_client, article)
    article.refresh_from_db()
    assert article.status == DRAFT


def test_reviewer_restores_a_published_version(reviewer_client, reviewer):
    article = unpublished_with_history(reviewer)
    restore_published_version(reviewer_client, article)
    article.refresh_from_db()
    assert article.status == PUBLISHED


# --- entity merges, confirm and reject ---------------------------------------------


def merge_action(client, changelist, action, keep, remove):
    return client.post(
        reverse(changelist),
        {
            "action": action,
            "_selected_action": [keep.pk, remove.pk],
            "do_merge": "1",
            "keep": keep.pk,
        },
    )


def duplicates():
    person = Person.objects.first()
    dup_person = Person.objects.create(name="重复的人", slug="chong-fu-de-ren")
    Byline.objects.create(
        article=Article.objects.first(), person=dup_person, role="writer"
    )
    place = Place.objects.get(name="交城县")
    dup_place = Place.objects.create(name="交城", slug="jiaocheng-dup")
    program = Program.objects.first()
    dup_program = Program.objects.create(name="重复项目", slug="chong-fu-xiang-mu")
    return [
        ("admin:people_person_changelist", "merge_人物", person, dup_person),
        ("admin:articles_place_changelist", "merge_地名", place, dup_place),
        ("admin:articles_program_changelist", "merge_政策项目", program, dup_program),
    ]


def test_editor_cannot_merge_people_places_or_programs(editor_client):
    for changelist, action, keep, remove in duplicates():
        merge_action(editor_client, changelist, action, keep, remove)
        assert type(remove).objects.filter(pk=remove.pk).exists(), action


def test_reviewer_merges_people_places_and_programs(reviewer_client):
    for changelist, action, keep, remove in duplicates():
        merge_action(reviewer_client, changelist, action, keep, remove)
        assert not type(remove).objects.filter(pk=remove.pk).exists(), action


def test_entity_merge_services_refuse_editors(editor):
    for _, _, keep, remove in duplicates():
        service = {
            Person: people_services.person_merge,
            Place: services.place_merge,
            Program: services.program_merge,
        }[type(keep)]
        with pytest.raises(services.WorkflowError) as info:
            service(keep=keep, remove=remove, user=editor)
        assert info.value.code == services.FORBIDDEN


def proposed_program() -> Program:
    return Program.objects.create(
        name="新发现项目", slug="xin-fa-xian-xiang-mu", is_confirmed=False
    )


@pytest.mark.parametrize("role", ["editor_client", "reviewer_client"])
def test_both_roles_confirm_a_proposed_entity(role, request):
    client = request.getfixturevalue(role)
    program = proposed_program()
    client.post(
        reverse("admin:articles_program_changelist"),
        {"action": "confirm_selected", "_selected_action": [program.pk]},
    )
    program.refresh_from_db()
    assert program.is_confirmed


@pytest.mark.parametrize(
    "role, survives", [("editor_client", True), ("reviewer_client", False)]
)
def test_only_reviewers_reject_a_proposed_entity(role, survives, request):
    client = request.getfixturevalue(role)
    program = proposed_program()
    client.post(
        reverse("admin:articles_program_changelist"),
        {"action": "reject_selected", "_selected_action": [program.pk]},
    )
    assert Program.objects.filter(pk=program.pk).exists() is survives
