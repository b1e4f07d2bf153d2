import json

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import publish_topic


@tagged("post_install", "-at_install")
class TestAssistantRetention(TransactionCase):
    def test_anonymising_a_case_clears_its_session_but_keeps_the_statistics(self):
        topic = publish_topic(self.env, "bewonersparkeerkaart")
        citizen = self.env["res.partner"].create({"name": "Jan Peeters"})
        session = self.env["assistant.session"]._start(topic, "website", citizen)
        session._record_answers({"woont_in_leuven": True, "in_zone": False})
        case = session._handoff("Ik verhuis naar de Naamsestraat.")
        other = self.env["assistant.session"]._start(topic, "website", citizen)
        other._record_answers({"woont_in_leuven": False})
        case._anonymise()
        self.assertEqual(json.loads(session.answers), {})
        self.assertFalse(session.partner_id)
        self.assertEqual(
            (session.state, session.outcome, session.step_count),
            ("handed_off", "geen_zone", 2),
            "the statistics stay right",
        )
        self.assertEqual(other.partner_id, citizen, "a session of another case stays")
