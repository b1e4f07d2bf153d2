import datetime as dt
import random

from odoo import api, fields, models


class KccCase(models.Model):
    """Demo data."""

    _inherit = "kcc.case"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _demo_generate_cases(self, count=300, seed=2026):
        """Demo only: ``count`` cases across types, channels and states."""
        rng = random.Random(seed)
        categories = self.env["kcc.case.category"].search([])
        partners = self.env["res.partner"].search(
            [("email", "!=", False), ("is_company", "=", False)], limit=40
        )
        streets = ["Naamsestraat", "Tiensestraat", "Diestsestraat", "Brusselsestraat"]
        subjects = {
            "question": [
                "Openingsuren van het stadskantoor",
                "Vraag over mijn afvalfactuur",
            ],
            "report": [
                "Put in het voetpad",
                "Straatlamp defect",
                "Sluikstort op de hoek",
            ],
            "suggestion": ["Meer fietsenstallingen aan het station", "Extra zitbanken"],
            "complaint": [
                "Geen antwoord op mijn e-mail",
                "Lange wachttijd aan het loket",
            ],
        }
        channels = self._fields["channel"].get_values(self.env)
        paths = [
            [],
            ["assigned"],
            ["assigned", "in_progress"],
            ["in_progress", "waiting"],
            ["in_progress", "answered"],
            ["in_progress", "answered", "closed"],
            ["cancelled"],
        ]
        agent = self.env.ref("leuven_kcc.demo_user_agent", raise_if_not_found=False)
        for index in range(count):
            case_type = rng.choice(list(subjects))
            values = {
                "subject": rng.choice(subjects[case_type]),
                "case_type": case_type,
                "category_id": rng.choice(categories).id if categories else False,
                "description": "Demo",
            }
            if partners and rng.random() < 0.7:
                values["partner_id"] = rng.choice(partners).id
            else:
                values["contact_email"] = f"burger{index}@example.com"
            if case_type == "report":
                values.update(
                    street=f"{rng.choice(streets)} {rng.randint(1, 120)}",
                    postcode="3000",
                    city="Leuven",
                )
            case = self._intake(
                values, rng.choice(channels), idempotency_key=f"demo-{seed}-{index}"
            )
            case.date_received = fields.Datetime.now() - dt.timedelta(
                days=rng.randint(0, 40), hours=rng.randint(0, 8)
            )
            case._apply_deadline()
            for state in rng.choice(paths):
                if state == "answered":
                    case.resolution = "<p>Beantwoord (demo).</p>"
                    case.first_line = case.handler_group_id.is_kcc
                if state == "assigned" and agent:
                    case.user_id = agent
                if state == "waiting":
                    case._wait_on_customer("Kunt u een foto van de situatie bezorgen?")
                elif state == "cancelled":
                    case._cancel("Dubbel ingediend (demo).")
                else:
                    case.write({"state": state})
        self._demo_generate_first_line_contacts(rng, count * 3 // 2, channels)
        return True  # each intake queued its acknowledgement

    @api.model
    def _demo_generate_first_line_contacts(self, rng, count, channels):
        """Demo only: questions the KCC answered at once, without a case (the
        first-line resolution of the dashboard)."""
        summaries = [
            "Openingsuren van het stadskantoor gegeven",
            "Uitgelegd hoe een parkeerkaart aan te vragen",
            "Ophaaldata van het afval gegeven",
            "Doorverwezen naar de juiste pagina van de website",
        ]
        now = fields.Datetime.now()
        self.env["kcc.contact"].create(
            [
                {
                    "summary": rng.choice(summaries),
                    "channel": rng.choice(channels),
                    "first_line_resolved": True,
                    "date": now
                    - dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8)),
                }
                for _index in range(count)
            ]
        )
