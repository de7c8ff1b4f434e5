"""A site asked to take bookings gets the subscription that takes them (agents/knowledge/web.py
`booking_tool`): the hotel's "website with a booking engine" was priced as pages alone."""

from __future__ import annotations

import pytest

from agents.knowledge import market
from agents.knowledge.web import booking_tool
from tests.unit.report.test_report_corpus import report_of


@pytest.mark.parametrize(("industry", "text", "tool"), [
    ("hospitality", "Redesign the website with a booking engine", "booking_engine"),
    ("food", "A new site with online reservations", "table_reservations"),
    ("food", "Build a reservations page on the site", "table_reservations"),
    ("food", "Take table reservations online", "table_reservations"),
    ("fitness", "Let members book online", "appointments"),
    ("fitness", "Let members book classes online", "appointments"),
    ("healthcare", "Nueva web con reservas online", "appointments"),
    ("hospitality", "Webseite mit Online-Buchung", "booking_engine"),
    ("food", "Site avec réservation en ligne", "table_reservations"),
    ("healthcare", "Lanzar la web con cita online", "appointments"),
    ("healthcare", "Website mit Online-Terminbuchung", "appointments"),
    ("beauty", "Site avec prise de rendez-vous en ligne", "appointments"),
    ("healthcare", "Offer online appointments", "appointments"),
    ("hospitality", "Redesign the website", None),
    ("retail", "Increase direct bookings to 40%", None),
])  # fmt: skip
def test_the_tool_follows_what_the_trade_books(industry: str, text: str, tool: str | None) -> None:
    assert booking_tool(industry, [text]) == tool


def test_the_hotel_site_carries_its_booking_engine() -> None:
    report, markdown = report_of("hotel_lisbon_direct_bookings.json")
    site = next(task for task in report.tasks if task.kind == "site")
    name, price = market.SUBSCRIPTIONS["booking_engine"]["growth"]
    assert f"| Online booking: {name} | {site.id} | 9 months | ${price:,.2f} |" in markdown
    assert site.status == "funded"
