"""Speaker resolution: mentions, pronouns, descriptions, institutions, nesting, continuation."""

from lagebild.model import Mention, Quote
from lagebild.quotes.speakers import resolve_speakers

TEXT = (
    "Wassili Kaschin vom Institut für Orientalistik sprach in Moskau. Er sagte, der Trend sei klar. "
    "Der Experte betonte, man werde sehen. Das Institut erklärte, es gebe keine Daten."
)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def quote(speaker: str, sentence: int, nth: int = 0, form: str = "Indirect") -> Quote:
    s = span(TEXT, speaker, nth)
    return Quote(
        kind="indirect",
        message=(s[1] + 8, s[1] + 20),
        form=form,
        speaker=speaker,
        speaker_span=s,
        sentences=(sentence, sentence),
    )


MENTIONS = [
    Mention(*span(TEXT, "Wassili Kaschin"), "Wassili Kaschin", "PER", actor_id="doc:kaschin-wassili"),
    Mention(
        *span(TEXT, "Institut für Orientalistik"), "Institut für Orientalistik", "ORG", actor_id="lb:ivran"
    ),
    Mention(*span(TEXT, "Moskau"), "Moskau", "LOC", actor_id="Q649"),
]


def test_pronoun_and_person_description_take_the_previous_person():
    quotes = [quote("Er", 1), quote("Der Experte", 2)]
    resolve_speakers(quotes, MENTIONS)
    assert [(q.speaker_name, q.actor_id, q.resolution) for q in quotes] == [
        ("Wassili Kaschin", "doc:kaschin-wassili", "pronoun"),
        ("Wassili Kaschin", "doc:kaschin-wassili", "description"),
    ]


def test_institution_description_takes_the_preceding_organisation():
    (q,) = [quote("Das Institut", 3)]
    resolve_speakers([q], MENTIONS)
    assert (q.speaker_name, q.actor_id, q.resolution) == (
        "Institut für Orientalistik",
        "lb:ivran",
        "description",
    )


def test_a_mention_inside_the_source_wins_and_media_report_nested_statements():
    text = "Laut CCTV lobte Xi Jinping die Beziehungen."
    xi = span(text, "Xi Jinping")
    mentions = [
        Mention(*span(text, "CCTV"), "CCTV", "MEDIA", actor_id="lb:cctv"),
        Mention(*xi, "Xi Jinping", "PER", actor_id="lb:xi-jinping"),
    ]
    q = Quote(
        kind="reported",
        message=(27, 42),
        form="Reported",
        speaker="Xi Jinping",
        speaker_span=xi,
        reported_by="CCTV",
        sentences=(0, 0),
    )
    resolve_speakers([q], mentions)
    assert (q.actor_id, q.resolution, q.reported_by_actor) == ("lb:xi-jinping", "mention", "lb:cctv")


def test_joint_speakers_keep_the_first_linked_person():
    text = "Xi und Putin erklärten, sie wollten mehr handeln."
    s = span(text, "Xi und Putin")
    mentions = [
        Mention(0, 2, "Xi", "PER", actor_id="lb:xi-jinping"),
        Mention(7, 12, "Putin", "PER", actor_id="Q7747"),
    ]
    q = Quote(kind="indirect", message=(24, 48), speaker="Xi und Putin", speaker_span=s, sentences=(0, 0))
    resolve_speakers([q], mentions)
    assert q.actor_id == "lb:xi-jinping" and q.resolution == "mention"
    assert q.actor_ids == ["lb:xi-jinping", "Q7747"]


def test_unattributed_quote_after_an_attributed_one_continues_it():
    first = quote("Wassili Kaschin", 0, form="Direct")
    follow = Quote(kind="direct", message=(200, 220), form="Direct", sentences=(1, 1))
    resolve_speakers([first, follow], MENTIONS)
    assert (follow.speaker_name, follow.resolution) == ("Wassili Kaschin", "previous")


def test_a_description_takes_the_name_printed_right_after_it():
    text = 'Darüber schreibt die Zeitung "Nesawissimaja Gaseta" am Freitag.'
    s = span(text, "die Zeitung")
    paper = span(text, "Nesawissimaja Gaseta")
    mentions = [Mention(*paper, "Nesawissimaja Gaseta", "MEDIA", actor_id="lb:nezavisimaya-gazeta")]
    q = Quote(kind="indirect", message=(0, 7), speaker="die Zeitung", speaker_span=s, sentences=(0, 0))
    resolve_speakers([q], mentions, text)
    assert (q.speaker_name, q.actor_id, q.resolution) == (
        "Nesawissimaja Gaseta",
        "lb:nezavisimaya-gazeta",
        "apposition",
    )


def test_generic_plural_sources_are_not_resolved_to_a_person():
    q = Quote(
        kind="indirect",
        message=(100, 120),
        speaker="Experten",
        speaker_span=span(TEXT, "Moskau"),
        sentences=(2, 2),
    )
    resolve_speakers([quote("Wassili Kaschin", 0), q], MENTIONS[:1])
    assert (q.speaker_name, q.actor_id, q.resolution) == ("Experten", None, "text")
