# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Rules lead to their outcome by key (assistant.rule.outcome_key).

The key is filled in from the outcome each existing rule points to, before the
column becomes required. The states of the topic versions are unchanged: a
published version stays published (the review applies to new versions).
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE assistant_rule ADD COLUMN IF NOT EXISTS outcome_key varchar"
    )
    cr.execute(
        """
        UPDATE assistant_rule rule
           SET outcome_key = outcome.key
          FROM assistant_outcome outcome
         WHERE outcome.id = rule.outcome_id
           AND rule.outcome_key IS NULL
        """
    )
