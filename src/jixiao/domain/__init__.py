"""The pure core of jixiao: model, target grammar, money, frameworks, errors. No Django, no I/O."""
