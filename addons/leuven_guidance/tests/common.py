from odoo.tests import new_test_user


class GuidanceFixture:
    """Users of every role, a citizen with two dwellings (owner of one,
    tenant of the other) and a trajectory; another citizen with his own."""

    @classmethod
    def setup_guidance(cls):
        env = cls.env
        cls.agent = new_test_user(
            env, "g.agent", groups="base.group_user,leuven_kcc.group_kcc_agent"
        )
        cls.coach = new_test_user(
            env,
            "g.coach",
            groups="base.group_user,leuven_guidance.group_guidance_coach",
            name="Sofie Coach",
        )
        cls.manager = new_test_user(
            env,
            "g.manager",
            groups="base.group_user,leuven_guidance.group_guidance_manager",
        )
        cls.citizen = new_test_user(
            env, "g.citizen", groups="base.group_portal", name="An Burger"
        )
        cls.other_citizen = new_test_user(
            env, "g.other", groups="base.group_portal", name="Piet Ander"
        )
        cls.landlord = env["res.partner"].create({"name": "Jef Verhuurder"})
        Dwelling = env["guidance.dwelling"]
        cls.owned = Dwelling.create(
            {
                "street": "Naamsestraat",
                "house_number": "96",
                "postcode": "3000",
                "city": "Leuven",
                "address_register_id": "T-1001",
            }
        )
        cls.rented = Dwelling.create(
            {
                "street": "Tiensestraat",
                "house_number": "112",
                "box": "2",
                "postcode": "3000",
                "city": "Leuven",
            }
        )
        cls.foreign = Dwelling.create(
            {"street": "Brusselsestraat", "house_number": "7", "city": "Leuven"}
        )
        Holder = env["guidance.dwelling.holder"]
        Holder.create(
            [
                {
                    "dwelling_id": cls.owned.id,
                    "partner_id": cls.citizen.partner_id.id,
                    "role": "owner",
                },
                {
                    "dwelling_id": cls.rented.id,
                    "partner_id": cls.citizen.partner_id.id,
                    "role": "tenant",
                },
                {
                    "dwelling_id": cls.rented.id,
                    "partner_id": cls.landlord.id,
                    "role": "owner",
                },
                {
                    "dwelling_id": cls.foreign.id,
                    "partner_id": cls.other_citizen.partner_id.id,
                    "role": "owner",
                },
            ]
        )
        cls.type_general = env.ref("leuven_guidance.guidance_type_general")
        cls.stage_intake = env.ref("leuven_guidance.guidance_stage_general_intake")
        cls.stage_progress = env.ref("leuven_guidance.guidance_stage_general_progress")
        Trajectory = env["guidance.trajectory"]
        cls.trajectory = Trajectory.create(
            {
                "type_id": cls.type_general.id,
                "partner_id": cls.citizen.partner_id.id,
                "coach_id": cls.coach.id,
                "dwelling_ids": [(6, 0, cls.owned.ids)],
                "note": "<p>Geheime notitie van de coach</p>",
            }
        )
        cls.other_trajectory = Trajectory.create(
            {
                "type_id": cls.type_general.id,
                "partner_id": cls.other_citizen.partner_id.id,
                "dwelling_ids": [(6, 0, cls.foreign.ids)],
            }
        )
        # as at the end of a request: what was created is tracked from now on
        env.cr.precommit.run()
