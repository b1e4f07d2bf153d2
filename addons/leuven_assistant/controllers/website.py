from pathlib import Path

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from leuven.assistant import engine

COMPONENT_URL = "/leuven_assistant/static/component/leuven-assistant.js"
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
        if preview:
            is_author = request.env.user.has_group(
                "leuven_assistant.group_assistant_author"
            )
            topic = Topic.browse(int(preview)).exists() if preview.isdigit() else Topic
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
        return self._public_json(
            Path(engine.__file__).parent / "topic-package.schema.json"
        )

    @http.route(
        "/assistant/spec/<string:name>", type="http", auth="public", save_session=False
    )
    def assistant_spec_file(self, name, **kwargs):
        if name not in SPEC_FILES:
            raise NotFound()
        return self._public_json(
            Path(__file__).resolve().parent.parent / "static" / "component" / name
        )

    def _public_json(self, path):
        if not path.is_file():
            raise NotFound()
        return request.make_response(
            path.read_bytes(),
            headers=[
                ("Content-Type", "application/json"),
                ("Access-Control-Allow-Origin", "*"),
                ("Cache-Control", "public, max-age=3600"),
            ],
        )
