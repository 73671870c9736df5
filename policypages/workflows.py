"""What happens when the governing body approves a change."""


def publish_approved_revision(workflow_state, user=None):
    """Publish what was approved, recording the approver as the publisher.

    A policy is approved as a whole version: every changed section is published with it and the version is
    issued (policypages/versioning.py). Anything else publishes its approved revision.

    Wagtail's default finish action publishes with the approver's own publish permission. Governors approve
    policy changes but should not hold a general right to publish any page at will, so the workflow's
    completion is the authority here: every task in it has already checked who may approve.
    """
    from .models import PolicyPage  # Wagtail imports this setting's function before the apps are ready
    from .versioning import issue_approved_version

    obj = workflow_state.content_object
    if getattr(obj, "specific_class", None) is PolicyPage:
        issue_approved_version(workflow_state, user)
        return
    revision = obj.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
