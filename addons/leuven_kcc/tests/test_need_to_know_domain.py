import logging

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KccCommon

_logger = logging.getLogger(__name__)

USERS = (
    "handler_roads",
    "handler_waste",
    "agent",
    "supervisor",
    "citizen",
    "other_citizen",
)
PORTAL_USERS = ("citizen", "other_citizen")
# (handler group, customer) of each sensitive case, each also made once
# without the sensitive mark
CASES = {
    "roads": ("group_roads", "citizen"),
    "waste": ("group_waste", "citizen"),
    "front": ("group_front", "other_citizen"),
    "no group": (None, None),
}
# the sensitive cases whose free text and files each user may read
NEED_TO_KNOW = {
    "handler_roads": {"roads"},
    "handler_waste": {"waste"},
    "agent": {"front"},
    "supervisor": set(CASES),
    "citizen": {"roads", "waste"},
    "other_citizen": {"front"},
}


@tagged("post_install", "-at_install")
class TestNeedToKnowDomain(KccCommon):
    """The need to know is defined once (kcc.case._need_to_know_domain); the
    record rules that cannot call it (attachments through their hidden
    cases, website submissions) must give the same answer, for every kind
    of user, on sensitive and ordinary cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "ntk.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        # the agent handles the cases of a group of his own
        cls.group_front = cls.env["kcc.handler.group"].create(
            {"name": "Onthaal", "code": "T-NTK-FRONT", "member_ids": cls.agent.ids}
        )
        cls.cases, cls.attachments, cls.messages, cls.submissions = {}, {}, {}, {}
        for key, (group, customer) in CASES.items():
            for sensitive in (True, False):
                name = (key, sensitive)
                case = cls.Case.create(
                    {
                        "subject": f"Need to know {key}",
                        "description": f"Tekst {key} {sensitive}",
                        "case_type": "complaint",
                        "partner_id": customer and getattr(cls, customer).partner_id.id,
                    }
                )
                case.write(
                    {
                        "handler_group_id": group and getattr(cls, group).id,
                        "sensitive": sensitive,
                    }
                )
                cls.cases[name] = case
                cls.attachments[name] = cls.env["ir.attachment"].create(
                    {
                        "name": f"bewijs-{key}.txt",
                        "raw": b"bewijs",
                        "res_model": "kcc.case",
                        "res_id": case.id,
                    }
                )
                cls.messages[name] = case.message_post(
                    body=f"Bericht {key} {sensitive}", message_type="comment"
                )
                cls.submissions[name] = cls.env["kcc.web.submission"].create(
                    {
                        "token": f"ntk-{key}-{sensitive}",
                        "form_kind": "contact",
                        "payload": "{}",
                        "state": "accepted",
                        "case_id": case.id,
                    }
                )

    def found(self, user, records):
        """The keys of ``records`` that ``user`` finds through the rules."""
        ids = [record.id for record in records.values()]
        model = next(iter(records.values()))._name
        try:
            found = self.env[model].with_user(user).search([("id", "in", ids)])
        except AccessError:
            return set()
        return {key for key, record in records.items() if record in found}

    def test_the_rules_and_the_domain_agree(self):
        all_cases = self.Case.browse(case.id for case in self.cases.values())
        for name in USERS:
            user = getattr(self, name)
            domain = self.Case.with_user(user)._need_to_know_domain()
            by_search = self.Case.sudo().search([("id", "in", all_cases.ids), *domain])
            by_map = all_cases.with_user(user)._need_to_know_map()
            readable_cases = self.found(user, self.cases)
            # the text of a case: ordinary, or sensitive with the need to know
            text = {
                key
                for key, case in self.cases.items()
                if not case.sensitive or case in by_search
            }
            with self.subTest(user=name):
                self.assertEqual(
                    {key for key, sensitive in text if sensitive}, NEED_TO_KNOW[name]
                )
                # the Python evaluation (masking) and the SQL one (searches)
                self.assertEqual(
                    {case_id for case_id, ok in by_map.items() if ok},
                    set(by_search.ids),
                )
                hidden = {
                    key
                    for key, case in self.cases.items()
                    if case.with_user(user).description_hidden
                }
                self.assertEqual(hidden, set(self.cases) - text)
                # the attachment rule (portal users reach files only
                # through the links of the portal page)
                self.assertEqual(
                    self.found(user, self.attachments),
                    set() if name in PORTAL_USERS else (readable_cases & text),
                )
                # the chatter masking
                masked = {
                    key
                    for key, message in self.messages.items()
                    if message.with_user(user)._kcc_masked()
                }
                self.assertEqual(masked, set(self.cases) - text)
                # the website submissions' rule (the KCC's)
                if user.has_group("leuven_kcc.group_kcc_agent"):
                    self.assertEqual(
                        self.found(user, self.submissions), readable_cases & text
                    )

    def test_searches_agree_with_the_domain(self):
        for name in USERS:
            user = getattr(self, name)
            Case = self.Case.with_user(user)
            readable_cases = self.found(user, self.cases)
            found = {
                key
                for key, case in self.cases.items()
                if Case.search([("description", "=", case.description_text)])
            }
            Attachment = self.env["ir.attachment"].with_user(user).sudo()
            hidden_files = {
                key
                for key, attachment in self.attachments.items()
                if Attachment.search(
                    [("id", "=", attachment.id), ("kcc_hidden", "=", True)]
                )
            }
            computed = {
                key
                for key, attachment in self.attachments.items()
                if attachment.with_user(user).sudo().kcc_hidden
            }
            with self.subTest(user=name):
                expected = {
                    key
                    for key in readable_cases
                    if not key[1] or key[0] in NEED_TO_KNOW[name]
                }
                self.assertEqual(found, expected)
                # the field behind the attachment rule, searched and computed
                not_hidden = {
                    key
                    for key in self.cases
                    if not key[1] or key[0] in NEED_TO_KNOW[name]
                }
                self.assertEqual(hidden_files, set(self.cases) - not_hidden)
                self.assertEqual(computed, set(self.cases) - not_hidden)

    def test_need_to_know_map_queries(self):
        """The need to know of many cases is a few queries, not one a case."""
        groups = self.group_roads | self.group_waste | self.group_front
        cases = self.Case.create(
            [
                {
                    "subject": f"Batch {index}",
                    "case_type": "question",
                    "partner_id": self.citizen.partner_id.id if index % 2 else False,
                }
                for index in range(80)
            ]
        )
        for index, case in enumerate(cases):
            case.write(
                {"handler_group_id": groups[index % 3].id, "sensitive": index % 4 == 0}
            )
        self.env.flush_all()
        for name in ("handler_roads", "citizen", "supervisor"):
            user = getattr(self, name)
            counts = []
            for batch in (cases[:8], cases):
                batch = batch.with_user(user)
                batch._need_to_know_map()  # the ORM caches the user's groups
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                result = batch._need_to_know_map()
                counts.append(self.env.cr.sql_log_count - before)
                self.assertEqual(len(result), len(batch))
            _logger.info(
                "need-to-know of 8 and 80 cases as %s: %s queries", name, counts
            )
            # the user (groups, partner), the cases, their customers
            self.assertEqual(counts[0], counts[1])
            self.assertLessEqual(counts[1], 4)
