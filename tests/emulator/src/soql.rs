//! A small SOQL subset: `SELECT f1, f2 FROM Account|Contact [WHERE Field LIKE|= 'text']
//! [ORDER BY Field [ASC|DESC]] [LIMIT n]`. Errors use Salesforce's codes.

use crate::data::fields_of;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Selected fields (API names, as on the object).
    pub fields: Vec<String>,
    /// `Account` or `Contact`.
    pub sobject: &'static str,
    /// Filter: field, operator, value.
    pub filter: Option<(String, Op, String)>,
    /// Order: field, descending.
    pub order: Option<(String, bool)>,
    /// LIMIT.
    pub limit: Option<usize>,
}

/// Filter operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `LIKE` with `%` and `_` wildcards, case-insensitive.
    Like,
    /// `=` case-insensitive.
    Eq,
}

/// A query error: (errorCode, message).
pub type QueryError = (&'static str, String);

fn malformed(msg: impl Into<String>) -> QueryError {
    ("MALFORMED_QUERY", msg.into())
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Comma,
}

fn tokenize(q: &str) -> Result<Vec<Tok>, QueryError> {
    let mut out = Vec::new();
    let mut chars = q.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == ',' {
            chars.next();
            out.push(Tok::Comma);
        } else if c == '=' {
            chars.next();
            out.push(Tok::Word("=".into()));
        } else if c == '\'' {
            chars.next();
            let mut s = String::new();
            loop {
                match chars.next() {
                    None => return Err(malformed("unterminated string literal")),
                    Some('\\') => match chars.next() {
                        Some(e) => s.push(e),
                        None => return Err(malformed("unterminated string literal")),
                    },
                    Some('\'') => break,
                    Some(x) => s.push(x),
                }
            }
            out.push(Tok::Str(s));
        } else if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            let mut w = String::new();
            while let Some(&x) = chars.peek() {
                if x.is_ascii_alphanumeric() || x == '_' || x == '.' {
                    w.push(x);
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Word(w));
        } else {
            return Err(malformed(format!("unexpected character '{c}'")));
        }
    }
    Ok(out)
}

fn field_on(sobject: &'static str, name: &str) -> Result<String, QueryError> {
    let fields = fields_of(sobject).unwrap_or(&[]);
    fields.iter().find(|f| f.eq_ignore_ascii_case(name)).map(|f| (*f).to_owned()).ok_or_else(|| {
        ("INVALID_FIELD", format!("No such column '{name}' on entity '{sobject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."))
    })
}

