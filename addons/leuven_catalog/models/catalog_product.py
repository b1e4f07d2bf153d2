import json
import logging
import re
from html import escape

from odoo import api, fields, models, modules
from odoo.exceptions import UserError
from odoo.tools import SQL, html2plaintext

from leuven.catalog import client as ipdc
from leuven.catalog import mapping
from leuven.catalog.ldes import latest_snapshots, parse_timestamp
from leuven.catalog.samples import sample_members
from leuven.kcc.routing import normalize_text

_logger = logging.getLogger(__name__)

FEED_URL_PARAM = "leuven_catalog.feed_url"
API_KEY_PARAM = "leuven_catalog.api_key"
AUTHORITIES_PARAM = "leuven_catalog.authority_ids"
CHECKPOINT_PARAM = "leuven_catalog.checkpoint"
BATCH_SIZE = 100
SYNC_LOCK = 74_637_001  # pg advisory lock key of the catalogue sync
# Odoo language per catalogue language (when installed)
LANGS = {"nl": "nl_BE", "en": "en_US", "fr": "fr_BE", "de": "de_DE"}
TRANSLATED_TEXT = {
    "name": "title",
    "description": "description",
    "additional_description": "additional_description",
    "exceptions": "exceptions",
    "regulation_text": "regulation_text",
}
TRANSLATED_LISTS = {
    "conditions": "conditions",
    "procedure": "procedures",
    "costs": "costs",
    "financial_advantages": "financial_advantages",
    "web_links": "websites",
}


