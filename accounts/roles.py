"""Roles as code: the school's groups, their model permissions and their page permissions.

`manage.py setup_site` applies these idempotently; docs/roles.md explains them in plain words.
Page permissions are given on a page and inherited by everything below it.
"""

from dataclasses import dataclass, field

STAFF = "Staff"
POLICY_EDITORS = "Policy editors"
SENIOR_LEADERS = "Senior leaders"
SAFEGUARDING_LEAD = "Safeguarding lead"
GOVERNORS = "Governors"
SITE_ADMINS = "Site admins"
DATA_PROTECTION_OFFICER = "Data protection officer"

ADMIN_ACCESS = "wagtailadmin.access_admin"

# Where page permissions are granted: "home" is the site root page, "policies" each policy index,
# "staff" the staff hub, "parents" the parents' section.
ALL_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")


@dataclass(frozen=True)
class Role:
    name: str
    description: str
    permissions: tuple = ()
    page_permissions: dict = field(default_factory=dict)  # place -> tuple of page permission types
    needs_mfa: bool = False
    # How the role is named to the people whose records it reads ("Only you, HR and ..."), if it reads any.
    known_to_staff_as: str = ""


ROLES = [
    Role(
        STAFF,
        "Every member of staff, governor and volunteer with an account: reads the staff hub and policies.",
    ),
    Role(
        POLICY_EDITORS,
        "HR and policy editors: edit pages and policy sections and submit each policy's next version for "
        "governors' approval, which issues it. They publish the parents' and staff pages themselves, but a policy change "
        "is published only when governors approve it.",
        permissions=(
            ADMIN_ACCESS,
            "policypages.view_policyversion",
            "policypages.view_readreceipt",
            "policypages.send_read_reminders",
            "declarations.review_relationship",
            "declarations.review_account_request",
            "sitesearch.add_synonymgroup",
            "sitesearch.change_synonymgroup",
            "sitesearch.delete_synonymgroup",
            "sitesearch.add_glossaryterm",
            "sitesearch.change_glossaryterm",
            "sitesearch.delete_glossaryterm",
            "sitesearch.view_searchtermday",
            "guidance.answer_question",
            "wagtailsearchpromotions.add_searchpromotion",
            "wagtailsearchpromotions.change_searchpromotion",
            "wagtailsearchpromotions.delete_searchpromotion",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "policypages.change_schoolbranding",
        ),
        page_permissions={
            "home": ("add", "change", "lock", "unlock"),
            "staff": ("publish",),
            "parents": ("publish",),
        },
        needs_mfa=True,
        known_to_staff_as="HR",
    ),
    Role(
        SENIOR_LEADERS,
        "Senior leadership team: see policy versions and reading, review every confidential record, and "
        "approve or refuse official account requests.",
        permissions=(
            ADMIN_ACCESS,
            "policypages.view_policyversion",
            "policypages.view_readreceipt",
            "policypages.send_read_reminders",
            "declarations.review_relationship",
            "declarations.review_rejected_contact",
            "declarations.review_abuse",
            "declarations.review_account_request",
            "declarations.decide_account_request",
        ),
        needs_mfa=True,
        known_to_staff_as="the senior leadership team",
    ),
    Role(
        SAFEGUARDING_LEAD,
        "Designated safeguarding lead and deputies: rejected-contact and online abuse reports.",
        permissions=(
            ADMIN_ACCESS,
            "policypages.view_policyversion",
            "declarations.review_rejected_contact",
            "declarations.review_abuse",
        ),
        needs_mfa=True,
        known_to_staff_as="the designated safeguarding lead",
    ),
    Role(
        DATA_PROTECTION_OFFICER,
        "The data protection officer: named under Key contacts on the staff hub, with the safeguarding leads and HR. "
        "Gives no rights of its own.",
    ),
    Role(
        GOVERNORS,
        "Governors: approve (or send back) policy changes in the 'Governing body approval' workflow.",
        permissions=(ADMIN_ACCESS, "policypages.view_reading_totals"),
    ),
    Role(
        SITE_ADMINS,
        "Site administrators: every page permission, users and groups, site settings.",
        permissions=(
            ADMIN_ACCESS,
            "policypages.view_policyversion",
            "policypages.view_readreceipt",
            "policypages.send_read_reminders",
            "sitesearch.view_searchtermday",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "accounts.set_page_privacy",
            "auth.add_group",
            "auth.change_group",
            "auth.view_group",
            "wagtailcore.add_workflow",
            "wagtailcore.change_workflow",
            "wagtailcore.add_task",
            "wagtailcore.change_task",
            "wagtailimages.add_image",
            "wagtailimages.change_image",
            "wagtailimages.delete_image",
            "wagtaildocs.add_document",
            "wagtaildocs.change_document",
            "wagtaildocs.delete_document",
            "policypages.change_schoolbranding",
            "schools.add_school",
            "schools.change_school",
            "schools.view_school",
            "schools.change_trust",
        ),
        page_permissions={"home": ALL_PAGE_PERMISSIONS},
        needs_mfa=True,
    ),
]

ROLES_BY_NAME = {role.name: role for role in ROLES}
