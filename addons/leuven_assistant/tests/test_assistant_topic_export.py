import json

from odoo.tests import HttpCase, new_test_user, tagged

from .common import PACKAGE


@tagged("post_install", "-at_install")
class TestAssistantTopicExport(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(
            cls.env,
            "export.author",
            password="export.author.pw",
            groups="base.group_user,leuven_assistant.group_assistant_author",
        )
        new_test_user(
            cls.env,
            "export.agent",
            password="export.agent.pw",
            groups="base.group_user,leuven_kcc.group_kcc_agent",
        )
        cls.topic = cls.env["assistant.topic"]._create_from_package(PACKAGE)

    def test_author_downloads_the_package(self):
        self.authenticate("export.author", "export.author.pw")
        response = self.url_open(f"/leuven_assistant/topic/{self.topic.id}/export")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "afvalkalender-1.0.0.json", response.headers["Content-Disposition"]
        )
        self.assertEqual(json.loads(response.content), PACKAGE)

    def test_others_cannot_download(self):
        self.authenticate("export.agent", "export.agent.pw")
        response = self.url_open(f"/leuven_assistant/topic/{self.topic.id}/export")
        self.assertEqual(response.status_code, 403)
