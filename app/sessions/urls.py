"""Every URL of a live session, relative to the page being rendered (like app/urls.py for the guide)."""

from __future__ import annotations

from dataclasses import dataclass

from app.urls import Urls, attendee_path, facilitator_path


@dataclass(frozen=True)
class SessionUrls:
    urls: Urls  # the guide's URLs as seen from the current page
    code: str

    def attendee(self) -> str:
        return self.urls.to(attendee_path(self.code))

    def answer(self) -> str:
        return self.urls.to(attendee_path(self.code, "antwoord"))

    def events(self) -> str:
        return self.urls.to(attendee_path(self.code, "events"))

    def result(self) -> str:
        return self.urls.to(attendee_path(self.code, "uitslag"))

    def result_csv(self) -> str:
        return self.urls.to(attendee_path(self.code, "uitslag.csv"))

    def result_pdf(self) -> str:
        return self.urls.to(attendee_path(self.code, "uitslag.pdf"))

    def write(self) -> str:
        """Where an attendee posts a written answer."""
        return self.urls.to(attendee_path(self.code, "schrijven"))

    def group(self) -> str:
        """Where an attendee posts their partner and role, once."""
        return self.urls.to(attendee_path(self.code, "groep"))

    def differences(self) -> str:
        """Where the partners and roles differ: for the projector, figures of large enough groups only."""
        return self.urls.to(attendee_path(self.code, "verschillen"))

    def moderation(self) -> str:
        """The facilitator's list of written answers to approve, hide, merge and group."""
        return self.urls.to(facilitator_path(self.code, "antwoorden/"))

    def moderate(self, answer_id: int) -> str:
        return self.urls.to(facilitator_path(self.code, f"antwoorden/{answer_id}"))

    def prompt(self) -> str:
        """Where the facilitator chooses the question attendees write to at a stop."""
        return self.urls.to(facilitator_path(self.code, "vraag"))

    def traject(self) -> str:
        """The facilitator's traject page (GET, with a slash) and where its key is made (POST)."""
        return self.urls.to(facilitator_path(self.code, "traject"))

    def move(self) -> str:
        return self.urls.to(facilitator_path(self.code, "halte"))

    def delete(self) -> str:
        return self.urls.to(facilitator_path(self.code, "verwijderen"))

    def facilitator_events(self) -> str:
        return self.urls.to(facilitator_path(self.code, "events"))

    def offer_takeover(self) -> str:
        """Where the facilitator asks for a one-time link to go on on another device."""
        return self.urls.to(facilitator_path(self.code, "overdracht"))

    def take_over(self) -> str:
        """The page (GET) and form (POST) a second device uses; the token goes in the fragment."""
        return self.urls.to(facilitator_path(self.code, "overnemen/"))

    def join_qr(self) -> str:
        return self.urls.to(attendee_path(self.code, "qr.svg"))


def join_address(base_url: str, code: str) -> str:
    """The full address attendees open; `base_url` ends in "/"."""
    return base_url + attendee_path(code)


def take_over_address(base_url: str, code: str, token: str) -> str:
    """The one-time link for a second device: the token in the fragment, which no server or log sees."""
    return base_url + facilitator_path(code, "overnemen/") + f"#{token}"
