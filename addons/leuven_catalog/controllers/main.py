import json
import re

from markupsafe import Markup

from odoo import http
from odoo.http import request

from odoo.addons.leuven_kcc.controllers.website_form import KccWebsiteForm

from leuven.kcc.inputs import InputError, check_text

MAX_SEARCH = 200
# a record id from a form or a link: digits that fit PostgreSQL's integer
PRODUCT_ID = re.compile(r"[0-9]{1,9}")


def _product_id(raw):
    """The product id in ``raw`` (a request parameter), or ``None``."""
    return int(raw) if isinstance(raw, str) and PRODUCT_ID.fullmatch(raw) else None


class CatalogWebsite(http.Controller):
    """The city's products on the website: overview, search and product pages."""

    @http.route(["/producten"], type="http", auth="public", website=True, sitemap=True)
    def products(self, search=None, theme=None, target=None, **kwargs):
        Product = request.env["catalog.product"]
        domain = [("website_published", "=", True)]
        error, status = False, 200
        try:
            search = check_text(search, "search", MAX_SEARCH)
        except InputError:
            # a NUL, a line break or a page of text: the page again, empty
            search, status = "", 400
            error = request.env._(
                "Your search holds characters that are not allowed or is too long."
            )
            domain.append(("id", "=", 0))
        if search:
            domain += Product._search_terms_domain(search)
        themes = request.env["catalog.theme"].search([])
        targets = request.env["catalog.target.group"].search([])
        theme_rec = themes.filtered(lambda t: t.code == theme)[:1]
        target_rec = targets.filtered(lambda t: t.code == target)[:1]
        if theme_rec:
            domain.append(("theme_ids", "in", theme_rec.ids))
        if target_rec:
            domain.append(("target_group_ids", "in", target_rec.ids))
        products = Product.search(domain, limit=200)
        return request.render(
            "leuven_catalog.catalog_products",
            {
                "products": products,
                "themes": themes,
                "targets": targets,
                "search": search or "",
                "theme": theme_rec,
                "target": target_rec,
                "error": error,
            },
            status=status,
        )

    @http.route(
        ['/producten/<model("catalog.product"):product>'],
        type="http",
        auth="public",
        website=True,
        sitemap=True,
    )
    def product(self, product, **kwargs):
        structured = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": product.name,
            "serviceOperator": {
                "@type": "GovernmentOrganization",
                "name": "Stad Leuven",
            },
            "url": f"{product.get_base_url()}{product.website_url}",
            "identifier": product.product_number or product.ipdc_id,
        }
        return request.render(
            "leuven_catalog.catalog_product_page",
            {
                "product": product,
                "main_object": product,
                # JSON inside <script>: "</" must not close the element
                "structured_data": Markup(
                    json.dumps(structured, ensure_ascii=False).replace("</", "<\\/")
                ),
            },
        )


class CatalogKccWebsiteForm(KccWebsiteForm):
    """The contact form knows the product a question is about."""

    def _form_values(self, kind, post=None, error=None):
        values = super()._form_values(kind, post, error)
        raw = (post or {}).get("catalog_product_id") or request.params.get("product_id")
        product = request.env["catalog.product"]
        if _product_id(raw):
            product = product.search(
                [("id", "=", _product_id(raw)), ("website_published", "=", True)]
            )
        values["product"] = product
        return values
