"""People: a user with a password and the role groups named (accounts/roles.py)."""

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from schools.services import only_school


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@school.example")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("password")
    # Filed under the site's school, as everyone on a one-school site is (None in a trust: the central team).
    school = factory.LazyFunction(only_school)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in extracted])
