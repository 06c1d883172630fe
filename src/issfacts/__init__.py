"""issfacts: sourced facts about US-Russian cooperation and incidents on the ISS."""

__version__ = "1.0.0"
