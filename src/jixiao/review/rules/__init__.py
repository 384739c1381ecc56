"""The rule catalogue, one module per family. Importing this package registers every rule."""

from jixiao.review.rules import ambition, completeness, funding, profile, quantification, relevance

__all__ = ["ambition", "completeness", "funding", "profile", "quantification", "relevance"]
