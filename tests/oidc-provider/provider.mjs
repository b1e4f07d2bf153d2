// A real OpenID Connect provider on loopback for the login tests: the
// certified panva/node-oidc-provider, configured with ACM/IDM's scopes and
// claims (https://authenticatie.vlaanderen.be/docs, "scope-claims").
//
// Environment: PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma
// separated), POST_LOGOUT_REDIRECT_URIS, ACCOUNTS (path of a JSON file:
// {"<account id>": {claims}}), DEFAULT_ACCOUNT.
//
// The login and consent screens are replaced by an interaction that signs in
// the account named by the request's `login_hint` (or DEFAULT_ACCOUNT) and
// grants the requested scopes: the tests drive Odoo, not a login form.
// It prints "listening <issuer>" when ready and stops after MAX_SECONDS.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

import Provider from "oidc-provider";

const port = Number(process.env.PORT || 4000);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(readFileSync(process.env.ACCOUNTS, "utf8"));
const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ format: "jwk" });

const provider = new Provider(issuer, {
    clients: [
        {
            client_id: process.env.CLIENT_ID,
            client_secret: process.env.CLIENT_SECRET,
            redirect_uris: (process.env.REDIRECT_URIS || "").split(","),
            post_logout_redirect_uris: (process.env.POST_LOGOUT_REDIRECT_URIS || "")
                .split(",")
                .filter(Boolean),
            token_endpoint_auth_method: "client_secret_basic",
            grant_types: ["authorization_code"],
            response_types: ["code"],
        },
    ],
    jwks: { keys: [{ ...signingKey, kid: "acm-test-1", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    scopes: ["openid", "profile", "rrn", "vo", "wettelijkvertegenwoordiger"],
    claims: {
        openid: ["sub"],
        profile: ["given_name", "family_name"],
        rrn: ["rrn"],
        vo: ["vo_id", "vo_doelgroepcode", "vo_doelgroepnaam", "vo_orgcode", "vo_orgnaam", "vo_email"],
        wettelijkvertegenwoordiger: ["wv_orgcode"],
    },
    pkce: { required: () => true, methods: ["S256"] },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 300, Session: 3600, Grant: 3600 },
    async findAccount(ctx, id) {
        const claims = accounts[id];
        if (!claims) {
            return undefined;
        }
        return { accountId: id, async claims() { return { sub: id, ...claims }; } };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.proxy = false;

provider.use(async (ctx, next) => {
    if (!ctx.path.startsWith("/interaction/")) {
        return next();
    }
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session } = details;
    let result;
    if (prompt.name === "login") {
        const accountId = params.login_hint || process.env.DEFAULT_ACCOUNT;
        if (!accounts[accountId]) {
            result = { error: "access_denied", error_description: "unknown account" };
        } else {
            result = { login: { accountId } };
        }
    } else {
        const grant = details.grantId
            ? await provider.Grant.find(details.grantId)
            : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        grant.addOIDCScope(params.scope);
        result = { consent: { grantId: await grant.save() } };
    }
    await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
});

const server = provider.listen(port, "127.0.0.1", () => {
    console.log(`listening ${issuer}`);
});
setTimeout(() => server.close(() => process.exit(0)), Number(process.env.MAX_SECONDS || 600) * 1000).unref();
process.on("SIGTERM", () => server.close(() => process.exit(0)));
