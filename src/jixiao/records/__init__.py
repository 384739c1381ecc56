"""Operational records (grid cases, 12345 work orders, call-backs) and the indicators they answer.

Pure Python plus DuckDB and Arrow, no Django: :mod:`schema` (the record fields), :mod:`mapping`
(columns proposed from header names), :mod:`reader` (CSV/Excel in, one error per bad row),
:mod:`binding` (an indicator's definition as data), :mod:`propose` (default bindings for the seed
indicators), :mod:`engine` (values for every cut-off month in one scan, and the records behind a
miss), :mod:`projection` (the early-warning light) and :mod:`synthetic` (a seeded district).
"""

from jixiao.records.binding import Binding, Condition
from jixiao.records.engine import Actual, RecordSet, Series
from jixiao.records.propose import Proposal, propose_binding

__all__ = ["Actual", "Binding", "Condition", "Proposal", "RecordSet", "Series", "propose_binding"]
