"""Factories shared by the apps' tests, with explicit traits."""

import factory
from django.utils import timezone

from sonar.accounts.models import Membership, Organisation, User

PASSWORD = "une phrase de passe assez longue"


class UserFactory(factory.django.DjangoModelFactory):
    """A confirmed account whose password is PASSWORD; `unconfirmed=True` for a new sign-up."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple-metropole.fr")
    name = factory.Sequence(lambda n: f"Agent {n}")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        unconfirmed = factory.Trait(email_confirmed_at=None)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Métropole {n}")
    slug = factory.Sequence(lambda n: f"metropole-{n}")
    kind = Organisation.Kind.METROPOLE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER

    class Params:
        admin = factory.Trait(role=Membership.Role.ADMIN)
        editor = factory.Trait(role=Membership.Role.EDITOR)
