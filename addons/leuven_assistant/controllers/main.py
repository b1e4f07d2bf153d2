from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.http import content_disposition, request

MAX_ID = 2**31 - 1


class AssistantTopicController(http.Controller):
    @http.route(
        "/leuven_assistant/topic/<int:topic_id>/export",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def export_topic(self, topic_id):
        """Download the package of a topic version (topic authors only)."""
        if not request.env.user.has_group("leuven_assistant.group_assistant_author"):
            raise Forbidden()
        if topic_id > MAX_ID:  # beyond PostgreSQL's integer: no such topic
            raise request.not_found()
        topic = request.env["assistant.topic"].browse(topic_id).exists()
        if not topic:
            raise request.not_found()
        topic.check_access("read")
        return request.make_response(
            topic._package_json().encode("utf-8"),
            headers=[
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Disposition", content_disposition(topic._export_filename())),
            ],
        )
