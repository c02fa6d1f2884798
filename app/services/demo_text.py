"""Invented words for the demo data: fictional pupils' names and short Dutch note fragments.

Surnames are built from invented parts ("van der Klaverhout", "Beukinga") so that no demo pupil
looks like a real person's record; first names are common ones mixed freely. Note texts are
short (protocol 6b: record as little as possible) and assembled from fragments per category.
Data only, plus a few builders that take a `random.Random` so the demo stays reproducible.
"""

from __future__ import annotations

import random

FIRST_NAMES: tuple[str, ...] = (
    "Sanne",
    "Daan",
    "Fleur",
    "Noah",
    "Yara",
    "Sem",
    "Mila",
    "Bram",
    "Lotte",
    "Finn",
    "Noor",
    "Levi",
    "Saar",
    "Luuk",
    "Zoë",
    "Thijs",
    "Eva",
    "Milan",
    "Isa",
    "Jesse",
    "Fenna",
    "Ruben",
    "Lieke",
    "Sven",
    "Amira",
    "Mohamed",
    "Aya",
    "Youssef",
    "Ilse",
    "Joris",
    "Femke",
    "Stijn",
    "Nina",
    "Tygo",
    "Roos",
    "Jayden",
    "Esmée",
    "Kiki",
    "Mees",
    "Selin",
    "Emre",
    "Ayoub",
    "Liv",
    "Teun",
    "Maud",
    "Gijs",
    "Julia",
    "Senna",
    "Ravi",
    "Chloë",
    "Wout",
    "Hanna",
)
_PREFIXES: tuple[str, ...] = ("", "", "", "", "van ", "de ", "van der ", "van den ", "ter ", "ten ")
_STEMS: tuple[str, ...] = (
    "Klaver",
    "Beuk",
    "Varen",
    "Distel",
    "Wilg",
    "Hazel",
    "Mos",
    "Linde",
    "Riet",
    "Heide",
    "Vlier",
    "Eiken",
    "Brem",
    "Duin",
    "Kreek",
    "Wolk",
    "Ster",
    "Dauw",
    "Zilver",
    "Koper",
)
_SUFFIXES: tuple[str, ...] = (
    "hout",
    "kamp",
    "veen",
    "dijk",
    "hoek",
    "mans",
    "inga",
    "stra",
    "werf",
    "brink",
    "horst",
    "ink",
    "man",
    "bosch",
    "sloot",
)

