"""Every WCAG 2.1 success criterion of level A and AA, how the guide meets it, and which tests check it.

A criterion that does not apply says why (`not_applicable`). One that applies names the tests
that check it; where no automated test can, `manual` says what a person checked. The record
(docs/accessibility.md) is written from this list by running the tests it names.
"""

from __future__ import annotations

from dataclasses import dataclass

B = "tests/browser/"


@dataclass(frozen=True)
class Criterion:
    number: str
    name: str  # the Dutch name (NEN-EN 301 549 / W3C's authorised Dutch translation)
    level: str
    how: str  # how the guide meets it, in Dutch
    tests: tuple[str, ...] = ()
    not_applicable: str = ""  # why it does not apply
    manual: str = ""  # what a person checks where no test can


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "1.1.1",
        "Niet-tekstuele content",
        "A",
        "De kaart is een lijst van links met een naam per halte; QR-codes hebben een alt-tekst met het adres; "
        "versieringen zijn verborgen voor hulptechnologie.",
        (
            f"{B}test_map_labels.py::test_each_link_is_named_by_what_it_shows",
            f"{B}test_map.py::test_axe_reports_no_violations",
            f"{B}test_print.py::test_the_qr_address_is_text_under_the_code",
        ),
    ),
    Criterion(
        "1.2.1",
        "Louter-geluid en louter-video (vooraf opgenomen)",
        "A",
        "",
        not_applicable="De gids bevat geen geluid of video.",
    ),
    Criterion("1.2.2", "Ondertitels (vooraf opgenomen)", "A", "", not_applicable="De gids bevat geen video."),
    Criterion(
        "1.2.3",
        "Audiodescriptie of media-alternatief (vooraf opgenomen)",
        "A",
        "",
        not_applicable="De gids bevat geen video.",
    ),
    Criterion("1.2.4", "Ondertitels (live)", "AA", "", not_applicable="De gids bevat geen live geluid of video."),
    Criterion("1.2.5", "Audiodescriptie (vooraf opgenomen)", "AA", "", not_applicable="De gids bevat geen video."),
    Criterion(
        "1.3.1",
        "Info en relaties",
        "A",
        "Koppen, lijsten, citaten (figure/blockquote/figcaption), tabellen met kopcellen en landmarks komen uit de "
        "opbouw van de inhoud, niet uit opmaak.",
        (
            "tests/test_web.py::test_quotes_and_cases_have_semantic_markup",
            f"{B}test_map.py::test_axe_reports_no_violations",
            f"{B}test_docs.py::test_api_docs_have_no_axe_violations_and_reflow",
        ),
    ),
    Criterion(
        "1.3.2",
        "Betekenisvolle volgorde",
        "A",
        "De volgorde in de code is de leesvolgorde: beginstation, haltes 1–7, eindstation, dan de tekst.",
        (
            f"{B}test_map_labels.py::test_tab_follows_the_line",
            f"{B}test_map.py::test_without_javascript_every_station_is_reachable",
        ),
    ),
    Criterion(
        "1.3.3",
        "Zintuiglijke eigenschappen",
        "A",
        'Instructies noemen haltes bij naam en nummer, niet bij kleur of plaats ("Halte 3 van 7").',
        ("tests/test_web.py::test_station_page_marks_you_are_here",),
    ),
    Criterion(
        "1.3.4",
        "Weergavestand",
        "AA",
        "Geen vaste stand: de kaart ligt horizontaal op brede en verticaal op smalle schermen.",
        (f"{B}test_map.py::test_narrow_screen_uses_the_vertical_line",),
    ),
    Criterion(
        "1.3.5", "Identificeer het doel van de input", "AA", "", not_applicable="De gids vraagt geen persoonsgegevens."
    ),
    Criterion(
        "1.4.1",
        "Gebruik van kleur",
        "A",
        'De huidige halte is gevuld, onderstreept en heet "u bent hier"; links zijn onderstreept.',
        (
            "tests/test_web.py::test_station_page_marks_you_are_here",
            f"{B}test_forced_colors.py::test_the_map_stays_visible_in_a_contrast_theme",
        ),
    ),
    Criterion("1.4.2", "Geluidsbediening", "A", "", not_applicable="De gids speelt geen geluid af."),
    Criterion(
        "1.4.3",
        "Contrast (minimum)",
        "AA",
        "Tekst minstens 4,5:1; een huiskleur met te weinig contrast wordt voor tekst donkerder gemaakt en `metro check` waarschuwt.",
        (
            f"{B}test_map.py::test_axe_reports_no_violations",
            f"{B}test_present.py::test_axe_in_presentation_mode",
            f"{B}test_forced_colors.py::test_the_map_stays_visible_in_a_contrast_theme",
            "tests/test_settings.py::test_check_warns_about_a_pale_brand_colour",
        ),
    ),
    Criterion(
        "1.4.4",
        "Herschalen van tekst",
        "AA",
        "Maten in rem en viewport-eenheden; de kaart is SVG en schaalt mee; bij 320 px (400 % zoom op 1280 px) "
        "loopt niets buiten beeld.",
        (f"{B}test_map.py::test_screenshots",),
    ),
    Criterion(
        "1.4.5",
        "Afbeeldingen van tekst",
        "AA",
        "Alle tekst is tekst, ook op de kaart (SVG-tekst) en het adres onder een QR-code.",
        (f"{B}test_print.py::test_the_qr_address_is_text_under_the_code",),
    ),
    Criterion(
        "1.4.10",
        "Reflow",
        "AA",
        "Op 320 px breed geen horizontaal scrollen: de lijn wordt verticaal, brede tabellen scrollen alleen zelf.",
        (
            f"{B}test_map.py::test_screenshots",
            f"{B}test_docs.py::test_api_docs_have_no_axe_violations_and_reflow",
            f"{B}test_embed.py::test_embed_fits_300px_and_has_no_axe_violations",
        ),
    ),
    Criterion(
        "1.4.11",
        "Contrast van niet-tekstuele content",
        "AA",
        "De lijn, de haltes en de focusrand minstens 3:1, ook in contrastthema's (geforceerde kleuren).",
        (
            f"{B}test_forced_colors.py::test_the_map_stays_visible_in_a_contrast_theme",
            f"{B}test_forced_colors.py::test_focus_stays_visible_in_a_contrast_theme",
        ),
    ),
    Criterion(
        "1.4.12",
        "Tekstafstand",
        "AA",
        "Met de afstanden van 1.4.12 overlappen geen teksten op de kaart; tekst staat in vrij meegroeiende blokken.",
        (
            f"{B}test_map_labels.py::test_no_two_map_texts_meet",
            "tests/test_metro.py::test_you_are_here_meets_no_other_text_even_with_wide_text_spacing",
        ),
    ),
    Criterion(
        "1.4.13",
        "Content bij hover of focus",
        "AA",
        "",
        not_applicable="De gids toont geen extra content bij hover of focus.",
    ),
    Criterion(
        "2.1.1",
        "Toetsenbord",
        "A",
        "Alles werkt met het toetsenbord: haltes openen, pijltjes langs de lijn, presentatie met pijltjes en PageUp/PageDown.",
        (
            f"{B}test_map.py::test_keyboard_only_walk",
            f"{B}test_present.py::test_clicker_and_keyboard_keys",
            f"{B}test_present.py::test_arrow_keys_on_a_focused_station_do_one_thing",
        ),
    ),
    Criterion(
        "2.1.2",
        "Geen toetsenbordval",
        "A",
        "Esc sluit een halte en het zwarte scherm; de focus kan altijd verder.",
        (f"{B}test_map.py::test_keyboard_only_walk", f"{B}test_present.py::test_blank_screen_and_escape"),
    ),
    Criterion(
        "2.1.4",
        "Enkel teken sneltoetsen",
        "A",
        "De sneltoetsen van één teken in de presentatie (1–7, B, F, .) zijn met een zichtbare instelling uit te zetten.",
        (f"{B}test_present.py::test_single_key_shortcuts_can_be_switched_off",),
    ),
    Criterion("2.2.1", "Timing aanpasbaar", "A", "", not_applicable="De gids kent geen tijdslimieten."),
    Criterion(
        "2.2.2", "Pauzeren, stoppen, verbergen", "A", "", not_applicable="Niets beweegt, knippert of scrolt vanzelf."
    ),
    Criterion(
        "2.3.1",
        "Drie flitsen of beneden drempelwaarde",
        "A",
        "Niets flitst; overgangen vervallen bij prefers-reduced-motion.",
        manual="Geen animatie flitst; de enige overgang (180 ms vervagen) staat in app.css onder prefers-reduced-motion: no-preference.",
    ),
    Criterion(
        "2.4.1",
        "Blokken omzeilen",
        "A",
        'Een link "Direct naar de inhoud" en landmarks (header, main, nav, footer).',
        (f"{B}test_map.py::test_keyboard_only_walk", f"{B}test_map.py::test_axe_reports_no_violations"),
    ),
    Criterion(
        "2.4.2",
        "Paginatitel",
        "A",
        "Elke pagina heeft een eigen titel; in de presentatie volgt de titel de halte.",
        (
            "tests/test_web.py::test_station_page_marks_you_are_here",
            f"{B}test_present.py::test_clicker_and_keyboard_keys",
        ),
    ),
    Criterion(
        "2.4.3",
        "Focusvolgorde",
        "A",
        "Tab volgt de lijn; een geopende halte krijgt de focus op haar titel; Esc brengt de focus terug op de halte.",
        (
            f"{B}test_map_labels.py::test_tab_follows_the_line",
            f"{B}test_map.py::test_keyboard_only_walk",
            f"{B}test_present.py::test_the_blanked_screen_is_inert",
        ),
    ),
    Criterion(
        "2.4.4",
        "Linkdoel (in context)",
        "A",
        'Elke halte-link noemt nummer en naam en "halte n van 7"; vorige/volgende noemen de halte.',
        (
            f"{B}test_map_labels.py::test_each_link_is_named_by_what_it_shows",
            "tests/test_web.py::test_no_in_page_link_points_nowhere",
        ),
    ),
    Criterion(
        "2.4.5",
        "Meerdere manieren",
        "AA",
        "Een halte is te vinden via de kaart, vorige/volgende, het boekje, de foutpagina met alle haltes en de presentatie.",
        (
            "tests/test_web.py::test_unknown_paths_get_a_dutch_404_page",
            "tests/test_web.py::test_booklet_has_every_station_and_the_colophon",
        ),
    ),
    Criterion(
        "2.4.6",
        "Koppen en labels",
        "AA",
        "Koppen volgen de opbouw (Toelichting, Citaten, …); velden hebben een label.",
        (f"{B}test_map.py::test_axe_reports_no_violations", f"{B}test_print.py::test_axe_on_the_booklet"),
    ),
    Criterion(
        "2.4.7",
        "Focus zichtbaar",
        "AA",
        "Een gele achtergrond met donkere rand op elke link en halte; in contrastthema's de systeemkleur Highlight.",
        (
            f"{B}test_forced_colors.py::test_focus_stays_visible_in_a_contrast_theme",
            f"{B}test_map.py::test_keyboard_only_walk",
        ),
    ),
    Criterion(
        "2.5.1",
        "Aanwijzergebaren",
        "A",
        "Vegen in de presentatie heeft knoppen en toetsen als alternatief.",
        (f"{B}test_present.py::test_swipes_on_a_tablet", f"{B}test_present.py::test_clicker_and_keyboard_keys"),
    ),
    Criterion(
        "2.5.2",
        "Aanwijzerannulering",
        "A",
        "Alleen gewone links en knoppen: ze werken bij loslaten.",
        manual="Er is geen eigen afhandeling van mousedown of pointerdown die iets uitvoert (static/app.js, static/present.js).",
    ),
    Criterion(
        "2.5.3",
        "Label in naam",
        "A",
        'De toegankelijke naam van elke halte begint met wat er zichtbaar staat ("3 Leiderschap, halte 3 van 7"), op de kaart van de gids en op de scorekaart; die van een eindstation bevat het.',
        (
            f"{B}test_map_labels.py::test_each_link_is_named_by_what_it_shows",
            f"{B}test_map_labels.py::test_voice_control_finds_a_station_by_its_label",
        ),
    ),
    Criterion("2.5.4", "Bewegingsactivering", "A", "", not_applicable="Niets reageert op bewegen van het apparaat."),
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
    Criterion("3.1.2", "Taal van onderdelen", "AA", "", not_applicable="Alle tekst is Nederlands."),
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
    Criterion(
        "3.3.4",
        "Foutpreventie (wettelijk, financieel, gegevens)",
        "AA",
        "",
        not_applicable="De gids legt geen verplichtingen of gegevens vast.",
    ),
    Criterion(
        "4.1.1",
        "Parsen",
        "A",
        "De pagina's komen uit één set sjablonen met automatisch ontsnapte tekst; axe controleert dubbele id's.",
        (f"{B}test_map.py::test_axe_reports_no_violations", "tests/test_web.py::test_no_in_page_link_points_nowhere"),
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
