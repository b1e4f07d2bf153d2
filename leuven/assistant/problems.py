"""Problems found in a topic package: readable text plus a code to translate.

A :class:`Problem` is a ``str`` (the English sentence, for logs and tests)
that also carries a ``code`` and its ``params``, so an application can show
it in the user's language, its ``severity`` (``"error"``: the topic cannot be
published nor imported; ``"warning"``: suspicious) and the ``path`` to what it
is about (``questions/<id>``, ``rules/<id>``, ``outcomes/<id>``, ``package``).
"""

# Merely suspicious: shown to the author, publishing is not refused.
WARNINGS = frozenset(
    (
        "unused_question",
        "unused_option",
        "impossible_comparison_rule",
        "impossible_comparison_question",
        "question_never_shown",
        "rule_never_fires",
        "not_proven",
        "not_exact",
    )
)


class Problem(str):
    """One problem; ``str(problem)`` is the English sentence."""

    code: str
    params: dict

    def __new__(cls, code, template, **params):
        problem = super().__new__(cls, template.format(**params))
        problem.code = code
        problem.params = params
        return problem

    @property
    def severity(self):
        return "warning" if self.code in WARNINGS else "error"

    @property
    def path(self):
        for key, prefix in (
            ("rule", "rules"),
            ("question", "questions"),
            ("outcome", "outcomes"),
        ):
            if self.params.get(key) is not None:
                return f"{prefix}/{self.params[key]}"
        return self.params.get("where") or "package"
