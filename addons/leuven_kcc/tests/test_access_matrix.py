import re

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

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


SECRET = "schold mij uit"
CASES = ("plain", "sensitive", "waste")
ALL = set(CASES)
USERS = (
    "citizen",
    "other_citizen",
    "org_user",
    "handler_roads",
    "handler_waste",
    "agent",
    "supervisor",
)
# the cases each user reaches; the plain and the sensitive case belong to the
# citizen, are handled by Roads and are shared with the organisation
CAN_READ = {
    "citizen": {"plain", "sensitive"},
    "other_citizen": {"waste"},
    "org_user": {"plain", "sensitive"},
    "handler_roads": {"plain", "sensitive"},
    "handler_waste": {"waste"},
    "agent": ALL,
    "supervisor": ALL,
}
# ... and whose free text and files he sees (need to know)
CAN_READ_TEXT = {
    user: cases - {"sensitive"} if user in ("org_user", "agent") else cases
    for user, cases in CAN_READ.items()
}
# portal users reach files only through the links of the portal page
PORTAL_USERS = ("citizen", "other_citizen", "org_user")
CONTACTS = {
    "handler_roads": {"plain", "sensitive"},
    "handler_waste": {"waste"},
    "agent": ALL,
    "supervisor": ALL,
}
SHARES = {
    "org_user": {"plain", "sensitive"},
    "handler_roads": {"plain", "sensitive"},
    "agent": {"plain", "sensitive"},
    "supervisor": {"plain", "sensitive"},
}
SUBMISSIONS = {"agent": {"plain", "waste"}, "supervisor": ALL}


