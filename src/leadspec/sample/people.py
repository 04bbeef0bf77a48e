"""Fake but plausible people, companies, record ids and sales teams.

Nobody here is real: names are drawn from short lists and combined at random,
emails use example.com and example.org (reserved for documentation), and phone
numbers sit in ranges kept for fiction (555-01xx in North America, 020 7946 0xxx
in the UK). Every email carries the lead's sequence number, so no two clean leads
share one and the duplicate check sees only the duplicates planted on purpose.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST = (
    "Amara",
    "Bogdan",
    "Caitriona",
    "Dariusz",
    "Efua",
    "Farida",
    "Gunnar",
    "Hiroko",
    "Idris",
    "Jovana",
    "Kwabena",
    "Liesel",
    "Mateus",
    "Nkechi",
    "Oisin",
    "Priya",
    "Quilla",
    "Rasmus",
    "Saoirse",
    "Tomasz",
    "Ulrike",
    "Valentin",
    "Wanjiru",
    "Xiomara",
    "Yusuf",
    "Zofia",
    "Anselm",
    "Beatriz",
    "Cosimo",
    "Delphine",
    "Emeka",
    "Florin",
    "Grete",
    "Hamid",
    "Ingrid",
    "Jarrah",
    "Kalani",
    "Leocadia",
    "Marisol",
    "Niamh",
    "Orla",
    "Pavel",
    "Rosalind",
    "Siddharth",
    "Thandiwe",
    "Ugo",
    "Vesna",
    "Wilhelmina",
)
LAST = (
    "Abernathy",
    "Bergqvist",
    "Castellanos",
    "Dimitrova",
    "Ekwueme",
    "Fairweather",
    "Gallagher",
    "Halvorsen",
    "Ishikawa",
    "Jankowski",
    "Kowalczyk",
    "Lindqvist",
    "Mbeki",
    "Nakashima",
    "Oyelaran",
    "Petrakis",
    "Quintero",
    "Rautenberg",
    "Szabo",
    "Thorvaldsen",
    "Urquhart",
    "Vasquez",
    "Wojcik",
    "Xenakis",
    "Yamamura",
    "Zielinski",
    "Achterberg",
    "Bellweather",
    "Ciccarelli",
    "Delacroix",
    "Esposito",
    "Fitzgerald",
    "Gudmundsson",
    "Hakimi",
    "Iwasaki",
    "Jaramillo",
    "Kuznetsova",
    "Lemaire",
    "Montgomery",
    "Novakova",
    "Okonkwo",
    "Pellegrini",
    "Radovanovic",
    "Salgado",
    "Tanaka",
    "Uchenna",
    "Villanueva",
    "Wainwright",
)
SALUTATIONS = ("Mr.", "Ms.", "Mx.", "Dr.", "")
PLACES = (
    "Harbor",
    "Summit",
    "Cedar",
    "Granite",
    "Northgate",
    "Bluewater",
    "Ironbridge",
    "Lakeshore",
    "Redwood",
    "Silverline",
    "Maple",
    "Prairie",
    "Coastal",
    "Keystone",
    "Riverbend",
    "Highland",
    "Brightwater",
    "Stonefield",
    "Westbrook",
    "Elmhurst",
    "Pinecrest",
    "Foxhollow",
    "Copperline",
    "Meadowlark",
)
NOUNS = {
    "logistics": ("Freight", "Logistics", "Distribution"),
    "transportation": ("Transit", "Haulage", "Lines"),
    "manufacturing": ("Fabrication", "Components", "Metalworks"),
    "healthcare": ("Health", "Care Partners", "Medical Group"),
    "facilities services": ("Facility Services", "Property Care", "Building Services"),
    "retail": ("Market", "Outfitters", "Goods"),
    "hospitality": ("Hotels", "Hospitality", "Inns"),
    "software": ("Software", "Systems", "Labs"),
    "education": ("Academy", "Learning", "Schools"),
    "food production": ("Foods", "Bakeries", "Provisions"),
}
TRADES = {
    "home services": ("Home Repair", "Handyman Services", "Electric"),
    "construction": ("Builders", "Construction", "Carpentry"),
    "cleaning": ("Cleaning", "Maid Service", "Janitorial"),
    "landscaping": ("Landscaping", "Lawn Care", "Gardens"),
    "pest control": ("Pest Control", "Exterminators", "Pest Solutions"),
    "auto repair": ("Auto Repair", "Garage", "Motors"),
}
TITLES_B2B = (
    "Operations Director",
    "VP Operations",
    "Workforce Manager",
    "HR Director",
    "Scheduling Lead",
    "Chief Operating Officer",
    "Site Manager",
    "Payroll Manager",
)
TITLES_B2C = ("Owner", "Sole Trader", "Self-employed", "Founder")
CITIES = {
    "US": (
        ("Columbus", "OH"),
        ("Raleigh", "NC"),
        ("Tucson", "AZ"),
        ("Omaha", "NE"),
        ("Spokane", "WA"),
        ("Albany", "NY"),
        ("Boise", "ID"),
        ("Savannah", "GA"),
    ),
    "CA": (("Halifax", "NS"), ("Winnipeg", "MB"), ("Kelowna", "BC"), ("Kingston", "ON")),
    "GB": (("Leeds", ""), ("Bristol", ""), ("Norwich", "")),
    "IE": (("Galway", ""), ("Limerick", "")),
    "AU": (("Geelong", "VIC"), ("Hobart", "TAS")),
    "DE": (("Leipzig", ""), ("Bremen", "")),
    "MX": (("Puebla", ""), ("Merida", "")),
}
STREETS = ("Oak", "Mill", "Station", "Church", "Lake", "Park", "River", "Hill", "Bridge", "Orchard")
STREET_KINDS = ("St", "Ave", "Rd", "Lane", "Way")
_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


_PAIRS = tuple(a + b for a in _BASE62 for b in _BASE62)
_UPPER = {char: 1 for char in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width // 2):
        number, pair = divmod(number, 3844)
        digits.append(_PAIRS[pair])
    return "".join(reversed(digits))


def salesforce_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce id: prefix, pod, counter, and the case-safe checksum."""
    short = f"{prefix}Ec00{base62(number, 8)}"
    suffix = ""
    for start in (0, 5, 10):
        bits = 0
        for i in range(5):
            if short[start + i] in _UPPER:
                bits |= 1 << i
        suffix += _SUFFIX[bits]
    return short + suffix


