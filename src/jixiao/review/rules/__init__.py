"""The rules' checks, one module per family; what each rule is, is its entry in catalogue.toml.

Importing this package registers every rule, and fails when an entry of the catalogue has no check.
"""

from jixiao.review.registry import check_catalogue
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

check_catalogue()

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
