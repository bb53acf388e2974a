"""tqe's version, at the bottom of the house so every stage that records it imports it downward."""

__version__ = "0.1.0"
