"""The outlet registry loader: lookups by id, URL/host and name, user directories, and bad-data errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from lagebild.errors import ConfigError, LagebildError
from lagebild.outlets import OutletDataError, OutletRegistry, host_of, load_outlets


@pytest.fixture(scope="module")
def registry() -> OutletRegistry:
    return load_outlets()


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


NEW_OUTLET = """
- id: "outlet:test-blog"
  name: Test-Blog
  aliases: [Testblog, Тестблог]
  domains: [test-blog.example]
  country: DE
  language: [de]
  type: blog
  parent: "outlet:rt-de"
"""


# ------------------------------------------------------------------ lookups


def test_by_id(registry: OutletRegistry) -> None:
    rt_de = registry.by_id("outlet:rt-de")
    assert rt_de is not None and rt_de.name == "RT DE"
    assert rt_de.country == "RU" and rt_de.languages == ("de",) and rt_de.type == "state_controlled"
    assert rt_de.actor == "lb:rt-de" and rt_de.parent == "outlet:rt"
    assert registry.by_id("outlet:nonexistent") is None
    assert "outlet:rt" in registry and len(registry) >= 150


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://de.rt.com/russland/123-titel/", "outlet:rt-de"),
        ("http://www.de.rt.com:8080/a?b=c#d", "outlet:rt-de"),
        ("de.rt.com", "outlet:rt-de"),
        ("DE.RT.COM/path", "outlet:rt-de"),
        ("https://www.rt.com/news/1", "outlet:rt"),
        ("rt.com", "outlet:rt"),
        ("https://news.rt.com/x", "outlet:rt"),  # unregistered subdomain: the longest registered suffix
        ("https://francais.rt.com/international", "outlet:rt-france"),
        ("https://de.sputniknews.com/politik/", "outlet:sna"),
        ("https://sputniknews.com/world/", "outlet:sputnik"),
        ("https://www.spiegel.de/politik/ausland/a-123.html", "outlet:spiegel"),
        ("https://m.spiegel.de/x", "outlet:spiegel"),
        ("https://edition.cnn.com/2024/01/01/world/x", "outlet:cnn"),
        ("https://www.bbc.co.uk/news/world-europe-1", "outlet:bbc"),
        ("https://de.nachrichten.yahoo.com/x.html", "outlet:yahoo-nachrichten"),
        ("https://news.yahoo.com/x.html", "outlet:yahoo-news"),
        ("https://www.xinhuanet.com/english/", "outlet:xinhua"),
        ("https://english.news.cn/20240101/x.htm", "outlet:xinhua"),
        ("https://en.people.cn/n3/x.html", "outlet:peoples-daily"),
        ("https://www.globaltimes.cn/page/1.shtml", "outlet:global-times"),
        ("https://kenfm.de/tagesdosis/", "outlet:kenfm"),
        ("https://apolut.net/x/", "outlet:apolut"),
        ("https://russtrat.ru/analytics/1", "outlet:russtrat"),
        ("https://www.swp-berlin.org/publikation/x", "outlet:swp"),
        ("https://www.msn.com/de-de/nachrichten/x", "outlet:msn"),
        ("https://www.web.de/magazine/politik/x", "outlet:web-de"),
        ("https://www.t-online.de/nachrichten/x", "outlet:t-online"),
    ],
)
def test_by_domain(registry: OutletRegistry, url: str, expected: str) -> None:
    outlet = registry.by_domain(url)
    assert outlet is not None, url
    assert outlet.id == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "https://", "localhost", "example.org", "https://unknown.example/x", "http://[::1]:80/"],
)
def test_by_domain_unknown(registry: OutletRegistry, text: str) -> None:
    assert registry.by_domain(text) is None


def test_by_domain_does_not_match_a_mere_suffix_string(registry: OutletRegistry) -> None:
    # "fakert.com" ends with the characters "rt.com" but is not a subdomain of it.
    assert registry.by_domain("https://fakert.com/") is None
    assert registry.by_domain("https://notspiegel.de/") is None


def test_host_of() -> None:
    assert host_of("https://WWW.Example.ORG:443/a/b?c") == "example.org"
    assert host_of("www.www.example.org") == "example.org"
    assert host_of("example.org.") == "example.org"
    assert host_of("//example.org/x") == "example.org"
    assert host_of("user:pw@example.org:8080") == "example.org"
    assert host_of("") is None and host_of("http://") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("RT DE", "outlet:rt-de"),
        ("RT Deutsch", "outlet:rt-de"),
        ("rt deutsch", "outlet:rt-de"),
        ("RT", "outlet:rt"),
        ("Russia Today", "outlet:rt"),
        ("RIA Nowosti", "outlet:ria-novosti"),
        ("РИА Новости", "outlet:ria-novosti"),
        ("Nowaja Gaseta", "outlet:novaya-gazeta"),
        ("Новая газета", "outlet:novaya-gazeta"),
        ("Nesawissimaja Gaseta", "outlet:nezavisimaya-gazeta"),
        ("ТАСС", "outlet:tass"),
        ("Nachrichtenagentur Xinhua", "outlet:xinhua"),
        ("新华社", "outlet:xinhua"),
        ("人民日报", "outlet:peoples-daily"),
        ("Volkszeitung", "outlet:peoples-daily"),
        ("Waldai-Klub", "outlet:valdai-club"),
        ("РУССТРАТ", "outlet:russtrat"),
        ("Institut für internationale politische und wirtschaftliche Strategien", "outlet:russtrat"),
        ("KenFM", "outlet:kenfm"),
        ("  Süddeutsche   Zeitung ", "outlet:sz"),
        ("FOREIGN AFFAIRS", "outlet:foreign-affairs"),
        ("Stimme Amerikas", "outlet:voa"),
        ("ntv", "outlet:n-tv"),
        ("NTW", "outlet:ntv-russia"),
    ],
)
def test_by_name(registry: OutletRegistry, name: str, expected: str) -> None:
    outlet = registry.by_name(name)
    assert outlet is not None, name
    assert outlet.id == expected


def test_by_name_unknown_and_partial(registry: OutletRegistry) -> None:
    assert registry.by_name("Unbekanntes Blatt") is None
    assert registry.by_name("RT DE Nachrichten") is None  # whole names only
    assert registry.candidates("nobody") == []


def test_parents_and_children(registry: OutletRegistry) -> None:
    assert [o.id for o in registry.parents("outlet:sna")] == ["outlet:sputnik", "outlet:rossiya-segodnya"]
    assert registry.parents("outlet:rt") == []
    assert {o.id for o in registry.children("outlet:rt")} >= {"outlet:rt-de", "outlet:rt-france"}


def test_facts_are_typed_and_sourced(registry: OutletRegistry) -> None:
    rt_de = registry.by_id("outlet:rt-de")
    assert rt_de is not None
    mabb = [f for f in rt_de.facts if f.date == "2022-02-02"]
    assert mabb and mabb[0].kind == "legal_status" and "MABB" in mabb[0].source
    kenfm = registry.by_id("outlet:kenfm")
    assert kenfm is not None and any("apolut" in f.text and f.date == "2021" for f in kenfm.facts)


# ------------------------------------------------------------------ user directories


def test_user_dir_adds_an_outlet(tmp_path: Path) -> None:
    _write(tmp_path, "mine.yaml", NEW_OUTLET)
    registry = load_outlets([tmp_path])
    outlet = registry.by_domain("https://www.test-blog.example/post/1")
    assert outlet is not None and outlet.id == "outlet:test-blog"
    assert registry.by_name("Тестблог") is outlet
    assert [p.id for p in registry.parents("outlet:test-blog")] == ["outlet:rt-de", "outlet:rt"]
    assert outlet.files == (str(tmp_path / "mine.yaml"),)


def test_user_dir_updates_a_shipped_outlet(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "override.yaml",
        """