@tagged("post_install", "-at_install")
class TestRecordAccessMatrix(HttpCase, KccCommon):
    """Every kind of user, as himself, on a case, its messages, files,
    contacts, shares and website submission, and on the portal routes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supervisor = new_test_user(
            cls.env,
            "records.supervisor",
            groups="base.group_user,leuven_kcc.group_kcc_supervisor",
        )
        cls.organisation = cls.env["res.partner"].create(
            {
                "name": "OCMW Matrix",
                "is_company": True,
                "kcc_is_partner_organisation": True,
            }
        )
        cls.org_user = new_test_user(cls.env, "records.org", groups="base.group_portal")
        cls.org_user.partner_id.parent_id = cls.organisation
        citizen, other = cls.citizen.partner_id, cls.other_citizen.partner_id
        cls.texts = texts = {
            "plain": "Put voor mijn deur",
            "sensitive": f"De wegenwerker {SECRET}",
            "waste": "Container niet geledigd",
        }
        cls.cases = {
            key: cls.Case._intake(
                {
                    "subject": f"Matrix {key}",
                    "description": texts[key],
                    "partner_id": (other if key == "waste" else citizen).id,
                    "category_id": cls.category_roads.id,
                },
                "portal",
            )
            for key in CASES
        }
        cls.cases["waste"].handler_group_id = cls.group_waste
        cls.cases["sensitive"].sensitive = True
        consent = cls.env["kcc.consent"].create(
            {
                "partner_id": citizen.id,
                "organisation_id": cls.organisation.id,
                "case_ids": [(6, 0, (cls.cases["plain"] | cls.cases["sensitive"]).ids)],
                "purpose": "Begeleiding",
                "channel": "phone",
            }
        )
        cls.messages, cls.attachments, cls.submissions = {}, {}, {}
        for key, case in cls.cases.items():
            if key != "waste":
                case._share_with(cls.organisation, consent)
            cls.messages[key] = case.message_post(
                body=f"<p>Bericht {key}: {texts[key]}</p>",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            cls.attachments[key] = cls.env["ir.attachment"].create(
                {
                    "name": f"foto-{key}.txt",
                    "raw": texts[key].encode(),
                    "res_model": "kcc.case",
                    "res_id": case.id,
                }
            )
            cls.attachments[key].generate_access_token()
            cls.submissions[key] = cls.env["kcc.web.submission"].create(
                {
                    "token": f"matrix-{key}",
                    "form_kind": "contact",
                    "payload": texts[key],
                    "state": "accepted",
                    "case_id": case.id,
                }
            )
            case._portal_ensure_token()
        cls.contacts = {key: case.contact_ids for key, case in cls.cases.items()}
        cls.shares = {
            key: case.share_ids for key, case in cls.cases.items() if case.share_ids
        }

    def visible(self, user, records):
        """The keys of ``records`` (key -> recordset) that ``user`` finds."""
        ids = [rid for rec in records.values() for rid in rec.ids]
        model = next(iter(records.values()))._name
        try:
            found = self.env[model].with_user(user).search([("id", "in", ids)])
        except AccessError:
            return set()
        return {key for key, rec in records.items() if set(rec.ids) & set(found.ids)}

    def readable_text(self, user, records, fname):
        """The keys whose ``fname``, read as ``user``, holds the case's text."""
        return {
            key
            for key in self.visible(user, records)
            if self.texts[key] in str(records[key].with_user(user).read([fname]))
        }

    def test_records(self):
        results, expected = {}, {}
        for name in USERS:
            user = getattr(self, name)
            results[name] = {
                "case": self.visible(user, self.cases),
                "case text": self.readable_text(user, self.cases, "description"),
                "message": self.visible(user, self.messages),
                "message text": self.readable_text(user, self.messages, "body"),
                "attachment": self.visible(user, self.attachments),
                "contact": self.visible(user, self.contacts),
                "share": self.visible(user, self.shares),
                "submission": self.visible(user, self.submissions),
            }
            expected[name] = {
                "case": CAN_READ[name],
                "case text": CAN_READ_TEXT[name],
                "message": CAN_READ[name],
                "message text": CAN_READ_TEXT[name],
                "attachment": set() if name in PORTAL_USERS else CAN_READ_TEXT[name],
                "contact": CONTACTS.get(name, set()),
                "share": SHARES.get(name, set()),
                "submission": SUBMISSIONS.get(name, set()),
            }
        for name in USERS:
            with self.subTest(user=name):
                self.assertEqual(results[name], expected[name])

    def test_refused_records_cannot_be_read_directly(self):
        for name in USERS:
            user = getattr(self, name)
            for key in ALL - CAN_READ[name]:
                with self.subTest(user=name, case=key):
                    with self.assertRaises(AccessError):
                        self.cases[key].with_user(user).read(["subject"])
            for key in set(self.shares) - SHARES.get(name, set()):
                with self.subTest(user=name, share=key):
                    with self.assertRaises(AccessError):
                        self.shares[key].with_user(user).read(["case_id"])

    def test_only_the_customer_has_his_link(self):
        case = self.cases["plain"]
        for name in USERS:
            with self.subTest(user=name):
                with self.assertRaises(AccessError):
                    case.with_user(getattr(self, name)).read(["access_token"])
        # nor through the links made for him
        for method in ("get_portal_url", "_get_share_url"):
            with self.subTest(method=method):
                with self.assertRaises(AccessError):
                    getattr(case.with_user(self.agent), method)()
        # staff answering the customer still send him his link
        message = (
            case.with_user(self.handler_roads)
            .with_context(mail_notify_force_send=False)
            .message_post(
                body="Wij herstellen de put deze week.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.citizen.partner_id.ids,
            )
        )
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertIn(case.access_token, mail.body_html)

    def page(self, key, token=None):
        """(subject shown, text shown) on the portal page of case ``key``."""
        case = self.cases[key]
        url = f"/my/cases/{case.id}" + (f"?access_token={token}" if token else "")
        text = self.url_open(url).text
        return case.subject in text, self.texts[key] in text

    def test_portal_routes(self):
        for name in (None, *USERS):
            login = getattr(self, name).login if name else None
            self.authenticate(login, login)
            for key, case in self.cases.items():
                with self.subTest(user=name or "anonymous", case=key):
                    page = self.url_open(f"/my/cases/{case.id}").text
                    readable = key in CAN_READ.get(name, set())
                    need_to_know = key in CAN_READ_TEXT.get(name, set())
                    self.assertEqual(case.subject in page, readable)
                    self.assertEqual(self.texts[key] in page, need_to_know)
                    # the page links the file (with its own token) on a need
                    # to know basis; the link works
                    attachment = self.attachments[key]
                    links = re.findall(
                        rf"/web/content/{attachment.id}\?access_token=[\w-]+", page
                    )
                    self.assertEqual(bool(links), need_to_know)
                    for link in links:
                        self.assertEqual(self.url_open(link).status_code, 200)
                    # without a token: staff with the need to know only
                    direct = self.url_open(f"/web/content/{attachment.id}")
                    self.assertEqual(
                        direct.status_code == 200,
                        need_to_know and bool(name) and name not in PORTAL_USERS,
                    )

    def test_the_customers_link(self):
        self.authenticate(None, None)
        for key, case in self.cases.items():
            with self.subTest(case=key):
                self.assertEqual(self.page(key, case.access_token), (True, True))
                self.assertEqual(self.page(key, "guessed"), (False, False))
                attachment = self.attachments[key]
                url = f"/web/content/{attachment.id}"
                self.assertNotEqual(self.url_open(url).status_code, 200)
                token = attachment.access_token
                response = self.url_open(f"{url}?access_token={token}")
                self.assertEqual(response.status_code, 200)
