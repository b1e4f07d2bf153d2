from . import (
    test_guidance_access,
    test_guidance_dwelling_register,
    test_guidance_kpi,
    test_guidance_partner_access,
    test_guidance_portal,
    test_guidance_start,
    test_guidance_tour,
)
