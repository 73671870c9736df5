"""What happens when the governing body approves a change.

Wagtail imports this setting's function while it defines its own models, before any app's models exist: so
this module imports nothing of the project, and an app that finishes approvals its own way (policies: a whole
version at once) says so through the "finish_approved_workflow" hook.
"""

from wagtail import hooks


def publish_approved_revision(workflow_state, user=None):
    """Publish what was approved, recording the approver as the publisher.

    A policy is approved as a whole version: every changed section is published with it and the version is
    issued (policypages/versioning.py). Anything else publishes its approved revision.

    Wagtail's default finish action publishes with the approver's own publish permission. Governors approve
    policy changes but should not hold a general right to publish any page at will, so the workflow's
    completion is the authority here: every task in it has already checked who may approve.
    """
    for finish in hooks.get_hooks("finish_approved_workflow"):
        if finish(workflow_state, user):
            return
    obj = workflow_state.content_object
    revision = obj.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
