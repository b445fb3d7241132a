"""Deterministic test texts for the reuse tests: paragraphs of random German-looking sentences."""

from __future__ import annotations

import random

from lagebild.model import Article, DateInfo, Provenance

_WORDS = (
    "Regierung Moskau Berlin Peking Minister Außenministerin Sanktionen Gespräche Gipfel Armee Grenze "
    "Truppen Waffen Lieferung Vertrag Abkommen Krieg Frieden Verhandlungen Botschafter Sprecher Bericht "
    "Agentur Zeitung Präsident Kanzler Parlament Opposition Wahl Stimmen Mehrheit Koalition Haushalt "
    "Milliarden Euro Dollar Gas Öl Pipeline Energie Preise Inflation Wirtschaft Handel Zölle Export Import "
    "Hafen Flughafen Angriff Drohne Rakete Luftabwehr Stadt Region Provinz Bevölkerung Flüchtlinge Hilfe "
    "Konferenz Erklärung Forderung Kritik Warnung Drohung Antwort Bündnis Nato Union Kommission Gericht "
    "Urteil Klage Gesetz Reform Plan Strategie Zukunft Vergangenheit Woche Montag Dienstag Mittwoch heute "
    "gestern morgen sagte erklärte betonte warnte forderte kündigte an wies zurück bestätigte dementierte "
    "neue alte große kleine wichtige schwere erste letzte weitere mehrere viele wenige einige"
)
WORDS = tuple(_WORDS.split())


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 16))]
    return " ".join(words).capitalize() + "."


def text(seed: int, paragraphs: int = 6, sentences: int = 3) -> str:
    rng = random.Random(seed)
    return "\n\n".join(" ".join(sentence(rng) for _ in range(sentences)) for _ in range(paragraphs))


def article(
    id: str,
    body: str,
    date: str | None = None,
    outlet: str | None = None,
    notes: list[Provenance] | None = None,
    url: str | None = None,
) -> Article:
    return Article(
        id=id,
        source=f"{id}.txt",
        source_format="txt",
        raw_text=body,
        clean_text=body,
        published=DateInfo(date, "day" if len(date) == 10 else "year", date, "text") if date else None,
        outlet=outlet,
        provenance=notes or [],
        url=url,
    )
