from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KccCommon

# user -> (case it tries, may read, may write, may transfer to another group)
MATRIX = {
    "agent": {"roads": (1, 1, 1), "waste": (1, 1, 1)},
    "supervisor": {"roads": (1, 1, 1), "waste": (1, 1, 1)},
    "admin": {"roads": (1, 1, 1), "waste": (1, 1, 1)},
    "handler_roads": {"roads": (1, 1, 0), "waste": (0, 0, 0)},
    "handler_waste": {"roads": (0, 0, 0), "waste": (1, 1, 0)},
    "citizen": {"roads": (1, 0, 0), "waste": (0, 0, 0)},
    "other_citizen": {"roads": (0, 0, 0), "waste": (1, 0, 0)},
}


class _Undo(Exception):
    """Raised to roll back an operation that was allowed."""


@tagged("post_install", "-at_install")
class TestAccessMatrix(KccCommon):
    """Each kind of user reads, writes and transfers each kind of case, as himself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "matrix.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.admin = new_test_user(
            cls.env, "matrix.admin", groups="base.group_user,leuven_kcc.group_kcc_admin"
        )
        cls.cases = {
            "roads": cls.Case._intake(
                {
                    "subject": "Matrix roads",
                    "category_id": cls.category_roads.id,
                    "partner_id": cls.citizen.partner_id.id,
                },
                "portal",
            ),
            "waste": cls.Case._intake(
                {
                    "subject": "Matrix waste",
                    "partner_id": cls.other_citizen.partner_id.id,
                },
                "portal",
            ),
        }
        cls.cases["waste"].handler_group_id = cls.group_waste

    def _can(self, operation):
        """1 if ``operation`` succeeds, 0 if refused; its effects are undone."""
        try:
            with self.env.cr.savepoint():
                operation()
                self.env.flush_all()
                raise _Undo()
        except _Undo:
            return 1
        except (AccessError, UserError):
            return 0

    def _transfer(self, user, case):
        target = (
            self.group_waste
            if case.handler_group_id == self.group_roads
            else self.group_roads
        )
        wizard = (
            self.env["kcc.case.transfer.wizard"]
            .with_user(user)
            .create({"case_id": case.id, "to_group_id": target.id, "reason": "matrix"})
        )
        wizard.action_transfer()

    def test_matrix(self):
        results = {}
        for user_key, expected_row in MATRIX.items():
            user = getattr(self, user_key)
            for case_key in expected_row:
                case = self.cases[case_key].with_user(user)
                read = self._can(lambda case=case: case.read(["subject", "state"]))
                write = self._can(lambda case=case: case.write({"priority": "1"}))
                transfer = self._can(
                    lambda user=user, case=self.cases[case_key]: self._transfer(
                        user, case
                    )
                )
                results[(user_key, case_key)] = (read, write, transfer)
        expected = {
            (user_key, case_key): cell
            for user_key, row in MATRIX.items()
            for case_key, cell in row.items()
        }
        self.assertEqual(results, expected)

    def test_only_admins_configure_routing(self):
        Rule = self.env["kcc.routing.rule"]
        values = {"name": "x", "handler_group_id": self.group_roads.id}
        Rule.with_user(self.admin).create(values)
        for user in (self.agent, self.supervisor, self.handler_roads):
            with self.assertRaises(AccessError):
                Rule.with_user(user).create(values)
        with self.assertRaises(AccessError):
            Rule.with_user(self.handler_roads).search([])

    def test_portal_user_cannot_create_cases_directly(self):
        with self.assertRaises(AccessError):
            self.Case.with_user(self.citizen).create({"subject": "direct"})
