//! What installing a token answer does, pinned whole: for each role, scope answer and refresh
//! token, the actions a code exchange and then a refresh leave in order (requests by kind,
//! events with a reduced scope's lists, broadcasts by kind, settlements by code), no token
//! printed. Printed by the code before the size-first rewrite of `install_outcome`
//! (`GOLDEN_PRINT=1 cargo test golden -- --nocapture`).

use super::*;

/// A token answer with `scope` (none when `None`) and a refresh token when `rt`.
fn answer(at: &str, scope: Option<&str>, rt: bool) -> String {
    let scope = scope.map_or(String::new(), |s| [r#","scope":""#, s, "\""].concat());
    let rt = if rt { r#","refresh_token":"rt""# } else { "" };
    [
        r#"{"access_token":""#,
        at,
        r#"","token_type":"Bearer","expires_in":3600"#,
        &scope,
        rt,
        "}",
    ]
    .concat()
}

/// The kind of a value's `Debug`: its text up to the first space, `(` or `{`.
fn kind(debug: String) -> String {
    debug
        .split([' ', '(', '{'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn actions(s: &mut Session) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(a) = s.poll_action() {
        out.push(match a {
            Action::Send { kind: k, .. } => format!("send {k:?}"),
            Action::Emit(AuthEvent::ScopeReduced { missing, granted }) => {
                format!("emit scope_reduced missing={missing:?} granted={granted:?}")
            }
            Action::Emit(e) => ["emit ", e.name()].concat(),
            Action::Broadcast(m) => {
                let m = super::read_back(s.config(), m);
                ["broadcast ", &kind(format!("{m:?}"))].concat()
            }
            Action::Settle { result, .. } => match result {
                Ok(()) => "settle ok".to_owned(),
                Err(e) => ["settle ", e.code()].concat(),
            },
            Action::TakeLead => "take lead".to_owned(),
        });
    }
    out
}

fn outcomes() -> Vec<String> {
    let mut out = Vec::new();
    for role in [Role::Alone, Role::Leader, Role::Follower] {
        for scope in [
            None,
            Some(""),
            Some("api"),
            Some("api offline_access"),
            Some("offline_access"),
            Some("openid"),
            Some(" api  offline_access "),
        ] {
            for rt in [false, true] {
                out.push(format!("{role:?} scope={scope:?} rt={rt}"));
                let mut s = Session::new(config(), role);
                let cb = callback(s.config());
                let _ = s.start_login(&cb);
                let mut sent = Vec::new();
                for a in actions_raw(&mut s) {
                    sent.push(a);
                }
                let Some(id) = sent.pop() else { continue };
                s.handle_response(T0, id, ok(answer("at1", scope, rt)), &SerdeJson);
                for a in actions(&mut s) {
                    out.push(["  exchange ", &a].concat());
                }
                let _ = s.refresh(T0);
                let mut ids = actions_raw(&mut s);
                if let Some(id) = ids.pop() {
                    s.handle_response(T0, id, ok(answer("at2", scope, rt)), &SerdeJson);
                    for a in actions(&mut s) {
                        out.push(["  refresh ", &a].concat());
                    }
                }
            }
        }
    }
    out
}

/// Drains the actions, keeping the ids of token requests (the others are dropped).
fn actions_raw(s: &mut Session) -> Vec<RequestId> {
    let mut ids = Vec::new();
    while let Some(a) = s.poll_action() {
        if let Action::Send {
            id,
            kind: RequestKind::Token,
            ..
        } = a
        {
            ids.push(id);
        }
    }
    ids
}

#[test]
fn every_install_is_pinned() {
    crate::core::testing::golden(&outcomes(), GOLDEN);
}

#[rustfmt::skip]
const GOLDEN: &[&str] = &[
    "Alone scope=None rt=false",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=None rt=true",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\"\") rt=false",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\"\") rt=true",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\"api\") rt=false",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\"api\") rt=true",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\"api offline_access\") rt=false",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\"api offline_access\") rt=true",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\"offline_access\") rt=false",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\"offline_access\") rt=true",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\"openid\") rt=false",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\"openid\") rt=true",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Alone scope=Some(\" api  offline_access \") rt=false",
    "  exchange emit login",
    "  exchange settle ok",
    "Alone scope=Some(\" api  offline_access \") rt=true",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=None rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=None rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\"\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\"\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\"api\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\"api\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\"api offline_access\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\"api offline_access\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\"offline_access\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\"offline_access\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\"openid\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\"openid\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Leader scope=Some(\" api  offline_access \") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Leader scope=Some(\" api  offline_access \") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "  refresh broadcast Tokens",
    "  refresh emit token_refreshed",
    "  refresh settle ok",
    "Follower scope=None rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=None rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"api\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"api\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"offline_access\"] granted=[\"api\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"api offline_access\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"api offline_access\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"offline_access\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"offline_access\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\"] granted=[\"offline_access\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"openid\") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\"openid\") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit scope_reduced missing=[\"api\", \"offline_access\"] granted=[\"openid\"]",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\" api  offline_access \") rt=false",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
    "Follower scope=Some(\" api  offline_access \") rt=true",
    "  exchange broadcast Tokens",
    "  exchange emit login",
    "  exchange settle ok",
];
