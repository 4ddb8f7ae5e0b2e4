"""Staff workflow end to end through the admin, as an editor (编辑) and as a
reviewer (审核)."""

import pytest
from django.urls import reverse

from articles import search, services
from articles.models import Article, Caption, ImportRun, Page, Place, Program
from people.models import Byline, Person
from tests.conftest import work_the_queue

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_article():
    article = Article.objects.exclude(status="published").first()
    if article is None:
        article = Article.objects.first()
        Article.objects.filter(pk=article.pk).update(status="review")
        article.refresh_from_db()
    return article


def form_data(client, article, **changes):
    """The article change form as the browser would post it back."""
    data = form_data_from(client.get(change_url(article)))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- publishing and roles -------------------------------------------------------


def test_editor_cannot_publish_by_any_route(editor_client, editor):
    article = review_article()
    # 1. the status tool
    editor_client.post(
        reverse("admin:articles_article_status", args=[article.pk]),
        {"action": "publish"},
    )
    # 2. the bulk action (not even offered)
    changelist = reverse("admin:articles_article_changelist")
    assert "publish" not in dict(
        editor_client.get(changelist).context["action_form"].fields["action"].choices
    )
    editor_client.post(
        changelist, {"action": "publish", "_selected_action": [article.pk]}
    )
    # 3. the change form (status is read-only for editors)
    editor_client.post(
        change_url(article), form_data(editor_client, article, status="published")
    )
    # 4. the service itself
    with pytest.raises(services.WorkflowError) as info:
        services.article_publish(article=article, user=editor)
    assert info.value.code == services.FORBIDDEN
    article.refresh_from_db()
    assert article.status != "published"


def test_reviewer_publishes_and_unpublishes(reviewer_client):
    article = review_article()
    url = reverse("admin:articles_article_status", args=[article.pk])
    reviewer_client.post(url, {"action": "publish"})
    article.refresh_from_db()
    # Dated by its page, not by the day it was published (the samples print
    # no date: 日期不详).
    assert article.status == "published" and article.pub_date == article.page.issue_date
    assert reviewer_client.get(article.get_absolute_url()).status_code == 200
    reviewer_client.post(url, {"action": "unpublish"})
    article.refresh_from_db()
    assert article.status == "draft"
    assert reviewer_client.get(article.get_absolute_url()).status_code == 404


def test_bulk_publish_by_reviewer(reviewer_client):
    ids = list(Article.objects.values_list("pk", flat=True)[:3])
    Article.objects.filter(pk__in=ids).update(status="review")
    reviewer_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": ids},
    )
    assert set(Article.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "published"
    }


def test_editor_sends_to_review(editor_client):
    article = review_article()
    Article.objects.filter(pk=article.pk).update(status="draft")
    editor_client.post(
        reverse("admin:articles_article_status", args=[article.pk]),
        {"action": "submit"},
    )
    article.refresh_from_db()
    assert article.status == "review"


def test_groups_exist_with_the_right_permissions():
    from django.contrib.auth.models import Group

    editor = Group.objects.get(name="编辑")
    reviewer = Group.objects.get(name="审核")
    assert not editor.permissions.filter(codename="publish_article").exists()
    assert reviewer.permissions.filter(codename="publish_article").exists()
    assert editor.permissions.filter(codename="change_article").exists()


# --- review queue ------------------------------------------------------------------


def test_review_queue_lists_flagged_first_with_reasons(editor_client):
    Article.objects.update(status="review")
    response = editor_client.get(reverse("admin:articles_reviewitem_changelist"))
    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    flagged = [bool(a.flags) for a in rows]
    assert flagged == sorted(flagged, reverse=True) and flagged[0]
    assert "版面上没有标题" in response.content.decode()


def test_mark_reviewed_clears_flags(editor_client):
    article = Article.objects.exclude(flags=[]).first()
    editor_client.post(
        reverse("admin:articles_article_status", args=[article.pk]),
        {"action": "reviewed"},
    )
    article.refresh_from_db()
    assert article.flags == []


# --- fix tools -----------------------------------------------------------------------


