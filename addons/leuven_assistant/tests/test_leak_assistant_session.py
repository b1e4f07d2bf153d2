from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.leuven_kcc.tests.common import KccCommon

from .common import publish_topic

ANSWERS = {"woont_in_leuven": True, "in_zone": False}
PERSONAL_FIELDS = {"partner_id", "answers", "transcript", "case_id", "user_id"}


@tagged("post_install", "-at_install")
class TestAssistantSessionAccess(KccCommon):
    """Leak 4: an assistant session (a citizen's answers, the transcript and
    the case it became) is read only by those who may read that case in full,
    the agent who ran it, supervisors and the citizen himself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.topic = publish_topic(cls.env, "bewonersparkeerkaart")
        cls.other_agent = new_test_user(
            cls.env,
            "session.agent2",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.supervisor = new_test_user(
            cls.env,
            "session.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.author = new_test_user(
            cls.env,
            "session.author",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        # the export path too: everyone here may export what he may read
        export = cls.env.ref("base.group_allow_export")
        for user in (
            cls.handler_roads,
            cls.handler_waste,
            cls.agent,
            cls.other_agent,
            cls.author,
            cls.citizen,
            cls.other_citizen,
        ):
            user.groups_id = [Command.link(export.id)]
        Session = cls.env["assistant.session"]
        citizen, other = cls.citizen.partner_id, cls.other_citizen.partner_id
        cls.roads_case = cls.Case._intake(
            {
                "subject": "Bewonerskaart",
                "category_id": cls.category_roads.id,
                "partner_id": citizen.id,
            },
            "portal",
        )
        cls.waste_case = cls.Case._intake(
            {"subject": "Bewonerskaart", "partner_id": other.id}, "web_form"
        )
        cls.waste_case.handler_group_id = cls.group_waste
        cls.sensitive_case = cls.Case._intake(
            {
                "subject": "Klacht",
                "category_id": cls.category_roads.id,
                "partner_id": other.id,
            },
            "web_form",
        )
        cls.sensitive_case.sensitive = True

        def session(partner, case=None, channel="website", user=None):
            env_session = Session.with_user(user) if user else Session
            record = env_session._start(cls.topic, channel, partner)
            record._record_answers(ANSWERS)
            if case:
                record.sudo().write({"case_id": case.id, "state": "handed_off"})
            return record.with_env(cls.env)

        cls.s_roads = session(citizen, cls.roads_case)
        cls.s_waste = session(other, cls.waste_case)
        cls.s_sensitive = session(other, cls.sensitive_case)
        cls.s_anonymous = session(None)
        cls.s_agent = session(citizen, channel="agent", user=cls.agent)
        cls.s_other_agent = session(other, channel="agent", user=cls.other_agent)
        cls.all_sessions = (
            cls.s_roads
            | cls.s_waste
            | cls.s_sensitive
            | cls.s_anonymous
            | cls.s_agent
            | cls.s_other_agent
        )

    def visible(self, user):
        return (
            self.env["assistant.session"]
            .with_user(user)
            .search([("id", "in", self.all_sessions.ids)])
        )

    def assert_unreadable(self, user, sessions):
        for session in sessions:
            with self.assertRaises(AccessError, msg=f"{user.login} reads {session}"):
                session.with_user(user).read(["answers", "transcript"])
            with self.assertRaises(AccessError):
                session.with_user(user).export_data(["answers", "partner_id"])

    def test_a_handler_sees_the_sessions_of_cases_he_may_read(self):
        self.assertEqual(
            self.visible(self.handler_roads), self.s_roads | self.s_sensitive
        )
        self.assertEqual(self.visible(self.handler_waste), self.s_waste)
        self.assert_unreadable(
            self.handler_roads,
            self.s_waste | self.s_anonymous | self.s_agent | self.s_other_agent,
        )
        self.assert_unreadable(self.handler_waste, self.s_roads | self.s_sensitive)
        rows = self.s_roads.with_user(self.handler_roads).read(
            ["answers", "transcript"]
        )
        self.assertIn("woont_in_leuven", rows[0]["answers"])

    def test_the_handler_list_and_export_hold_only_what_he_may_read(self):
        Session = self.env["assistant.session"].with_user(self.handler_waste)
        rows = Session.search_read([], ["partner_id", "answers", "case_id"])
        self.assertEqual(
            {r["id"] for r in rows} & set(self.all_sessions.ids), {self.s_waste.id}
        )
        exported = Session.search([("id", "in", self.all_sessions.ids)]).export_data(
            ["partner_id", "answers"]
        )["datas"]
        self.assertEqual(
            exported,
            [[self.other_citizen.partner_id.display_name, self.s_waste.answers]],
        )
        counts = Session._read_group(
            [("id", "in", self.all_sessions.ids)], [], ["__count"]
        )
        self.assertEqual(counts, [(1,)])
        # the customer's "Assistant" button counts what the handler may open
        partner = self.citizen.partner_id.with_user(self.handler_waste)
        self.assertEqual(partner.assistant_session_count, 0)

    def test_a_kcc_agent_sees_his_own_sessions_and_those_of_cases_he_may_read(self):
        self.assertEqual(
            self.visible(self.agent), self.s_roads | self.s_waste | self.s_agent
        )
        self.assertEqual(
            self.visible(self.other_agent),
            self.s_roads | self.s_waste | self.s_other_agent,
        )
        # not the sensitive case's answers, nor an anonymous visitor's
        self.assert_unreadable(
            self.agent, self.s_sensitive | self.s_anonymous | self.s_other_agent
        )
        # agent mode: he opens his session and makes a case of it
        action = self.s_agent.with_user(self.agent).action_create_case()
        self.assertEqual(action["res_model"], "kcc.case")
        self.assertIn(self.s_agent, self.visible(self.agent))

    def test_a_supervisor_sees_every_session(self):
        self.assertEqual(self.visible(self.supervisor), self.all_sessions)

    def test_a_citizen_sees_only_his_own_sessions(self):
        mine = self.s_roads | self.s_agent
        self.assertEqual(self.visible(self.citizen), mine)
        self.assertEqual(
            self.visible(self.other_citizen),
            self.s_waste | self.s_sensitive | self.s_other_agent,
        )
        self.assert_unreadable(self.citizen, self.all_sessions - mine)
        transcript = self.s_roads.with_user(self.citizen).transcript
        self.assertIn("Leuven", transcript)
        with self.assertRaises(AccessError):
            self.s_roads.with_user(self.citizen).write({"answers": "{}"})

    def test_a_topic_author_gets_statistics_without_personal_data(self):
        with self.assertRaises(AccessError):
            self.env["assistant.session"].with_user(self.author).search([])
        self.assert_unreadable(self.author, self.all_sessions)
        Statistics = self.env["assistant.statistics"].with_user(self.author)
        self.assertFalse(PERSONAL_FIELDS & set(Statistics.fields_get()))
        groups = Statistics._read_group(
            [("id", "in", self.all_sessions.ids)], ["state"], ["__count"]
        )
        self.assertEqual(dict(groups), {"outcome": 3, "handed_off": 3})
        rows = Statistics.search_read(
            [("id", "in", self.all_sessions.ids)], ["topic_code", "step_count"]
        )
        self.assertEqual({r["step_count"] for r in rows}, {2})

    def test_menus_follow_the_access(self):
        Menu = self.env["ir.ui.menu"]
        sessions = self.env.ref("leuven_assistant.assistant_menu_sessions")
        statistics = self.env.ref("leuven_assistant.assistant_menu_statistics")
        for user, shown, hidden in (
            (self.author, statistics, sessions),
            (self.handler_roads, sessions, statistics),
            (self.supervisor, sessions | statistics, Menu),
        ):
            visible = Menu.with_user(user)._visible_menu_ids()
            self.assertLessEqual(set(shown.ids), visible, user.login)
            self.assertFalse(set(hidden.ids) & visible, user.login)
        for xmlid, user in (
            ("leuven_assistant.assistant_session_action", self.handler_roads),
            ("leuven_assistant.assistant_statistics_action", self.author),
        ):
            action = (
                self.env["ir.actions.act_window"].with_user(user)._for_xml_id(xmlid)
            )
            model = self.env[action["res_model"]].with_user(user)
            model.check_access("read")
            self.assertTrue(model.search([]))
