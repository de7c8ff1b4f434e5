"""Nice classes (12th edition) a business files first, by industry, most important first.

A first filing covers what the business sells: goods in their own class (beer 32, bread 30) and
the service it runs (a café 43). Matching is by whole words, in English and a few other
languages, so "Craft brewery", "Microbrewery" and "Brauerei" all land on the brewery entry.
"""

from __future__ import annotations

from agents.knowledge.places import norm

DEFAULT_CLASSES = (35,)  # retail and business services: the safe first class when nothing matches

# (classes, synonyms). Longer phrases win over shorter ones ("pet grooming" over "pet").
INDUSTRIES: tuple[tuple[tuple[int, ...], tuple[str, ...]], ...] = (
    ((30, 43), ("bakery", "bakeries", "baker", "bakehouse", "patisserie", "pastry", "boulangerie",
                "backerei", "baeckerei", "konditorei", "panaderia", "cake shop")),
    ((32, 43), ("brewery", "breweries", "microbrewery", "craft brewery", "brewpub", "brewing", "beer",
                "craft beer", "brauerei", "cerveceria", "birrificio", "brouwerij")),
    ((30, 43), ("coffee", "coffee roaster", "coffee roastery", "roastery", "roaster", "kaffeerosterei")),
    ((43, 30), ("cafe", "cafes", "coffee shop", "coffeehouse", "coffee house", "tea room", "kaffeehaus")),
    ((43,), ("restaurant", "restaurants", "bistro", "diner", "eatery", "catering", "caterer",
             "food truck", "bar", "cocktail bar", "pub", "gastropub", "takeaway", "ghost kitchen",
             "gaststatte")),
    ((9, 42), ("software", "app", "apps", "mobile app", "app development", "developer tools")),
    ((42, 9), ("saas", "software as a service", "cloud platform", "platform", "ai", "artificial intelligence",
               "machine learning", "data analytics", "cybersecurity", "it services", "web design",
               "web development", "hosting", "cloud storage", "devops")),
    ((20, 35), ("furniture", "furnishings", "mobel", "meubles", "muebles", "home decor")),
    ((44,), ("clinic", "dental", "dentist", "dental clinic", "medical", "medical clinic", "physiotherapy",
             "physio", "chiropractic", "healthcare", "health care", "hospital", "doctor", "praxis",
             "zahnarzt", "optometrist", "hair salon", "salon", "barber", "barbershop", "spa",
             "beauty salon", "massage", "tattoo", "landscaping", "landscape gardening", "gardening")),
    ((25, 35), ("fashion", "apparel", "clothing", "clothes", "garments", "streetwear", "footwear", "shoes",
                "bekleidung", "vetements", "ropa", "swimwear", "lingerie")),
    ((3, 35), ("cosmetics", "cosmetic", "beauty", "skincare", "skin care", "makeup", "perfume", "fragrance",
               "soap", "kosmetik", "cosmetiques", "haircare")),
    ((14, 35), ("jewellery", "jewelry", "jeweller", "jeweler", "watches", "schmuck", "bijoux", "joyeria")),
    ((41,), ("gym", "fitness", "fitness studio", "personal training", "yoga", "pilates", "crossfit",
             "martial arts", "sports club", "fitnessstudio", "education", "school", "tutoring", "training",
             "courses", "coaching", "academy", "film", "movie", "film production", "video production",
             "photography", "photographer", "events", "event", "event management", "festival",
             "entertainment", "theatre", "theater", "nightclub", "casino", "gambling", "betting",
             "translation", "university")),
    ((41, 9), ("online courses", "e-learning", "elearning", "edtech", "music", "musician", "record label",
               "podcast", "band")),
    ((36, 9), ("fintech", "payments", "payment", "neobank", "crypto", "cryptocurrency", "blockchain",
               "wallet", "insurtech")),
    ((36,), ("finance", "financial services", "bank", "banking", "lending", "loans", "investment",
             "wealth management", "asset management", "insurance", "insurer", "real estate",
             "property management", "realtor", "real estate agency", "estate agent", "mortgage broker",
             "immobilien", "fundraising platform")),
    ((43,), ("hotel", "hotels", "hostel", "guesthouse", "bed and breakfast", "motel", "resort",
             "vacation rental", "holiday lets")),
    ((39, 43), ("travel agency", "travel agent", "tour operator", "tours", "travel", "reisebuero",
                "reiseburo")),
    ((45,), ("legal", "legal services", "law firm", "lawyer", "attorney", "solicitor", "notary",
             "kanzlei", "security services", "security guard", "private investigator", "dating",
             "pet sitting", "dog walking")),
    ((35,), ("consulting", "consultancy", "management consulting", "business consulting", "advisory",
             "marketing", "marketing agency", "advertising", "ad agency", "digital marketing", "pr",
             "public relations", "seo", "recruitment", "staffing", "accounting", "bookkeeping",
             "ecommerce", "e-commerce", "online store", "online shop", "retail", "shop", "store",
             "marketplace", "dropshipping", "beratung", "werbeagentur")),
    ((37,), ("construction", "builder", "builders", "contractor", "renovation", "remodeling", "roofing",
             "plumbing", "plumber", "electrician", "hvac", "cleaning", "cleaning services", "janitorial",
             "maid service", "car wash", "bau", "handwerk")),
    ((39,), ("logistics", "freight", "shipping", "courier", "delivery", "trucking", "moving",
             "removals", "warehousing", "storage", "taxi", "ride hailing", "airline", "car rental",
             "spedition")),
    ((31, 35), ("pet products", "pet food", "pet supplies", "pet store", "pet shop", "pet", "pets",
                "florist", "flowers", "flower shop", "plant nursery", "garden centre", "garden center",
                "blumen")),
    ((44,), ("pet care", "pet grooming", "dog grooming", "veterinary", "vet", "veterinarian",
             "animal hospital", "tierarzt")),
    ((28,), ("toys", "toy", "board games", "puzzles", "spielwaren", "jouets")),
    ((9, 41, 28), ("games", "gaming", "video games", "game studio", "esports", "mobile games")),
    ((5, 34), ("cannabis", "marijuana", "dispensary", "hemp")),
    ((5, 3), ("cbd", "cbd oil")),
    ((33,), ("wine", "winery", "vineyard", "wines", "spirits", "distillery", "gin", "vodka", "whisky",
             "whiskey", "rum", "liquor", "cider", "weingut", "bodega", "vin")),
    ((30,), ("tea", "teas", "chocolate", "chocolatier", "confectionery", "candy", "sweets", "ice cream",
             "honey", "spices", "schokolade")),
    ((5,), ("pharma", "pharmaceutical", "pharmaceuticals", "drugs", "biotech", "supplements",
            "dietary supplements", "nutraceuticals", "vitamins")),
    ((10,), ("medical devices", "medical device", "medtech", "medical equipment", "hearing aids")),
    ((9,), ("electronics", "consumer electronics", "hardware", "gadgets", "wearables", "eyewear",
            "sunglasses", "drones", "robotics")),
    ((16, 41), ("publishing", "publisher", "books", "magazine", "bookshop", "stationery", "verlag")),
    ((42,), ("architecture", "architect", "architects", "engineering", "interior design", "design studio",
             "research", "laboratory")),
    ((37, 9, 40), ("solar", "solar energy", "solar panels", "photovoltaic", "pv", "renewable energy",
                   "renewables", "energy")),
    ((12, 37), ("automotive", "auto", "car", "cars", "car dealership", "auto repair", "garage",
                "mechanic", "ev charging", "electric vehicles", "kfz")),
    ((12,), ("bicycles", "bicycle", "bikes", "bike", "e-bikes", "ebikes", "bike shop", "cycling", "fahrrad")),
    ((31, 44), ("agriculture", "farm", "farming", "agritech", "produce", "orchard", "nursery plants",
                "landwirtschaft")),
    ((38,), ("telecom", "telecommunications", "telco", "isp", "internet provider", "mobile network",
             "broadcasting")),
    ((43, 41), ("childcare", "child care", "daycare", "day care", "nursery", "preschool", "kindergarten",
                "creche", "kita")),
    ((36, 35), ("nonprofit", "non-profit", "non profit", "charity", "charitable", "foundation", "ngo",
                "verein", "association")),
    ((32,), ("energy drinks", "soft drinks", "juice", "juices", "kombucha", "mineral water", "soda",
             "lemonade")),
    ((29,), ("meat", "butcher", "charcuterie", "dairy", "cheese", "cheesemonger", "olive oil", "jams",
             "seafood")),
    ((4,), ("candles", "candle")),
    ((18, 35), ("leather goods", "handbags", "bags", "luggage")),
    ((40,), ("printing", "3d printing", "print shop", "custom manufacturing", "tailoring")),
    ((44, 35, 5), ("pharmacy", "chemist", "apotheke")),
)  # fmt: skip


def _tokens(text: str) -> list[str]:
    return norm(text.replace("-", " ").replace("&", " ")).split()


def _phrases() -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    phrases = [(tuple(_tokens(word)), classes) for classes, words in INDUSTRIES for word in words]
    return sorted(phrases, key=lambda item: -len(item[0]))


_PHRASES = _phrases()


def _match(industry: str) -> tuple[int, ...] | None:
    """The entry of the longest phrase found; among equals, the one named last (the head noun)."""
    words = _tokens(industry or "")
    best: tuple[int, int, tuple[int, ...]] | None = None
    for phrase, classes in _PHRASES:
        size = len(phrase)
        for start in range(len(words) - size + 1):
            if tuple(words[start : start + size]) == phrase:
                key = (size, start, classes)
                if best is None or key[:2] > best[:2]:
                    best = key
    return best[2] if best else None


def classes_for(industry: str) -> tuple[int, ...]:
    """The 1–3 Nice classes to file first; (35,) when the industry is not in the table."""
    return _match(industry) or DEFAULT_CLASSES


def known_industry(industry: str) -> bool:
    """Whether `classes_for` found the industry rather than falling back to class 35."""
    return _match(industry) is not None
