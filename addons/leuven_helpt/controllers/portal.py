from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class HelptVolunteerPortal(CustomerPortal):
    """Leuven Helpt in the volunteer's portal: the requests proposed to him,
    his answer, and his report after the help."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "helpt_match_count" in counters:
            Match = request.env["helpt.match"]
            values["helpt_match_count"] = (
                Match.search_count([]) if Match.has_access("read") else 0
            )
        return values

    @http.route("/my/helpt", type="http", auth="user", website=True)
    def portal_my_helpt(self, **kwargs):
        Match = request.env["helpt.match"]
        matches = (
            Match.search([], limit=200) if Match.has_access("read") else Match.browse()
        )
        values = self._prepare_portal_layout_values()
        values.update({"matches": matches, "page_name": "helpt_match"})
        return request.render("leuven_helpt.portal_my_helpt", values)

    @http.route("/my/helpt/<int:match_id>", type="http", auth="public", website=True)
    def portal_my_helpt_match(self, match_id, access_token=None, **kwargs):
        try:
            match_sudo = self._document_check_access(
                "helpt.match", match_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        closed = match_sudo.state == "proposed" and match_sudo._helpt_why_closed()
        values = self._get_page_view_values(
            match_sudo,
            access_token,
            {
                "match": match_sudo,
                "page_name": "helpt_match",
                "error": kwargs.get("error"),
                "closed": closed,
                "token": access_token or "",
            },
            "my_helpt_history",
            False,
        )
        return request.render("leuven_helpt.portal_my_helpt_match", values)

    def _helpt_action(self, match_id, access_token, action):
        """Run ``action`` on the match the visitor may read (his own, or by
        the link of his e-mail), then back to its page, with the refusal in
        Dutch."""
        try:
            match_sudo = self._document_check_access(
                "helpt.match", match_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = f"/my/helpt/{match_id}" + (
            f"?access_token={quote(access_token)}" if access_token else ""
        )
        try:
            action(match_sudo)
        except UserError as err:
            separator = "&" if "?" in url else "?"
            return request.redirect(
                f"{url}{separator}error={quote(str(err))}", local=True
            )
        return request.redirect(url, local=True)

    @http.route(
        "/my/helpt/<int:match_id>/accept",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        get_redirect="/my/helpt/{match_id}",
    )
    def portal_helpt_accept(self, match_id, access_token=None, **kwargs):
        return self._helpt_action(
            match_id, access_token, lambda match: match._helpt_accept(request.env.user)
        )

    @http.route(
        "/my/helpt/<int:match_id>/decline",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        get_redirect="/my/helpt/{match_id}",
    )
    def portal_helpt_decline(self, match_id, access_token=None, **kwargs):
        return self._helpt_action(
            match_id, access_token, lambda match: match._helpt_decline(request.env.user)
        )

    @http.route(
        "/my/helpt/<int:match_id>/report",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
        get_redirect="/my/helpt/{match_id}",
    )
    def portal_helpt_report(
        self, match_id, access_token=None, date=None, happened=None, hours=None, **kw
    ):
        """After the help: did it happen on that date, and for how long."""

        def report(match):
            match._helpt_check_answerer(request.env.user)
            match._helpt_report(date, happened == "yes", hours)

        return self._helpt_action(match_id, access_token, report)
