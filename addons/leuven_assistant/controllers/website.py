import hashlib
from pathlib import Path

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from leuven.assistant import engine
from leuven.kcc.inputs import InputError, check_identifier

COMPONENT_URL = "/assistant/component/leuven-assistant.js"
COMPONENT_DIR = Path(__file__).resolve().parent.parent / "static" / "component"
SPEC_FILES = ("custom-elements.json", "openapi.json")


class AssistantWebsite(http.Controller):
    @http.route("/assistent", type="http", auth="public", website=True, sitemap=True)
    def assistant_topics(self, **kwargs):
        topics = (
            request.env["assistant.topic"].sudo().search([("state", "=", "published")])
        )
        return request.render(
            "leuven_assistant.assistant_topics_page", {"topics": topics}
        )

    @http.route(
        "/assistent/<string:code>",
        type="http",
        auth="public",
        website=True,
        sitemap=False,
    )
    def assistant_topic(self, code, preview=None, **kwargs):
        Topic = request.env["assistant.topic"]
        try:  # a NUL, a space or 10 kB are no topic code nor id
            code = check_identifier(code, "code", 64, r"[A-Za-z0-9._-]+")
            if preview:
                preview = int(check_identifier(preview, "preview", 9, r"[0-9]+"))
        except InputError as err:
            raise NotFound() from err
        if preview:
            is_author = request.env.user.has_group(
                "leuven_assistant.group_assistant_author"
            )
            topic = Topic.browse(preview).exists()
            if not is_author or topic.code != code:
                raise NotFound()
        else:
            topic = Topic.sudo()._published_for(code)
        if not topic:
            raise NotFound()
        return request.render(
            "leuven_assistant.assistant_topic_page",
            {
                "topic": topic,
                "title": topic.name,
                "preview": topic.id if preview else False,
                "component_url": COMPONENT_URL,
                "main_object": topic,
            },
        )

    @http.route(
        COMPONENT_URL, type="http", auth="public", save_session=False, readonly=True
    )
    def assistant_component(self, **kwargs):
        """The web component, loadable as a module script from any website."""
        return self._public_file(
            COMPONENT_DIR / "leuven-assistant.js", "text/javascript"
        )

    @http.route("/assistant/spec", type="http", auth="public", website=True)
    def assistant_spec(self, **kwargs):
        return request.render(
            "leuven_assistant.assistant_spec_page", {"component_url": COMPONENT_URL}
        )

    @http.route(
        "/assistant/spec/topic-package.schema.json",
        type="http",
        auth="public",
        save_session=False,
    )
    def assistant_schema(self, **kwargs):
        return self._public_file(
            Path(engine.__file__).parent / "topic-package.schema.json"
        )

    @http.route(
        "/assistant/spec/<string:name>", type="http", auth="public", save_session=False
    )
    def assistant_spec_file(self, name, **kwargs):
        if name not in SPEC_FILES:
            raise NotFound()
        return self._public_file(COMPONENT_DIR / name)

    def _public_file(self, path, mimetype="application/json"):
        """A public file any website may fetch (CORS), revalidated by ETag."""
        if not path.is_file():
            raise NotFound()
        data = path.read_bytes()
        etag = f'"{hashlib.sha256(data).hexdigest()[:32]}"'
        headers = [
            ("Content-Type", f"{mimetype}; charset=utf-8"),
            ("Access-Control-Allow-Origin", "*"),
            ("Cache-Control", "public, max-age=300"),
            ("ETag", etag),
        ]
        if request.httprequest.headers.get("If-None-Match") == etag:
            return request.make_response("", headers=headers, status=304)
        return request.make_response(data, headers=headers)
