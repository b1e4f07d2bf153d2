"""Problems found in a topic package: readable text plus a code to translate.

A :class:`Problem` is a ``str`` (the English sentence, for logs and tests)
that also carries a ``code`` and its ``params``, so an application can show
it in the user's language.
"""


class Problem(str):
    """One problem; ``str(problem)`` is the English sentence."""

    code: str
    params: dict

    def __new__(cls, code, template, **params):
        problem = super().__new__(cls, template.format(**params))
        problem.code = code
        problem.params = params
        return problem
