from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.kcc_case_citizen_loop import CLOSED_TO_CUSTOMER


class KccCustomerPortal(CustomerPortal):
    """Mijn vragen en meldingen: the citizen's own cases."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "kcc_case_count" in counters:
            Case = request.env["kcc.case"]
            values["kcc_case_count"] = (
                Case.search_count([]) if Case.has_access("read") else 0
            )
        return values

    @http.route(
        ["/my/cases", "/my/cases/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_cases(self, page=1, filterby="all", **kwargs):
        """All the visitor's cases by default, as the home page counts them;
        "Open" narrows the list."""
        Case = request.env["kcc.case"]
        filters = {
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_open", "=", True)],
            },
            "all": {"label": request.env._("All"), "domain": []},
        }
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]
        count = Case.search_count(domain)
        pager = portal_pager(
            url="/my/cases",
            url_args={"filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        cases = Case.search(
            domain,
            order="date_received desc, id desc",
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "cases": cases,
                "page_name": "kcc_case",
                "pager": pager,
                "default_url": "/my/cases",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("leuven_kcc.portal_my_cases", values)

    @http.route("/my/cases/<int:case_id>", type="http", auth="public", website=True)
    def portal_my_case(self, case_id, access_token=None, **kwargs):
        try:
            case_sudo = self._document_check_access("kcc.case", case_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        user = request.env.user
        # The case's access token is the customer's alone: it goes back into
        # the page (chatter, forms) only for the visitor who came through the
        # customer's link, never for a partner organisation or staff, who
        # read and post as themselves through their own access.
        customer_token = (
            access_token
            if access_token and not case_sudo.with_user(user).has_access("read")
            else None
        )
        private = case_sudo._portal_hides_private(user)
        attachments = request.env["ir.attachment"].sudo()
        if not private:
            attachments = attachments.search(
                [("res_model", "=", "kcc.case"), ("res_id", "=", case_sudo.id)],
                order="id",
            )
            for attachment in attachments | case_sudo.message_ids.attachment_ids:
                attachment.generate_access_token()
        organisation = user.partner_id.commercial_partner_id
        share = case_sudo.share_ids.filtered(
            lambda s: s.is_active and s.organisation_id == organisation
        )[:1]
        values = self._get_page_view_values(
            case_sudo, customer_token, {"case": case_sudo, "page_name": "kcc_case",
                                      "error": kwargs.get("error"),
                                      "attachments": attachments,
                                      "description": not private
                                      and case_sudo.description_by_customer
                                      and case_sudo.description,
                                      "answers": case_sudo.answer_ids,
                                      "closed_to_customer": case_sudo.state
                                      in CLOSED_TO_CUSTOMER,
                                      "kcc_share": share,
                                      "kcc_private": private},
            "my_cases_history", False,
        )  # fmt: skip
        values["disable_composer"] = values["closed_to_customer"]
        return request.render("leuven_kcc.portal_my_case", values)

    @http.route("/kcc/thanks/<int:case_id>", type="http", auth="public", website=True)
    def kcc_thanks(self, case_id, access_token=None, **kwargs):
        """The page after a web form: the case's number, for its customer
        (logged in, or through the link with the case's access token)."""
        try:
            case_sudo = self._document_check_access("kcc.case", case_id, access_token)
        except (AccessError, MissingError) as err:
            raise NotFound() from err
        return request.render("leuven_kcc.kcc_form_thanks", {"case": case_sudo})

    @http.route(
        "/my/cases/<int:case_id>/reopen",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        get_redirect="/my/cases/{case_id}",
    )
    def portal_reopen_case(self, case_id, access_token=None, reason=None, **kwargs):
        """ "I am not satisfied": reopen an answered case, with a reason."""
        return self._portal_case_action(
            case_id,
            access_token,
            lambda case: case._portal_reopen(reason, request.env.user),
        )

    @http.route(
        "/my/cases/<int:case_id>/reply",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        get_redirect="/my/cases/{case_id}",
    )
    def portal_reply_case(self, case_id, access_token=None, body=None, **kwargs):
        """The customer answers the question of a case that waits on him."""
        return self._portal_case_action(
            case_id,
            access_token,
            lambda case: case._portal_reply(body, request.env.user),
            anchor="#kcc_case_chat",
        )

    def _portal_case_action(self, case_id, access_token, action, anchor=""):
        """Run ``action`` on the case the visitor may read (his own or by its
        link), then back to its page, with the error in Dutch if refused."""
        try:
            case_sudo = self._document_check_access("kcc.case", case_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/cases/{case_id}" + (
            f"?access_token={quote(access_token)}" if access_token else ""
        )
        try:
            action(case_sudo)
        except UserError as err:
            separator = "&" if "?" in url else "?"
            return request.redirect(
                f"{url}{separator}error={quote(str(err))}", local=True
            )
        return request.redirect(f"{url}{anchor}", local=True)

    @http.route(
        "/my/cases/<int:case_id>/support_started",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
        get_redirect="/my/cases/{case_id}",
    )
    def portal_support_started(self, case_id, **kwargs):
        """A partner organisation tells the KCC it started supporting the citizen."""
        try:
            case_sudo = self._document_check_access("kcc.case", case_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/cases/{case_id}"
        try:
            case_sudo._portal_support_started(request.env.user)
        except UserError as err:
            return request.redirect(f"{url}?error={quote(str(err))}", local=True)
        return request.redirect(url, local=True)
