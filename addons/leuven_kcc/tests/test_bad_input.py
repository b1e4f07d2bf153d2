"""Bad input on every public route is a clear 4xx, never a 500 or a traceback.

One table of malformed requests across the suite's public routes: the
website forms and the portal of ``leuven_kcc``, its telephony and planning
webhooks and, when their addons are installed, the assistant API and pages,
the product catalogue, Melding doen and the Mijn Burgerprofiel login. Each
request is one ``subTest``, run as an anonymous visitor or as a logged-in
citizen, and must answer below 500 without any ERROR logged by the server.
"""

import http.server
import json
import logging
import threading
import time

from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged

DEEP_JSON = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"call_id": ' + "[" * 5000 + "]" * 5000 + "}"
NUL = "\x00"
# 1x1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


class _ErrorCollector(logging.Handler):
    """Keeps the ERROR records logged while a request is served."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@tagged("post_install", "-at_install")
class TestBadInput(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.citizen = new_test_user(
            env, "bad.citizen", groups="base.group_portal", name="Nele Maes"
        )
        env["ir.config_parameter"].set_param("leuven_kcc.web_rate_limit", "100000")
        cls.plan_key = env.ref(
            "leuven_kcc.kcc_outbox_endpoint_planning"
        )._issue_api_key()["context"]["default_key"]
        cls.case = env["kcc.case"]._intake(
            {"subject": "Vraag over parkeren", "partner_id": cls.citizen.partner_id.id},
            "portal",
        )
        cls.case._portal_ensure_token()
        cls.case.work_order_ref = "WO-BAD-1"
        cls.telephony = env["kcc.telephony.system"].create({"name": "Centrale"})
        cls.tel_key = cls.telephony._issue_api_key()["context"]["default_key"]
        cls.installed = set(
            env["ir.module.module"].search([("state", "=", "installed")]).mapped("name")
        )
        cls.melding_token = None
        if "leuven_burgerprofiel" in cls.installed:
            cls._setup_melding()

    @classmethod
    def _setup_melding(cls):
        """Melding doen behind a stand-in ACM/IDM (its keys on loopback) and
        a valid access token, so that bad bodies reach the handler."""
        from jose import jwt

        from odoo.addons.leuven_burgerprofiel.tests import test_melding as acm

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), acm._AcmKeys)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cls.addClassCleanup(server.server_close)
        cls.addClassCleanup(server.shutdown)
        acm._AcmKeys.issuer = f"http://127.0.0.1:{server.server_port}/op"
        audience = "https://www.leuven.be/v1/melding"
        params = {
            "melding_enabled": "1",
            "melding_audience": audience,
            "environment": "custom",
            "issuer": acm._AcmKeys.issuer,
            "client_id": "leuven-kcc",
        }
        for key, value in params.items():
            cls.env["ir.config_parameter"].set_param(
                f"leuven_burgerprofiel.{key}", value
            )
        now = int(time.time())
        claims = {
            "iss": acm._AcmKeys.issuer,
            "aud": audience,
            "sub": "mbp-client",
            "client_id": "mbp",
            "scope": "dv_mbp_incidents",
            "iat": now,
            "exp": now + 3600,
        }
        cls.melding_token = jwt.encode(
            claims, acm.ACM_KEY, algorithm="RS256", headers={"kid": "acm"}
        )

    def setUp(self):
        super().setUp()
        self.collector = _ErrorCollector()
        logger = logging.getLogger("odoo")
        logger.addHandler(self.collector)
        self.addCleanup(logger.removeHandler, self.collector)

    # ------------------------------------------------------------ corpus

    def _kcc_corpus(self):
        case = self.case
        tel = {"Authorization": f"Bearer {self.tel_key}"}
        plan = {"Authorization": f"Bearer {self.plan_key}"}
        tel_url = "/kcc/api/telephony/call"
        plan_url = "/kcc/api/planning/status"

        def call(**body):
            return {"call_id": "bad-1", "caller": "016 11 22 33", **body}

        def order(**body):
            return {"work_order_id": "WO-BAD-1", "status": "planned", **body}

        tokens = iter(range(1000))

        def form(**fields_):
            # a new form each time: a case made once answers every replay
            return {
                "form_kind": "contact",
                "submission_token": f"bad-token-{next(tokens)}",
                "subject": "Vraag",
                "contact_email": "iemand@example.com",
                **fields_,
            }

        def report(**fields_):
            values = {
                "form_kind": "report",
                "street": "Naamsestraat 1",
                "subject": "Put in de weg",
            }
            values.update(fields_)
            return form(**values)

        # fmt: off
        rows = [
            # website pages
            ("contact page NUL query", None, "GET", "/kcc/contact?subject=%00", {}),
            ("report page NUL query", None, "GET", "/kcc/report?x=%00&y=%00", {}),
            ("contact page overlong query", None, "GET",
             "/kcc/contact?subject=" + "a" * 6000, {}),
            ("contact page NUL path", None, "GET", "/kcc/contact%00", {}),
            # website form fields
            ("submit NUL subject", None, "FORM", "/kcc/submit",
             {"data": form(subject="Vraag" + NUL)}),
            ("submit NUL description", None, "FORM", "/kcc/submit",
             {"data": form(description="a" + NUL + "b")}),
            ("submit NUL e-mail", None, "FORM", "/kcc/submit",
             {"data": form(contact_email="a" + NUL + "@example.com")}),
            ("submit NUL name", None, "FORM", "/kcc/submit",
             {"data": form(contact_name=NUL)}),
            ("submit NUL phone", None, "FORM", "/kcc/submit",
             {"data": form(contact_phone="016" + NUL)}),
            ("submit NUL street", None, "FORM", "/kcc/submit",
             {"data": report(street="Naamsestraat" + NUL)}),
            ("submit NUL token", None, "FORM", "/kcc/submit",
             {"data": form(submission_token="tok" + NUL)}),
            ("submit NUL form kind", None, "FORM", "/kcc/submit",
             {"data": form(form_kind="report" + NUL)}),
            ("submit NUL case type", None, "FORM", "/kcc/submit",
             {"data": form(case_type="question" + NUL)}),
            ("submit NUL category", None, "FORM", "/kcc/submit",
             {"data": form(category_id="1" + NUL)}),
            ("submit NUL honeypot", None, "FORM", "/kcc/submit",
             {"data": form(kcc_website=NUL)}),
            ("submit NUL follow", None, "FORM", "/kcc/submit",
             {"data": report(follow_case_id=NUL, latitude="50.87",
                             longitude="4.70")}),
            ("submit NUL field name", None, "FORM", "/kcc/submit",
             {"data": form(**{"sub" + NUL: "x"})}),
            ("submit NUL query", None, "FORM", "/kcc/submit?x=%00",
             {"data": form()}),
            ("submit latitude nan", None, "FORM", "/kcc/submit",
             {"data": report(latitude="nan", longitude="4.7")}),
            ("submit latitude inf", None, "FORM", "/kcc/submit",
             {"data": report(latitude="inf", longitude="4.7")}),
            ("submit latitude -inf", None, "FORM", "/kcc/submit",
             {"data": report(latitude="-inf", longitude="-inf")}),
            ("submit latitude 1e308", None, "FORM", "/kcc/submit",
             {"data": report(latitude="1e308", longitude="4.7")}),
            ("submit latitude 1e309", None, "FORM", "/kcc/submit",
             {"data": report(latitude="1e309", longitude="4.7")}),
            ("submit latitude 999", None, "FORM", "/kcc/submit",
             {"data": report(latitude="999", longitude="4.7")}),
            ("submit longitude 181", None, "FORM", "/kcc/submit",
             {"data": report(latitude="50.8", longitude="181")}),
            ("submit latitude abc", None, "FORM", "/kcc/submit",
             {"data": report(latitude="abc", longitude="4.7")}),
            ("submit latitude alone", None, "FORM", "/kcc/submit",
             {"data": report(latitude="50.87")}),
            ("submit latitude tiny", None, "FORM", "/kcc/submit",
             {"data": report(latitude="0.0000001", longitude="0.0000001")}),
            ("submit category text", None, "FORM", "/kcc/submit",
             {"data": form(category_id="abc")}),
            ("submit category huge", None, "FORM", "/kcc/submit",
             {"data": form(category_id="9" * 30)}),
            ("submit category superscript", None, "FORM", "/kcc/submit",
             {"data": form(category_id="\u00b2")}),
            ("submit category negative", None, "FORM", "/kcc/submit",
             {"data": form(category_id="-5")}),
            ("submit follow huge", None, "FORM", "/kcc/submit",
             {"data": report(follow_case_id="9" * 30, latitude="50.87",
                             longitude="4.70")}),
            ("submit product huge", None, "FORM", "/kcc/submit",
             {"data": form(catalog_product_id="9" * 30)}),
            ("submit product superscript", None, "FORM", "/kcc/submit",
             {"data": form(catalog_product_id="\u00b2")}),
            ("submit unknown case type", None, "FORM", "/kcc/submit",
             {"data": form(case_type="hack")}),
            ("submit overlong subject", None, "FORM", "/kcc/submit",
             {"data": form(subject="s" * 100_000)}),
            ("submit overlong description", None, "FORM", "/kcc/submit",
             {"data": form(description="d" * 300_000)}),
            ("submit overlong e-mail", None, "FORM", "/kcc/submit",
             {"data": form(contact_email="a" * 5000 + "@example.com")}),
            ("submit overlong token", None, "FORM", "/kcc/submit",
             {"data": form(submission_token="t" * 5000)}),
            ("submit NUL file name", None, "FORM", "/kcc/submit",
             {"data": form(),
              "files": [("attachments", ("put" + NUL + ".png", PNG, "image/png"))]}),
            ("submit overlong file name", None, "FORM", "/kcc/submit",
             {"data": form(),
              "files": [("attachments", ("p" * 5000 + ".png", PNG, "image/png"))]}),
            ("submit citizen NUL subject", "citizen", "FORM", "/kcc/submit",
             {"data": form(subject=NUL, contact_email="")}),
            ("submit citizen latitude nan", "citizen", "FORM", "/kcc/submit",
             {"data": report(latitude="nan", longitude="nan", contact_email="")}),
            # thanks page
            ("thanks NUL token", None, "GET",
             f"/kcc/thanks/{case.id}?access_token=%00", {}),
            ("thanks overlong token", None, "GET",
             f"/kcc/thanks/{case.id}?access_token=" + "a" * 5000, {}),
            ("thanks huge id", None, "GET", "/kcc/thanks/" + "9" * 30, {}),
            ("thanks NUL id", None, "GET", "/kcc/thanks/%00", {}),
            # portal
            ("portal case NUL", "citizen", "GET", "/my/cases/%00", {}),
            ("portal case NUL anonymous", None, "GET", "/my/cases/%00", {}),
            ("portal list NUL filter", "citizen", "GET", "/my/cases?filterby=%00", {}),
            ("portal list NUL page", "citizen", "GET", "/my/cases/page/%00", {}),
            ("portal list huge page", "citizen", "GET",
             "/my/cases/page/" + "9" * 30, {}),
            ("portal list NUL sort", "citizen", "GET",
             "/my/cases?sortby=%00&page=%00", {}),
            ("portal case NUL token", None, "GET",
             f"/my/cases/{case.id}?access_token=%00", {}),
            ("portal case NUL token citizen", "citizen", "GET",
             f"/my/cases/{case.id}?access_token=%00", {}),
            ("portal case NUL error", "citizen", "GET",
             f"/my/cases/{case.id}?error=%00", {}),
            ("portal case huge id", "citizen", "GET", "/my/cases/" + "9" * 30, {}),
            ("portal home NUL", "citizen", "GET", "/my?x=%00", {}),
            ("reopen NUL reason", "citizen", "FORM", f"/my/cases/{case.id}/reopen",
             {"data": {"reason": "Niet tevreden" + NUL}}),
            ("reopen overlong reason", "citizen", "FORM",
             f"/my/cases/{case.id}/reopen", {"data": {"reason": "r" * 300_000}}),
            ("reopen NUL token anonymous", None, "FORM",
             f"/my/cases/{case.id}/reopen",
             {"data": {"reason": "x", "access_token": NUL}}),
            ("reopen huge id", "citizen", "FORM", "/my/cases/" + "9" * 30 + "/reopen",
             {"data": {"reason": "x"}}),
            ("support started NUL", "citizen", "FORM",
             f"/my/cases/{case.id}/support_started", {"data": {"x": NUL}}),
            ("privacy export NUL", "citizen", "GET", "/kcc/privacy/export/%00", {}),
            ("privacy export huge", "citizen", "GET",
             "/kcc/privacy/export/" + "9" * 30, {}),
            # telephony webhook
            ("telephony deep JSON", None, "JSON", tel_url,
             {"raw": DEEP_JSON, "headers": tel}),
            ("telephony deep member", None, "JSON", tel_url,
             {"raw": DEEP_OBJECT, "headers": tel}),
            ("telephony NUL call id", None, "JSON", tel_url,
             {"body": call(call_id="c" + NUL), "headers": tel}),
            ("telephony NUL caller", None, "JSON", tel_url,
             {"body": call(caller="016" + NUL), "headers": tel}),
            ("telephony NUL agent", None, "JSON", tel_url,
             {"body": call(agent="a" + NUL), "headers": tel}),
            ("telephony overlong call id", None, "JSON", tel_url,
             {"body": call(call_id="c" * 5000), "headers": tel}),
            ("telephony overlong caller", None, "JSON", tel_url,
             {"body": call(caller="1" * 5000), "headers": tel}),
            ("telephony list call id", None, "JSON", tel_url,
             {"body": call(call_id=["a"]), "headers": tel}),
            ("telephony object caller", None, "JSON", tel_url,
             {"body": call(caller={"a": 1}), "headers": tel}),
            ("telephony number caller", None, "JSON", tel_url,
             {"body": call(caller=16112233), "headers": tel}),
            ("telephony bool call id", None, "JSON", tel_url,
             {"body": call(call_id=True), "headers": tel}),
            ("telephony list agent", None, "JSON", tel_url,
             {"body": call(agent=["admin"]), "headers": tel}),
            ("telephony NaN constant", None, "JSON", tel_url,
             {"raw": '{"call_id": NaN, "caller": "1"}', "headers": tel}),
            ("telephony not UTF-8", None, "JSON", tel_url,
             {"raw": b'{"call_id": "\xff\xfe", "caller": "1"}', "headers": tel}),
            ("telephony array body", None, "JSON", tel_url,
             {"raw": "[]", "headers": tel}),
            ("telephony huge body", None, "JSON", tel_url,
             {"raw": json.dumps(call(x="x" * 2_000_000)), "headers": tel}),
            ("telephony NUL bearer", None, "JSON", tel_url,
             {"body": call(), "headers": {"Authorization": "Bearer a%00b"}}),
            ("telephony non-ASCII bearer", None, "JSON", tel_url,
             {"body": call(), "headers": {"Authorization": "Bearer \u00e9t\u00e9"}}),
            ("planning non-ASCII bearer", None, "JSON", plan_url,
             {"body": order(), "headers": {"Authorization": "Bearer \u00e9t\u00e9"}}),
            ("planning NUL note", None, "JSON", plan_url,
             {"body": order(note="a" + NUL), "headers": plan}),
            ("planning bool order", None, "JSON", plan_url,
             {"body": order(work_order_id=False), "headers": plan}),
            # planning webhook
            ("planning deep JSON", None, "JSON", plan_url,
             {"raw": DEEP_JSON, "headers": plan}),
            ("planning number date", None, "JSON", plan_url,
             {"body": order(date=20261231), "headers": plan}),
            ("planning impossible date", None, "JSON", plan_url,
             {"body": order(date="2026-13-45"), "headers": plan}),
            ("planning list date", None, "JSON", plan_url,
             {"body": order(date=["2026-12-01"]), "headers": plan}),
            ("planning NUL date", None, "JSON", plan_url,
             {"body": order(date="2026-12-01" + NUL), "headers": plan}),
            ("planning NUL order", None, "JSON", plan_url,
             {"body": order(work_order_id="WO" + NUL), "headers": plan}),
            ("planning object order", None, "JSON", plan_url,
             {"body": order(work_order_id={"a": 1}), "headers": plan}),
            ("planning overlong order", None, "JSON", plan_url,
             {"body": order(work_order_id="W" * 5000), "headers": plan}),
            ("planning list status", None, "JSON", plan_url,
             {"body": order(status=["planned"]), "headers": plan}),
            ("planning object status", None, "JSON", plan_url,
             {"body": order(status={"a": 1}), "headers": plan}),
            ("planning number note", None, "JSON", plan_url,
             {"body": order(note=12), "headers": plan}),
            ("planning list note", None, "JSON", plan_url,
             {"body": order(note=["a"]), "headers": plan}),
            ("planning overlong note", None, "JSON", plan_url,
             {"body": order(note="n" * 200_000), "headers": plan}),
            ("planning not UTF-8", None, "JSON", plan_url,
             {"raw": b'{"work_order_id": "\xff"}', "headers": plan}),
        ]
        # fmt: on
        return rows

    def _other_corpus(self):
        rows = []
        # fmt: off
        if "leuven_assistant" in self.installed:
            api = "/assistant/api/v1"
            rows += [
                ("assistant topics NUL", None, "GET", f"{api}/topics?x=%00", {}),
                ("assistant topic NUL", None, "GET", f"{api}/topics/%00", {}),
                ("assistant topic NUL preview", None, "GET",
                 f"{api}/topics/x?preview=%00", {}),
                ("assistant topic huge preview", None, "GET",
                 f"{api}/topics/x?preview=" + "9" * 30, {}),
                ("assistant start deep JSON", None, "JSON", f"{api}/sessions",
                 {"raw": DEEP_JSON}),
                ("assistant start NUL topic", None, "JSON", f"{api}/sessions",
                 {"body": {"topic": NUL}}),
                ("assistant start list topic", None, "JSON", f"{api}/sessions",
                 {"body": {"topic": ["a"], "channel": ["b"]}}),
                ("assistant start not UTF-8", None, "JSON", f"{api}/sessions",
                 {"raw": b'{"topic": "\xff"}'}),
                ("assistant answers NUL token", None, "JSON",
                 f"{api}/sessions/%00/answers", {"body": {"answers": {}}}),
                ("assistant answers deep JSON", None, "JSON",
                 f"{api}/sessions/x/answers", {"raw": DEEP_JSON}),
                ("assistant handoff NUL token", None, "JSON",
                 f"{api}/sessions/%00/handoff", {"body": {"message": "x"}}),
                ("assistant handoff deep JSON", None, "JSON",
                 f"{api}/sessions/x/handoff", {"raw": DEEP_JSON}),
                ("assistant page NUL", None, "GET", "/assistent?x=%00", {}),
                ("assistant topic page NUL", None, "GET", "/assistent/%00", {}),
                ("assistant topic page superscript preview", None, "GET",
                 "/assistent/x?preview=%C2%B2", {}),
                ("assistant topic page huge preview", None, "GET",
                 "/assistent/x?preview=" + "9" * 30, {}),
                ("assistant spec NUL", None, "GET", "/assistant/spec/%00", {}),
            ]
        if "leuven_catalog" in self.installed:
            rows += [
                ("catalogue NUL search", None, "GET", "/producten?search=%00", {}),
                ("catalogue NUL theme", None, "GET",
                 "/producten?theme=%00&target=%00", {}),
                ("catalogue overlong search", None, "GET",
                 "/producten?search=" + "z" * 6000, {}),
                ("catalogue NUL product", None, "GET", "/producten/%00", {}),
                ("catalogue huge product", None, "GET",
                 "/producten/x-" + "9" * 30, {}),
                ("contact page NUL product", None, "GET",
                 "/kcc/contact?product_id=%00", {}),
                ("contact page superscript product", None, "GET",
                 "/kcc/contact?product_id=%C2%B2", {}),
            ]
        if "leuven_burgerprofiel" in self.installed:
            melding = "/v1/melding"
            garbage = {"Authorization": "Bearer a.b.c"}
            valid = {"Authorization": f"Bearer {self.melding_token}"}

            def report(**changes):
                body = {
                    "meldingId": "mbp-bad-1",
                    "categorie": "wegdek",
                    "omschrijving": "Diepe put in het fietspad",
                    "locatie": {"adres": {"straat": "Naamsestraat",
                                          "postcode": "3000", "gemeente": "Leuven"}},
                }
                body.update(changes)
                return {"body": body, "headers": valid}

            def point(lat, lon):
                return report(locatie={"coordinaten": {"lat": lat, "lon": lon}})

            rows += [
                ("melding deep JSON", None, "JSON", f"{melding}/meldingen",
                 {"raw": DEEP_JSON, "headers": valid}),
                ("melding deep member", None, "JSON", f"{melding}/meldingen",
                 {"raw": '{"meldingId": ' + "[" * 3000 + "]" * 3000 + "}",
                  "headers": valid}),
                ("melding not UTF-8", None, "JSON", f"{melding}/meldingen",
                 {"raw": b'{"meldingId": "\xff"}', "headers": valid}),
                ("melding array body", None, "JSON", f"{melding}/meldingen",
                 {"raw": "[1, 2]", "headers": valid}),
                ("melding NUL id", None, "JSON", f"{melding}/meldingen",
                 report(meldingId="mbp" + NUL)),
                ("melding CRLF id", None, "JSON", f"{melding}/meldingen",
                 report(meldingId="mbp\r\nX-Evil: 1")),
                ("melding number id", None, "JSON", f"{melding}/meldingen",
                 report(meldingId=12)),
                ("melding list description", None, "JSON", f"{melding}/meldingen",
                 report(omschrijving=["x"])),
                ("melding NUL description", None, "JSON", f"{melding}/meldingen",
                 report(omschrijving="Put" + NUL + "weg")),
                ("melding overlong description", None, "JSON",
                 f"{melding}/meldingen", report(omschrijving="o" * 50_000)),
                ("melding latitude 999", None, "JSON", f"{melding}/meldingen",
                 point(999, 4.7)),
                ("melding latitude 1e308", None, "JSON", f"{melding}/meldingen",
                 point(1e308, 4.7)),
                ("melding latitude text", None, "JSON", f"{melding}/meldingen",
                 point("nan", "inf")),
                ("melding NUL category", None, "JSON", f"{melding}/meldingen",
                 report(categorie="wegdek" + NUL)),
                ("melding status NUL id valid token", None, "GET",
                 f"{melding}/meldingen/%00", {"headers": valid}),
                ("melding status CRLF id valid token", None, "GET",
                 f"{melding}/meldingen/a%0D%0Ab", {"headers": valid}),
                ("melding status overlong id", None, "GET",
                 f"{melding}/meldingen/" + "m" * 3000, {"headers": valid}),
                ("melding submit deep JSON", None, "JSON", f"{melding}/meldingen",
                 {"raw": DEEP_JSON, "headers": garbage}),
                ("melding status NUL id", None, "GET",
                 f"{melding}/meldingen/%00", {"headers": garbage}),
                ("melding status CRLF id", None, "GET",
                 f"{melding}/meldingen/a%0D%0Ab", {"headers": garbage}),
                ("melding configuration NUL", None, "GET",
                 f"{melding}/configuration?x=%00", {"headers": garbage}),
                ("login callback NUL", None, "GET",
                 "/auth/burgerprofiel/callback?code=%00&state=%00", {}),
                ("login callback NUL error", None, "GET",
                 "/auth/burgerprofiel/callback?error=%00&iss=%00", {}),
                ("login start NUL", None, "GET",
                 "/auth/burgerprofiel/login?redirect=%00&login_hint=%00", {}),
                ("login page NUL error", None, "GET",
                 "/web/login?burgerprofiel_error=%00", {}),
            ]
        # fmt: on
        return rows

    # ------------------------------------------------------------ runner

    def _send(self, who, method, path, spec):
        if who == "citizen":
            if getattr(self, "_who", None) != "citizen":
                self.authenticate("bad.citizen", "bad.citizen")
                self._who = "citizen"
        elif getattr(self, "_who", "") is not None:
            self.authenticate(None, None)
            self._who = None
        url = self.base_url() + path
        headers = dict(spec.get("headers") or {})
        if method == "GET":
            return self.opener.get(
                url, headers=headers, timeout=30, allow_redirects=False
            )
        if method == "FORM":
            data = {"csrf_token": Request.csrf_token(self), **spec["data"]}
            return self.opener.post(
                url,
                data=data,
                files=spec.get("files"),
                headers=headers,
                timeout=30,
                allow_redirects=False,
            )
        raw = spec["raw"] if "raw" in spec else json.dumps(spec["body"])
        headers.setdefault("Content-Type", "application/json")
        return self.opener.post(
            url, data=raw, headers=headers, timeout=30, allow_redirects=False
        )

    def _run(self, rows):
        for label, who, method, path, spec in rows:
            with self.subTest(request=label):
                self.collector.records.clear()
                response = self._send(who, method, path, spec)
                errors = [
                    f"{record.name}: {record.getMessage()[:200]}"
                    for record in self.collector.records
                ]
                self.assertLess(
                    response.status_code, 500, f"{label}: {response.text[:300]}"
                )
                self.assertFalse(errors, f"{label}: errors were logged")

    def test_corpus_is_large_enough(self):
        self.assertGreaterEqual(len(self._kcc_corpus()), 60)

    def test_kcc_routes(self):
        self._run(self._kcc_corpus())

    def test_other_routes(self):
        self._run(self._other_corpus())
