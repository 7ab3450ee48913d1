"""Principles 3 and 4, begrijpelijk and robuust: the criteria 3.x and 4.x of WCAG 2.2 at A and AA."""

from __future__ import annotations

from audit.criterion import B, Criterion, not_applicable

UNDERSTANDABLE: tuple[Criterion, ...] = (
    Criterion(
        "3.1.1",
        "Taal van de pagina",
        "A",
        'lang="nl" op elke pagina, ook de API-documentatie en de foutpagina.',
        (
            "tests/test_web.py::test_unknown_paths_get_a_dutch_404_page",
            f"{B}test_docs.py::test_api_docs_have_no_axe_violations_and_reflow",
        ),
    ),
    not_applicable("3.1.2", "Taal van onderdelen", "AA", "Alle tekst is Nederlands."),
    Criterion(
        "3.2.1",
        "Bij focus",
        "A",
        "Focus opent of verplaatst niets; een halte opent pas met Enter, spatie of klikken.",
        (
            f"{B}test_present.py::test_arrow_keys_on_a_focused_station_do_one_thing",
            f"{B}test_map.py::test_keyboard_only_walk",
        ),
    ),
    Criterion(
        "3.2.2",
        "Bij input",
        "A",
        "De instelling voor sneltoetsen verandert alleen die instelling.",
        (f"{B}test_present.py::test_single_key_shortcuts_can_be_switched_off",),
    ),
    Criterion(
        "3.2.3",
        "Consistente navigatie",
        "AA",
        "Kop, kaart, vorige/volgende en voet staan op elke pagina op dezelfde plaats en in dezelfde volgorde.",
        (
            "tests/test_web.py::test_station_page_marks_you_are_here",
            "tests/test_web.py::test_every_page_references_existing_assets",
        ),
    ),
    Criterion(
        "3.2.4",
        "Consistente identificatie",
        "AA",
        'Een halte heet overal "n naam, halte n van 7".',
        (f"{B}test_map_labels.py::test_each_link_is_named_by_what_it_shows",),
    ),
    Criterion(
        "3.2.6",
        "Consistente hulp",
        "A",
        'Elke pagina met hulp biedt die op dezelfde plaats: de link "Toegankelijkheid" (de verklaring, met het '
        "contact) als laatste link in de voet, na de inhoud; de presentaties op het volle scherm tonen geen hulp.",
        (f"{B}test_wcag22.py::test_help_is_in_the_same_place_on_every_page",),
    ),
    Criterion(
        "3.3.1",
        "Foutidentificatie",
        "A",
        "Een ongeldig antwoord in een live sessie (geen score, een onbekende halte) krijgt een Nederlandse melding "
        "die zegt wat er mis is; er wordt dan niets bewaard.",
        (
            "tests/sessions/test_routes.py::test_bad_answers_get_a_dutch_422_and_nothing_is_stored",
            "tests/sessions/test_routes.py::test_an_unknown_code_gets_a_dutch_404",
        ),
    ),
    Criterion(
        "3.3.2",
        "Labels of instructies",
        "A",
        "De insluitcode, de instelling voor sneltoetsen en de schaal van 1 tot 5 in een live sessie (in woorden, "
        "niet alleen cijfers) hebben een label.",
        (
            f"{B}test_map.py::test_axe_reports_no_violations",
            f"{B}test_present.py::test_single_key_shortcuts_can_be_switched_off",
            "tests/sessions/browser/test_live_pages.py::test_axe_finds_nothing_on_any_session_page",
        ),
    ),
    Criterion(
        "3.3.3",
        "Foutsuggestie",
        "AA",
        "De melding zegt hoe het wel moet (een halte op de kaart, een score van 1 tot 5); een code met spaties of "
        "kleine letters wordt herkend.",
        (
            "tests/sessions/test_routes.py::test_bad_answers_get_a_dutch_422_and_nothing_is_stored",
            "tests/sessions/test_routes.py::test_a_code_as_people_type_it_leads_to_the_session",
        ),
    ),
    not_applicable(
        "3.3.4",
        "Foutpreventie (wettelijk, financieel, gegevens)",
        "AA",
        "De gids legt geen verplichtingen of gegevens vast.",
    ),
    Criterion(
        "3.3.7",
        "Overbodige invoer",
        "A",
        "Wie in een live sessie terugkomt op een halte, vindt zijn score al gekozen; de scan op één apparaat houdt "
        "zijn antwoorden vast; een verkeerd getypte code blijft in het veld staan om te verbeteren.",
        (f"{B}test_wcag22.py::test_an_answer_is_never_asked_for_twice",),
    ),
    Criterion(
        "3.3.8",
        "Toegankelijke authenticatie (minimum)",
        "AA",
        "Geen wachtwoord en geen puzzel: de gespreksleider herkent de gids aan een cookie; verder op een ander "
        "apparaat gaat met een link of QR-code, en de velden voor een code laten plakken toe.",
        (f"{B}test_wcag22.py::test_taking_over_a_session_needs_no_memory_or_transcription",),
    ),
    Criterion(
        "4.1.2",
        "Naam, rol, waarde",
        "A",
        "Haltes zijn links met een naam; de huidige halte heeft aria-current; de instelling is een echte checkbox.",
        (
            f"{B}test_map_labels.py::test_each_link_is_named_by_what_it_shows",
            f"{B}test_map.py::test_clicking_each_station_opens_its_panel",
            f"{B}test_present.py::test_axe_in_presentation_mode",
        ),
    ),
    Criterion(
        "4.1.3",
        "Statusberichten",
        "AA",
        'Kopiëren van de insluitcode meldt "Gekopieerd" in een status-regio; een nieuwe dia krijgt de focus op haar kop.',
        (
            f"{B}test_embed.py::test_copy_button_copies_the_snippet",
            f"{B}test_present.py::test_each_change_is_announced",
        ),
    ),
)
