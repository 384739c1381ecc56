"""The official forms drawn from one layout description: Excel cells, Typst PDF and HTML.

:mod:`.layout` describes each form as a grid of cells; :mod:`.grid` reads such a grid back;
:mod:`.pdf` renders PDF through Typst (``forms.typ``); :mod:`.html` renders the same grid as HTML.
"""
