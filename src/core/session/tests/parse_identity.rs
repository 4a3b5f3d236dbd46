//! The session machine parses each answer's own body, the very string it was handed (the browser
//! side parsed that text before borrowing the session: `browser::json::Parsed` knows it by its
//! address; a parse of a copy would run the page's `JSON.parse` inside the borrow).

#[allow(unused_imports)]
use crate::core::prelude::*;

use super::*;

/// Code exchange and refresh with an id_token (the body by its address, then the payload),
/// a revocation answered 503 (the body by its address).
#[test]
fn the_core_parses_each_answers_own_body_not_a_copy() {
    use core::cell::{Cell, RefCell};
    struct Rec {
        body: Cell<*const str>,
        seen: RefCell<Vec<(bool, String)>>,
    }
    impl crate::core::http::JsonDecoder for Rec {
        fn parse(&self, text: &str) -> Option<crate::core::json::Json> {
            self.seen
                .borrow_mut()
                .push((core::ptr::eq(text, self.body.get()), text.to_owned()));
            SerdeJson.parse(text)
        }
    }
    let rec = Rec {
        body: Cell::new(""),
        seen: RefCell::new(vec![]),
    };
    let run = |h: &mut H, id: RequestId, status: u16, body: String| {
        rec.body.set(body.as_str());
        rec.seen.borrow_mut().clear();
        h.s.handle_response(T0, id, Ok(HttpAnswer { status, body }), &rec);
        h.drain();
        rec.seen.borrow().clone()
    };
    let payload = "{\"iss\":\"x\",\"sub\":\"y\"}";
    let b64 = |s: &str| crate::core::base64url::encode(s.as_bytes());
    let jwt = ["eyJhbGciOiJub25lIn0.", &b64(payload), ".sig"].concat();
    let with_id = |a: &str| {
        let b = body(a, Some("rt1"), Some(3600));
        [&b[..b.len() - 1], ",\"id_token\":\"", &jwt, "\"}"].concat()
    };
    // code exchange with an id_token
    let mut h = H::new(Role::Alone);
    let cb = callback(h.s.config());
    let _ = h.s.start_login(&cb);
    h.drain();
    let (id, _, _) = h.sent.pop().unwrap();
    let seen = run(&mut h, id, 200, with_id("at1"));
    assert!(
        seen.iter().all(|(same, t)| *same || t == payload),
        "{seen:?}"
    );
    assert!(seen.iter().filter(|(same, _)| *same).count() <= 1);
    // a refresh refused (400 invalid_grant) and a 200 one
    let mut h = H::signed_in(Role::Alone, Some(3600));
    let g = h.s.generation();
    let (_, id) = h.dead_token_answer(g);
    let seen = run(&mut h, id, 200, with_id("at2"));
    assert!(
        seen.iter().all(|(same, t)| *same || t == payload),
        "{seen:?}"
    );
    // a revocation refused with a body
    let _ = h.s.logout(T0);
    h.drain();
    for (id, kind, _) in h.sent.clone() {
        if kind == RequestKind::Revocation {
            let seen = run(&mut h, id, 503, "{\"error\":\"x\"}".to_owned());
            assert!(seen.iter().all(|(same, _)| *same), "{seen:?}");
        }
    }
}
