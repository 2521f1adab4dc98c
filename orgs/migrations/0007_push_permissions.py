"""The four push permissions in one place: declared on the push journal's model (PushRecord).

They were declared on four models (manage_groups on the company, assign_number on numbers,
assign_operator on operator memberships, change_e911 on E911 addresses), so an admin building
a group found them scattered. Each existing Permission row is moved to PushRecord's content
type, keeping its id, so every group's and user's grant of it carries over untouched; the
checks (`user.has_perm("orgs.<codename>")`) name app label and codename only and are unchanged.
"""

from django.db import migrations

# codename -> the model that declared it before this migration.
FORMER_HOMES = {
    "manage_groups": "company",
    "assign_number": "phonenumber",
    "assign_operator": "operatormembership",
    "change_e911": "e911address",
}
NEW_HOME = "pushrecord"


def _move(apps, homes_from, home_to):
    """Move each permission from the content type `homes_from(codename)` to `home_to(codename)`.

    A fresh database has none yet (post_migrate creates them, after every migration): nothing
    to move. Where the permission already exists at its destination as well, the grants of the
    old row are added to it and the old row deleted.
    """
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group")
    user = apps.get_model("auth", "User")
    for codename in FORMER_HOMES:
        old = permission.objects.filter(
            content_type__app_label="orgs", content_type__model=homes_from(codename),
            codename=codename).first()
        if old is None:
            continue
        target_type, _ = content_type.objects.get_or_create(app_label="orgs",
                                                            model=home_to(codename))
        existing = permission.objects.filter(content_type=target_type, codename=codename).first()
        if existing is None:
            old.content_type = target_type
            old.save(update_fields=["content_type"])
            continue
        for grantee in group.objects.filter(permissions=old):
            grantee.permissions.add(existing)
        for grantee in user.objects.filter(user_permissions=old):
            grantee.user_permissions.add(existing)
        old.delete()


def to_the_push_journal(apps, schema_editor):
    _move(apps, FORMER_HOMES.get, lambda codename: NEW_HOME)


def back_to_their_models(apps, schema_editor):
    _move(apps, lambda codename: NEW_HOME, FORMER_HOMES.get)


class Migration(migrations.Migration):

    dependencies = [
        ('orgs', '0006_search'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(to_the_push_journal, back_to_their_models),
        migrations.AlterModelOptions(
            name='company',
            options={'verbose_name_plural': 'companies'},
        ),
        migrations.AlterModelOptions(
            name='e911address',
            options={'verbose_name': 'E911 address', 'verbose_name_plural': 'E911 addresses'},
        ),
        migrations.AlterModelOptions(
            name='operatormembership',
            options={'ordering': ['group_type', 'group_id', 'operator_type', 'operator_id'], 'verbose_name': 'operator membership'},
        ),
        migrations.AlterModelOptions(
            name='phonenumber',
            options={'ordering': ['number']},
        ),
        migrations.AlterModelOptions(
            name='pushrecord',
            options={'ordering': ['-started_at', '-pk'], 'permissions': [('assign_operator', 'Can add and remove operators in Dialpad'), ('change_e911', 'Can change E911 addresses in Dialpad'), ('assign_number', 'Can assign and unassign phone numbers in Dialpad'), ('manage_groups', 'Can create, edit and delete departments, call centers and rooms and move users between offices in Dialpad')], 'verbose_name': 'push', 'verbose_name_plural': 'push journal'},
        ),
    ]
