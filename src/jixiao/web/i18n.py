"""The language of the request, for the core's bilingual messages.

The web's own text is translated by Django's gettext (``{% translate %}``, ``gettext``; catalogue
``jixiao/locale/en/LC_MESSAGES/django.po``). The language is chosen once per request, by
``ChineseFirstLocaleMiddleware`` from the language switch's cookie; these helpers only read it, to
pass ``lang`` to the core (``JixiaoError.message(lang)``, ``describe_target(text, lang)``).
"""

from __future__ import annotations

from django.utils import translation

__all__ = ["is_en", "lang"]


def is_en() -> bool:
    """Return True when the active language is English."""
    return (translation.get_language() or "zh").lower().startswith("en")


def lang() -> str:
    """Return 'en' or 'zh' for the domain messages (JixiaoError.message)."""
    return "en" if is_en() else "zh"
