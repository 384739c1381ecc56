"""The rule catalogue, one module per family. Importing this package registers every rule."""

from jixiao.review.rules import (
    ambition,
    completeness,
    design,
    funding,
    peers,
    profile,
    quantification,
    relevance,
    sense,
)

__all__ = [
    "ambition",
    "completeness",
    "design",
    "funding",
    "peers",
    "profile",
    "quantification",
    "relevance",
    "sense",
]
