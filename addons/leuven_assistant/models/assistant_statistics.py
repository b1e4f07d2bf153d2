from odoo import fields, models, tools
from odoo.tools import SQL

from .assistant_session import SESSION_CHANNELS, SESSION_STATES


class AssistantStatistics(models.Model):
    """The use of the assistant without personal data, for topic authors.

    One row per session with only what the statistics need (topic, channel,
    state, where it stopped, the outcome, the number of answers and the day):
    no customer, no answers, no case, no agent. Sessions themselves follow the
    need-to-know of their case (see the record rules of ``assistant.session``).
    """

    _name = "assistant.statistics"
    _description = "Assistant Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "topic_code"

    topic_id = fields.Many2one("assistant.topic", readonly=True)
    topic_code = fields.Char(readonly=True)
    topic_version = fields.Char(readonly=True)
    channel = fields.Selection(SESSION_CHANNELS, readonly=True)
    state = fields.Selection(SESSION_STATES, readonly=True)
    step_count = fields.Integer(
        string="Questions Answered", readonly=True, aggregator="avg"
    )
    last_question = fields.Char(string="Stopped At", readonly=True)
    outcome = fields.Char(readonly=True)
    is_preview = fields.Boolean(readonly=True)
    date = fields.Date(string="Started", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT s.id,
                       s.topic_id,
                       s.topic_code,
                       s.topic_version,
                       s.channel,
                       s.state,
                       s.step_count,
                       s.last_question,
                       s.outcome,
                       s.is_preview,
                       s.create_date::date AS date
                  FROM assistant_session s
            )
            """,
                SQL.identifier(self._table),
            )
        )
