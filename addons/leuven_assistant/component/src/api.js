// Client of the assistant's HTTP API (openapi.json beside the bundle).

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.detail = (problem && problem.detail) || "";
    this.errors = (problem && problem.errors) || {};
  }
}

export class AssistantApi {
  constructor(apiBase) {
    this.root = `${(apiBase || "").replace(/\/+$/, "")}/assistant/api/v1`;
  }

  async request(method, path, body) {
    const init = {
      method,
      credentials: "same-origin",
      headers: { Accept: "application/json, application/problem+json" },
    };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(this.root + path, init);
    } catch (error) {
      throw new ApiError(0, { detail: "" });
    }
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }

  topic(id, preview) {
    const query = preview ? `?preview=${encodeURIComponent(preview)}` : "";
    return this.request("GET", `/topics/${encodeURIComponent(id)}${query}`);
  }

  startSession(body) {
    return this.request("POST", "/sessions", body);
  }

  postAnswers(session, answers) {
    return this.request("POST", `/sessions/${encodeURIComponent(session)}/answers`, {
      answers,
    });
  }

  handoff(session, body) {
    return this.request("POST", `/sessions/${encodeURIComponent(session)}/handoff`, body);
  }
}