@dataclass(frozen=True)
class User:
    id: str
    name: str
    hubspot_id: str


@dataclass(frozen=True)
class Team:
    """The people and queues that own leads: ids are stable for a seed."""

    sdrs: dict[str, tuple[User, ...]]  # by motion
    aes: dict[str, tuple[User, ...]]
    marketing: tuple[User, ...]
    queue: User
    integration: User


def team(seed: int) -> Team:
    rng = random.Random(f"{seed}/team")
    numbers = iter(range(rng.randint(10_000, 90_000), 10**9, 7))

    def user(prefix: str = "005", name: str | None = None) -> User:
        number = next(numbers)
        full = name or f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return User(salesforce_id(prefix, number), full, str(40_000_000 + number))

    return Team(
        sdrs={"b2b": tuple(user() for _ in range(6)), "b2c": tuple(user() for _ in range(3))},
        aes={"b2b": tuple(user() for _ in range(4)), "b2c": tuple(user() for _ in range(2))},
        marketing=(user(), user()),
        queue=user("00G", "Marketing Ops Queue"),
        integration=user(name="Northwind Integration"),
    )


@dataclass
class Identity:
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    salutation: str


def identity(
    rng: random.Random, number: int, motion: str, country: str, company_domain: str | None
) -> Identity:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = f"{first}.{last}{number}".lower()
    email: str | None
    if motion == "b2b" and company_domain:
        email = f"{local}@{company_domain}"
    else:
        email = f"{local}@{rng.choice(('example.org', 'example.com'))}"
    phone = _phone(rng, country)
    if phone is not None and rng.random() < 0.3:
        phone = None
    if phone is not None and rng.random() < 0.04:
        email = None
    return Identity(first, last, email, phone, rng.choice(SALUTATIONS))


