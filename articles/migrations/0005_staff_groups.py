"""The two staff groups: 编辑 edit and import but cannot publish; 审核 review
and publish.  Permissions are created here first, since Django only makes
them after all migrations have run."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = {
    "articles": ["article", "caption", "page", "place", "program"],
    "people": ["person", "byline"],
    "taggit": ["tag"],
}
EDITOR_ACTIONS = ("add", "change", "view")
REVIEWER_ACTIONS = ("add", "change", "view", "delete")


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(actions):
        found = []
        for app, models in EDIT.items():
            for model in models:
                for action in actions:
                    found.extend(
                        Permission.objects.filter(
                            content_type__app_label=app, codename=f"{action}_{model}"
                        )
                    )
        return found

    editor, _ = Group.objects.get_or_create(name="编辑")
    editor.permissions.set(perms(EDITOR_ACTIONS))
    reviewer, _ = Group.objects.get_or_create(name="审核")
    reviewer.permissions.set(
        perms(REVIEWER_ACTIONS)
        + list(Permission.objects.filter(content_type__app_label="articles", codename="publish_article"))
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["编辑", "审核"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_history_and_publish_permission"),
        ("people", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