- id: "outlet:rt-de"
  name: RT DE (Mirror)
  domains: [rtde.example]
  aliases: [RT Auf Deutsch Mirror]
  facts:
    - {kind: affiliation, text: "A mirror seen in our corpus.", date: "2024-05", source: "own observation"}
""",
    )
    registry = load_outlets([str(tmp_path)])
    outlet = registry.by_id("outlet:rt-de")
    assert outlet is not None
    assert outlet.name == "RT DE (Mirror)"  # scalar replaced
    assert "de.rt.com" in outlet.domains and "rtde.example" in outlet.domains  # list extended
    assert registry.by_domain("rtde.example") is outlet
    assert registry.by_domain("de.rt.com") is outlet
    assert "RT Deutsch" in outlet.aliases and "RT Auf Deutsch Mirror" in outlet.aliases
    assert any(f.source == "own observation" for f in outlet.facts)
    assert any("2022/350" in f.source for f in outlet.facts)
    assert outlet.type == "state_controlled" and outlet.parent == "outlet:rt"
    assert outlet.files[-1].endswith("override.yaml")


def test_later_user_dirs_win(tmp_path: Path) -> None:
    _write(tmp_path / "a", "x.yaml", NEW_OUTLET)
    _write(tmp_path / "b", "x.yaml", '- {id: "outlet:test-blog", type: aggregator}\n')
    registry = load_outlets([tmp_path / "a", tmp_path / "b"])
    outlet = registry.by_id("outlet:test-blog")
    assert outlet is not None and outlet.type == "aggregator" and outlet.name == "Test-Blog"


def test_empty_user_file_is_fine(tmp_path: Path) -> None:
    _write(tmp_path, "empty.yaml", "# nothing yet\n")
    assert len(load_outlets([tmp_path])) == len(load_outlets())


# ------------------------------------------------------------------ bad data


BAD = [
    ("- [not, a, mapping]\n", "entry 1", "must be a mapping"),
    ("{id: x}\n", None, "top level must be a list"),
    ("- {id: rt, name: X}\n", "entry 1", "outlet:<slug>"),
    ('- {id: "outlet:Bad Slug", name: X}\n', "entry 1", "outlet:<slug>"),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: tabloid}\n',
        "outlet:x",
        "type 'tabloid'",
    ),
    ('- {id: "outlet:x", name: X, country: GER, language: [de], type: blog}\n', "outlet:x", "ISO 3166-1"),
    ('- {id: "outlet:x", name: X, country: DE, language: [deu], type: blog}\n', "outlet:x", "ISO 639-1"),
    ('- {id: "outlet:x", name: X, country: DE, language: de, type: blog}\n', "outlet:x", "must be a list"),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, colour: red}\n',
        "outlet:x",
        "unknown",
    ),
    (
        '- {id: "outlet:x", name: "", country: DE, language: [de], type: blog}\n',
        "outlet:x",
        "non-empty string",
    ),
    ('- {id: "outlet:x", country: DE, language: [de], type: blog}\n', "outlet:x", "name is missing"),
    ('- {id: "outlet:x", name: X, language: [de], type: blog}\n', "outlet:x", "country is missing"),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, domains: ["https://x.example"]}\n',
        "outlet:x",
        "domain",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, domains: [www.x.example]}\n',
        "outlet:x",
        "www.",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, domains: [de.rt.com]}\n',
        "outlet:x",
        "already registered for outlet:rt-de",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, parent: "outlet:nope"}\n',
        "outlet:x",
        "parent 'outlet:nope'",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, facts: [{kind: rumour, text: t, source: s}]}\n',
        "outlet:x",
        "fact kind 'rumour'",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, facts: [{kind: founded, text: t}]}\n',
        "outlet:x",
        "fact source is missing",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, facts: [{kind: founded, text: t, source: s, date: 2020-01-01}]}\n',
        "outlet:x",
        "quoted ISO date",
    ),
    (
        '- {id: "outlet:x", name: X, country: DE, language: [de], type: blog, facts: [{kind: founded, text: t, source: s, date: "2020-13"}]}\n',
        "outlet:x",
        "quoted ISO date",
    ),
    ("- {id: 'outlet:x'\n", None, "not valid YAML"),
]


@pytest.mark.parametrize(("text", "entry", "reason"), BAD)
def test_bad_data_names_file_and_entry(tmp_path: Path, text: str, entry: str | None, reason: str) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(OutletDataError) as info:
        load_outlets([tmp_path])
    err = info.value
    assert isinstance(err, ConfigError) and isinstance(err, LagebildError)
    assert err.file == str(path), str(err)
    assert str(path) in str(err)
    if entry is not None:
        assert err.entry is not None and entry in err.entry, str(err)
    assert reason in str(err), str(err)


def test_parent_cycle_is_an_error(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "cycle.yaml",
        """
- {id: "outlet:a", name: A, country: DE, language: [de], type: blog, parent: "outlet:b"}
- {id: "outlet:b", name: B, country: DE, language: [de], type: blog, parent: "outlet:a"}
""",
    )
    with pytest.raises(OutletDataError, match="loops"):
        load_outlets([tmp_path])


def test_missing_user_dir_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OutletDataError, match="not a directory"):
        load_outlets([tmp_path / "missing"])


def test_undecodable_user_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes('- {id: "outlet:x", name: Gr\xfcn}\n'.encode("latin-1"))
    with pytest.raises(OutletDataError, match="cannot be read"):
        load_outlets([tmp_path])
