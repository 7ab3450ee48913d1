"""Every URL of a live session, relative to the page being rendered (like app/urls.py for the guide)."""

from __future__ import annotations

from dataclasses import dataclass

from app.urls import Urls


@dataclass(frozen=True)
class SessionUrls:
    urls: Urls  # the guide's URLs as seen from the current page
    code: str

    def attendee(self) -> str:
        return f"{self.urls.root}s/{self.code}"

    def answer(self) -> str:
        return f"{self.urls.root}s/{self.code}/antwoord"

    def events(self) -> str:
        return f"{self.urls.root}s/{self.code}/events"

    def result(self) -> str:
        return f"{self.urls.root}s/{self.code}/uitslag"

    def result_csv(self) -> str:
        return f"{self.urls.root}s/{self.code}/uitslag.csv"

    def result_pdf(self) -> str:
        return f"{self.urls.root}s/{self.code}/uitslag.pdf"

    def write(self) -> str:
        """Where an attendee posts a written answer."""
        return f"{self.urls.root}s/{self.code}/schrijven"

    def group(self) -> str:
        """Where an attendee posts their partner and role, once."""
        return f"{self.urls.root}s/{self.code}/groep"

    def differences(self) -> str:
        """Where the partners and roles differ: for the projector, figures of large enough groups only."""
        return f"{self.urls.root}s/{self.code}/verschillen"

    def moderation(self) -> str:
        """The facilitator's list of written answers to approve, hide, merge and group."""
        return f"{self.urls.root}sessies/{self.code}/antwoorden/"

    def moderate(self, answer_id: int) -> str:
        return f"{self.urls.root}sessies/{self.code}/antwoorden/{answer_id}"

    def prompt(self) -> str:
        """Where the facilitator chooses the question attendees write to at a stop."""
        return f"{self.urls.root}sessies/{self.code}/vraag"

    def traject(self) -> str:
        """The facilitator's traject page (GET, with a slash) and where its key is made (POST)."""
        return f"{self.urls.root}sessies/{self.code}/traject"

    def move(self) -> str:
        return f"{self.urls.root}sessies/{self.code}/halte"

    def delete(self) -> str:
        return f"{self.urls.root}sessies/{self.code}/verwijderen"

    def facilitator_events(self) -> str:
        return f"{self.urls.root}sessies/{self.code}/events"

    def offer_takeover(self) -> str:
        """Where the facilitator asks for a one-time link to go on on another device."""
        return f"{self.urls.root}sessies/{self.code}/overdracht"

    def take_over(self) -> str:
        """The page (GET) and form (POST) a second device uses; the token goes in the fragment."""
        return f"{self.urls.root}sessies/{self.code}/overnemen/"

    def join_qr(self) -> str:
        return f"{self.urls.root}s/{self.code}/qr.svg"


def join_address(base_url: str, code: str) -> str:
    """The full address attendees open; `base_url` ends in "/"."""
    return f"{base_url}s/{code}"


def deck_path(code: str, slug: str | None = None) -> str:
    """The facilitator's slide, from the site root (the facilitator's cookie says who may open it)."""
    return f"sessies/{code}/presenteren/{slug or ''}"


def take_over_address(base_url: str, code: str, token: str) -> str:
    """The one-time link for a second device: the token in the fragment, which no server or log sees."""
    return f"{base_url}sessies/{code}/overnemen/#{token}"


@dataclass(frozen=True)
class DeckUrls(Urls):
    """The guide's URLs in the facilitator's deck: every slide is a slide of this session."""

    code: str = ""

    def slide(self, slug: str | None = None) -> str:
        return f"{self.root}{deck_path(self.code, slug)}"
