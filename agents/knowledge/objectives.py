"""Which specialists an objective calls for, from the words it uses."""

from __future__ import annotations

from agents.state import SPECIALISTS

KEYWORDS: dict[str, tuple[str, ...]] = {
    "legal": ("incorporat", "register", "trademark", "legal", "contract", "compliance", "entity",
              "llc", "company formation", "terms", "privacy", "licen"),
    "branding": ("brand", "name", "logo", "identity", "position", "rebrand", "awareness"),
    "webdev": ("website", "site", "web", "landing", "online store", "ecommerce", "app"),
    "martech": ("crm", "email", "automation", "analytics", "tracking", "funnel", "lead"),
    "content": ("content", "blog", "seo", "newsletter", "social", "thought leadership", "video"),
    "campaigns": ("campaign", "ads", "advertis", "acquisition", "customers", "sales", "leads",
                  "growth", "signups", "traffic", "promot", "awareness"),
}
# Broad objectives that need the whole team.
EVERYONE = ("launch", "go to market", "go-to-market", "start", "open", "new business", "market entry")


def agents_for(objectives: list[str]) -> list[str]:
    """Specialists the objectives call for, in catalogue order; all of them for a launch."""
    text = " ".join(objectives).lower()
    if any(word in text for word in EVERYONE):
        return list(SPECIALISTS)
    wanted = [agent for agent in SPECIALISTS if any(word in text for word in KEYWORDS[agent])]
    return wanted or list(SPECIALISTS)
