"""Offline knowledge base: typical public fees, industry positioning, web, martech, content and
channel patterns. Figures are indicative published fees and market rates for planning, not quotes;
every offline answer says so."""
