//! Pending-login records read back from storage (which a page script could have tampered with).
#![no_main]
use libfuzzer_sys::fuzz_target;
use salesforce_pkce::internals::authorize::PendingLogin;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = PendingLogin::from_storage(s) {
        let again = PendingLogin::from_storage(&p.to_storage()).unwrap();
        assert_eq!(again.return_to, p.return_to);
    }
});
