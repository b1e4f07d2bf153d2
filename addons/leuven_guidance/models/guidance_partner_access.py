from datetime import datetime

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from leuven.guidance import access

TRAJECTORY = "guidance.trajectory"
# (grant rows object, computed at, valid until, (readable, categories)) by
# id() of the grant rows in the ORM cache (kept, so the id is not reused)
_MEMO = {}
_MEMO_SIZE = 256
X2MANY = ("one2many", "many2many")
COACH_GROUP = "leuven_guidance.group_guidance_coach"


class GuidanceDataCategory(models.Model):
    """A data category of a trajectory a partner organisation may be granted
    (the codes of :mod:`leuven.guidance.access`)."""

    _name = "guidance.data.category"
    _description = "Guidance Data Category"
    _order = "sequence, id"

    code = fields.Selection(
        [(code, code) for code in access.CATEGORIES], required=True, readonly=True
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_unique", "unique(code)", "A data category with this code exists."),
    ]


class KccConsent(models.Model):
    """The suite's one consent, extended: a grant to a partner organisation of
    chosen data categories of chosen dwellings of one trajectory, until a
    date. Withdrawing it (the consent's own withdrawal) ends it at once."""

    _inherit = "kcc.consent"

    trajectory_id = fields.Many2one(
        TRAJECTORY, index="btree_not_null", ondelete="cascade", tracking=True
    )
    category_ids = fields.Many2many(
        "guidance.data.category",
        "guidance_consent_category_rel",
        "consent_id",
        "category_id",
        string="Data Categories",
    )
    dwelling_ids = fields.Many2many(
        "guidance.dwelling",
        "guidance_consent_dwelling_rel",
        "consent_id",
        "dwelling_id",
        string="Dwellings",
        domain="[('trajectory_ids', 'in', trajectory_id)]",
    )
    valid_until = fields.Date(tracking=True)

    @api.constrains("trajectory_id", "dwelling_ids", "partner_id", "category_ids")
    def _check_guidance_grant(self):
        for consent in self.filtered("trajectory_id"):
            trajectory = consent.trajectory_id.sudo()
            if (
                consent.partner_id.commercial_partner_id
                != trajectory.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._("This consent was given by another citizen.")
                )
            Dwelling = self.env["guidance.dwelling"].sudo()
            held = Dwelling.with_context(active_test=False).search(
                Dwelling._held_by_domain(trajectory.partner_id)
                + [("id", "in", consent.dwelling_ids.ids)]
            )
            if consent.dwelling_ids.sudo() - held:
                raise ValidationError(
                    self.env._(
                        "A partner organisation can only be granted dwellings "
                        "the citizen holds."
                    )
                )
            if not consent.category_ids or not consent.dwelling_ids:
                raise ValidationError(
                    self.env._("Choose at least one data category and one dwelling.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        consents = super().create(vals_list)
        self._guidance_invalidate_grants()
        return consents

    def write(self, vals):
        result = super().write(vals)
        self._guidance_invalidate_grants()
        return result

    def unlink(self):
        result = super().unlink()
        self._guidance_invalidate_grants()
        return result

    @api.model
    def _guidance_invalidate_grants(self):
        """A consent given, changed or withdrawn: the partner organisations'
        grants are read again at their next use in this transaction."""
        self.env["res.partner"].invalidate_model(["guidance_grant_data"])


class GuidanceAccessLog(models.Model):
    """One partner read of trajectory data: written by the system only."""

    _name = "guidance.access.log"
    _description = "Partner Read of Trajectory Data"
    _order = "read_at desc, id desc"
    _log_access = False

    organisation_id = fields.Many2one(
        "res.partner", required=True, readonly=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", readonly=True, ondelete="set null")
    trajectory_id = fields.Many2one(
        TRAJECTORY, required=True, readonly=True, index=True, ondelete="cascade"
    )
    commercial_partner_id = fields.Many2one(
        related="trajectory_id.commercial_partner_id", store=True, index=True
    )
    coach_id = fields.Many2one(related="trajectory_id.coach_id", store=True)
    dwelling_id = fields.Many2one(
        "guidance.dwelling", readonly=True, ondelete="set null"
    )
    category = fields.Selection(
        [(code, code) for code in access.CATEGORIES], required=True, readonly=True
    )
    read_at = fields.Datetime(required=True, readonly=True)

    @api.model
    def _guidance_log(self, entries):
        """Write ``entries`` (:class:`ReadLogEntry` values of one read: the
        same user and moment); one row per (trajectory, category, dwelling)
        per request and user, in one search and one insert."""
        if not entries:
            return
        if self.env.cr.readonly:
            # a read-only request (search_read, read_group...): it is served
            # again on a read/write cursor, where the read is logged
            raise psycopg2.errors.ReadOnlySqlTransaction("a partner read is logged")
        Log = self.sudo()
        Log.flush_model()
        done = {
            (log.trajectory_id.id, log.category, log.dwelling_id.id or None)
            for log in Log.search(
                [
                    ("trajectory_id", "in", sorted({e.trajectory_id for e in entries})),
                    ("user_id", "=", entries[0].user_id),
                    ("read_at", "=", entries[0].read_at),
                ]
            )
        }
        values = []
        for entry in entries:
            key = (entry.trajectory_id, entry.category, entry.dwelling_id)
            if key in done:
                continue
            done.add(key)
            values.append(
                {
                    "organisation_id": entry.partner_id,
                    "user_id": entry.user_id,
                    "trajectory_id": entry.trajectory_id,
                    "dwelling_id": entry.dwelling_id,
                    "category": entry.category,
                    "read_at": entry.read_at,
                }
            )
        if values:
            Log.create(values)


class GuidancePartnerAccessMixin(models.AbstractModel):
    """What a partner organisation's user reads of a trajectory or dwelling:
    only records of an active grant (the record rules), and of those only the
    fields of the categories granted (the rest is left out)."""

    _name = "guidance.partner.access.mixin"
    _description = "Partner Organisation Access to Guidance Data"

    # the fields every reader of a granted record sees; the others belong to
    # a category (``_guidance_field_map``) or to nobody outside the staff
    _guidance_base_fields = ("id", "display_name")

    @api.model
    def _guidance_field_map(self):
        """``{category: field names}``: where each data category lives."""
        return {}

    @api.model
    def _guidance_partner_organisation(self, ignore_su=False):
        """The organisation of the current user when he is a partner
        organisation's portal user (no superuser, no employee, no citizen
        reading his own), else an empty recordset. ``ignore_su``: the user's
        even in sudo (a record rule's domain is searched in sudo)."""
        user = self.env.user
        if (self.env.su and not ignore_su) or not user.share or user._is_public():
            return self.env["res.partner"]
        organisation = user.partner_id.commercial_partner_id
        if not organisation.kcc_is_partner_organisation:
            return self.env["res.partner"]
        return organisation

    @api.model
    def _guidance_grants(self, organisation, rows=None):
        """``[(trajectory id, Grant)]`` of ``organisation``'s active consents
        (read once per transaction, see ``res.partner.guidance_grant_data``;
        ``rows``: that field's value when the caller has it already)."""
        if not organisation:
            return []
        if rows is None:
            rows = organisation.sudo().guidance_grant_data
        result = []
        for row in rows or ():
            trajectory_id, grant_id, categories, dwelling_ids = row[:4]
            valid_from, valid_until, withdrawn_at = row[4:7]
            result.append(
                (
                    trajectory_id,
                    access.Grant(
                        partner_id=organisation.id,
                        categories=categories,
                        dwelling_ids=dwelling_ids,
                        valid_from=fields.Date.to_date(valid_from),
                        valid_until=fields.Date.to_date(valid_until),
                        withdrawn_at=fields.Datetime.to_datetime(withdrawn_at),
                        grant_id=grant_id,
                    ),
                )
            )
        return result

    @api.model
    def _guidance_readable(self, organisation=None):
        """``{trajectory id: {dwelling id: categories}}`` the current partner
        user may read now (empty for everyone else)."""
        organisation = (
            self._guidance_partner_organisation()
            if organisation is None
            else organisation
        )
        if not organisation:
            return {}
        return self._guidance_memo(organisation)[0]

    @api.model
    def _guidance_memo(self, organisation):
        """``(readable, categories)`` of ``organisation`` now: what it may
        read (see :meth:`_guidance_readable`) and the union of its categories.
        Worked out once per version of its grants (the ORM cache of
        ``guidance_grant_data``: a new transaction, a rollback or a changed
        consent gives a new one) and until the next grant starts or ends;
        a request calls this for every read, search and rule check."""
        partner = organisation.sudo()
        field = partner._fields["guidance_grant_data"]
        rows = partner.env.cache.get(partner, field, None)
        if rows is None:
            # computed into the cache, where its object stands for this version
            field.compute_value(partner)
            rows = partner.env.cache.get(partner, field, None)
        now = fields.Datetime.now()
        entry = _MEMO.get(id(rows))
        if entry and entry[0] is rows and entry[1] <= now < entry[2]:
            return entry[3]
        per_trajectory = {}
        grants = self._guidance_grants(organisation, rows)
        for trajectory_id, grant in grants:
            per_trajectory.setdefault(trajectory_id, []).append(grant)
        result = {}
        for trajectory_id, trajectory_grants in per_trajectory.items():
            readable = access.readable(trajectory_grants, organisation.id, now)
            if readable:
                result[trajectory_id] = readable
        categories = frozenset().union(
            *(cats for dwellings in result.values() for cats in dwellings.values())
        )
        until = access.next_change(
            [grant for _trajectory_id, grant in grants], organisation.id, now
        )
        if rows is not None:
            while len(_MEMO) >= _MEMO_SIZE:
                _MEMO.pop(next(iter(_MEMO)), None)
            _MEMO[id(rows)] = (rows, now, until or datetime.max, (result, categories))
        return result, categories

    def check_field_access_rights(self, operation, field_names):
        requested = field_names
        field_names = super().check_field_access_rights(operation, field_names)
        organisation = self._guidance_partner_organisation()
        if not organisation or operation != "read":
            return field_names
        categories = self._guidance_memo(organisation)[1]
        # the base fields even with nothing granted: the record rule then
        # hides every record, a search on them finds nothing
        allowed = access.fields_for(categories, self._guidance_field_map()) | frozenset(
            self._guidance_base_fields + ("guidance_granted_to_me",)
        )
        if not requested:
            return [name for name in field_names if name in allowed]
        denied = [name for name in field_names if name not in allowed]
        if denied:
            raise AccessError(
                self.env._("This information was not shared with your organisation.")
            )
        return field_names

    def _fetch_field(self, field):
        """Reading one field prefetches the others of its group: for a partner
        organisation's user, only those granted to it (a field not granted is
        refused when it is read, not when a granted one is)."""
        if (
            not self._guidance_partner_organisation()
            or not field.prefetch
            or not self.env.context.get("prefetch_fields", True)
        ):
            return super()._fetch_field(field)
        self.check_field_access_rights("read", [field.name])
        allowed = set(self.check_field_access_rights("read", None))
        self.fetch(
            [
                name
                for name, other in self._fields.items()
                if other.prefetch == field.prefetch
                and other.is_accessible(self.env)
                and name in allowed
            ]
            + [field.name]
        )

    # -- per record: a category's field filters, groups and sorts only the
    # records where that category is granted (the field check above allows
    # the union of the categories over all the organisation's grants)
    @api.model
    def _guidance_ids_with_category(self, readable, category):
        """The ids of this model whose ``category`` ``readable`` grants."""
        granted = self.browse(self._guidance_granted_ids(readable))
        return {
            record_id
            for record_id, categories in granted._guidance_record_categories(
                readable
            ).items()
            if category in categories
        }

    @api.model
    def _guidance_ids_for_field(self, fname, readable):
        """The ids of the records whose field ``fname`` ``readable`` lets the
        user see (a set), or ``None`` when the field is one of every granted
        record (a base field) or not a field."""
        if (
            fname not in self._fields
            or fname in self._guidance_base_fields
            or fname == "guidance_granted_to_me"
        ):
            return None
        ids = set()
        for category, names in self._guidance_field_map().items():
            if fname in names:
                ids |= self._guidance_ids_with_category(readable, category)
        return ids

    @api.model
    def _guidance_restrict_domain(self, domain, readable):
        """``domain`` with every condition on a category's field limited to
        the records where that category is granted: ``(f, op, v)`` becomes
        ``id in granted AND (f, op, v)``, so a record without the category
        matches no such condition, whatever its value (also under "not")."""
        result = []
        for item in expression.normalize_domain(domain):
            if (
                isinstance(item, (list, tuple))
                and len(item) == 3
                and isinstance(item[0], str)
            ):
                ids = self._guidance_ids_for_field(item[0].split(".", 1)[0], readable)
                if ids is not None:
                    result.extend(["&", ("id", "in", sorted(ids)), item])
                    continue
            result.append(item)
        return result

    def _where_calc(self, domain, active_test=True):
        organisation = self._guidance_partner_organisation()
        if organisation and domain:
            domain = self._guidance_restrict_domain(
                domain, self._guidance_readable(organisation)
            )
        return super()._where_calc(domain, active_test=active_test)

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """A category's field in SQL (a sort, a group, an aggregate, a
        condition) is NULL on the records where the category is not
        granted: the order and the groups tell nothing of their value."""
        sql = super()._field_to_sql(alias, fname, query, flush)
        organisation = self._guidance_partner_organisation()
        if not organisation:
            return sql
        ids = self._guidance_ids_for_field(
            fname.split(".", 1)[0], self._guidance_readable(organisation)
        )
        if ids is None:
            return sql
        return SQL(
            "(CASE WHEN %s = ANY(%s) THEN %s END)",
            SQL.identifier(alias, "id"),
            sorted(ids),
            sql,
        )

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        """Groups and aggregates over a category's field count only the
        records where that category is granted; the read is logged."""
        organisation = self._guidance_partner_organisation()
        if not organisation:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        readable = self._guidance_readable(organisation)
        specs = [*groupby, *aggregates]
        specs += [leaf[0] for leaf in having or () if isinstance(leaf, (list, tuple))]
        specs += [term.split()[0] for term in (order or "").split(",") if term.strip()]
        names = {
            spec.split(":", 1)[0].split(".", 1)[0]
            for spec in specs
            if isinstance(spec, str) and spec != "__count"
        }
        # a field of no category granted anywhere is refused, as in a read
        self.check_field_access_rights(
            "read", sorted(name for name in names if name in self._fields)
        )
        restrict = None
        for name in names:
            ids = self._guidance_ids_for_field(name, readable)
            if ids is not None:
                restrict = ids if restrict is None else restrict & ids
        if restrict is None:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        domain = expression.AND([domain or [], [("id", "in", sorted(restrict))]])
        result = super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )
        if result and restrict:
            self.search(domain)._guidance_log_reads(readable, names, organisation)
        return result

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        organisation = self._guidance_partner_organisation()
        if not organisation:
            return result
        readable = self._guidance_readable(organisation)
        per_record = self._guidance_record_categories(readable)
        field_map = self._guidance_field_map()
        masked = []
        for values in result:
            categories = per_record.get(values["id"], frozenset())
            shown = access.mask(
                values, categories, field_map, self._guidance_base_fields
            )
            if not shown:
                continue
            # a field of a category not granted for this record is blank, as
            # an empty value (the web client reads every field it asked for)
            for name in values.keys() - shown.keys():
                field = self._fields.get(name)
                shown[name] = [] if field and field.type in X2MANY else False
            masked.append(shown)
        self.browse([v["id"] for v in masked])._guidance_log_reads(
            readable, fnames, organisation
        )
        return masked

    @api.model
    def _guidance_categories_of(self, fnames):
        """The categories whose fields are among ``fnames``."""
        names = set(fnames or ())
        return {
            category
            for category, category_fields in self._guidance_field_map().items()
            if names.intersection(category_fields)
        }

    def _guidance_pairs(self, readable, with_record=False):
        """``[(trajectory id, dwelling id, categories)]`` of ``self`` (with the
        record's id first when ``with_record``)."""
        raise NotImplementedError

    def _guidance_log_reads(self, readable, fnames, organisation, categories=None):
        """Log that the current partner user read ``fnames`` (or
        ``categories``) of ``self``: one row per category and dwelling."""
        wanted = (
            set(categories)
            if categories is not None
            else self._guidance_categories_of(fnames)
        )
        if not wanted:
            return
        # the transaction's time: one row per request for the same read
        now = self.env.cr.now().replace(tzinfo=None, microsecond=0)
        self.env["guidance.access.log"]._guidance_log(
            [
                access.ReadLogEntry(
                    organisation.id,
                    category,
                    now,
                    dwelling_id,
                    trajectory_id,
                    self.env.uid,
                )
                for trajectory_id, dwelling_id, granted in self._guidance_pairs(
                    readable
                )
                for category in access.CATEGORIES
                if category in wanted and category in granted
            ]
        )

    def _guidance_record_categories(self, readable):
        result = {}
        for record_id, _trajectory_id, _dwelling_id, granted in self._guidance_pairs(
            readable, with_record=True
        ):
            result[record_id] = result.get(record_id, frozenset()) | granted
        return result

    @api.model
    def _search_guidance_granted(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on this field."))
        organisation = self._guidance_partner_organisation(ignore_su=True)
        ids = self._guidance_granted_ids(self._guidance_readable(organisation))
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]


class GuidanceTrajectory(models.Model):
    _name = TRAJECTORY
    _inherit = [TRAJECTORY, "guidance.partner.access.mixin"]

    _guidance_base_fields = (
        "id",
        "display_name",
        "name",
        "type_id",
        "stage_id",
        "is_closed",
        "dwelling_ids",
        "date_start",
        "date_end",
        "active",
        "company_id",
        "coach_id",
        "next_appointment",
        "meeting_count",
        "access_url",
    )

    consent_ids = fields.One2many(
        "kcc.consent", "trajectory_id", string="Partner Access", groups=COACH_GROUP
    )
    access_log_ids = fields.One2many(
        "guidance.access.log",
        "trajectory_id",
        string="Partner Reads",
        readonly=True,
        groups=COACH_GROUP,
    )
    guidance_granted_to_me = fields.Boolean(
        compute="_compute_guidance_granted_to_me",
        search="_search_guidance_granted",
        help="A partner organisation's user: an active grant lets him read it.",
    )

    @api.model
    def _guidance_field_map(self):
        return {
            access.CONTACT: ("partner_id", "commercial_partner_id"),
            access.NOTES: ("note", "message_ids", "website_message_ids"),
            access.DOCUMENTS: ("message_attachment_count",),
        }

    def _compute_guidance_granted_to_me(self):
        # the record rule's check evaluates this in sudo: the user's grants
        organisation = self._guidance_partner_organisation(ignore_su=True)
        ids = set(self._guidance_readable(organisation))
        for trajectory in self:
            trajectory.guidance_granted_to_me = trajectory.id in ids

    @api.model
    def _guidance_granted_ids(self, readable):
        return list(readable)

    @api.model
    def _guidance_ids_with_category(self, readable, category):
        return {
            trajectory_id
            for trajectory_id, dwellings in readable.items()
            if any(category in categories for categories in dwellings.values())
        }

    def _guidance_pairs(self, readable, with_record=False):
        rows = []
        for trajectory_id in self.ids:
            for dwelling_id, granted in readable.get(trajectory_id, {}).items():
                rows.append(
                    (trajectory_id, trajectory_id, dwelling_id, granted)
                    if with_record
                    else (trajectory_id, dwelling_id, granted)
                )
        return rows

    @api.model
    def _guidance_ids_with(self, category):
        """The trajectories whose ``category`` the current partner user may
        read now (``None`` for anyone who is not a partner user)."""
        organisation = self._guidance_partner_organisation()
        if not organisation:
            return None
        return {
            trajectory_id
            for trajectory_id, dwellings in self._guidance_readable(
                organisation
            ).items()
            if any(category in cats for cats in dwellings.values())
        }

    def _get_mail_message_access(self, res_ids, operation, model_name=None):
        """A partner organisation reads the conversation of a trajectory
        only with the notes category granted."""
        operation = super()._get_mail_message_access(
            res_ids, operation, model_name=model_name
        )
        allowed = self._guidance_ids_with(access.NOTES)
        if operation == "read" and allowed is not None:
            if set(res_ids or ()) - allowed:
                return "write"
        return operation

    @api.model
    def _guidance_log_thread_read(self, trajectory_ids, category):
        """Log that the current partner organisation's user read the
        ``category`` (the notes: messages; the documents: files) of these
        trajectories, where it is granted."""
        organisation = self._guidance_partner_organisation()
        trajectory_ids = sorted(set(trajectory_ids or ()) - {0})
        if not organisation or not trajectory_ids:
            return
        self.browse(trajectory_ids)._guidance_log_reads(
            self._guidance_readable(organisation),
            (),
            organisation,
            categories={category},
        )

    def _guidance_partner_categories(self):
        """The categories the current partner user may read of this
        trajectory (empty for everyone else)."""
        self.ensure_one()
        return self._guidance_record_categories(self._guidance_readable()).get(
            self.id, frozenset()
        )


class GuidanceDwelling(models.Model):
    _name = "guidance.dwelling"
    _inherit = ["guidance.dwelling", "guidance.partner.access.mixin"]

    _guidance_base_fields = (
        "id",
        "display_name",
        "street",
        "house_number",
        "box",
        "postcode",
        "city",
        "address_register_id",
        "building_unit_id",
        "latitude",
        "longitude",
        "active",
        "company_id",
    )

    guidance_granted_to_me = fields.Boolean(
        compute="_compute_guidance_granted_to_me",
        search="_search_guidance_granted",
        help="A partner organisation's user: an active grant lets him read it.",
    )

    @api.model
    def _guidance_field_map(self):
        return {
            access.DWELLING: (
                "construction_year",
                "heating_type",
                "roof_insulation",
                "wall_insulation",
                "glazing",
            ),
        }

    @api.model
    def _guidance_granted_ids(self, readable):
        return sorted({d for dwellings in readable.values() for d in dwellings})

    @api.model
    def _guidance_ids_with_category(self, readable, category):
        return {
            dwelling_id
            for dwellings in readable.values()
            for dwelling_id, categories in dwellings.items()
            if category in categories
        }

    def _compute_guidance_granted_to_me(self):
        # the record rule's check evaluates this in sudo: the user's grants
        organisation = self._guidance_partner_organisation(ignore_su=True)
        ids = set(self._guidance_granted_ids(self._guidance_readable(organisation)))
        for dwelling in self:
            dwelling.guidance_granted_to_me = dwelling.id in ids

    def _guidance_pairs(self, readable, with_record=False):
        rows = []
        ids = set(self.ids)
        for trajectory_id, dwellings in readable.items():
            for dwelling_id, granted in dwellings.items():
                if dwelling_id in ids:
                    rows.append(
                        (dwelling_id, trajectory_id, dwelling_id, granted)
                        if with_record
                        else (trajectory_id, dwelling_id, granted)
                    )
        return rows
