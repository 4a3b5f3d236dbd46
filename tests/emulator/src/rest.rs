//! The REST API as an SPA uses it: versions, query with `nextRecordsUrl`, sobjects.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::data::Record;
use crate::sender;
use crate::soql::{self, Op};
use crate::state::{Cursor, Shared};
use crate::util::{Params, invalid_session, parse_form, random_token, rest_error};

/// The oldest API version a current org serves (Summer '14); older ones are retired (410).
pub const OLDEST: u32 = 31;
/// The newest API version (Summer '26); `latest` is an alias of it.
pub const NEWEST: u32 = 67;

fn not_found() -> Response {
    rest_error(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "The requested resource does not exist",
    )
}

/// A retired version. docs/SALESFORCE.md §7 gives the status (410 GONE) but no body: this is
/// the REST error shape with the status name as `errorCode` and the REST guide's 410 text.
fn gone() -> Response {
    rest_error(
        StatusCode::GONE,
        "GONE",
        "The requested resource has been retired or removed.",
    )
}

/// The release that introduced API version `major`.0. Three releases a year, Winter named for
/// the year after it ships: Summer '14 = 31.0, Winter '15 = 32.0, Spring '15 = 33.0, …,
/// Winter '26 = 65.0, Spring '26 = 66.0, Summer '26 = 67.0 (docs/SALESFORCE.md §7).
pub fn label(major: u32) -> String {
    let k = major - OLDEST;
    let season = ["Summer", "Winter", "Spring"][(k % 3) as usize];
    // The year moves on at each Winter (k = 1, 4, 7, …).
    format!("{season} '{:02}", 14 + k.div_ceil(3))
}

/// `GET /services/data/` — no authentication; oldest first, as Salesforce lists them.
pub async fn versions() -> Response {
    let list: Vec<Value> = (OLDEST..=NEWEST)
        .map(|major| {
            let v = format!("{major}.0");
            json!({ "label": label(major), "url": format!("/services/data/v{v}"), "version": v })
        })
        .collect();
    axum::Json(list).into_response()
}

/// What a `{v}` path segment names.
enum Version {
    /// Served: the major number.
    Served(u32),
    /// Retired (below 31.0).
    Retired,
    /// Not a version this org knows.
    Unknown,
}

fn version(v: &str) -> Version {
    if v == "latest" {
        return Version::Served(NEWEST);
    }
    let major = v
        .strip_prefix('v')
        .and_then(|x| x.strip_suffix(".0"))
        .filter(|x| !x.starts_with('0') && x.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|x| x.parse::<u32>().ok());
    match major {
        Some(m) if (OLDEST..=NEWEST).contains(&m) => Version::Served(m),
        Some(m) if m < OLDEST => Version::Retired,
        _ => Version::Unknown,
    }
}

/// Checks version, then token; `Err` is the response to send. Returns the version ("62.0").
fn guard(
    app: &Shared,
    (method, headers, uri): (&Method, &HeaderMap, &Uri),
    v: &str,
) -> Result<String, Response> {
    let version = match version(v) {
        Version::Served(major) => format!("{major}.0"),
        Version::Retired => return Err(gone()),
        Version::Unknown => return Err(not_found()),
    };
    // DPoP refusals keep the REST 401 body; WWW-Authenticate says what went wrong.
    let info = sender::resource_access(app, headers, method, uri).map_err(|denied| {
        sender::resource_refusal(app, denied, invalid_session, |_, _| invalid_session())
    })?;
    if !info
        .scopes
        .iter()
        .any(|s| s == "api" || s == "full" || s == "web")
    {
        return Err(rest_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "This session is not valid for use with the REST API",
        ));
    }
    Ok(version)
}