class CatalogProduct(models.Model):
    """A product or service of the city, as published in IPDC/LPDC."""

    _name = "catalog.product"
    _description = "Catalogue Product"
    _inherit = ["website.published.mixin", "website.searchable.mixin"]
    _order = "name"

    name = fields.Char(required=True, translate=True, index="trigram")
    ipdc_id = fields.Char(
        string="IPDC Id",
        required=True,
        index=True,
        help="The stable IRI of the instance in IPDC (isVersionOf).",
    )
    snapshot_id = fields.Char(
        string="IPDC Version", readonly=True, help="The snapshot last taken over."
    )
    product_number = fields.Char(help="The human product number in IPDC.")
    description = fields.Html(translate=True, sanitize=True)
    additional_description = fields.Html(translate=True, sanitize=True)
    exceptions = fields.Html(translate=True, sanitize=True)
    regulation_text = fields.Html(string="Regulation", translate=True, sanitize=True)
    conditions = fields.Html(translate=True, sanitize=True)
    procedure = fields.Html(translate=True, sanitize=True)
    costs = fields.Html(translate=True, sanitize=True)
    financial_advantages = fields.Html(translate=True, sanitize=True)
    web_links = fields.Html(string="More Information", translate=True, sanitize=True)
    contact_points = fields.Html(sanitize=True)
    keywords = fields.Char(translate=True)
    theme_ids = fields.Many2many("catalog.theme", string="Themes")
    target_group_ids = fields.Many2many("catalog.target.group", string="Target Groups")
    product_type = fields.Char(string="Type")
    competent_authority = fields.Char()
    source_url = fields.Char(string="Source")
    modified_at = fields.Datetime(string="Modified at Source", readonly=True)
    sync_problems = fields.Text(readonly=True)
    search_text = fields.Text(
        compute="_compute_search_text",
        store=True,
        index="trigram",
        help="Lower-case Dutch text of title, description and keywords, for searching.",
    )
    active = fields.Boolean(
        default=True, help="Archived when the product is withdrawn at the source."
    )
    case_ids = fields.One2many("kcc.case", "catalog_product_id", string="Cases")
    case_count = fields.Integer(compute="_compute_case_count")

    _sql_constraints = [
        (
            "ipdc_id_uniq",
            "unique(ipdc_id)",
            "A product with this IPDC id already exists.",
        ),
    ]

    # ------------------------------------------------------------ computes

    @api.depends("name", "description", "keywords")
    def _compute_search_text(self):
        for product in self:
            dutch = product.with_context(lang="nl_BE")
            text = " ".join(
                [
                    dutch.name or "",
                    html2plaintext(dutch.description or ""),
                    dutch.keywords or "",
                ]
            )
            product.search_text = normalize_text(re.sub(r"\s+", " ", text))

    def _compute_case_count(self):
        counts = dict(
            self.env["kcc.case"]._read_group(
                [("catalog_product_id", "in", self.ids)],
                ["catalog_product_id"],
                ["__count"],
            )
        )
        for product in self:
            product.case_count = counts.get(product, 0)

    @api.depends("name")
    def _compute_website_url(self):
        for product in self:
            product.website_url = (
                f"/producten/{self.env['ir.http']._slug(product)}"
                if product.id
                else "#"
            )

    # ------------------------------------------------------------ search

    @api.model
    def _search_terms_domain(self, text):
        """Every word of ``text`` must occur in title, description or keywords."""
        words = [w for w in re.split(r"\W+", normalize_text(text)) if len(w) > 1]
        return [("search_text", "ilike", word) for word in words] or [("id", "=", 0)]

    @api.model
    def _knowledge_search(self, text, limit=20):
        return self.search(self._search_terms_domain(text), limit=limit)

    @api.model
    def _suggest(self, text, limit=5):
        """Products matching most words of ``text`` (a case subject), best first."""
        words = {w for w in re.split(r"\W+", normalize_text(text)) if len(w) > 3}
        if not words:
            return self.browse()
        domain = ["|"] * (len(words) - 1) + [("search_text", "ilike", w) for w in words]
        candidates = self.search(domain, limit=50)
        return candidates.sorted(
            key=lambda p: -sum(w in (p.search_text or "") for w in words)
        )[:limit]

    @api.model
    def _search_get_detail(self, website, order, options):
        return {
            "model": "catalog.product",
            "base_domain": [website.website_domain()],
            "search_fields": ["name", "search_text"],
            "fetch_fields": ["name", "website_url"],
            "mapping": {
                "name": {"name": "name", "type": "text", "match": True},
                "website_url": {
                    "name": "website_url",
                    "type": "text",
                    "truncate": False,
                },
            },
            "icon": "fa-book",
            "order": "name asc, id desc",
        }

    # ------------------------------------------------------------ synchronisation

    def _get_params(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        authorities = {
            a.strip() for a in (get(AUTHORITIES_PARAM) or "").split(",") if a.strip()
        }
        return get(FEED_URL_PARAM), get(API_KEY_PARAM), authorities

    def _commit(self):
        # a long sync keeps each finished batch and its checkpoint (resumable)
        if not (self.env.registry.in_test_mode() or modules.module.current_test):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _sync(self, full=False, client=None):
        """Synchronise the catalogue from IPDC; returns the sync log.

        Incremental by default (from the saved checkpoint), full on demand.
        Work is committed per batch with the checkpoint, so an interrupted
        run resumes where it stopped. Only one run at a time.
        """
        feed_url, api_key, authorities = self._get_params()
        if not feed_url and not client:
            raise UserError(
                self.env._("Set the IPDC feed address in Settings › Catalogue.")
            )
        self.env.cr.execute(SQL("SELECT pg_try_advisory_lock(%s)", SYNC_LOCK))
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._("A catalogue synchronisation is already running.")
            )
        Log = self.env["catalog.sync.log"].sudo()
        log = Log.create({"mode": "full" if full else "incremental"})
        self._commit()
        params = self.env["ir.config_parameter"].sudo()
        try:
            client = client or ipdc.IpdcClient(feed_url, api_key=api_key)
            saved = json.loads(params.get_param(CHECKPOINT_PARAM) or "{}")
            checkpoint = ipdc.Checkpoint() if full else ipdc.Checkpoint.from_dict(saved)
            batch, reached = [], None
            for _page, member, reached in client.changes(checkpoint, authorities):
                if member is None:
                    log.skipped_count += 1
                    continue
                batch.append(member)
                if len(batch) >= BATCH_SIZE:
                    self._sync_batch(batch, log)
                    params.set_param(CHECKPOINT_PARAM, json.dumps(reached.to_dict()))
                    self._commit()
                    batch = []
            self._sync_batch(batch, log)
            if reached:
                params.set_param(CHECKPOINT_PARAM, json.dumps(reached.to_dict()))
            log.write({"state": "done", "finished_at": fields.Datetime.now()})
        except ipdc.IpdcError as err:
            _logger.warning("Catalogue synchronisation failed: %s", err)
            log.write(
                {
                    "state": "failed",
                    "error": str(err),
                    "finished_at": fields.Datetime.now(),
                }
            )
        finally:
            self._commit()
            self.env.cr.execute(SQL("SELECT pg_advisory_unlock(%s)", SYNC_LOCK))
        return log

    def _sync_batch(self, members, log):
        """Create, update or archive the products of one batch; one failing
        product never stops the others."""
        if not members:
            return
        Line = self.env["catalog.sync.log.line"].sudo()
        newest = mapping_latest(members)
        existing = {
            p.ipdc_id: p
            for p in self.sudo()
            .with_context(active_test=False)
            .search([("ipdc_id", "in", [m.get("isVersionOf") for m in newest])])
        }
        counts = {
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "archived": 0,
            "failed": 0,
        }
        codes = {}  # codelist code -> record id, read once for this batch
        for member in newest:
            product_data, problems = mapping.map_snapshot(member)
            ref = (
                member.get("isVersionOf") if isinstance(member, dict) else None
            ) or "?"
            for problem in problems:
                Line.create({"log_id": log.id, "product_ref": ref, "message": problem})
            if product_data is None:
                counts["failed"] += 1
                Line.create(
                    {
                        "log_id": log.id,
                        "product_ref": ref,
                        "level": "error",
                        "message": "; ".join(problems) or "not a product",
                    }
                )
                continue
            try:
                with self.env.cr.savepoint():
                    outcome = self._upsert(
                        product_data, existing.get(product_data["id"]), problems, codes
                    )
                counts[outcome] += 1
            except Exception as err:  # one product must never stop the others
                codes.clear()  # codes made in the rolled-back savepoint are gone
                _logger.exception("Catalogue product %s failed", ref)
                counts["failed"] += 1
                Line.create(
                    {
                        "log_id": log.id,
                        "product_ref": ref,
                        "level": "error",
                        "message": str(err),
                    }
                )
        log.write(
            {
                "created_count": log.created_count + counts["created"],
                "updated_count": log.updated_count + counts["updated"],
                "unchanged_count": log.unchanged_count + counts["unchanged"],
                "archived_count": log.archived_count + counts["archived"],
                "failed_count": log.failed_count + counts["failed"],
            }
        )
        self.env["ir.cron"]._notify_progress(
            done=log.created_count + log.updated_count + log.unchanged_count,
            remaining=0,
        )

    def _codes_to_records(self, model, codes, cache):
        """Theme or target-group records for codelist codes (made when new).

        The codelists are small: ``cache`` (one per batch) reads each once.
        """
        known = cache.get(model)
        Model = self.env[model].sudo()
        if known is None:
            known = cache[model] = {r.code: r.id for r in Model.search([])}
        missing = sorted(set(codes) - set(known))
        if missing:
            for record in Model.create(
                [{"code": code, "name": code} for code in missing]
            ):
                known[record.code] = record.id
        return Model.browse([known[code] for code in codes])

    def _upsert(self, data, product, problems, codes_cache):
        """Write one mapped product; returns the kind of change."""
        if product and product.snapshot_id == data["snapshot_id"]:
            return "unchanged"
        values = {
            "ipdc_id": data["id"],
            "snapshot_id": data["snapshot_id"],
            "product_number": data.get("product_number") or False,
            "product_type": ", ".join(data["types"]),
            "competent_authority": ", ".join(data["competent_authorities"]),
            "source_url": data["id"],
            "modified_at": _to_datetime(data.get("modified")),
            "theme_ids": [
                fields.Command.set(
                    self._codes_to_records(
                        "catalog.theme", data["themes"], codes_cache
                    ).ids
                )
            ],
            "target_group_ids": [
                fields.Command.set(
                    self._codes_to_records(
                        "catalog.target.group", data["target_groups"], codes_cache
                    ).ids
                )
            ],
            "contact_points": _contact_html(data["contact_points"]),
            "sync_problems": "\n".join(problems) or False,
            "active": not data["archived"],
        }
        translations = {}
        for field_name, key in TRANSLATED_TEXT.items():
            translations[field_name] = data[key]
        for field_name, key in TRANSLATED_LISTS.items():
            langs = {
                lang for entry in data[key] for lang in entry.get("title", {})
            } or {"nl"}
            translations[field_name] = {
                lang: mapping.html_list(data[key], lang) for lang in langs
            }
        translations["keywords"] = {
            lang: ", ".join(words) for lang, words in data["keywords"].items()
        }
        # the source (en_US) value: English when given, else Dutch
        for field_name, per_lang in translations.items():
            values[field_name] = per_lang.get("en") or per_lang.get("nl") or False
        Product = self.sudo().with_context(lang="en_US", active_test=False)
        outcome = "updated"
        if product:
            was_active = product.active
            product.with_context(lang="en_US").write(values)
            if was_active and not values["active"]:
                outcome = "archived"
        else:
            # IPDC content is public: new products are published on the website
            product = Product.create({**values, "is_published": True})
            outcome = "created" if values["active"] else "archived"
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for lang, odoo_lang in LANGS.items():
            if odoo_lang == "en_US" or odoo_lang not in installed:
                continue
            values_lang = {
                field_name: per_lang[lang]
                for field_name, per_lang in translations.items()
                if per_lang.get(lang)
            }
            if values_lang:
                product.with_context(lang=odoo_lang).write(values_lang)
        return outcome

    @api.model
    def _cron_sync(self):
        self._sync(full=False)

    def action_answer_case(self):
        """From a case's suggestions: answer that case with this product."""
        self.ensure_one()
        case = self.env["kcc.case"].browse(self.env.context.get("case_id"))
        case.check_access("write")
        case.with_context(product_id=self.id).action_answer_with_product()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def action_open_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "leuven_kcc.kcc_case_action"
        )
        action["domain"] = [("catalog_product_id", "=", self.id)]
        action["context"] = {"default_catalog_product_id": self.id}
        return action

    @api.model
    def _demo_load_samples(self):
        """Demo only: take over the sample Leuven products without a network call."""
        log = self.env["catalog.sync.log"].sudo().create({"mode": "full"})
        self._sync_batch(sample_members(), log)
        self.sudo().search([]).write({"is_published": True})
        log.write({"state": "done", "finished_at": fields.Datetime.now()})
        return True


def mapping_latest(members):
    """The newest snapshot per product among ``members``, in feed order."""
    valid = [m for m in members if isinstance(m, dict)]
    newest = latest_snapshots(valid)
    keep = {id(m) for m in newest.values()}
    return [m for m in valid if id(m) in keep] + [
        m for m in members if not isinstance(m, dict)
    ]


def _to_datetime(value):
    """A feed timestamp (any offset, any fraction) as a naive UTC datetime."""
    moment = parse_timestamp(value)
    return moment.replace(tzinfo=None, microsecond=0) if moment else False


def _contact_html(points):
    parts = []
    for point in points:
        address = point.get("address") or {}
        line = " ".join(
            filter(
                None, [address.get("street"), address.get("number"), address.get("box")]
            )
        )
        city = " ".join(
            filter(None, [address.get("postcode"), address.get("municipality")])
        )
        rows = [
            escape(x)
            for x in (
                line,
                city,
                point.get("phone"),
                point.get("email"),
                point.get("opening_hours"),
            )
            if x
        ]
        if point.get("url"):
            rows.append(f'<a href="{escape(point["url"])}">{escape(point["url"])}</a>')
        parts.append("<p>" + "<br/>".join(rows) + "</p>")
    return "".join(parts)