STORY: dict[str, tuple[str, ...]] = {
    "pesten": (
        "wordt in de klas uitgelachen",
        "krijgt gemene berichten in de groepsapp",
        "wordt in de pauze buitengesloten",
        "er worden foto's gedeeld zonder toestemming",
    ),
    "seksuele_intimidatie": (
        "krijgt ongewenste opmerkingen over het uiterlijk",
        "werd in de gang ongewenst aangeraakt",
        "ontvangt seksueel getinte berichten van een medeleerling",
    ),
    "discriminatie": (
        "hoort steeds opmerkingen over afkomst",
        "voelt zich anders behandeld vanwege het geloof",
    ),
    "agressie_geweld": (
        "is na schooltijd geduwd en geslagen",
        "wordt bedreigd door een groep uit een andere klas",
    ),
    "klacht_school": (
        "voelt zich oneerlijk beoordeeld door een docent",
        "vindt dat een docent kleinerend reageert",
    ),
    "relatie_personeel": (
        "vertelt over persoonlijke berichten van een stagiair",
        "een medewerker zoekt buiten school contact",
    ),
    "thuissituatie": (
        "ouders gaan scheiden, thuis is veel ruzie",
        "zorgt thuis veel voor een zieke ouder",
    ),
    "kindermishandeling": (
        "vertelt over harde klappen thuis",
        "komt vaak zonder eten naar school",
        "is bang om naar huis te gaan",
    ),
    "zelfbeschadiging": (
        "beschadigt zichzelf soms",
        "eet nauwelijks en voelt zich somber",
        "denkt soms aan er niet meer willen zijn",
    ),
    "strafbaar_feit": (
        "telefoon is gestolen en er wordt mee gedreigd",
        "wordt onder druk gezet om spullen te verkopen",
    ),
    "welbevinden": (
        "slaapt slecht en piekert veel",
        "voelt zich eenzaam",
        "heeft veel faalangst voor toetsen",
    ),
    "onderwijs": ("loopt vast met plannen", "twijfelt over de profielkeuze"),
    "overig": ("wil iets vertellen over een vriendin", "vraagt advies over een conflict"),
}
_WHEN: tuple[str, ...] = (
    "sinds een paar weken",
    "al sinds de brugklas",
    "sinds de zomervakantie",
    "vooral op maandag",
    "sinds de herfstvakantie",
)
_FEELING: tuple[str, ...] = (
    "Voelt zich onveilig.",
    "Durft het niet aan de mentor te vertellen.",
    "Wil niet dat de ouders het weten.",
    "Heeft er al met een vriendin over gepraat.",
    "Is er erg verdrietig over.",
)
HELP_QUESTIONS: tuple[str, ...] = (
    "Wil dat het stopt.",
    "Wil advies over hoe te reageren.",
    "Wil vooral het verhaal kwijt.",
    "Wil hulp bij een gesprek met de mentor.",
    "Wil weten waar hulp te vinden is.",
    "Wil dat iemand meedenkt over wat nu.",
)
CONVERSATION: tuple[str, ...] = (
    "Gesproken over de afgelopen week.",
    "Het gaat iets beter.",
    "Afspraken uit het vorige gesprek nagelopen.",
    "Leerling was emotioneel.",
    "Samen een plan gemaakt.",
    "Rustig gesprek; geen nieuwe signalen.",
    "Pesterij lijkt gestopt, blijven volgen.",
    "Thuis is het onrustig; vervolggesprek gepland.",
)
CONVERSATION_WITH: tuple[str, ...] = (
    "leerling",
    "leerling",
    "leerling",
    "leerling en ouder",
    "leerling en mentor",
)
CONSULTATION_WITH: tuple[str, ...] = (
    "GGD-jeugdarts",
    "collega-vertrouwenspersoon",
    "Veilig Thuis (anoniem)",
    "schoolmaatschappelijk werker",
    "ondersteuningscoördinator",
)
CONSULTATION: tuple[str, ...] = (
    "Casus anoniem besproken; advies: vinger aan de pols houden.",
    "Advies gevraagd over de volgende stap.",
    "Besproken of er een meldplicht is; advies meegenomen.",
)
PLAN_STEPS: tuple[str, ...] = (
    "Gesprek met de mentor plannen",
    "Contact opnemen met ouders (met toestemming)",
    "Navragen bij de ondersteuningscoördinator",
    "Informatie over hulp meegeven",
    "Over twee weken opnieuw afspreken",
    "Klassenbezoek over pesten voorbereiden",
)
PLAN_WHO: tuple[str, ...] = (
    "vertrouwenspersoon",
    "mentor",
    "leerling",
    "ondersteuningscoördinator",
)
REFERRAL: tuple[str, ...] = (
    "Telefoonnummer en website meegegeven.",
    "Samen gebeld en een afspraak gemaakt.",
    "Leerling gaat zelf contact opnemen.",
)
NOTES: tuple[str, ...] = (
    "Magister-vinkje gezet.",
    "Mentor weet dat er contact is (met toestemming).",
    "Leerling heeft afspraak afgezegd.",
)
ACTIONS: tuple[str, ...] = ("Besproken en vastgelegd.", "Leerling vooraf ingelicht.")
CORRECTION: tuple[str, ...] = (
    "Correctie: datum en duur aangepast.",
    "Correctie: verkeerde naam van de klas genoemd.",
)
CLOSING: tuple[str, ...] = (
    "Leerling geeft aan dat het goed gaat.",
    "Overgedragen aan de mentor.",
    "Doorverwezen; contact loopt via het wijkteam.",
)
REQUEST_NOTES: tuple[str, ...] = (
    "Vraagt om een gesprek.",
    "Mentor maakt zich zorgen.",
    "Liefst na het zesde uur.",
    "Via een briefje in het postvak.",
)
ACTIVITY: dict[str, tuple[str, ...]] = {
    "klassenbezoek": ("Voorgesteld in de brugklassen", "Les over grensoverschrijdend gedrag"),
    "poster_flyer": ("Posters in de aula opgehangen", "Flyers uitgedeeld bij de mentorles"),
    "website": ("Tekst voor de schoolsite bijgewerkt",),
    "beleidsadvies": ("Advies aan de directie over het pestprotocol",),
    "training": ("Training meldcode gevolgd", "Intervisie met collega-vertrouwenspersonen"),
    "overig": ("Ouderavond: kort voorgesteld",),
}
AUTHORITY: tuple[str, ...] = (
    "beide ouders",
    "beide ouders",
    "beide ouders",
    "moeder",
    "vader",
    "voogd",
)


def surname(rng: random.Random) -> str:
    return rng.choice(_PREFIXES) + rng.choice(_STEMS) + rng.choice(_SUFFIXES)


def full_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {surname(rng)}"


def story(rng: random.Random, categories: list[str]) -> str:
    parts = [
        f"Leerling {rng.choice(STORY.get(categories[0], STORY['overig']))}, {rng.choice(_WHEN)}."
    ]
    if len(categories) > 1:
        parts.append(f"Ook: {rng.choice(STORY.get(categories[1], STORY['overig']))}.")
    parts.append(rng.choice(_FEELING))
    return " ".join(parts)


def sentences(rng: random.Random, pool: tuple[str, ...], most: int = 2) -> str:
    count = rng.randint(1, most)
    return " ".join(rng.sample(pool, min(count, len(pool))))
