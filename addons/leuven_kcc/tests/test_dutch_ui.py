from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestDutchUi(KccCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_BE")
        cls.env["ir.module.module"]._load_module_terms(["leuven_kcc"], ["nl_BE"])
        cls.agent.lang = "nl_BE"

    def test_agent_sees_the_kcc_menu_in_dutch(self):
        menus = self.env.ref("leuven_kcc.kcc_menu_root").with_user(self.agent)
        children = menus.with_context(lang="nl_BE").child_id.child_id
        names = children.mapped("name")
        self.assertIn("Alle dossiers", names)
        self.assertIn("Wachtrij van mijn groepen", names)

    def test_errors_and_labels_in_dutch(self):
        Case = self.Case.with_user(self.agent).with_context(lang="nl_BE")
        with self.assertRaisesRegex(UserError, "Een onderwerp is verplicht"):
            Case._intake({"subject": "", "contact_email": "a@example.com"}, "web_form")
        labels = dict(Case._fields["state"]._description_selection(Case.env))
        self.assertEqual(labels["waiting"], "Wacht op klant")
