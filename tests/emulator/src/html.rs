//! The emulator's HTML pages: login form, consent page, OAuth error page, logged-out page.

use crate::util::esc;

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f3f6fa;margin:0;color:#16325c}}
main{{max-width:380px;margin:48px auto;background:#fff;border:1px solid #d8dde6;border-radius:8px;padding:28px}}
h1{{font-size:20px;margin:0 0 4px}} .sub{{color:#54698d;font-size:13px;margin:0 0 20px}}
label{{display:block;font-size:13px;margin:12px 0 4px}} input{{width:100%;box-sizing:border-box;padding:10px;border:1px solid #c9d1dd;border-radius:4px;font-size:15px}}
button{{margin-top:18px;width:100%;padding:11px;border:0;border-radius:4px;background:#0176d3;color:#fff;font-size:15px;cursor:pointer}}
button.secondary{{background:#fff;color:#0176d3;border:1px solid #0176d3}} .error{{background:#fdecea;border:1px solid #ea001e;color:#8e030f;padding:10px;border-radius:4px;font-size:14px}}
code{{background:#f3f6fa;padding:1px 4px;border-radius:3px;word-break:break-all}} ul{{padding-left:18px}}
</style></head><body><main>{body}</main></body></html>"#
    )
}

/// The login form (`username`, `password`, `Login` as on Salesforce's page).
pub fn login(request_id: &str, login_hint: &str, error: Option<&str>) -> String {
    let err = error
        .map(|e| format!(r#"<p class="error" id="error" role="alert">{}</p>"#, esc(e)))
        .unwrap_or_default();
    page(
        "Login | Salesforce emulator",
        &format!(
            r#"<h1>Salesforce emulator</h1><p class="sub">Log in to Acme (local emulator org)</p>{err}
<form method="post" action="/services/oauth2/authorize/login">
<input type="hidden" name="req" value="{}">
<label for="username">Username</label><input id="username" name="username" type="email" autocomplete="username" value="{}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="Login" type="submit">Log In</button></form>"#,
            esc(request_id),
            esc(login_hint)
        ),
    )
}

/// The consent page (`oaapprove` / `oadeny` as on Salesforce's page).
pub fn consent(request_id: &str, user: &str, app: &str, scopes: &[String]) -> String {
    let items: String = scopes
        .iter()
        .map(|s| format!("<li><code>{}</code></li>", esc(s)))
        .collect();
    page(
        "Allow Access? | Salesforce emulator",
        &format!(
            r#"<h1>Allow Access?</h1><p class="sub">Signed in as {}</p>
<p><strong>{}</strong> is asking to:</p><ul>{items}</ul>
<form method="post" action="/services/oauth2/authorize/consent"><input type="hidden" name="req" value="{}">
<button id="oaapprove" name="decision" value="allow" type="submit">Allow</button>
<button id="oadeny" class="secondary" name="decision" value="deny" type="submit">Deny</button></form>"#,
            esc(user),
            esc(app),
            esc(request_id)
        ),
    )
}

/// The error page's detail for a URI that is not registered: what was sent, and the list it must
/// match exactly (`what`: "callback URLs (trailing slash, …)").
pub fn unregistered_uri(parameter: &str, given: &str, what: &str, registered: &[String]) -> String {
    let items: String = registered
        .iter()
        .map(|u| format!("<li><code>{}</code></li>", esc(u)))
        .collect();
    format!(
        "<p>The request's <code>{parameter}</code> was <code id=\"given\">{}</code>. It must equal one of the app's {what}:</p><ul>{items}</ul>",
        esc(given)
    )
}

/// Salesforce's OAuth error page (shown instead of a redirect when client or redirect_uri is bad).
pub fn oauth_error(error: &str, description: &str, detail: &str) -> String {
    page(
        "Error | Salesforce emulator",
        &format!(
            r#"<h1>OAuth Error</h1><p class="sub">We can't authorize you because of an OAuth error.</p>
<p class="error" id="oauth-error">error={}&amp;error_description={}</p>{}"#,
            esc(error),
            esc(description),
            detail
        ),
    )
}

/// The end-session endpoint's page when it does not redirect: the browser session has ended.
pub fn logged_out(back: &str) -> String {
    page(
        "Logged Out | Salesforce emulator",
        &format!(
            r#"<h1 id="logged-out">You have logged out</h1><p class="sub">Your session in Acme (local emulator org) has ended.</p>
<p><a id="back" href="{}">Back to the app</a></p>"#,
            esc(back)
        ),
    )
}