/// Parses a query.
pub fn parse(q: &str) -> Result<Query, QueryError> {
    if q.len() > 20_000 {
        return Err(malformed("query too long"));
    }
    let toks = tokenize(q)?;
    let mut i = 0;
    let kw =
        |t: Option<&Tok>, k: &str| matches!(t, Some(Tok::Word(w)) if w.eq_ignore_ascii_case(k));
    if !kw(toks.first(), "SELECT") {
        return Err(malformed("unexpected token: expected SELECT"));
    }
    i += 1;
    let mut raw_fields = Vec::new();
    loop {
        match toks.get(i) {
            Some(Tok::Word(w)) if !w.eq_ignore_ascii_case("FROM") => raw_fields.push(w.clone()),
            _ => return Err(malformed("expected a field name")),
        }
        i += 1;
        if toks.get(i) == Some(&Tok::Comma) {
            i += 1;
            continue;
        }
        break;
    }
    if !kw(toks.get(i), "FROM") {
        return Err(malformed("expected FROM"));
    }
    i += 1;
    let sobject: &'static str = match toks.get(i) {
        Some(Tok::Word(w)) if w.eq_ignore_ascii_case("Account") => "Account",
        Some(Tok::Word(w)) if w.eq_ignore_ascii_case("Contact") => "Contact",
        Some(Tok::Word(w)) => {
            return Err((
                "INVALID_TYPE",
                format!("sObject type '{w}' is not supported."),
            ));
        }
        _ => return Err(malformed("expected an object name after FROM")),
    };
    i += 1;
    let fields = raw_fields
        .iter()
        .map(|f| field_on(sobject, f))
        .collect::<Result<Vec<_>, _>>()?;
    let mut query = Query {
        fields,
        sobject,
        filter: None,
        order: None,
        limit: None,
    };
    if kw(toks.get(i), "WHERE") {
        let field = match toks.get(i + 1) {
            Some(Tok::Word(w)) => field_on(sobject, w)?,
            _ => return Err(malformed("expected a field after WHERE")),
        };
        let op = match toks.get(i + 2) {
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("LIKE") => Op::Like,
            Some(Tok::Word(w)) if w == "=" => Op::Eq,
            _ => return Err(malformed("expected LIKE or = after the WHERE field")),
        };
        let value = match toks.get(i + 3) {
            Some(Tok::Str(s)) => s.clone(),
            _ => return Err(malformed("expected a quoted string")),
        };
        query.filter = Some((field, op, value));
        i += 4;
    }
    if kw(toks.get(i), "ORDER") {
        if !kw(toks.get(i + 1), "BY") {
            return Err(malformed("expected BY after ORDER"));
        }
        let field = match toks.get(i + 2) {
            Some(Tok::Word(w)) => field_on(sobject, w)?,
            _ => return Err(malformed("expected a field after ORDER BY")),
        };
        i += 3;
        let mut desc = false;
        if kw(toks.get(i), "DESC") {
            desc = true;
            i += 1;
        } else if kw(toks.get(i), "ASC") {
            i += 1;
        }
        query.order = Some((field, desc));
    }
    if kw(toks.get(i), "LIMIT") {
        match toks.get(i + 1) {
            Some(Tok::Word(w)) => {
                query.limit = Some(w.parse().map_err(|_| malformed("LIMIT takes a number"))?)
            }
            _ => return Err(malformed("LIMIT takes a number")),
        }
        i += 2;
    }
    if i != toks.len() {
        return Err(malformed("unexpected token after the query"));
    }
    Ok(query)
}

/// SQL LIKE with `%` and `_`, case-insensitive.
pub fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    // Dynamic programming over (text, pattern) prefixes: linear memory, no recursion.
    let mut prev = vec![false; t.len() + 1];
    prev[0] = true;
    for pc in &p {
        let mut cur = vec![false; t.len() + 1];
        if *pc == '%' {
            let mut any = false;
            for j in 0..=t.len() {
                any |= prev[j];
                cur[j] = any;
            }
        } else {
            for j in 1..=t.len() {
                cur[j] = prev[j - 1] && (*pc == '_' || *pc == t[j - 1]);
            }
        }
        prev = cur;
    }
    prev[t.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_subset() {
        let q = parse(
            "select id, name from account where name like 'Acme%' order by Name desc limit 5",
        )
        .unwrap();
        assert_eq!(q.fields, ["Id", "Name"]);
        assert_eq!(q.sobject, "Account");
        assert_eq!(q.filter, Some(("Name".into(), Op::Like, "Acme%".into())));
        assert_eq!(q.order, Some(("Name".into(), true)));
        assert_eq!(q.limit, Some(5));
        assert!(parse("SELECT Email FROM Contact WHERE Title = 'CEO'").is_ok());
    }

    #[test]
    fn errors_have_salesforce_codes() {
        assert_eq!(
            parse("SELECT Nope FROM Account").unwrap_err().0,
            "INVALID_FIELD"
        );
        assert_eq!(
            parse("SELECT Id FROM Opportunity").unwrap_err().0,
            "INVALID_TYPE"
        );
        for bad in [
            "",
            "SELECT",
            "SELECT Id",
            "SELECT Id FROM",
            "SELECT Id FROM Account WHERE",
            "SELECT Id FROM Account LIMIT x",
            "SELECT Id FROM Account junk",
            "SELECT Id FROM Account WHERE Name LIKE 'x",
            "DELETE FROM Account",
            "SELECT Id; FROM Account",
        ] {
            assert_eq!(parse(bad).unwrap_err().0, "MALFORMED_QUERY", "{bad}");
        }
    }

    #[test]
    fn like_matches() {
        assert!(like("Acme Corp", "acme%"));
        assert!(like("Acme Corp", "%CORP"));
        assert!(like("Acme Corp", "A_me%"));
        assert!(!like("Acme Corp", "Globex%"));
        assert!(like("", "%"));
        assert!(!like("x", ""));
    }
}
