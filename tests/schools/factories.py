"""Schools of a trust."""

import factory

from schools.models import School


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"School {n} Academy")
    short_name = factory.Sequence(lambda n: f"School {n}")
