"""The core's one translation catalogue: gettext, msgid = the Chinese source text.

Every message, report line and command-line text of the core (domain, formats, review, evaluation,
records, corpus, services, cli) is written in Chinese in the code and translated through
``locale/<lang>/LC_MESSAGES/jixiao.po`` (shipped inside the package, beside the web's
``django.po``)::

    tr("等级分布", lang)                          # "Grades" in English
    tr("申报表 {n} 张", lang, n=3)                 # str.format after the lookup
    GRADE_WORDS = {EXCELLENT: N_("优"), ...}      # marks a msgid defined away from its lookup

The language is always an argument (``"zh"`` or ``"en"``; see :func:`normalize_lang`): nothing is
read from the environment or from Django, so a web request and a command pass their own choice.

The ``.po`` file is the only source: it is parsed with Babel at the first lookup in a language and
compiled in memory into a stdlib :class:`gettext.GNUTranslations` (cached), so a fresh clone, the
wheel and the tests need no ``msgfmt`` step and no ``.mo`` file that could go stale. Fuzzy entries
are left out, as ``msgfmt`` does: a fuzzy or missing translation falls back to the Chinese msgid.
``tests/domain/test_i18n.py`` checks that every msgid the code uses has a translation.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_LANG",
    "DOMAIN",
    "LANGS",
    "LANG_ENV",
    "LOCALE_DIR",
    "NC_",
    "N_",
    "catalogue_path",
    "MONTHS",
    "lang_from_env",
    "month_name",
    "month_span",
    "normalize_lang",
    "tr",
    "trc",
    "trn",
    "translations",
]

DOMAIN = "jixiao"
LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"  # the source language: its "translation" is the msgid itself
LANG_ENV = "JIXIAO_LANG"
# src/jixiao/locale, beside Django's catalogues of the web application.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue where it is defined; translate it later with :func:`tr`."""
    return msgid


def NC_(context: str, msgid: str) -> str:
    """Mark ``msgid`` under ``context`` for the catalogue; translate it later with :func:`trc`."""
    return msgid


# Called for every message of every finding of a batch review: the few tags in use are remembered.
@lru_cache(maxsize=256)
def normalize_lang(lang: str | None) -> str:
    """Return ``"en"`` for any English tag (``en``, ``en-GB``, ``en_US.UTF-8``), else ``"zh"``."""
    return "en" if lang and lang.strip().lower().startswith("en") else DEFAULT_LANG


def lang_from_env(explicit: str | None, env: Mapping[str, str]) -> str:
    """Return 'en' or 'zh': an explicit choice wins, else ``JIXIAO_LANG``, ``LC_ALL``, ``LANG``."""
    if explicit:
        return normalize_lang(explicit)
    for key in (LANG_ENV, "LC_ALL", "LANG"):
        value = env.get(key, "")
        if value:
            return normalize_lang(value)
    return DEFAULT_LANG


def catalogue_path(lang: str) -> Path:
    """Return the ``.po`` file of ``lang`` (``locale/en/LC_MESSAGES/jixiao.po``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Return the gettext translations of ``lang``, compiled from its ``.po`` at the first call."""
    lang = normalize_lang(lang)
    path = catalogue_path(lang)
    if lang == DEFAULT_LANG or not path.is_file():
        return gettext.NullTranslations()
    # Babel only here: importing it costs a few milliseconds, paid once and only for English.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def tr(msgid: str, lang: str | None, /, **values: Any) -> str:
    """Return ``msgid`` in ``lang``, then ``str.format(**values)`` when values are given."""
    code = normalize_lang(lang)
    # The source language's "translation" is the msgid itself (translations() gives it a
    # NullTranslations): no catalogue lookup for it.
    text = translations(code).gettext(msgid) if msgid and code != DEFAULT_LANG else msgid
    return text.format(**values) if values else text


def trn(singular: str, plural: str, n: int, lang: str | None, /, **values: Any) -> str:
    """Return the singular or plural form for ``n`` in ``lang``; ``n`` is also a format value."""
    text = translations(normalize_lang(lang)).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def trc(context: str, msgid: str, lang: str | None, /, **values: Any) -> str:
    """Return ``msgid`` in ``lang`` under ``context`` (msgctxt), for a word with several senses."""
    text = translations(normalize_lang(lang)).pgettext(context, msgid)
    return text.format(**values) if values else text


# The months as the forms print them (1月 … 12月); English names them (January … December).
MONTHS: tuple[str, ...] = (
    N_("1月"),
    N_("2月"),
    N_("3月"),
    N_("4月"),
    N_("5月"),
    N_("6月"),
    N_("7月"),
    N_("8月"),
    N_("9月"),
    N_("10月"),
    N_("11月"),
    N_("12月"),
)


def month_name(month: int, lang: str | None) -> str:
    """Return month ``month`` (1–12): ``7月`` / ``July``; another number as it is."""
    return tr(MONTHS[month - 1], lang) if 1 <= month <= 12 else str(month)


def month_span(first: int, last: int, lang: str | None, year: int | None = None) -> str:
    """Return a span of months, ``2022年1–7月`` / ``January–July 2022`` (one month: ``2022年7月``)."""
    if first == last:
        span = month_name(last, lang)
    else:
        span = tr(
            "{first}–{last}月",
            lang,
            first=first,
            last=last,
            first_en=month_name(first, "en"),
            last_en=month_name(last, "en"),
        )
    return span if year is None else tr("{year}年{months}", lang, year=year, months=span)
