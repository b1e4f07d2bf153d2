from odoo.tests import new_test_user, tagged

from .common import KccCommon


@tagged("post_install", "-at_install")
class TestAdminChangesCountAtOnce(KccCommon):
    """The intake keeps the routing rules in cache: what a KCC administrator
    changes in them counts for the very next case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            "test.kcc.admin",
            groups="base.group_user,leuven_kcc.group_kcc_admin",
        )
        cls.Rule = cls.env["kcc.routing.rule"].with_user(cls.admin)
        cls.Group = cls.env["kcc.handler.group"].with_user(cls.admin)

    def test_rule_edited_by_admin_routes_the_next_case(self):
        rule = self.Rule.create(
            {
                "name": "Zwerfvuil",
                "keywords": "sluikstort",
                "handler_group_id": self.group_waste.id,
            }
        )
        case = self.make_case(subject="Sluikstort aan de Dijle")  # rules kept
        self.assertEqual(case.routing_rule_id, rule)
        rule.write({"keywords": "zwerfvuil"})
        case = self.make_case(subject="Sluikstort aan het station")
        self.assertNotEqual(case.routing_rule_id, rule)
        case = self.make_case(subject="Zwerfvuil op de Grote Markt")
        self.assertEqual(case.routing_rule_id, rule)
        rule.write({"handler_group_id": self.group_roads.id})
        case = self.make_case(subject="Zwerfvuil aan de Vaartkom")
        self.assertEqual(case.handler_group_id, self.group_roads)
        rule.unlink()
        case = self.make_case(subject="Zwerfvuil in het park")
        self.assertEqual(case.handler_group_id, self.kcc_queue)

    def test_group_deleted_by_admin_takes_its_rules_along(self):
        group = self.Group.create({"name": "Evenementen", "code": "T-EVENT"})
        self.Rule.create(
            {"name": "Evenement", "keywords": "evenement", "handler_group_id": group.id}
        )
        self.make_case(subject="Vraag over de markt")  # the rules are kept
        group.unlink()  # the database deletes its rules
        case = self.make_case(subject="Evenement in het Sint-Donatuspark")
        self.assertEqual(case.handler_group_id, self.kcc_queue)
        self.assertFalse(case.routing_rule_id)
