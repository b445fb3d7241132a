from lagebild.model import Article, content_id


def test_german_english_russian(run):
    assert (
        run("Der chinesische Präsident ist am Montag in Moskau eingetroffen und sprach mit Putin.").language
        == "de"
    )
    assert run("The Chinese president arrived in Moscow on Monday and met Vladimir Putin.").language == "en"
    assert run("Президент Китая прибыл в Москву в понедельник и встретился с Путиным.").language == "ru"


def test_short_text_falls_back_with_a_note(run):
    a = run("Kurz.")
    assert a.language == "de" and a.language_score is None and "too short" in a.notes[0]


def test_menu_lines_do_not_decide_the_language(run):
    text = (
        "Home\nNews\nSport\nWeather\n\n"
        + "Die Regierung in Peking kündigte neue Gespräche mit Moskau über Energie an. " * 3
    )
    assert run(text).language == "de"


def test_other_languages_still_clean(run):
    text = "Le président chinois est arrivé à Moscou lundi pour rencontrer Vladimir Poutine.\n\nKommentare\n\nShare this article"
    a = run(text)
    assert a.language == "fr"
    assert a.clean_text == "Le président chinois est arrivé à Moscou lundi pour rencontrer Vladimir Poutine."
    assert isinstance(a, Article) and content_id(text) == a.id