def test_choose_headline_from_the_pages_unassigned_lines(editor_client):
    article = Article.objects.filter(headline="").first()
    page = article.page
    page.leftovers = [
        *page.leftovers,
        {"kind": "headline", "text": "网格化管理让群众更舒心", "line": 1},
    ]
    page.save()
    url = reverse("admin:articles_article_headline", args=[article.pk])
    assert "网格化管理让群众更舒心" in editor_client.get(url).content.decode()
    editor_client.post(url, {"headline": "网格化管理让群众更舒心"})
    article.refresh_from_db()
    page.refresh_from_db()
    assert article.headline == "网格化管理让群众更舒心"
    assert "no_headline" not in article.flags
    assert "网格化管理让群众更舒心" not in services.page_headline_lines(page)
    assert article.slug.startswith("wang-ge-hua")
    hits = set(
        search.matching(search.parse_query("舒心"), Article.objects.all()).values_list(
            "pk", flat=True
        )
    )
    assert article.pk in hits


def test_split_and_merge_back(editor_client):
    article = max(Article.objects.all(), key=lambda a: len(a.paragraphs()))
    # An editor's tools work on text in review (see test_rights for published).
    Article.objects.filter(page=article.page).update(status="review")
    article.refresh_from_db()
    paragraphs = article.paragraphs()
    editor_client.post(
        reverse("admin:articles_article_split", args=[article.pk]), {"at": 2}
    )
    article.refresh_from_db()
    assert article.paragraphs() == paragraphs[:2]
    second = Article.objects.get(page=article.page, position=article.position + 1)
    assert second.paragraphs() == paragraphs[2:]
    assert "no_headline" in second.flags
    editor_client.post(
        reverse("admin:articles_article_merge", args=[article.pk]), {"other": second.pk}
    )
    article.refresh_from_db()
    assert article.paragraphs() == paragraphs
    assert not Article.objects.filter(pk=second.pk).exists()


def test_merge_moves_bylines_captions_and_entities(reviewer):
    page = next(
        p
        for p in Page.objects.all()
        if p.articles.filter(bylines__isnull=False).distinct().count() >= 2
    )
    first, second = page.articles.filter(bylines__isnull=False).distinct()[:2]
    caption = Caption.objects.create(
        text="测试图片说明", article=second, page=second.page
    )
    names = {b.person.name for b in second.bylines.all()}
    services.article_merge(first=first, second=second, user=reviewer)
    assert names <= {b.person.name for b in first.bylines.all()}
    caption.refresh_from_db()
    assert caption.article == first


def test_move_caption_to_another_article(editor_client):
    caption = next(
        c
        for c in Caption.objects.filter(article__isnull=False)
        if c.page.articles.count() >= 2
    )
    target = caption.page.articles.exclude(pk=caption.article_id).first()
    Article.objects.filter(page=caption.page).update(status="review")
    url = reverse("admin:articles_caption_change", args=[caption.pk])
    editor_client.post(
        url,
        {
            "text": caption.text,
            "article": target.pk,
            "page": caption.page_id or "",
            "position": 0,
        },
    )
    caption.refresh_from_db()
    assert caption.article == target
    word = caption.text[:6]
    assert target.pk in set(
        search.matching(search.parse_query(word), Article.objects.all()).values_list(
            "pk", flat=True
        )
    )


def test_edit_bylines_with_a_new_person(editor_client):
    article = Article.objects.filter(bylines__isnull=False).first()
    new_person = Person.objects.create(name="王小明", slug="wang-xiao-ming")
    data = form_data(editor_client, article)
    data["bylines-TOTAL_FORMS"] = int(data["bylines-TOTAL_FORMS"]) + 1
    index = int(data["bylines-TOTAL_FORMS"]) - 1
    data.update(
        {
            f"bylines-{index}-person": new_person.pk,
            f"bylines-{index}-role": "photographer",
            f"bylines-{index}-order": 9,
        }
    )
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Byline.objects.filter(
        article=article, person=new_person, role="photographer"
    ).exists()


# --- concurrent edits and history -------------------------------------------------------


