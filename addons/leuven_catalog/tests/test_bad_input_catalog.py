from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCatalogBadInput(HttpCase):
    """Garbage in the catalogue's search and product links: a 400 or 404,
    never a 500, and no traceback in the log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["catalog.product"].create(
            {
                "name": "Bewonersparkeerkaart",
                "ipdc_id": "urn:test:bad-input",
                "keywords": "parkeren, bewonerskaart",
                "is_published": True,
            }
        )

    def get(self, path):
        return self.url_open(path, timeout=60, allow_redirects=False)

    def test_garbage_in_search_and_links(self):
        slug = self.product.website_url
        nul = (400,)  # refused before routing: the address holds a NUL
        cases = [
            (nul, "/producten?search=%00"),
            (nul, "/producten?search=parkeren%00kaart"),
            ((400,), "/producten?search=" + "parkeren+" * 500),
            ((400,), "/producten?search=parkeren%0Akaart"),
            ((400,), "/producten?search=parkeren%01"),
            ((200,), "/producten?search=%F0%9F%85%BF%EF%B8%8F+%E2%80%AE"),
            ((200,), "/producten?theme=%27&target=" + "x" * 3000),
            (nul, "/producten?theme=%00"),
            (nul, "/producten/%00"),
            (nul, f"{slug}%00"),
            ((404,), "/producten/bewonersparkeerkaart-99999999999999999999"),
            ((404, 301), "/producten/-1"),
            ((404,), "/producten/%27%20OR%201=1--"),
            ((200,), "/kcc/contact?product_id=%C2%B2"),
            ((200,), "/kcc/contact?product_id=99999999999999999999"),
            ((200,), "/kcc/contact?product_id=-1"),
        ]
        failures = []
        with self.assertNoLogs(level="ERROR"):
            for expected, path in cases:
                status = self.get(path).status_code
                if status not in expected:
                    failures.append(f"{path[:80]}: {status}, not {expected}")
        self.assertEqual(failures, [])

    def test_a_refused_search_says_why_in_dutch(self):
        # the website speaks Dutch (nl_BE) by default
        response = self.get("/producten?search=a%0Ab")
        self.assertEqual(response.status_code, 400)
        self.assertIn("tekens die niet toegelaten zijn", response.text)
        self.assertIn("Bewonersparkeerkaart", self.get("/producten").text)