def _phone(rng: random.Random, country: str) -> str | None:
    tail = rng.randint(0, 99)
    if country in ("US", "CA"):
        area = rng.choice(("614", "919", "520", "402", "509", "518", "902", "204", "250", "613"))
        return rng.choice(
            (f"+1 {area} 555 01{tail:02}", f"({area}) 555-01{tail:02}", f"{area}-555-01{tail:02}")
        )
    if country == "GB":
        return f"+44 20 7946 0{rng.randint(0, 999):03}"
    return None


@dataclass
class Company:
    name: str | None
    domain: str | None
    industry: str | None
    employees: int | None
    revenue: float | None
    country: str | None


def company(rng: random.Random, motion: str, grade: str) -> Company:
    """A company (B2B) or a trade (B2C) whose facts give `grade` under the reference grading."""
    if motion == "b2c":
        return _trade(rng, grade)
    core = ("logistics", "transportation", "manufacturing", "healthcare", "facilities services", "retail")
    other = ("hospitality", "software", "education", "food production")
    employees: int | None
    if grade == "A":
        industry, employees, country = rng.choice(core), rng.randint(200, 2000), rng.choice(("US", "CA"))
    elif grade == "B":
        country = rng.choice(("US", "CA", "GB", "IE"))
        industry = rng.choice(other) if country in ("US", "CA") else rng.choice(core + other)
        employees = rng.randint(100, 5000)
    elif grade == "C":
        industry, country = rng.choice(core + other), rng.choice(("US", "CA", "GB", "DE", "AU"))
        employees = rng.choice((rng.randint(50, 99), rng.randint(5001, 10000)))
    else:
        industry, country = rng.choice(core + other), rng.choice(("US", "CA", "GB", "MX"))
        employees = rng.choice((rng.randint(3, 49), rng.randint(10_001, 60_000), None))
    place = rng.choice(PLACES)
    noun = rng.choice(NOUNS[industry])
    suffixes = ("Ltd", "Group") if country in ("GB", "IE") else ("Inc.", "LLC", "Co.", "Group")
    suffix = rng.choice(suffixes)
    name = f"{place} {noun} {suffix}"
    domain = f"{place}{noun.split()[0]}".lower() + ".example.com"
    revenue = None if employees is None else float(employees * rng.randint(60, 240) * 1000)
    known = None if employees is None and rng.random() < 0.5 else industry.title()
    return Company(name, domain, known, employees, revenue, country)


def _trade(rng: random.Random, grade: str) -> Company:
    core = ("home services", "construction", "cleaning", "landscaping")
    country: str | None
    if grade == "A":
        trade, country = rng.choice(core), rng.choice(("US", "CA"))
    elif grade == "B":
        trade, country = rng.choice(("pest control", "auto repair")), rng.choice(("US", "CA"))
    elif grade == "C":
        trade, country = rng.choice(tuple(TRADES)), rng.choice(("GB", "IE", "AU"))
    else:
        trade, country = rng.choice(tuple(TRADES)), rng.choice(("DE", "MX", None))
    name = f"{rng.choice(PLACES)} {rng.choice(TRADES[trade])}" if rng.random() < 0.6 else None
    return Company(name, None, trade.title(), None, None, country)


def address(rng: random.Random, country: str | None) -> tuple[str, str, str, str]:
    """Street, city, state and postal code; empty when the country is unknown."""
    if country is None:
        return "", "", "", ""
    city, state = rng.choice(CITIES.get(country, CITIES["US"]))
    street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}"
    postal = f"{rng.randint(10000, 99999)}" if country == "US" else ""
    return street, city, state, postal
