//! Seeded records: a few hundred Accounts and Contacts, the same on every start.

use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A record of an sObject.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `Account` or `Contact`.
    pub sobject: &'static str,
    /// 18-character id.
    pub id: String,
    /// Fields by API name (Id included).
    pub fields: BTreeMap<String, Value>,
}

/// The fields each sObject has.
pub fn fields_of(sobject: &str) -> Option<&'static [&'static str]> {
    match sobject {
        "Account" => Some(&[
            "Id",
            "Name",
            "Industry",
            "Type",
            "BillingCity",
            "BillingCountry",
            "Phone",
            "Website",
            "AnnualRevenue",
            "NumberOfEmployees",
            "CreatedDate",
        ]),
        "Contact" => Some(&[
            "Id",
            "FirstName",
            "LastName",
            "Name",
            "Email",
            "Title",
            "Phone",
            "AccountId",
            "CreatedDate",
        ]),
        _ => None,
    }
}

fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}5g00000{n:06}AAQ")
}

/// 300 Accounts and 150 Contacts.
pub fn seed() -> Vec<Record> {
    const WORDS: [&str; 20] = [
        "Acme",
        "Globex",
        "Initech",
        "Umbrella",
        "Stark",
        "Wayne",
        "Wonka",
        "Tyrell",
        "Cyberdyne",
        "Soylent",
        "Hooli",
        "Vandelay",
        "Massive",
        "Dunder",
        "Gringotts",
        "Oceanic",
        "Aperture",
        "Monarch",
        "Pied Piper",
        "Black Mesa",
    ];
    const SUFFIX: [&str; 15] = [
        "Corp",
        "Inc",
        "Labs",
        "Systems",
        "Holdings",
        "Partners",
        "Group",
        "Industries",
        "Ltd",
        "Foods",
        "Energy",
        "Logistics",
        "Media",
        "Bank",
        "Health",
    ];
    const INDUSTRY: [&str; 8] = [
        "Technology",
        "Manufacturing",
        "Finance",
        "Healthcare",
        "Retail",
        "Energy",
        "Media",
        "Transportation",
    ];
    const CITY: [(&str, &str); 8] = [
        ("San Francisco", "USA"),
        ("London", "UK"),
        ("Paris", "France"),
        ("Berlin", "Germany"),
        ("Tokyo", "Japan"),
        ("Sydney", "Australia"),
        ("Toronto", "Canada"),
        ("Madrid", "Spain"),
    ];
    const FIRST: [&str; 10] = [
        "Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Radia", "Tim",
    ];
    const LAST: [&str; 15] = [
        "Lovelace",
        "Hopper",
        "Turing",
        "Torvalds",
        "Hamilton",
        "Ritchie",
        "Liskov",
        "Thompson",
        "Perlman",
        "Berners-Lee",
        "Knuth",
        "Dijkstra",
        "Kay",
        "Wirth",
        "Backus",
    ];
    let mut out = Vec::new();
    for n in 0..300 {
        let name = format!(
            "{} {}",
            WORDS[n % WORDS.len()],
            SUFFIX[(n / WORDS.len()) % SUFFIX.len()]
        );
        let (city, country) = CITY[n % CITY.len()];
        let mut f = BTreeMap::new();
        f.insert("Id".into(), json!(id("001", n)));
        f.insert("Name".into(), json!(name));
        f.insert("Industry".into(), json!(INDUSTRY[n % INDUSTRY.len()]));
        f.insert(
            "Type".into(),
            json!(if n % 3 == 0 {
                "Customer - Direct"
            } else if n % 3 == 1 {
                "Prospect"
            } else {
                "Partner"
            }),
        );
        f.insert("BillingCity".into(), json!(city));
        f.insert("BillingCountry".into(), json!(country));
        f.insert("Phone".into(), json!(format!("+1 415 555 {:04}", n)));
        f.insert(
            "Website".into(),
            json!(format!(
                "https://www.{}.example",
                name.to_lowercase().replace(' ', "-")
            )),
        );
        f.insert(
            "AnnualRevenue".into(),
            json!(((n * 7919) % 900 + 10) as f64 * 100_000.0),
        );
        f.insert("NumberOfEmployees".into(), json!((n * 37) % 5000 + 5));
        f.insert(
            "CreatedDate".into(),
            json!(format!(
                "2025-{:02}-{:02}T09:00:00.000+0000",
                n % 12 + 1,
                n % 28 + 1
            )),
        );
        out.push(Record {
            sobject: "Account",
            id: id("001", n),
            fields: f,
        });
    }
    for n in 0..150 {
        let (first, last) = (FIRST[n % FIRST.len()], LAST[n % LAST.len()]);
        let mut f = BTreeMap::new();
        f.insert("Id".into(), json!(id("003", n)));
        f.insert("FirstName".into(), json!(first));
        f.insert("LastName".into(), json!(last));
        f.insert("Name".into(), json!(format!("{first} {last}")));
        f.insert(
            "Email".into(),
            json!(format!(
                "{}.{}{n}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
        );
        f.insert(
            "Title".into(),
            json!(["CEO", "CTO", "VP Sales", "Engineer", "Buyer"][n % 5]),
        );
        f.insert("Phone".into(), json!(format!("+1 650 555 {:04}", n)));
        f.insert("AccountId".into(), json!(id("001", n * 2)));
        f.insert(
            "CreatedDate".into(),
            json!(format!(
                "2025-{:02}-{:02}T10:30:00.000+0000",
                n % 12 + 1,
                n % 28 + 1
            )),
        );
        out.push(Record {
            sobject: "Contact",
            id: id("003", n),
            fields: f,
        });
    }
    out
}