def test_second_save_over_a_newer_version_is_refused_and_input_kept(
    editor_client, reviewer_client
):
    article = review_article()
    first = form_data(editor_client, article, headline="编辑甲改的标题")
    second = form_data(reviewer_client, article, headline="审核乙改的标题")
    assert editor_client.post(change_url(article), first).status_code == 302
    response = reviewer_client.post(change_url(article), second)
    assert response.status_code == 200
    html = response.content.decode()
    assert "已被他人修改" in html
    assert "审核乙改的标题" in html  # the form keeps the input
    article.refresh_from_db()
    assert article.headline == "编辑甲改的标题"


def test_every_change_keeps_a_revision_with_user_diff_and_restore(
    reviewer_client, reviewer
):
    editor_client, editor = reviewer_client, reviewer
    article = review_article()
    old = article.headline
    editor_client.post(
        change_url(article), form_data(editor_client, article, headline="改过的标题")
    )
    article.refresh_from_db()
    assert article.is_edited and article.version >= 2
    record = article.history.first()
    assert record.history_user == editor and record.headline == "改过的标题"
    history = editor_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    )
    assert history.status_code == 200 and "改过的标题" in history.content.decode()
    # Restore the version before the edit.
    earlier = article.history.filter(headline=old).first()
    assert earlier is not None
    restore = reverse(
        "admin:articles_article_simple_history", args=[article.pk, earlier.history_id]
    )
    response = editor_client.get(restore)
    assert response.status_code == 200
    editor_client.post(restore, form_data_from(response))
    article.refresh_from_db()
    assert article.headline == old


def form_data_from(response):
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("places", "programs"):
            value = [p.pk if hasattr(p, "pk") else p for p in (value or [])]
        elif name == "tags":
            value = (
                ", ".join(t.name for t in value)
                if value and not isinstance(value, str)
                else ""
            )
        elif name == "flags":
            value = form[name].value()
        elif hasattr(value, "pk"):
            value = value.pk
        data[name] = "" if value is None else value
    formsets = response.context.get("inline_admin_formsets") or []
    for formset in formsets:
        mgmt = formset.formset.management_form
        for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{mgmt.prefix}-{key}"] = mgmt[key].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                data[f"{inline_form.prefix}-{name}"] = "" if value is None else value
    return data


# --- entity curation ------------------------------------------------------------------


def test_merge_duplicate_people(reviewer_client):
    keep = Person.objects.get(name="孙宝忠")
    dup = Person.objects.create(name="孙宝中", slug="sun-bao-zhong-dup")
    article = Article.objects.exclude(bylines__person=keep).first()
    Byline.objects.create(article=article, person=dup, role="writer")
    url = reverse("admin:people_person_changelist")
    response = reviewer_client.post(
        url, {"action": "merge_人物", "_selected_action": [keep.pk, dup.pk]}
    )
    assert "保留" in response.content.decode()
    reviewer_client.post(
        url,
        {
            "action": "merge_人物",
            "_selected_action": [keep.pk, dup.pk],
            "do_merge": "1",
            "keep": keep.pk,
        },
    )
    keep.refresh_from_db()
    assert not Person.objects.filter(pk=dup.pk).exists()
    assert "孙宝中" in keep.alias_list()
    assert Byline.objects.filter(article=article, person=keep).exists()


def test_merge_places_and_programs_keeps_links_and_aliases(reviewer):
    county = Place.objects.get(name="交城县")
    dup = Place.objects.create(name="交城", slug="jiaocheng-dup", is_confirmed=False)
    article = Article.objects.first()
    article.places.add(dup)
    services.place_merge(keep=county, remove=dup, user=reviewer)
    assert county in article.places.all() and "交城" in county.alias_list()
    program = Program.objects.get(name="扶贫车间")
    proposed = Program.objects.create(
        name="扶贫车间项目", slug="fu-pin-che-jian-xiang-mu", is_confirmed=False
    )
    article.programs.add(proposed)
    services.program_merge(keep=program, remove=proposed, user=reviewer)
    assert program in article.programs.all() and "扶贫车间项目" in program.alias_list()


def test_confirm_and_reject_proposed_entities(reviewer_client):
    village = Place.objects.filter(is_confirmed=False).first()
    program = Program.objects.filter(is_confirmed=False).first()
    reviewer_client.post(
        reverse("admin:articles_place_changelist"),
        {"action": "confirm_selected", "_selected_action": [village.pk]},
    )
    village.refresh_from_db()
    assert village.is_confirmed
    article_ids = list(program.articles.values_list("pk", flat=True))
    reviewer_client.post(
        reverse("admin:articles_program_changelist"),
        {"action": "reject_selected", "_selected_action": [program.pk]},
    )
    assert not Program.objects.filter(pk=program.pk).exists()
    for article in Article.objects.filter(pk__in=article_ids):
        if not article.programs.filter(is_confirmed=False).exists():
            assert "new_program" not in article.flags


