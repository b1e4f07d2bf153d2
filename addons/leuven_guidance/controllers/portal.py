from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from leuven.guidance import access

from ..models.guidance_dwelling import CITIZEN_FIELDS


class GuidanceCustomerPortal(CustomerPortal):
    """Mijn begeleidingen: the citizen's trajectories and his dwellings."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, model in (
            ("guidance_trajectory_count", "guidance.trajectory"),
            ("guidance_dwelling_count", "guidance.dwelling"),
        ):
            if counter in counters:
                Model = request.env[model]
                # "Mijn woningen" is the holders' page: a partner organisation
                # sees the dwellings granted to it in each trajectory
                mine = model != "guidance.dwelling" or not (
                    Model._guidance_partner_organisation()
                )
                values[counter] = (
                    Model.search_count([]) if mine and Model.has_access("read") else 0
                )
        return values

    def _guidance_record(self, model, record_id):
        """The record if the visitor may read it; 404 otherwise (another
        citizen's record looks exactly like one that does not exist)."""
        record = request.env[model].browse(record_id)
        try:
            record.check_access("read")
            if not record.exists():
                raise NotFound()
        except (AccessError, MissingError) as error:
            raise NotFound() from error
        return record

    @http.route(
        ["/my/trajectories", "/my/trajectories/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_trajectories(self, page=1, **kwargs):
        Trajectory = request.env["guidance.trajectory"]
        count = Trajectory.search_count([])
        pager = portal_pager(
            url="/my/trajectories", total=count, page=page, step=self._items_per_page
        )
        trajectories = Trajectory.search(
            [], limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "trajectories": trajectories,
                "page_name": "guidance_trajectory",
                "pager": pager,
                "default_url": "/my/trajectories",
            }
        )
        return request.render("leuven_guidance.portal_my_trajectories", values)

    @http.route(
        "/my/trajectories/<int:trajectory_id>", type="http", auth="user", website=True
    )
    def portal_my_trajectory(self, trajectory_id, **kwargs):
        trajectory = self._guidance_record("guidance.trajectory", trajectory_id)
        # checked above: the public messages' files of his own trajectory
        trajectory_sudo = trajectory.sudo()
        # a partner organisation's user sees the categories granted to it
        organisation = trajectory._guidance_partner_organisation()
        categories = trajectory._guidance_partner_categories() if organisation else None
        documents = trajectory_sudo._portal_documents()
        if organisation and access.DOCUMENTS not in categories:
            documents = documents.browse()
        for document in documents:
            document.generate_access_token()
        values = self._get_page_view_values(
            trajectory,
            None,
            {
                "trajectory": trajectory,
                "page_name": "guidance_trajectory",
                "coach_name": trajectory_sudo.coach_id.name,
                # the ones he still holds (the record rule)
                "dwellings": request.env["guidance.dwelling"].search(
                    [("id", "in", trajectory_sudo.dwelling_ids.ids)]
                ),
                "documents": documents,
                "guidance_partner_view": bool(organisation),
                "show_chat": not organisation or access.NOTES in categories,
            },
            "my_trajectories_history",
            False,
        )
        if organisation:
            shown = {access.DOCUMENTS} if documents else set()
            if access.NOTES in categories:
                shown.add(access.NOTES)
            trajectory._guidance_log_reads(
                trajectory._guidance_readable(organisation),
                (),
                organisation,
                categories=shown | {access.CONTACT, access.DWELLING} & categories,
            )
        return request.render("leuven_guidance.portal_my_trajectory", values)

    @http.route(
        "/my/trajectories/<int:trajectory_id>/access",
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_trajectory_access(self, trajectory_id, **kwargs):
        """Who of the partner organisations looked at what, and when: for the
        citizen only (a partner organisation's user gets "not found")."""
        trajectory = self._guidance_record("guidance.trajectory", trajectory_id)
        if trajectory._guidance_partner_organisation():
            raise NotFound()
        logs = request.env["guidance.access.log"].search(
            [("trajectory_id", "=", trajectory.id)]
        )
        rows = access.summarise_log(
            access.ReadLogEntry(
                log.organisation_id.id,
                log.category,
                log.read_at,
                log.dwelling_id.id or None,
                log.trajectory_id.id,
                log.user_id.id,
            )
            for log in logs
        )
        logs_sudo = logs.sudo()
        names = {
            "organisations": {o.id: o.name for o in logs_sudo.organisation_id},
            "dwellings": {d.id: d.display_name for d in logs_sudo.dwelling_id},
            "categories": {
                c.code: c.name
                for c in request.env["guidance.data.category"].sudo().search([])
            },
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "trajectory": trajectory,
                "page_name": "guidance_trajectory",
                "rows": rows,
                "names": names,
                "grants": trajectory.sudo().consent_ids.sorted("id"),
            }
        )
        return request.render("leuven_guidance.portal_my_trajectory_access", values)

    @http.route(["/my/dwellings"], type="http", auth="user", website=True)
    def portal_my_dwellings(self, **kwargs):
        if request.env["guidance.dwelling"]._guidance_partner_organisation():
            # the holders' page; a partner organisation reads the dwellings
            # granted to it on the trajectory's page, where the read is logged
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "dwellings": request.env["guidance.dwelling"].search([]),
                "page_name": "guidance_dwelling",
            }
        )
        return request.render("leuven_guidance.portal_my_dwellings", values)

    @http.route(
        "/my/dwellings/<int:dwelling_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_my_dwelling(self, dwelling_id, **post):
        dwelling = self._guidance_record("guidance.dwelling", dwelling_id)
        if dwelling._guidance_partner_organisation():
            # the page of the holder, who completes and corrects his data: a
            # partner organisation reads what was granted, changes nothing
            raise NotFound()
        errors, form, saved = {}, {}, False
        if request.httprequest.method == "POST":
            form = {name: (post.get(name) or "").strip() for name in CITIZEN_FIELDS}
            vals, errors = dwelling._portal_parse(form)
            if not errors:
                # checked above: he holds the dwelling; the change is tracked
                # with him as its author (sudo keeps the user)
                dwelling.sudo().write(vals)
                saved, form = True, {}
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "dwelling": dwelling,
                "page_name": "guidance_dwelling",
                "errors": errors,
                "form": form,
                "saved": saved,
                "choices": dwelling._portal_choices(),
                "labels": {
                    name: dwelling._fields[name]._description_string(request.env)
                    for name in CITIZEN_FIELDS
                },
                # his own holdings only (the record rule), not the others'
                "roles": request.env["guidance.dwelling.holder"].search(
                    [("dwelling_id", "=", dwelling.id)]
                ),
            }
        )
        return request.render(
            "leuven_guidance.portal_my_dwelling", values, status=400 if errors else 200
        )
