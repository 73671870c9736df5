"""What happens when the governing body approves a change."""


def publish_approved_revision(workflow_state, user=None):
    """Publish the approved revision, recording the approver as the publisher.

    Wagtail's default finish action publishes with the approver's own publish permission. Governors approve
    policy changes but should not hold a general right to publish any page at will, so the workflow's
    completion is the authority here: every task in it has already checked who may approve.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
