import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from bankcore.models import OrgUnit, OrgUnitKind, User
from bankcore.services import org_unit_save

TEST_PASSWORD = "Test-Pass-2026"


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.LazyAttribute(lambda unit: f"Unit {unit.code}")
    kind = OrgUnitKind.OUTLET
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_unit_save(unit=model_class(*args, **kwargs))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        self.save()  # keeps the password hashed by the post-generation call above
        if extracted:
            self.groups.set([Group.objects.get_or_create(name=str(role))[0] for role in extracted])
