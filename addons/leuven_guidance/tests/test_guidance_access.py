import base64
import json

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from .common import GuidanceFixture

NOTE = "Vermoedt huurachterstand"


@tagged("post_install", "-at_install")
class TestGuidanceAccess(GuidanceFixture, TransactionCase):
    """Who sees which trajectory and dwelling, through the ORM paths of the
    web client (search, read, read_group, export), as the users themselves."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()

    def test_citizen_reads_only_his_own_trajectories(self):
        Trajectory = self.env["guidance.trajectory"].with_user(self.citizen)
        self.assertEqual(Trajectory.search([]), self.trajectory)
        self.assertEqual(Trajectory.search_count([]), 1)
        groups = Trajectory.read_group([], ["type_id"], ["type_id"])
        self.assertEqual(sum(g["type_id_count"] for g in groups), 1)
        rows = Trajectory.search_read([], ["name", "stage_id"])
        self.assertEqual([row["name"] for row in rows], [self.trajectory.name])
        with self.assertRaises(AccessError):
            self.other_trajectory.with_user(self.citizen).read(["name"])
        with self.assertRaises(AccessError):
            self.trajectory.with_user(self.citizen).write({"date_end": "2030-01-01"})

    def test_citizen_reads_only_the_dwellings_he_holds(self):
        Dwelling = self.env["guidance.dwelling"].with_user(self.citizen)
        self.assertEqual(Dwelling.search([]), self.owned | self.rented)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.citizen).read(["street"])
        # only through the portal page, which checks what he writes
        with self.assertRaises(AccessError):
            self.owned.with_user(self.citizen).write({"construction_year": 1950})
        # the tenancy ended: the dwelling is no longer his to see
        holder = self.rented.holder_ids.filtered(
            lambda h: h.partner_id == self.citizen.partner_id
        )
        holder.write({"date_from": "2020-01-01", "date_to": "2021-01-01"})
        self.assertEqual(Dwelling.search([]), self.owned)

    def test_coach_sees_every_trajectory_and_moves_its_stage(self):
        Trajectory = self.env["guidance.trajectory"].with_user(self.coach)
        self.assertIn(self.other_trajectory, Trajectory.search([]))
        trajectory = self.trajectory.with_user(self.coach).with_context(
            tracking_disable=False
        )
        trajectory.stage_id = self.stage_progress
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking is written at commit
        self.trajectory.invalidate_recordset(["message_ids"])
        self.assertEqual(self.trajectory.stage_id, self.stage_progress)
        tracked = self.trajectory.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "stage_id"
        )
        self.assertTrue(tracked)
        self.assertEqual(tracked.mail_message_id.author_id, self.coach.partner_id)
        # the kanban shows every stage of the type, also the empty ones
        groups = Trajectory.with_context(
            default_type_id=self.type_general.id
        ).read_group(
            [("type_id", "=", self.type_general.id)], ["stage_id"], ["stage_id"]
        )
        self.assertEqual(
            {g["stage_id"][0] for g in groups}, set(self.type_general.stage_ids.ids)
        )

    def test_agent_lists_trajectories_without_the_coachs_notes(self):
        trajectory = self.trajectory.with_user(self.agent)
        values = trajectory.read(["name", "type_id", "stage_id", "coach_id"])[0]
        self.assertEqual(values["coach_id"][0], self.coach.id)
        with self.assertRaises(AccessError):
            trajectory.read(["note"])
        with self.assertRaises(AccessError):
            trajectory.write({"stage_id": self.stage_progress.id})
        # nor through an export, nor on the form
        self.agent.groups_id += self.env.ref("base.group_allow_export")
        rows = trajectory.export_data(["name", "stage_id/name", "coach_id/name"])
        self.assertEqual(rows["datas"][0][0], self.trajectory.name)
        with self.assertRaises(AccessError):
            trajectory.export_data(["note"])
        # (read as the agent first: the record cache is shared between users)
        self.assertFalse(trajectory.message_ids)
        self.assertTrue(
            self.env["mail.message"].search_count(
                [("model", "=", trajectory._name), ("res_id", "=", trajectory.id)]
            )
        )
        rows = trajectory.export_data(["message_ids/body"])["datas"]
        self.assertFalse([cell for row in rows for cell in row if cell])
        arch = trajectory.get_view(view_type="form")["arch"]
        self.assertNotIn('name="note"', arch)
        self.assertIn('name="stage_id"', arch)
        # the 360° lists them
        partner = self.citizen.partner_id.with_user(self.agent)
        self.assertEqual(partner.guidance_trajectory_ids, self.trajectory)
        self.assertEqual(partner.guidance_dwelling_count, 2)

    def test_a_trajectory_concerns_only_dwellings_its_citizen_holds(self):
        with self.assertRaises(ValidationError):
            self.trajectory.with_user(self.coach).dwelling_ids = [(4, self.foreign.id)]

    def test_an_address_of_the_register_is_one_dwelling(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["guidance.dwelling"].create(
                {"street": "Naamsestraat", "address_register_id": "T-1001"}
            )

    def test_reference_from_the_sequence(self):
        self.assertRegex(self.trajectory.name, r"^BEG/\d{4}/\d{5}$")


@tagged("post_install", "-at_install")
class TestGuidanceChatterAccess(GuidanceFixture, HttpCase):
    """The coach's internal notes and the trajectory's files stay with the
    guidance staff: a KCC agent who lists the trajectory reads none of them
    through the chatter's routes; the citizen reads the public messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_guidance()
        trajectory = cls.trajectory.with_user(cls.coach)
        cls.note_file = cls.env["ir.attachment"].create(
            {
                "name": "verslag-huisbezoek.txt",
                "datas": base64.b64encode(NOTE.encode()),
                "res_model": "guidance.trajectory",
                "res_id": cls.trajectory.id,
            }
        )
        trajectory.message_post(
            body=NOTE,
            subtype_xmlid="mail.mt_note",
            message_type="comment",
            attachment_ids=cls.note_file.ids,
        )
        trajectory.message_post(
            body="Dag An, tot volgende week.",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def thread_messages(self):
        return self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "guidance.trajectory", "thread_id": self.trajectory.id},
        )

    def test_the_agent_reads_no_message_nor_file(self):
        self.authenticate("g.agent", "g.agent")
        text = json.dumps(self.thread_messages())
        self.assertNotIn(NOTE, text)
        self.assertNotIn("tot volgende week", text)
        self.assertNotIn("verslag-huisbezoek", text)
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": "guidance.trajectory",
                "thread_id": self.trajectory.id,
                "request_list": ["attachments"],
            },
        )
        self.assertNotIn("verslag-huisbezoek", json.dumps(data))
        with self.assertRaises(AccessError):
            self.note_file.with_user(self.agent).read(["datas"])
        messages = self.env["mail.message"].with_user(self.agent)
        self.assertFalse(messages.search([("model", "=", "guidance.trajectory")]))
        with self.assertRaises(AccessError):
            self.trajectory.message_ids.with_user(self.agent).read(["body"])

    def test_the_coach_reads_them(self):
        self.authenticate("g.coach", "g.coach")
        text = json.dumps(self.thread_messages())
        self.assertIn(NOTE, text)
        self.assertIn("verslag-huisbezoek", text)

    def test_the_citizen_reads_the_public_messages_only(self):
        self.authenticate("g.citizen", "g.citizen")
        text = json.dumps(
            self.make_jsonrpc_request(
                "/mail/chatter_fetch",
                {
                    "thread_model": "guidance.trajectory",
                    "thread_id": self.trajectory.id,
                },
            )
        )
        self.assertIn("tot volgende week", text)
        self.assertNotIn(NOTE, text)
