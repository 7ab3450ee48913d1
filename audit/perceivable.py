"""Principle 1, waarneembaar: the criteria 1.x of WCAG 2.2 at level A and AA."""

from __future__ import annotations

from audit.criterion import B, Criterion, not_applicable

PERCEIVABLE: tuple[Criterion, ...] = (
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
    not_applicable(
        "1.2.1", "Louter-geluid en louter-video (vooraf opgenomen)", "A", "De gids bevat geen geluid of video."
    ),
    not_applicable("1.2.2", "Ondertitels (vooraf opgenomen)", "A", "De gids bevat geen video."),
    not_applicable(
        "1.2.3", "Audiodescriptie of media-alternatief (vooraf opgenomen)", "A", "De gids bevat geen video."
    ),
    not_applicable("1.2.4", "Ondertitels (live)", "AA", "De gids bevat geen live geluid of video."),
    not_applicable("1.2.5", "Audiodescriptie (vooraf opgenomen)", "AA", "De gids bevat geen video."),
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
    not_applicable("1.3.5", "Identificeer het doel van de input", "AA", "De gids vraagt geen persoonsgegevens."),
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
    not_applicable("1.4.2", "Geluidsbediening", "A", "De gids speelt geen geluid af."),
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
        "Maten in rem; de presentatie, die het scherm vult, vermenigvuldigt haar maten met de tekstgrootte van de "
        "browser, en de kaart groeit mee (de liggende lijn schuift in zijn eigen strook, of de staande lijn in rem). "
        "Gemeten met een standaardlettergrootte van 32 px (200 %): elke gemeten tekst is minstens twee keer zo "
        "groot, op de kaart, een halte, de scan, de presentatie, en de pagina's van deelnemer, gespreksleider en uitslag.",
        (
            f"{B}test_accessibility_text.py::test_text_grows_with_the_browser_text_size",
            f"{B}test_map.py::test_screenshots",
        ),
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
            f"{B}test_accessibility_text.py::test_no_page_is_wider_than_320px",
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
    not_applicable(
        "1.4.13", "Content bij hover of focus", "AA", "De gids toont geen extra content bij hover of focus."
    ),
)
