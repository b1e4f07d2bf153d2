from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class KccCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.agent = new_test_user(
            cls.env, "test.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.handler_roads = new_test_user(
            cls.env, "test.roads", groups="base.group_user,leuven_kcc.group_kcc_handler"
        )
        cls.handler_waste = new_test_user(
            cls.env, "test.waste", groups="base.group_user,leuven_kcc.group_kcc_handler"
        )
        cls.citizen = new_test_user(cls.env, "test.citizen", groups="base.group_portal")
        cls.other_citizen = new_test_user(
            cls.env, "test.other", groups="base.group_portal"
        )
        Group = cls.env["kcc.handler.group"]
        cls.kcc_queue = cls.env.ref("leuven_kcc.kcc_handler_group_kcc")
        cls.group_roads = Group.create(
            {"name": "Roads", "code": "T-ROADS", "member_ids": cls.handler_roads.ids}
        )
        cls.group_waste = Group.create(
            {"name": "Waste", "code": "T-WASTE", "member_ids": cls.handler_waste.ids}
        )
        cls.category_roads = cls.env["kcc.case.category"].create(
            {
                "name": "Road damage",
                "handler_group_id": cls.group_roads.id,
                "deadline_days": 5,
            }
        )
        cls.Case = cls.env["kcc.case"]

    def make_case(self, **values):
        vals = {
            "subject": "Test case",
            "contact_email": "someone@example.com",
            "case_type": "question",
        }
        vals.update(values)
        channel = vals.pop("channel", "web_form")
        return self.Case._intake(vals, channel)
