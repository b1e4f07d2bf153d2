import datetime as dt

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import GuidanceFixture


@tagged("post_install", "-at_install")
class TestGuidanceTour(GuidanceFixture, HttpCase):
    """In the browser: an agent starts a trajectory from a case, the citizen
    completes his dwelling's data in the portal, a partner organisation reads
    only its part."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        env = cls.env
        env["res.lang"]._activate_lang("nl_BE")
        (cls.agent | cls.coach | cls.citizen).write({"lang": "nl_BE"})
        cls.citizen.partner_id.phone = "016 12 34 56"
        # a type of its own, so the tours do not depend on other addons' types
        cls.type_home = env["guidance.trajectory.type"].create(
            {"name": "Woningbegeleiding", "code": "tour_home", "sequence": 99}
        )
        cls.stage_first = env["guidance.stage"].create(
            {"name": "Eerste gesprek", "type_id": cls.type_home.id, "sequence": 1}
        )
        env["guidance.stage"].create(
            {
                "name": "Afgerond",
                "type_id": cls.type_home.id,
                "sequence": 2,
                "is_closed": True,
            }
        )
        cls.case = env["kcc.case"]._intake(
            {
                "subject": "Hoe isoleer ik mijn dak?",
                "partner_id": cls.citizen.partner_id.id,
            },
            "phone",
        )
        cls.home = env["guidance.trajectory"].create(
            {
                "type_id": cls.type_home.id,
                "partner_id": cls.citizen.partner_id.id,
                "coach_id": cls.coach.id,
                "dwelling_ids": [(6, 0, (cls.owned | cls.rented).ids)],
            }
        )
        cls.rented.heating_type = "gas"
        home = cls.home.with_user(cls.coach)
        home.message_post(
            body="Huisbezoek gepland",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        home.message_post(
            body="Uw offerte",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            attachments=[("offerte.pdf", b"%PDF-1.4 offerte")],
        )
        # two partner organisations: the energy house reads the dwelling he
        # owns and the messages, the rental office the one he rents and files
        Partner = env["res.partner"]
        cls.energy_house = Partner.create(
            {
                "name": "Energiehuis Leuven",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.rental_office = Partner.create(
            {
                "name": "Sociaal Verhuurkantoor",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.energy_user = new_test_user(
            env,
            "tour.energy",
            groups="base.group_portal",
            name="Els Energiehuis",
            lang="nl_BE",
        )
        cls.energy_user.partner_id.parent_id = cls.energy_house
        cls.rental_user = new_test_user(
            env,
            "tour.rental",
            groups="base.group_portal",
            name="Rik Verhuurkantoor",
            lang="nl_BE",
        )
        cls.rental_user.partner_id.parent_id = cls.rental_office
        Consent = env["kcc.consent"].with_user(cls.coach)
        Consent.create(
            cls.grant_values(cls.energy_house, ["dwelling", "notes"], cls.owned)
        )
        Consent.create(
            cls.grant_values(cls.rental_office, ["contact", "documents"], cls.rented)
        )
        env.cr.precommit.run()

    @classmethod
    def grant_values(cls, organisation, codes, dwellings):
        categories = cls.env["guidance.data.category"].search([("code", "in", codes)])
        return {
            "partner_id": cls.citizen.partner_id.id,
            "organisation_id": organisation.id,
            "trajectory_id": cls.home.id,
            "category_ids": [(6, 0, categories.ids)],
            "dwelling_ids": [(6, 0, dwellings.ids)],
            "valid_until": fields.Date.today() + dt.timedelta(days=30),
            "purpose": "Renovatieadvies",
        }

    def test_agent_starts_a_trajectory_from_a_case(self):
        self.start_tour(
            f"/odoo/action-leuven_kcc.kcc_case_action/{self.case.id}",
            "leuven_guidance_agent_start_tour",
            login="g.agent",
        )
        trajectory = self.env["guidance.trajectory"].search(
            [("case_id", "=", self.case.id)]
        )
        self.assertEqual(len(trajectory), 1)
        self.assertEqual(trajectory.partner_id, self.citizen.partner_id)
        self.assertEqual(trajectory.type_id, self.type_home)
        self.assertEqual(trajectory.stage_id, self.stage_first)
        self.assertEqual(trajectory.dwelling_ids, self.owned)
        self.assertEqual(trajectory.create_uid, self.agent)

    def test_citizen_completes_his_dwelling_in_the_portal(self):
        self.start_tour(
            "/my", "leuven_guidance_citizen_dwelling_tour", login="g.citizen"
        )
        self.assertEqual(self.owned.construction_year, 1975)
        self.assertEqual(self.owned.heating_type, "heat_pump")
        # the year refused was never written; the other dwelling is untouched
        tracked = self.owned.message_ids.filtered("tracking_value_ids")
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.author_id, self.citizen.partner_id)
        self.assertEqual(
            set(tracked.tracking_value_ids.field_id.mapped("name")),
            {"construction_year", "heating_type"},
        )
        self.assertFalse(self.rented.construction_year)
        self.assertEqual(self.rented.heating_type, "gas")

    def test_partner_organisation_reads_only_its_part(self):
        # without the contact category: the trajectory, not its citizen
        self.env.invalidate_all()
        home = self.home.with_user(self.energy_user)
        self.assertEqual(home.name, self.home.name)
        with self.assertRaises(AccessError):
            self.assertTrue(home.partner_id)
        # without the dwelling category: the address, not its technical data
        rented = self.rented.with_user(self.rental_user)
        self.assertEqual(rented.street, "Tiensestraat")
        with self.assertRaises(AccessError):
            self.assertTrue(rented.heating_type)
        self.env.invalidate_all()
        self.start_tour(
            "/my/trajectories", "leuven_guidance_partner_tour", login="tour.energy"
        )
        # the visit is in the citizen's read log, for this organisation only
        logs = self.env["guidance.access.log"].search(
            [("trajectory_id", "=", self.home.id)]
        )
        self.assertTrue(logs)
        self.assertEqual(logs.organisation_id, self.energy_house)
        self.assertEqual(logs.dwelling_id, self.owned)
