import json

from odoo import http
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import EnergyFixture

NATIONAL_NUMBER = "79041234512"


class NoticeFixture(EnergyFixture):
    @classmethod
    def setup_notice(cls):
        cls.setup_energy()
        (cls.citizen | cls.coach).write({"lang": "nl_BE"})
        cls.citizen.partner_id.email = "an.burger@example.com"
        cls.env.cr.precommit.run()

    def end_of_step(self):
        """What happens when the request's transaction commits."""
        self.env.cr.flush()

    def mails(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "guidance.trajectory"),
                ("res_id", "=", self.trajectory.id),
                ("subject", "ilike", "voorstellen"),
            ]
        )

    def told(self):
        return set(self.trajectory.sudo().proposal_notice_ids.mapped("measure"))


@tagged("post_install", "-at_install")
class TestEnergyProposalNotice(NoticeFixture, TransactionCase):
    """The citizen who asked for it is told each new proposal once, in
    Dutch, through the outgoing queues; nothing without his consent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notice()

    def opt_in(self, value=True):
        self.trajectory.with_user(self.coach).proposal_opt_in = value
        self.end_of_step()

    def change(self, **values):
        self.owned.with_user(self.coach).write(values)
        self.end_of_step()

    def test_no_consent_nothing_is_sent(self):
        self.change(roof_insulation="no", epc_label="E")
        self.assertFalse(self.mails())
        self.assertFalse(self.told())
        self.trajectory.sudo()._energy_notice_batch()
        self.assertFalse(self.mails())

    def test_the_coach_sets_the_consent_for_the_citizen_who_phoned(self):
        self.opt_in()
        # tracked, with the coach as its author
        tracking = self.trajectory.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "proposal_opt_in"
        )
        self.assertEqual(len(tracking), 1)
        self.assertEqual(tracking.mail_message_id.author_id, self.coach.partner_id)
        self.assertFalse(self.mails())  # nothing fits yet
        self.change(roof_insulation="no", epc_label="E")
        mail = self.mails()
        self.assertEqual(len(mail), 1, "one message for the trajectory")
        self.assertIn(self.citizen.partner_id, mail.recipient_ids)
        self.assertIn("voorstellen voor uw woning", mail.subject)
        body = str(mail.body_html)
        self.assertIn("Dakisolatie", body)
        self.assertIn("Het dak is niet geïsoleerd.", body)
        self.assertIn("Renovatielening", body)
        self.assertIn("Met vriendelijke groeten", body)
        self.assertEqual(
            self.told(),
            {"roof_insulation", "renovation_obligation", "renovation_loan"},
        )
        # the daily job, again and again: nothing new, nothing sent twice
        self.trajectory.sudo()._energy_notice_batch()
        self.trajectory.sudo().proposal_checked_on = False
        self.trajectory.sudo()._energy_notice_batch()
        self.change(wall_insulation="yes")
        self.assertEqual(len(self.mails()), 1)
        # the coach sees what was told
        notices = self.trajectory.with_user(self.coach).proposal_notice_ids
        self.assertEqual(len(notices), 3)
        labels = notices.with_context(lang="nl_BE").mapped("measure_label")
        self.assertIn("Dakisolatie", labels)

    def test_a_proposal_that_stopped_firing_is_not_told_again(self):
        self.opt_in()
        self.change(roof_insulation="no")
        self.assertEqual(self.told(), {"roof_insulation"})
        # the roof is insulated; the EPC comes: only its proposals are new
        self.change(roof_insulation="yes", epc_label="E")
        self.assertEqual(len(self.mails()), 2)
        self.assertNotIn("Dakisolatie", str(self.mails().sorted("id")[-1].body_html))
        # the roof rule fires again: told already
        self.change(roof_insulation="partly")
        self.assertEqual(len(self.mails()), 2)

    def test_the_old_boiler_brings_the_heat_pump(self):
        self.opt_in()
        self.change(heating_type="gas", heating_installed_year=2001)
        self.assertEqual(self.told(), {"heat_pump"})
        self.assertIn("Warmtepomp", str(self.mails().body_html))

    def test_a_low_income_owner_is_told_the_loan(self):
        if "income_category" not in self.trajectory._fields:
            self.skipTest("no financial data")
        self.opt_in()
        self.trajectory.with_user(self.coach).income_category = "1"
        self.trajectory.sudo()._energy_notice_batch()
        self.assertEqual(self.told(), {"renovation_loan"})
        self.assertIn("Renovatielening", str(self.mails().body_html))

    def test_withdrawal_stops_the_notices(self):
        self.opt_in()
        self.change(roof_insulation="no")
        pending = self.mails()
        self.assertEqual(pending.state, "outgoing")
        self.opt_in(False)
        self.assertEqual(pending.state, "cancel", "what waits is not sent")
        self.change(epc_label="F")
        self.trajectory.sudo()._energy_notice_batch()
        self.assertEqual(len(self.mails()), 1)
        self.assertEqual(self.told(), {"roof_insulation"})

    def test_a_failed_mail_is_sent_again(self):
        self.opt_in()
        self.change(roof_insulation="no")
        mail = self.mails()
        mail.state = "exception"
        self.trajectory.sudo()._energy_notice_batch()
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(len(self.mails()), 1)

    def test_a_burgerprofiel_citizen_gets_a_notification(self):
        self.env["ir.config_parameter"].set_param(
            "leuven_burgerprofiel.dosis_enabled", "1"
        )
        self.citizen.partner_id.national_number = NATIONAL_NUMBER
        self.citizen.sudo().burgerprofiel_sub = "sub-an-burger"
        self.opt_in()
        self.change(roof_insulation="no")
        Outbox = self.env["kcc.outbox"].sudo()
        rows = Outbox.search(
            [
                ("res_model", "=", "guidance.trajectory"),
                ("res_id", "=", self.trajectory.id),
            ]
        )
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.target, "dosis_notification")
        self.assertFalse(self.mails(), "not by e-mail as well")
        payload = json.loads(rows.payload)
        self.assertEqual(payload["berichtType"], "notificatie")
        self.assertEqual(
            payload["agenten"], [{"type": "rijksregisternummer", "id": NATIONAL_NUMBER}]
        )
        self.assertEqual(
            payload["notificatie"]["titel"], "Nieuwe voorstellen voor uw woning"
        )
        self.assertIn("Dakisolatie", payload["notificatie"]["tekst"])
        self.trajectory.sudo()._energy_notice_batch()
        self.assertEqual(rows, Outbox.search([("key", "like", "energy-proposals:%")]))
        # a failed delivery is tried again by the outbox
        rows.endpoint_id.sudo().write(
            {"url": "http://127.0.0.1:9", "connect_timeout": 1, "read_timeout": 1}
        )
        rows._deliver()
        self.assertEqual(rows.state, "pending")
        self.assertEqual(rows.attempts, 1)


@tagged("post_install", "-at_install")
class TestEnergyProposalPortal(NoticeFixture, HttpCase):
    """The citizen gives and withdraws his consent on his trajectory page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_notice()

    def post_consent(self, trajectory, **values):
        data = {"csrf_token": http.Request.csrf_token(self), **values}
        return self.url_open(f"/my/trajectories/{trajectory.id}/proposals", data=data)

    def test_the_citizen_asks_for_proposals_and_is_told_once(self):
        self.authenticate("g.citizen", "g.citizen")
        page = self.url_open(f"/my/trajectories/{self.trajectory.id}")
        self.assertIn("Stuur mij voorstellen voor premies en maatregelen", page.text)
        response = self.post_consent(self.trajectory, opt_in="1")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self.trajectory.proposal_opt_in)
        tracking = self.trajectory.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "proposal_opt_in"
        )
        self.assertEqual(tracking.mail_message_id.author_id, self.citizen.partner_id)
        # he completes his dwelling's data in the portal
        response = self.url_open(
            f"/my/dwellings/{self.owned.id}",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "roof_insulation": "no",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.mails()), 1)
        self.assertEqual(self.told(), {"roof_insulation"})
        self.trajectory.sudo()._energy_notice_batch()
        self.assertEqual(len(self.mails()), 1)
        # he withdraws it
        self.post_consent(self.trajectory)
        self.assertFalse(self.trajectory.proposal_opt_in)

    def test_no_one_else_sets_the_consent(self):
        self.authenticate("g.other", "g.other")
        response = self.post_consent(self.trajectory, opt_in="1")
        self.assertEqual(response.status_code, 404)
        self.authenticate("g.coach", "g.coach")
        response = self.post_consent(self.trajectory, opt_in="1")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.trajectory.proposal_opt_in)
        # without the form's token: refused
        self.authenticate("g.citizen", "g.citizen")
        response = self.url_open(
            f"/my/trajectories/{self.trajectory.id}/proposals", data={"opt_in": "1"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.trajectory.proposal_opt_in)
