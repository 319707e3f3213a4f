//! The JSON Schemas of the roadmap's YAML files, one per kind of file, for
//! editors (completion, hover help, squiggles) and for `roadmap schema`.
//!
//! The schemas are the committed files `schemas/<kind>.schema.json`,
//! written by hand and embedded here, so the binary prints exactly what a
//! repository's files point at. They describe what this loader accepts:
//! the tests below hold each schema's keys to the loader's key lists, so
//! a key added to one and not the other fails the build's tests.

/// A kind of YAML file in a roadmap folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `roadmap.yaml`.
    Roadmap,
    /// A track file listed in `include:`.
    Tracks,
    /// `kpis.yaml`.
    Kpis,
    /// `alerts.yaml`.
    Alerts,
    /// `risks.yaml`.
    Risks,
    /// A rule test file in `tests/`.
    Tests,
}

impl FileKind {
    pub const ALL: [FileKind; 6] = [
        FileKind::Roadmap,
        FileKind::Tracks,
        FileKind::Kpis,
        FileKind::Alerts,
        FileKind::Risks,
        FileKind::Tests,
    ];

    /// The kind's name, as `roadmap schema` takes it.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Roadmap => "roadmap",
            FileKind::Tracks => "tracks",
            FileKind::Kpis => "kpis",
            FileKind::Alerts => "alerts",
            FileKind::Risks => "risks",
            FileKind::Tests => "tests",
        }
    }

    /// The schema's file name: `kpis.schema.json`.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The JSON Schema (draft 2020-12) of this kind of file.
    pub fn schema(self) -> &'static str {
        match self {
            FileKind::Roadmap => include_str!("../../schemas/roadmap.schema.json"),
            FileKind::Tracks => include_str!("../../schemas/tracks.schema.json"),
            FileKind::Kpis => include_str!("../../schemas/kpis.schema.json"),
            FileKind::Alerts => include_str!("../../schemas/alerts.schema.json"),
            FileKind::Risks => include_str!("../../schemas/risks.schema.json"),
            FileKind::Tests => include_str!("../../schemas/tests.schema.json"),
        }
    }
}