/// Any other path under `/services/data/{v}/`: the version and token are checked first (a
/// served version without a token is 401, as Salesforce), then 404.
pub async fn other(
    State(app): State<Shared>,
    Path((v, _rest)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    guard(&app, (&method, &headers, &uri), &v)?;
    Err(not_found())
}

/// `GET /services/data/{v}/`
pub async fn resources(
    State(app): State<Shared>,
    Path(v): Path<String>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    let ver = guard(&app, (&method, &headers, &uri), &v)?;
    let p = format!("/services/data/v{ver}");
    Ok(axum::Json(json!({ "sobjects": format!("{p}/sobjects"), "query": format!("{p}/query"), "search": format!("{p}/search"), "limits": format!("{p}/limits") })).into_response())
}

fn shape(r: &Record, fields: &[String], version: &str) -> Value {
    let mut m = Map::new();
    m.insert("attributes".into(), json!({ "type": r.sobject, "url": format!("/services/data/v{version}/sobjects/{}/{}", r.sobject, r.id) }));
    for f in fields {
        m.insert(f.clone(), r.fields.get(f).cloned().unwrap_or(Value::Null));
    }
    Value::Object(m)
}

fn page(app: &Shared, cursor_id: &str, cursor: &Cursor, offset: usize) -> Response {
    let batch = app.config.batch_size.max(1);
    let end = (offset + batch).min(cursor.records.len());
    let records: Vec<Value> = cursor.records[offset..end]
        .iter()
        .map(|r| shape(r, &cursor.fields, &cursor.version))
        .collect();
    let mut body = json!({ "totalSize": cursor.records.len(), "done": end >= cursor.records.len(), "records": records });
    if end < cursor.records.len() {
        body["nextRecordsUrl"] = json!(format!(
            "/services/data/v{}/query/{cursor_id}-{end}",
            cursor.version
        ));
    }
    axum::Json(body).into_response()
}

/// `GET /services/data/{v}/query?q=…`
pub async fn query(
    State(app): State<Shared>,
    Path(v): Path<String>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    let version = guard(&app, (&method, &headers, &uri), &v)?;
    if method != Method::GET {
        return Err(rest_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            &format!("HTTP Method '{method}' not allowed. Allowed are GET,HEAD"),
        ));
    }
    let q = match parse_form(uri.query().unwrap_or("").as_bytes()).map(Params) {
        Ok(p) => p.get("q").to_owned(),
        Err(why) => return Err(rest_error(StatusCode::BAD_REQUEST, "MALFORMED_QUERY", why)),
    };
    let parsed = match soql::parse(&q) {
        Ok(p) => p,
        Err((code, msg)) => return Err(rest_error(StatusCode::BAD_REQUEST, code, &msg)),
    };
    let mut records: Vec<Record> = app
        .data
        .iter()
        .filter(|r| r.sobject == parsed.sobject)
        .filter(|r| match &parsed.filter {
            None => true,
            Some((field, op, value)) => {
                let text = r
                    .fields
                    .get(field)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default();
                match op {
                    Op::Like => soql::like(&text, value),
                    Op::Eq => text.eq_ignore_ascii_case(value),
                }
            }
        })
        .cloned()
        .collect();
    if let Some((field, desc)) = &parsed.order {
        records.sort_by(|a, b| {
            let key = |r: &Record| {
                r.fields
                    .get(field)
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default()
            };
            let o = key(a).cmp(&key(b));
            if *desc { o.reverse() } else { o }
        });
    }
    if let Some(l) = parsed.limit {
        records.truncate(l);
    }
    let id = format!("01g5g00000{}", random_token(8).replace(['.', '_'], "X"));
    let cursor = Cursor {
        records,
        fields: parsed.fields,
        version,
    };
    let response = page(&app, &id, &cursor, 0);
    app.lock().cursors.insert(id, cursor);
    Ok(response)
}

/// `GET /services/data/{v}/query/{cursor}-{offset}`
pub async fn query_more(
    State(app): State<Shared>,
    Path((v, locator)): Path<(String, String)>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    guard(&app, (&method, &headers, &uri), &v)?;
    let invalid = || {
        rest_error(
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY_LOCATOR",
            "invalid query locator",
        )
    };
    let (id, offset) = locator.rsplit_once('-').ok_or_else(invalid)?;
    let offset = offset.parse::<usize>().map_err(|_| invalid())?;
    let cursor = app.lock().cursors.get(id).cloned();
    match cursor {
        Some(c) if offset <= c.records.len() => Ok(page(&app, id, &c, offset)),
        _ => Err(invalid()),
    }
}

/// `GET /services/data/{v}/sobjects/{type}/{id}`
pub async fn sobject(
    State(app): State<Shared>,
    Path((v, kind, id)): Path<(String, String, String)>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, Response> {
    let version = guard(&app, (&method, &headers, &uri), &v)?;
    let fields = crate::data::fields_of(&kind).ok_or_else(not_found)?;
    let record = app
        .data
        .iter()
        .find(|r| r.sobject == kind && (r.id == id || r.id[..15] == *id))
        .ok_or_else(not_found)?;
    let names: Vec<String> = fields.iter().map(|f| (*f).to_owned()).collect();
    Ok(axum::Json(shape(record, &names, &version)).into_response())
}
