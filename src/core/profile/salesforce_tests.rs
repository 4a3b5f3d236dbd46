//! Tests of the Salesforce profile: host classes, endpoints, identity URLs, the instance-host
//! trust rule.

use super::*;

fn url(s: &str) -> HttpUrl {
    HttpUrl::parse(s, "loginHost").unwrap()
}

fn endpoints(login_host: &str) -> Endpoints {
    SALESFORCE
        .endpoints(&ClientOptions {
            login_host: Some(login_host.into()),
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn classifies_salesforce_hosts() {
    use SalesforceHost::*;
    let cases = [
        ("https://login.salesforce.com", ProductionLogin),
        ("https://test.salesforce.com/", SandboxLogin),
        ("https://acme.my.salesforce.com", MyDomain),
        (
            "https://acme--uat.sandbox.my.salesforce.com",
            SandboxMyDomain,
        ),
        ("https://acme.my.site.com/partners", ExperienceCloud),
        ("http://localhost:8787", Loopback),
        ("https://login.acme.com", Other),
        // The suffix rules at their edges: the dot before the domain, any case, deeper names.
        ("https://my.salesforce.com", Other),
        ("https://xmy.salesforce.com", Other),
        ("https://ACME.My.Salesforce.COM", MyDomain),
        ("https://a.b.my.salesforce.com", MyDomain),
        ("https://sandbox.my.salesforce.com", MyDomain),
        ("https://a.sandbox.my.salesforce.com.evil.io", Other),
        ("https://my.site.com", Other),
        ("https://a.b.my.site.com", ExperienceCloud),
    ];
    for (u, k) in cases {
        assert_eq!(SalesforceHost::classify(&url(u)), k, "{u}");
    }
}

#[test]
fn endpoints_keep_experience_cloud_prefix() {
    let e = endpoints("https://acme.my.site.com/partners/");
    assert_eq!(
        e.authorization,
        "https://acme.my.site.com/partners/services/oauth2/authorize"
    );
    assert_eq!(
        e.token,
        "https://acme.my.site.com/partners/services/oauth2/token"
    );
    assert_eq!(
        e.revocation.as_deref(),
        Some("https://acme.my.site.com/partners/services/oauth2/revoke")
    );
    assert_eq!(
        e.userinfo.as_deref(),
        Some("https://acme.my.site.com/partners/services/oauth2/userinfo")
    );
    assert_eq!(
        e.issuer.as_deref(),
        Some("https://acme.my.site.com/partners")
    );
    assert_eq!(
        e.login_host,
        Some(url("https://acme.my.site.com/partners/"))
    );
    let m = endpoints("https://acme.my.salesforce.com");
    assert_eq!(
        m.token,
        "https://acme.my.salesforce.com/services/oauth2/token"
    );
    assert_eq!(
        m.end_session.as_deref(),
        Some("https://acme.my.salesforce.com/services/auth/idp/oidc/logout")
    );
    assert_eq!(
        m.jwks.as_deref(),
        Some("https://acme.my.salesforce.com/id/keys")
    );
}

#[test]
fn parses_identity_urls() {
    assert_eq!(
        parse_identity_url("https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA"),
        Some(("00Dxx0000000123AAA".into(), "005xx000000456AAA".into()))
    );
    assert_eq!(
        parse_identity_url("https://login.salesforce.com/id/00D/005"),
        None
    );
    assert_eq!(parse_identity_url("not a url"), None);
}

/// `parse_identity_url` on a table of ids, hostile ones included; the expected lines were
/// printed by the code before its size-first rewrite.
#[test]
fn identity_urls_golden() {
    let org = "00Dxx0000000123AAA";
    let user = "005xx000000456AAA";
    let ids = [
        format!("https://login.salesforce.com/id/{org}/{user}"),
        format!("https://acme.my.salesforce.com/id/{org}/{user}/"),
        format!("https://acme.my.salesforce.com//id/{org}/{user}//"),
        format!("https://acme.my.salesforce.com/id/{org}/{user}/x"),
        format!("https://acme.my.salesforce.com/id/{org}//{user}"),
        format!("https://acme.my.salesforce.com/id/{org}"),
        format!("https://acme.my.salesforce.com/id/{org}/"),
        format!("https://acme.my.salesforce.com/id//{user}"),
        format!("https://acme.my.salesforce.com/ID/{org}/{user}"),
        format!("https://acme.my.salesforce.com/idx/{org}/{user}"),
        format!("https://acme.my.salesforce.com/x/id/{org}/{user}"),
        format!("https://acme.my.salesforce.com/id/{org}/{user}?oauth_token=x"),
        format!("https://acme.my.salesforce.com/id/{org}/{user}#f"),
        format!("http://127.0.0.1:8787/id/{org}/{user}"),
        format!("http://evil.example.com/id/{org}/{user}"),
        "https://acme.my.salesforce.com/id/00Dxx0000000123/005xx000000456A".to_owned(),
        "https://acme.my.salesforce.com/id/00Dxx00000001/005xx000000456AAA".to_owned(),
        format!("https://acme.my.salesforce.com/id/00Dxx0000000123AAAB/{user}"),
        format!("https://acme.my.salesforce.com/id/00Dxx0000000123AA-/{user}"),
        format!("https://acme.my.salesforce.com/id/00Dxx0000000123A\u{e9}/{user}"),
        format!("https://acme.my.salesforce.com/id/{org}/005xx000000456%41A"),
        format!("//acme.my.salesforce.com/id/{org}/{user}"),
        format!("/id/{org}/{user}"),
        format!("id/{org}/{user}"),
        "https://acme.my.salesforce.com/id".to_owned(),
        "https://acme.my.salesforce.com/id/".to_owned(),
        "https://acme.my.salesforce.com/".to_owned(),
        String::new(),
    ];
    let got: Vec<String> = ids
        .iter()
        .map(|id| format!("{id} {:?}", parse_identity_url(id)))
        .collect();
    crate::core::testing::golden(
        &got,
        &[
            "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA/ Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "https://acme.my.salesforce.com//id/00Dxx0000000123AAA/005xx000000456AAA// Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA/x None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA//005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/ None",
            "https://acme.my.salesforce.com/id//005xx000000456AAA None",
            "https://acme.my.salesforce.com/ID/00Dxx0000000123AAA/005xx000000456AAA None",
            "https://acme.my.salesforce.com/idx/00Dxx0000000123AAA/005xx000000456AAA None",
            "https://acme.my.salesforce.com/x/id/00Dxx0000000123AAA/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA?oauth_token=x Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA#f Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "http://127.0.0.1:8787/id/00Dxx0000000123AAA/005xx000000456AAA Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "http://evil.example.com/id/00Dxx0000000123AAA/005xx000000456AAA Some((\"00Dxx0000000123AAA\", \"005xx000000456AAA\"))",
            "https://acme.my.salesforce.com/id/00Dxx0000000123/005xx000000456A Some((\"00Dxx0000000123\", \"005xx000000456A\"))",
            "https://acme.my.salesforce.com/id/00Dxx00000001/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAAB/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AA-/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123Aé/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456%41A None",
            "//acme.my.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA None",
            "/id/00Dxx0000000123AAA/005xx000000456AAA None",
            "id/00Dxx0000000123AAA/005xx000000456AAA None",
            "https://acme.my.salesforce.com/id None",
            "https://acme.my.salesforce.com/id/ None",
            "https://acme.my.salesforce.com/ None",
            " None",
        ],
    );
}

/// The user and org ids: the identity URL `id` wins; else the id_token's `user_id` and
/// `organization_id`, or its `sub` when that is an identity URL; else the set keeps its own.
#[test]
fn user_and_org_ids_come_from_the_identity_url_or_the_id_token() {
    use crate::core::http::{JsonDecoder, SerdeJson};
    let id = "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA";
    let derive = |extras: &[(&str, &str)], claims: Option<&str>| {
        let mut e = TokenExtras::default();
        for (k, v) in extras {
            e.set(k, (*v).into());
        }
        let claims = claims.map(|c| SerdeJson.parse(c).unwrap());
        SALESFORCE.derive_extras(&mut e, claims.as_ref());
        (
            e.get(ORG_ID).map(str::to_owned),
            e.get(USER_ID).map(str::to_owned),
        )
    };
    let ids = |org: &str, user: &str| (Some(org.to_owned()), Some(user.to_owned()));
    assert_eq!(
        derive(&[("id", id)], Some(r#"{"user_id":"005other","organization_id":"00Dother"}"#)),
        ids("00Dxx0000000123AAA", "005xx000000456AAA"),
        "the identity URL wins"
    );
    assert_eq!(
        derive(&[], Some(r#"{"user_id":"005u","organization_id":"00Do"}"#)),
        ids("00Do", "005u")
    );
    assert_eq!(
        derive(&[], Some(&format!(r#"{{"sub":"{id}","organization_id":"00Dother"}}"#))),
        ids("00Dxx0000000123AAA", "005xx000000456AAA"),
        "sub as an identity URL, when there is no user_id claim"
    );
    assert_eq!(
        derive(&[(ORG_ID, "00Dkept"), (USER_ID, "005kept")], Some(r#"{"sub":"opaque"}"#)),
        ids("00Dkept", "005kept"),
        "a refresh without them keeps the set's"
    );
    assert_eq!(derive(&[], None), (None, None));
}

/// Every source of the derived ids against every other, pinned whole (the values and the order
/// they enter the set: the tabs' form and the session view follow it). The lines were printed by
/// the code before its claims were borrowed instead of copied.
#[test]
fn derived_ids_golden() {
    use crate::core::http::{JsonDecoder, SerdeJson};
    let id = "https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA";
    let sub = "https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA";
    let claims = [
        None,
        Some("{}".to_owned()),
        Some("[1]".to_owned()),
        Some(r#"{"user_id":"005u"}"#.to_owned()),
        Some(r#"{"organization_id":"00Do"}"#.to_owned()),
        Some(r#"{"user_id":"005u","organization_id":"00Do"}"#.to_owned()),
        Some(format!(r#"{{"sub":"{sub}"}}"#)),
        Some(format!(r#"{{"sub":"{sub}","user_id":"005u"}}"#)),
        Some(format!(r#"{{"sub":"{sub}","organization_id":"00Do"}}"#)),
        Some(format!(r#"{{"sub":"{sub}","user_id":"005u","organization_id":"00Do"}}"#)),
        Some(r#"{"sub":"opaque","user_id":"005u","organization_id":"00Do"}"#.to_owned()),
        Some(r#"{"sub":"opaque","organization_id":"00Do"}"#.to_owned()),
        Some(r#"{"user_id":5,"organization_id":"00Do"}"#.to_owned()),
        Some(format!(r#"{{"sub":"{sub}","user_id":null,"organization_id":7}}"#)),
        Some(r#"{"user_id":"","organization_id":""}"#.to_owned()),
    ];
    let mut got = Vec::new();
    for before in [&[][..], &[("id", id)], &[(USER_ID, "005kept"), (ORG_ID, "00Dkept")]] {
        for c in &claims {
            let mut e = TokenExtras::default();
            for (k, v) in before {
                e.set(k, (*v).into());
            }
            let claims = c.as_deref().map(|c| SerdeJson.parse(c).unwrap());
            SALESFORCE.derive_extras(&mut e, claims.as_ref());
            got.push(format!("{} {c:?} {e:?}", before.len()));
        }
    }
    crate::core::testing::golden(
        &got,
        &[
        "0 None TokenExtras([])",
        "0 Some(\"{}\") TokenExtras([])",
        "0 Some(\"[1]\") TokenExtras([])",
        "0 Some(\"{\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"user_id\", \"005u\")])",
        "0 Some(\"{\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\"}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "0 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"user_id\", \"005u\")])",
        "0 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "0 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"user_id\\\":5,\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"org_id\", \"00Do\")])",
        "0 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":null,\\\"organization_id\\\":7}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "0 Some(\"{\\\"user_id\\\":\\\"\\\",\\\"organization_id\\\":\\\"\\\"}\") TokenExtras([(\"user_id\", \"\"), (\"org_id\", \"\")])",
        "1 None TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"{}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"[1]\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"{\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"{\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"{\\\"user_id\\\":5,\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\"), (\"user_id\", \"005xx000000456AAA\")])",
        "1 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":null,\\\"organization_id\\\":7}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "1 Some(\"{\\\"user_id\\\":\\\"\\\",\\\"organization_id\\\":\\\"\\\"}\") TokenExtras([(\"id\", \"https://login.salesforce.com/id/00Dxx0000000123AAA/005xx000000456AAA\"), (\"user_id\", \"005xx000000456AAA\"), (\"org_id\", \"00Dxx0000000123AAA\")])",
        "2 None TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Dkept\")])",
        "2 Some(\"{}\") TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Dkept\")])",
        "2 Some(\"[1]\") TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Dkept\")])",
        "2 Some(\"{\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Dkept\")])",
        "2 Some(\"{\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\"}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "2 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Dkept\")])",
        "2 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "2 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"user_id\\\":\\\"005u\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005u\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"sub\\\":\\\"opaque\\\",\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"user_id\\\":5,\\\"organization_id\\\":\\\"00Do\\\"}\") TokenExtras([(\"user_id\", \"005kept\"), (\"org_id\", \"00Do\")])",
        "2 Some(\"{\\\"sub\\\":\\\"https://x.my.salesforce.com/id/00Dsub000000123AAA/005sub000000456AAA\\\",\\\"user_id\\\":null,\\\"organization_id\\\":7}\") TokenExtras([(\"user_id\", \"005sub000000456AAA\"), (\"org_id\", \"00Dsub000000123AAA\")])",
        "2 Some(\"{\\\"user_id\\\":\\\"\\\",\\\"organization_id\\\":\\\"\\\"}\") TokenExtras([(\"user_id\", \"\"), (\"org_id\", \"\")])",
        ],
    );
}

#[test]
fn instance_url_trust_rule() {
    let login = url("https://acme.my.salesforce.com");
    assert!(check_instance_url("https://acme.my.salesforce.com", Some(&login), &[]).is_ok());
    assert!(check_instance_url("https://x.lightning.force.com", Some(&login), &[]).is_ok());
    assert!(
        check_instance_url("https://api.acme.com", Some(&login), &["*.acme.com".into()]).is_ok()
    );
    for bad in [
        "https://evil.example",
        "http://acme.my.salesforce.com",
        "https://salesforce.com.evil.example",
        "https://evilsalesforce.com",
        "https://na1.salesforce.com",
        "https://acme.com",
        "javascript:alert(1)",
    ] {
        let e = check_instance_url(bad, Some(&login), &["*.acme.com".into()]).unwrap_err();
        assert_eq!(e.code(), "invalid_token_response", "{bad}");
    }
    // The Rust crate's message is whole (the npm wasm leaves the reason's end out, explained!).
    let e = check_instance_url("http://acme.my.salesforce.com", Some(&login), &[]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid token response: instance_url is not https; refusing to send the token there"
    );
    let local = url("http://127.0.0.1:8787");
    assert!(check_instance_url("http://127.0.0.1:8787", Some(&local), &[]).is_ok());
    assert!(check_instance_url("http://127.0.0.1:9999", Some(&local), &[]).is_err());
}
