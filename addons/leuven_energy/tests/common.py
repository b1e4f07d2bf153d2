from odoo.addons.leuven_guidance.tests.common import GuidanceFixture


class EnergyFixture(GuidanceFixture):
    """The guidance fixture plus an energy coaching of the citizen's owned
    dwelling, in the intake."""

    @classmethod
    def setup_energy(cls):
        cls.setup_guidance()
        env = cls.env
        cls.type_energy = env.ref("leuven_energy.guidance_type_energy")
        cls.stage = {stage.code: stage for stage in cls.type_energy.stage_ids}
        cls.trajectory = env["guidance.trajectory"].create(
            {
                "type_id": cls.type_energy.id,
                "partner_id": cls.citizen.partner_id.id,
                "coach_id": cls.coach.id,
                "dwelling_ids": [(6, 0, cls.owned.ids)],
            }
        )
