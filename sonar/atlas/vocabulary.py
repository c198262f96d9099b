"""The fixed vocabularies of resources and cases: tasks, themes, and the bands of the finder.

They live in code, like the journal's visions and profiles (models.py), rather than in a content
file, because each key is a contract: the content schema refuses any other value, the keys are
the values of the filters in the URLs, of the API and of the open data, and the method finder
compares the bands (a cost of 1 is below a cost of 2). Changing a key is therefore a code change
anyway; the labels, French first, get their English through the translation catalogue like every
other word of the interface, and tests/test_consistency.py guards that.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Task(models.TextChoices):
    """What an agent comes to do: the finder's first question, and what a resource serves."""

    COMPRENDRE_USAGERS = "comprendre-usagers", _("comprendre les usagers")
    CADRER_PROBLEME = "cadrer-probleme", _("reformuler la commande, cadrer le problème")
    TROUVER_IDEES = "trouver-idees", _("trouver des idées")
    TESTER_IDEE = "tester-idee", _("tester une idée vite")
    ASSOCIER_AGENTS = "associer-agents", _("associer les agents")
    DECIDER_HABITANTS = "decider-habitants", _("décider avec les habitants")
    COOPERER_PARTENAIRES = "cooperer-partenaires", _("coopérer avec des partenaires")
    MESURER_EFFET = "mesurer-effet", _("mesurer l’effet")
    CHANGER_REGLE = "changer-regle", _("changer une règle")
    AMELIORER_EXISTANT = "ameliorer-existant", _("améliorer un service existant")
    OUVRIR_DONNEES = "ouvrir-donnees", _("ouvrir et utiliser des données")
    ANTICIPER = "anticiper", _("anticiper l’avenir")


TASK_DESCRIPTIONS = {
    Task.COMPRENDRE_USAGERS: _(
        "Savoir ce que vivent les personnes qui utilisent le service, au-delà des chiffres."
    ),
    Task.CADRER_PROBLEME: _(
        "Vérifier que la question posée par les élus ou la direction est la bonne avant "
        "de chercher une solution."
    ),
    Task.TROUVER_IDEES: _("Ouvrir des pistes nouvelles, avec d’autres que les habitués."),
    Task.TESTER_IDEE: _(
        "Essayer une idée en petit, à peu de frais, avant d’engager un projet entier."
    ),
    Task.ASSOCIER_AGENTS: _(
        "Faire participer les équipes qui feront vivre le changement, dès le début."
    ),
    Task.DECIDER_HABITANTS: _(
        "Partager une décision, un budget ou un arbitrage avec les habitants."
    ),
    Task.COOPERER_PARTENAIRES: _(
        "Travailler avec d’autres collectivités, des associations, des entreprises ou des "
        "chercheurs."
    ),
    Task.MESURER_EFFET: _("Savoir si ce qui a été fait a changé quelque chose, et pour qui."),
    Task.CHANGER_REGLE: _(
        "Expérimenter une dérogation, simplifier une procédure, faire évoluer un cadre."
    ),
    Task.AMELIORER_EXISTANT: _(
        "Rendre un service qui existe plus simple, plus rapide ou plus juste, sans tout refaire."
    ),
    Task.OUVRIR_DONNEES: _(
        "Publier des données, les croiser ou s’en servir pour décider et pour informer."
    ),
    Task.ANTICIPER: _("Imaginer les futurs possibles pour s’y préparer dès maintenant."),
}


class Theme(models.TextChoices):
    """The policy field of a case."""

    PARTICIPATION = "participation", _("participation citoyenne")
    NUMERIQUE = "numerique", _("numérique")
    DONNEES = "donnees", _("données")
    SOCIAL = "social", _("action sociale")
    EMPLOI = "emploi", _("emploi")
    ECOLOGIE = "ecologie", _("écologie")
    URBANISME = "urbanisme", _("urbanisme")
    MOBILITE = "mobilite", _("mobilité")
    SANTE = "sante", _("santé")
    EDUCATION = "education", _("éducation")
    CULTURE = "culture", _("culture")
    ADMINISTRATION = "administration", _("fonctionnement de l’administration")
    EVALUATION = "evaluation", _("évaluation")


class Cost(models.IntegerChoices):
    """What a first useful result usually costs, in three bands written €, €€ and €€€."""

    LOW = 1, _("€ : avec les moyens de l’équipe, quelques milliers d’euros au plus")
    MEDIUM = (
        2,
        _("€€ : un animateur ou une étude payés, jusqu’à quelques dizaines de milliers d’euros"),
    )
    HIGH = 3, _("€€€ : un programme, une équipe ou un marché au-delà")


class Duration(models.TextChoices):
    """The usual time to a first useful result."""

    JOURS = "jours", _("quelques jours")
    SEMAINES = "semaines", _("quelques semaines")
    MOIS = "mois", _("quelques mois")
    ANNEES = "annees", _("des années")


class GroupSize(models.TextChoices):
    PETIT = "petit", _("petit groupe (moins de 12 personnes)")
    MOYEN = "moyen", _("groupe moyen (12 à 50 personnes)")
    GRAND = "grand", _("grand groupe (plus de 50 personnes)")


class Sensitivity(models.TextChoices):
    """How politically exposed the approach usually is."""

    FAIBLE = "faible", _("faible")
    MOYENNE = "moyenne", _("moyenne")
    FORTE = "forte", _("forte")


class OutsideHelp(models.TextChoices):
    NON = "non", _("pas nécessaire")
    UTILE = "utile", _("utile")
    INDISPENSABLE = "indispensable", _("indispensable")


class CollectiviteType(models.TextChoices):
    """Who ran the case: the French levels of government, the State, or another body."""

    COMMUNE = "commune", _("commune")
    EPCI = "epci", _("intercommunalité (EPCI)")
    METROPOLE = "metropole", _("métropole")
    DEPARTEMENT = "departement", _("département")
    REGION = "region", _("région")
    ETAT = "etat", _("État")
    AUTRE = "autre", _("autre")


class Population(models.TextChoices):
    """The population of the collectivité, in bands."""

    MOINS_5000 = "moins-de-5000", _("moins de 5 000 habitants")
    DE_5000 = "5000-50000", _("de 5 000 à 50 000 habitants")
    DE_50000 = "50000-200000", _("de 50 000 à 200 000 habitants")
    DE_200000 = "200000-1000000", _("de 200 000 à 1 million d’habitants")
    PLUS_1000000 = "plus-de-1000000", _("plus d’un million d’habitants")


class PeriodBand(models.TextChoices):
    """The periods the cases list filters on."""

    AVANT_2010 = "avant-2010", _("avant 2010")
    DE_2010 = "2010-2014", _("de 2010 à 2014")
    DE_2015 = "2015-2019", _("de 2015 à 2019")
    DEPUIS_2020 = "depuis-2020", _("depuis 2020")


# The first and last year of each band (None: open).
PERIOD_BANDS = {
    PeriodBand.AVANT_2010: (None, 2009),
    PeriodBand.DE_2010: (2010, 2014),
    PeriodBand.DE_2015: (2015, 2019),
    PeriodBand.DEPUIS_2020: (2020, None),
}
