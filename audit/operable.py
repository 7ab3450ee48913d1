"""Principle 2, bedienbaar: the criteria 2.x of WCAG 2.2 at level A and AA."""

from __future__ import annotations

from audit.criterion import B, Criterion, not_applicable

OPERABLE: tuple[Criterion, ...] = (
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
    not_applicable("2.2.1", "Timing aanpasbaar", "A", "De gids kent geen tijdslimieten."),
    not_applicable("2.2.2", "Pauzeren, stoppen, verbergen", "A", "Niets beweegt, knippert of scrolt vanzelf."),
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
        "2.4.11",
        "Focus niet bedekt (minimum)",
        "AA",
        "Wie met Tab (en terug met Shift+Tab) door een pagina gaat, ziet het element met de focus altijd, ook "
        "onder de kaart die bij een open halte boven blijft staan (scroll-padding).",
        (f"{B}test_wcag22.py::test_focus_is_never_hidden_behind_other_content",),
    ),
    Criterion(
        "2.5.7",
        "Sleepbewegingen",
        "AA",
        "Niets hoeft gesleept te worden: geen pagina luistert naar slepen of een bewegende aanwijzer; vegen in de "
        "presentatie is begin en eind, met knoppen en toetsen ernaast.",
        (f"{B}test_wcag22.py::test_nothing_needs_dragging", f"{B}test_present.py::test_swipes_on_a_tablet"),
    ),
    Criterion(
        "2.5.8",
        "Grootte van het aanwijsgebied (minimum)",
        "AA",
        "Elk aanwijsgebied is minstens 24 × 24 CSS-pixels, of heeft er ruimte omheen (een cirkel van 24 px raakt "
        "geen ander), gemeten op elke soort pagina, breed en smal; links in een zin zijn de uitzondering.",
        (f"{B}test_wcag22.py::test_every_target_is_24px_or_has_room_around_it",),
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
            f"{B}test_accessibility_text.py::test_the_name_of_every_map_link_holds_what_it_shows",
        ),
    ),
    not_applicable("2.5.4", "Bewegingsactivering", "A", "Niets reageert op bewegen van het apparaat."),
)