# --- import from the admin ---------------------------------------------------------------


def test_upload_preview_then_confirm(editor_client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "本报讯 近日，交城县西营镇举办果蔬采摘节，游客踊跃参加。（郭 晋）\n\n西营镇举办果蔬采摘节\n"
    upload = SimpleUploadedFile(
        "new-page.txt", text.encode(), content_type="text/plain"
    )
    before = Page.objects.count()
    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {"files": [upload], "publication": "交城报", "issue_date": "2021-09-20"},
    )
    html = response.content.decode()
    assert "导入预览" in html and "西营镇举办果蔬采摘节" in html and "郭晋" in html
    assert Page.objects.count() == before  # nothing saved yet
    token = response.context["token"]
    response = editor_client.post(
        reverse("admin:articles_page_import_confirm"), {"token": token}
    )
    assert response.status_code == 302
    assert Page.objects.count() == before  # queued, not imported in the request
    assert work_the_queue() == 1
    page = Page.objects.get(filename="new-page.txt")
    article = page.articles.get()
    assert article.headline == "西营镇举办果蔬采摘节" and article.status == "review"
    assert str(page.issue_date) == "2021-09-20"


def test_upload_cancel_saves_nothing_and_bad_files_are_reported(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("ok.txt", "本报讯 交城县召开会议。（孙宝忠）\n".encode())
    bad = SimpleUploadedFile("bad.txt", b"")
    before = Page.objects.count()
    response = editor_client.post(
        reverse("admin:articles_page_import"), {"files": [good, bad]}
    )
    assert (
        "bad.txt" in response.content.decode()
        and "文件为空" in response.content.decode()
    )
    editor_client.post(
        reverse("admin:articles_page_import_confirm"),
        {"token": response.context["token"], "cancel": "1"},
    )
    assert Page.objects.count() == before


def test_page_view_shows_raw_text_beside_articles_in_order(editor_client):
    page = Page.objects.first()
    html = editor_client.get(
        reverse("admin:articles_page_change", args=[page.pk])
    ).content.decode()
    assert 'id="raw-text"' in html and 'id="page-articles"' in html
    html = html[html.index('id="page-articles"') :]
    titles = [str(a) for a in page.articles.order_by("position")]
    positions = [html.index(t) for t in titles if t in html]
    assert positions == sorted(positions)


def test_admin_article_search_uses_the_site_engine(editor_client):
    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"q": "扶贫车间"}
    )
    assert response.status_code == 200
    result_ids = {a.pk for a in response.context["cl"].result_list}
    expected = set(
        search.matching(
            search.parse_query("扶贫车间"), Article.objects.all()
        ).values_list("pk", flat=True)
    )
    assert result_ids == expected


def test_article_changelist_query_count_is_pinned(
    editor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        editor_client.get(reverse("admin:articles_article_changelist"))
    with django_assert_max_num_queries(14):
        editor_client.get(reverse("admin:articles_reviewitem_changelist"))


def test_upload_of_a_page_with_control_characters_previews_and_imports(
    editor_client,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.articles.test_import_command import NUL_PAGE

    response = editor_client.post(
        reverse("admin:articles_page_import"),
        {"files": [SimpleUploadedFile("nul.txt", NUL_PAGE)], "publication": "交城报"},
    )
    assert response.status_code == 200
    assert "控制字符 2 个" in response.content.decode()
    editor_client.post(
        reverse("admin:articles_page_import_confirm"),
        {"token": response.context["token"]},
    )
    work_the_queue()
    run = ImportRun.objects.get(source="upload")
    response = editor_client.get(
        reverse("admin:articles_importrun_change", args=[run.pk])
    )
    assert response.status_code == 200
    page = Page.objects.get(filename="nul.txt")
    assert "\x00" not in page.raw_text
    assert "控制字符 2 个" in response.content.decode()
