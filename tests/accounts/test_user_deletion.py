"""People who have confirmed policies are deactivated, never deleted: their receipts are the school's record."""

import datetime

import pytest

from accounts.models import User
from policypages.models import ReadReceipt
from tests.accounts.factories import UserFactory
from tests.conftest import with_mfa
from tests.policypages.factories import issue as issue_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(policy, staff_user):
    version = issue_policy(policy, "1", issued_on=datetime.date(2026, 1, 1), summary="x")
    ReadReceipt.objects.create(user=staff_user, policy=policy, version=version)
    return staff_user


def test_site_admins_cannot_delete_people(client, reader, site_admin):
    client.force_login(site_admin)
    response = client.post(f"/admin/users/delete/{reader.pk}/", follow=True)
    assert "Sorry, you do not have permission" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_even_a_superuser_cannot_delete_someone_with_receipts(client, reader):
    client.force_login(with_mfa(UserFactory(is_superuser=True)))
    response = client.post(f"/admin/users/delete/{reader.pk}/", follow=True)
    assert response.status_code == 200
    assert "Deactivate the account instead" in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists() and ReadReceipt.objects.filter(user=reader).exists()