/// The comment that tells editors (the YAML language server) which schema
/// a file follows; the first line of every bundled YAML file.
pub const SCHEMA_LINE_PREFIX: &str = "# yaml-language-server: $schema=";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn schema(kind: FileKind) -> Value {
        serde_json::from_str(kind.schema())
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", kind.file_name()))
    }

    /// The object schema at `path` (property names, `items` for a list).
    fn at<'a>(root: &'a Value, path: &[&str]) -> &'a Value {
        let mut v = root;
        for step in path {
            v = match *step {
                "[]" => &v["items"],
                "{}" => &v["additionalProperties"],
                key => &v["properties"][key],
            };
            // `done` of a rule test is `all` or a mapping.
            if let Some(object) = v["anyOf"]
                .as_array()
                .and_then(|a| a.iter().find(|s| s["type"] == "object"))
            {
                v = object;
            }
        }
        v
    }

    fn keys(v: &Value) -> Vec<String> {
        let mut keys: Vec<String> = v["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("no properties in {v}"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn sorted(known: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = known.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn every_schema_is_draft_2020_12_with_a_description() {
        for kind in FileKind::ALL {
            let s = schema(kind);
            assert_eq!(
                s["$schema"],
                "https://json-schema.org/draft/2020-12/schema",
                "{}",
                kind.file_name()
            );
            assert!(s["description"].as_str().is_some_and(|d| !d.is_empty()));
        }
    }

    /// Every mapping rejects unknown keys, as the loader does, and every
    /// key says what it is for (editors show it on hover).
    #[test]
    fn every_mapping_is_closed_and_every_key_described() {
        fn walk(v: &Value, file: &str, path: &str) {
            match v {
                Value::Object(o) => {
                    if let Some(props) = o.get("properties").and_then(Value::as_object) {
                        assert_eq!(
                            o.get("additionalProperties"),
                            Some(&Value::Bool(false)),
                            "{file}: {path} accepts unknown keys"
                        );
                        for (k, p) in props {
                            assert!(
                                p["description"].as_str().is_some_and(|d| d.len() > 5),
                                "{file}: {path}.{k} has no description"
                            );
                        }
                    }
                    for (k, child) in o {
                        walk(child, file, &format!("{path}/{k}"));
                    }
                }
                Value::Array(a) => a.iter().for_each(|c| walk(c, file, path)),
                _ => {}
            }
        }
        for kind in FileKind::ALL {
            walk(&schema(kind), &kind.file_name(), "");
        }
    }

    /// The keys of each schema are exactly the keys the loader knows.
    #[test]
    fn schema_keys_are_the_loaders_keys() {
        use super::super::{alerts as a, kpis as k, plan as p, rule_tests as t};
        let roadmap = schema(FileKind::Roadmap);
        let tracks = schema(FileKind::Tracks);
        let kpis = schema(FileKind::Kpis);
        let alerts = schema(FileKind::Alerts);
        let risks = schema(FileKind::Risks);
        let tests = schema(FileKind::Tests);
        let track = ["tracks", "[]"];
        let period = ["tracks", "[]", "periods", "[]"];
        let item = ["tracks", "[]", "periods", "[]", "items", "[]"];
        let cases: Vec<(&str, &Value, Vec<&str>, &[&str])> = vec![
            ("roadmap", &roadmap, vec![], p::PLAN_KEYS),
            ("phase", &roadmap, vec!["phases", "[]"], p::PHASE_KEYS),
            ("gate", &roadmap, vec!["phases", "[]", "gate"], p::GATE_KEYS),
            ("track", &roadmap, track.to_vec(), p::TRACK_KEYS),
            ("period", &roadmap, period.to_vec(), p::PERIOD_KEYS),
            ("item", &roadmap, item.to_vec(), p::ITEM_KEYS),
            ("track file", &tracks, vec![], p::TRACK_FILE_KEYS),
            ("track file's track", &tracks, track.to_vec(), p::TRACK_KEYS),
            (
                "track file's period",
                &tracks,
                period.to_vec(),
                p::PERIOD_KEYS,
            ),
            ("track file's item", &tracks, item.to_vec(), p::ITEM_KEYS),
            ("kpis", &kpis, vec![], k::FILE_KEYS),
            ("metric", &kpis, vec!["metrics", "[]"], k::METRIC_KEYS),
            ("target", &kpis, vec!["targets", "[]"], k::TARGET_KEYS),
            (
                "dashboard",
                &kpis,
                vec!["dashboards", "[]"],
                k::DASHBOARD_KEYS,
            ),
            (
                "panel",
                &kpis,
                vec!["dashboards", "[]", "panels", "[]"],
                k::PANEL_KEYS,
            ),
            ("alerts", &alerts, vec![], a::ALERTS_FILE_KEYS),
            ("alert", &alerts, vec!["alerts", "[]"], a::ALERT_KEYS),
            ("action", &alerts, vec!["actions", "[]"], a::ACTION_KEYS),
            ("risks", &risks, vec![], a::RISKS_FILE_KEYS),
            ("risk", &risks, vec!["risks", "[]"], a::RISK_KEYS),
            ("tests", &tests, vec![], t::FILE_KEYS),
            ("test", &tests, vec!["tests", "[]"], t::TEST_KEYS),
            ("done", &tests, vec!["tests", "[]", "done"], t::DONE_KEYS),
            (
                "expect",
                &tests,
                vec!["tests", "[]", "expect"],
                t::EXPECT_KEYS,
            ),
            (
                "snapshot",
                &tests,
                vec!["tests", "[]", "values", "[]"],
                super::super::history::SNAPSHOT_KEYS,
            ),
        ];
        for (what, root, path, known) in cases {
            assert_eq!(
                keys(at(root, &path)),
                sorted(known),
                "the schema's keys of a {what} differ from the loader's"
            );
        }
    }

    /// The enums of the schemas are the loader's words.
    #[test]
    fn schema_choices_are_the_loaders_words() {
        use super::super::{alerts as a, kpis as k, rule_tests as t};
        fn words<T>(options: &[(&str, T)]) -> Vec<Value> {
            options.iter().map(|(w, _)| Value::from(*w)).collect()
        }
        fn choices(v: &Value) -> Vec<Value> {
            let mut e = v["enum"].as_array().expect("an enum").clone();
            e.retain(|w| !w.is_null());
            e
        }
        let kpis = schema(FileKind::Kpis);
        let metric = at(&kpis, &["metrics", "[]"]);
        let target = at(&kpis, &["targets", "[]"]);
        assert_eq!(choices(&metric["properties"]["better"]), words(k::BETTER));
        assert_eq!(choices(&metric["properties"]["combine"]), words(k::COMBINE));
        assert_eq!(choices(&metric["properties"]["cadence"]), words(k::CADENCE));
        assert_eq!(choices(&target["properties"]["combine"]), words(k::COMBINE));
        assert_eq!(choices(&target["properties"]["measure"]), words(k::MEASURE));
        let dashboard = at(&kpis, &["dashboards", "[]"]);
        assert_eq!(
            choices(&dashboard["properties"]["cadence"]),
            words(k::CADENCE)
        );
        let alerts = schema(FileKind::Alerts);
        let alert = at(&alerts, &["alerts", "[]"]);
        assert_eq!(
            choices(&alert["properties"]["severity"]),
            words(a::SEVERITY)
        );
        let tests = schema(FileKind::Tests);
        let expect = at(&tests, &["tests", "[]", "expect"]);
        assert_eq!(choices(&expect["properties"]["check"]), words(t::CHECKS));
        assert_eq!(
            choices(&expect["properties"]["gates"]["additionalProperties"]),
            words(t::VERDICTS)
        );
    }
}
