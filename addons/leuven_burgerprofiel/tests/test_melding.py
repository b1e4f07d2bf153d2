import base64
import http.server
import json
import threading
import time

import jsonschema
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from odoo.tests import HttpCase, tagged

from leuven.burgerprofiel import melding

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 128


def _pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


ACM_KEY, FORGED_KEY = _pem(), _pem()


class _AcmKeys(http.server.BaseHTTPRequestHandler):
    """ACM/IDM as a resource server sees it: discovery and published keys."""

    issuer = ""

    def do_GET(self):
        if self.path.endswith("/.well-known/openid-configuration"):
            body = {
                "issuer": _AcmKeys.issuer,
                "authorization_endpoint": f"{_AcmKeys.issuer}/v1/auth",
                "token_endpoint": f"{_AcmKeys.issuer}/v1/token",
                "jwks_uri": f"{_AcmKeys.issuer}/v1/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        elif self.path.endswith("/v1/keys"):
            public = jwk.construct(ACM_KEY, "RS256").public_key().to_dict()
            body = {"keys": [{**public, "kid": "acm", "use": "sig", "alg": "RS256"}]}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestMeldingDoen(HttpCase):
    """Mijn Burgerprofiel reports in the KCC through the city's Melding doen API."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AcmKeys)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        cls.addClassCleanup(server.server_close)
        cls.addClassCleanup(server.shutdown)
        _AcmKeys.issuer = f"http://127.0.0.1:{server.server_port}/op"
        cls.audience = "https://www.leuven.be/v1/melding"
        params = {
            "leuven_burgerprofiel.melding_enabled": "1",
            "leuven_burgerprofiel.melding_audience": cls.audience,
            "leuven_burgerprofiel.environment": "custom",
            "leuven_burgerprofiel.issuer": _AcmKeys.issuer,
            "leuven_burgerprofiel.client_id": "leuven-kcc",
        }
        for key, value in params.items():
            cls.env["ir.config_parameter"].sudo().set_param(key, value)
        group = cls.env["kcc.handler.group"].create({"name": "Wegen", "code": "T-WEG"})
        cls.roads = cls.env["kcc.case.category"].create(
            {
                "name": "Put in de weg",
                "handler_group_id": group.id,
                "melding_reportable": True,
                "melding_code": "wegdek",
            }
        )
        cls.dumping = cls.env["kcc.case.category"].create(
            {
                "name": "Sluikstort",
                "handler_group_id": group.id,
                "melding_reportable": True,
                "melding_code": "sluikstort",
                "melding_photo_required": True,
            }
        )
        cls.internal = cls.env["kcc.case.category"].create(
            {"name": "Klacht over personeel", "handler_group_id": group.id}
        )
        cls.group = group

    def token(self, key=ACM_KEY, **overrides):
        now = int(time.time())
        claims = {
            "iss": _AcmKeys.issuer,
            "aud": self.audience,
            "sub": "mbp-client",
            "client_id": "mbp",
            "scope": "dv_mbp_incidents",
            "rrn": "85073003328",
            "given_name": "Ann",
            "family_name": "Peeters",
            "iat": now,
            "exp": now + 300,
        }
        claims.update(overrides)
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "acm"})

    def call(self, path, body=None, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = f"Bearer {token or self.token()}"
        url = f"{self.base_url()}/v1/melding{path}"
        if body is None and raw is None:
            return self.opener.get(url, headers=headers, timeout=30)
        data = raw if raw is not None else json.dumps(body)
        return self.opener.post(url, data=data, headers=headers, timeout=30)

    def report(self, **changes):
        body = {
            "meldingId": "mbp-0001",
            "categorie": "wegdek",
            "omschrijving": "Diepe put in het fietspad aan de Naamsestraat",
            "locatie": {
                "adres": {"straat": "Naamsestraat", "huisnummer": "12",
                          "postcode": "3000", "gemeente": "Leuven"},
            },
        }  # fmt: skip
        body.update(changes)
        return body

    def assertProblem(self, response, status):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/problem+json")
        self.assertEqual(response.json()["status"], status)
        return response.json()

    def test_configuration_lists_only_reportable_categories_and_validates(self):
        response = self.call("/configuration")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/hal+json")
        config = response.json()
        jsonschema.validate(config, melding.component_schema("Configuration"))
        jsonschema.Draft202012Validator.check_schema(config["formulierSchema"])
        codes = {c["code"]: c for c in config["categorieen"]}
        self.assertEqual(
            set(codes) & {"wegdek", "sluikstort"}, {"wegdek", "sluikstort"}
        )
        self.assertNotIn(self.internal.name, [c["naam"] for c in config["categorieen"]])
        self.assertTrue(codes["sluikstort"]["fotoVerplicht"])
        jsonschema.validate(self.report(), config["formulierSchema"])

    def test_a_report_makes_one_case_routed_like_a_web_form_report(self):
        photo = {"bestandsnaam": "put.png", "mimeType": "image/png",
                 "inhoud": base64.b64encode(PNG).decode()}  # fmt: skip
        response = self.call("/meldingen", self.report(bijlagen=[photo]))
        self.assertEqual(response.status_code, 201, response.text)
        status = response.json()
        jsonschema.validate(status, melding.component_schema("Status"))
        self.assertTrue(
            response.headers["Location"].endswith("/v1/melding/meldingen/mbp-0001")
        )
        case = self.env["kcc.case"].search([("name", "=", status["dossiernummer"])])
        self.assertEqual(
            (case.channel, case.case_type, case.category_id),
            ("burgerprofiel", "report", self.roads),
        )
        web_form = self.env["kcc.case"]._intake(
            {"subject": "Put", "case_type": "report", "category_id": self.roads.id,
             "street": "Naamsestraat 12", "postcode": "3000",
             "contact_email": "x@example.com"},
            "report_form",
        )  # fmt: skip
        self.assertEqual(case.handler_group_id, web_form.handler_group_id)
        self.assertEqual(case.deadline, web_form.deadline)
        self.assertEqual(case.street, "Naamsestraat 12")
        self.assertEqual(case.partner_id.national_number, "85073003328")
        self.assertEqual(case.partner_id.name, "Ann Peeters")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "kcc.case"), ("res_id", "=", case.id)]
        )
        self.assertEqual(attachment.raw, PNG)
        # the same report again: no new case, the same status
        again = self.call("/meldingen", self.report(bijlagen=[photo]))
        self.assertEqual(again.status_code, 200)
        self.assertEqual(again.json()["dossiernummer"], case.name)
        self.assertEqual(
            self.env["kcc.case"].search_count(
                [("idempotency_key", "like", "melding:%")]
            ),
            1,
        )
        # and its follow-up in citizen-facing terms
        followed = self.call("/meldingen/mbp-0001").json()
        self.assertEqual(
            (followed["status"], followed["statusOmschrijving"]),
            ("received", "Ontvangen"),
        )

    def test_the_citizen_known_by_national_number_is_the_partner(self):
        known = self.env["res.partner"].create(
            {"name": "Ann Peeters-Janssens", "national_number": "85073003328"}
        )
        response = self.call("/meldingen", self.report(meldingId="mbp-0002"))
        case = self.env["kcc.case"].search(
            [("name", "=", response.json()["dossiernummer"])]
        )
        self.assertEqual(case.partner_id, known)

    def test_bad_tokens_are_refused(self):
        cases = [
            (False, 401, "no token"),
            ("not-a-jwt", 401, "malformed"),
            (self.token(exp=int(time.time()) - 600), 401, "expired"),
            (self.token(aud="https://other.api"), 401, "wrong audience"),
            (self.token(iss="https://evil.example/op"), 401, "wrong issuer"),
            (self.token(key=FORGED_KEY), 401, "forged signature"),
            (self.token(scope="profile"), 403, "wrong scope"),
        ]
        for token, status, why in cases:
            with self.subTest(why):
                response = self.call("/meldingen", self.report(), token=token)
                self.assertProblem(response, status)
                self.assertIn("Bearer", response.headers["WWW-Authenticate"])
        self.assertFalse(
            self.env["kcc.case"].search([("idempotency_key", "like", "melding:%")])
        )

    def test_schema_violations_and_oversized_attachments(self):
        problem = self.assertProblem(
            self.call(
                "/meldingen", self.report(categorie="personeel", omschrijving="")
            ),
            400,
        )
        self.assertIn("categorie", problem["errors"])
        self.assertIn("omschrijving", problem["errors"])
        problem = self.assertProblem(
            self.call("/meldingen", self.report(categorie="sluikstort")), 400
        )
        self.assertTrue(problem["errors"])
        self.assertProblem(self.call("/meldingen", raw="{not json"), 400)
        too_big = PNG + b"\0" * melding.MAX_ATTACHMENT_BYTES
        big = {"bestandsnaam": "groot.png", "mimeType": "image/png",
               "inhoud": base64.b64encode(too_big).decode()}  # fmt: skip
        self.assertProblem(self.call("/meldingen", self.report(bijlagen=[big])), 413)
        fake = {"bestandsnaam": "virus.png", "mimeType": "image/png",
                "inhoud": base64.b64encode(b"MZ\x90\x00").decode()}  # fmt: skip
        problem = self.assertProblem(
            self.call("/meldingen", self.report(bijlagen=[fake])), 400
        )
        self.assertIn("bijlagen/0", problem["errors"])
        self.assertFalse(
            self.env["kcc.case"].search([("idempotency_key", "like", "melding:%")])
        )

    def test_unknown_report_and_disabled_api(self):
        self.assertProblem(self.call("/meldingen/nooit-gezien"), 404)
        self.env["ir.config_parameter"].sudo().set_param(
            "leuven_burgerprofiel.melding_enabled", ""
        )
        self.assertProblem(self.call("/configuration"), 404)

    def test_the_specification_is_public(self):
        response = self.url_open("/v1/melding/openapi.json")
        self.assertEqual(response.json()["openapi"], "3.1.0")
