//! `portfolio.yaml`: which roadmaps a portfolio holds and its
//! company-level KPIs, and the members named on the command line, resolved
//! to their folders.
//!
//! ```yaml
//! name: Acme group
//! members:
//!   - shop/roadmap          # relative to this file
//!   - teams/*/roadmap       # `*` matches within one folder name
//!   - ../labs               # a folder holding roadmap/ will do
//! kpis:
//!   - metric: revenue       # a metric every member defines
//!     op: sum               # sum | average | min | max
//!     target: ">= $200K"    # in the members' unit for it
//! ```
//!
//! A KPI's target is typed by the members' definition of its metric, which
//! only loading them tells: [`read`] checks the file's shape, and
//! [`company_kpis`] the rest once the members are read.

use std::path::{Path, PathBuf};

use super::decode::Ctx;
use super::yaml;
use crate::diag::{Diagnostic, Diagnostics, Pos, closest, display_path};
use crate::error::{Error, Result};
use crate::model::Place;
use crate::model::portfolio::{CompanyKpi, Op, Share};
use crate::model::quantity::{Better, Unit, parse_target};

/// The file `portfolio` reads when given neither paths nor `--config`.
pub const FILE: &str = "portfolio.yaml";

const KEYS: &[&str] = &["name", "members", "kpis"];
const KPI_KEYS: &[&str] = &["id", "name", "metric", "op", "target", "warn"];

/// The ways to combine the members' values, as written (`avg` too, the
/// usual short form of `average`).
const OPS: &[(&str, Op)] = &[
    ("sum", Op::Sum),
    ("average", Op::Average),
    ("avg", Op::Average),
    ("min", Op::Min),
    ("max", Op::Max),
];

/// A portfolio: its name and its members, in the order given (a glob's
/// matches sorted by name), and its company KPIs as written.
#[derive(Debug, Clone, Default)]
pub struct Portfolio {
    pub name: Option<String>,
    pub members: Vec<Member>,
    pub kpis: Vec<KpiSpec>,
    /// The metric ids the KPIs combine, each once: what every member is
    /// asked for (a KPI's `slot` indexes it).
    pub metrics: Vec<String>,
    /// The file, as shown, and its text, for diagnostics found later.
    file: PathBuf,
    source: String,
}

/// A company KPI as written, before the members say what its metric is.
#[derive(Debug, Clone)]
pub struct KpiSpec {
    pub id: String,
    pub name: Option<String>,
    pub metric: String,
    metric_pos: Pos,
    pub op: Op,
    target: Option<(String, Pos)>,
    warn: Option<(String, Pos)>,
    pos: Pos,
    slot: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The roadmap folder (or what was named, when it holds no plan, so
    /// loading says what is missing there).
    pub dir: PathBuf,
    /// Where `portfolio.yaml` names it.
    pub place: Option<Place>,
}

/// Members named on the command line, each found as `--dir` finds a plan.
pub fn from_paths(paths: &[PathBuf], cwd: &Path) -> Vec<Member> {
    paths
        .iter()
        .map(|p| Member {
            dir: super::find_dir(Some(p), cwd).unwrap_or_else(|_| p.clone()),
            place: None,
        })
        .collect()
}

/// Read a portfolio file, reporting every problem in it at once.
pub fn read(path: &Path) -> Result<Portfolio> {
    let shown = display_path(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let d = Diagnostic::new(&shown, None, "no such file").with_hint(Some(format!(
                "write a {FILE} with `name:` and `members:` (see the README's \"Portfolio\"), \
                 or name the plans: `roadmap portfolio PATH...`"
            )));
            return Err(Error::Invalid(Diagnostics(vec![d])));
        }
        Err(e) => return Err(Error::io(&shown, e)),
    };
    let base = path.parent().unwrap_or(Path::new(""));
    let mut diags = Diagnostics::default();
    let portfolio = parse(&text, &shown, base, &mut diags);
    match portfolio {
        Some(mut p) if diags.is_empty() => {
            p.file = shown;
            p.source = text;
            Ok(p)
        }
        _ => {
            diags.sort();
            Err(Error::Invalid(diags))
        }
    }
}

fn parse(text: &str, shown: &Path, base: &Path, diags: &mut Diagnostics) -> Option<Portfolio> {
    let root = match yaml::parse(text, shown) {
        Ok(r) => r,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let mut ctx = Ctx::new(shown, text, diags);
    let f = ctx.fields(&root, "a portfolio file", KEYS)?;
    let name = f.get("name").and_then(|n| ctx.text(n, "name"));
    let list = f
        .req(&mut ctx, "members")
        .and_then(|n| ctx.seq(n, "members"))?;
    let mut members = Vec::new();
    for node in list {
        let Some(entry) = ctx.text(node, "members") else {
            continue;
        };
        let place = Place::new(shown, node.pos);
        if !entry.contains(['*', '?']) {
            let dir = tidy(&base.join(&entry));
            members.push(Member {
                dir: super::find_dir(Some(&dir), Path::new(".")).unwrap_or(dir),
                place: Some(place),
            });
            continue;
        }
        let found = glob(base, &entry);
        if found.is_empty() {
            ctx.error(
                node.pos,
                format!("`{entry}` matches no folder"),
                Some(format!(
                    "`*` matches within one folder name, relative to {}; \
                     check the pattern, or remove it",
                    shown.display()
                )),
            );
        }
        for dir in found {
            members.push(Member {
                dir,
                place: Some(place.clone()),
            });
        }
    }
    if members.is_empty() && list.is_empty() {
        ctx.error(
            root.pos,
            "`members` is empty",
            Some("list the roadmap folders, e.g. `members: [teams/*/roadmap]`".into()),
        );
    }
    let mut p = Portfolio {
        name,
        members,
        ..Portfolio::default()
    };
    if let Some(list) = f.get("kpis").and_then(|n| ctx.seq(n, "kpis")) {
        for node in list {
            kpi(&mut ctx, node, &mut p);
        }
    }
    Some(p)
}

/// One entry of `kpis:`, added to `p` if it reads.
fn kpi(ctx: &mut Ctx, node: &yaml::Node, p: &mut Portfolio) {
    let Some(f) = ctx.fields(node, "a company KPI", KPI_KEYS) else {
        return;
    };
    let metric = f
        .req(ctx, "metric")
        .and_then(|n| Some((ctx.id(n, "metric")?, n.pos)));
    let op = f.req(ctx, "op").and_then(|n| ctx.choice(n, "op", OPS));
    let id = f.get("id").map(|n| (ctx.id(n, "id"), n.pos));
    let name = f.get("name").and_then(|n| ctx.text(n, "name"));
    // Absent is fine; present but unreadable was reported (Err).
    let mut text = |key: &str| match f.get(key) {
        None => Ok(None),
        Some(n) => ctx.text(n, key).map(|t| Some((t, n.pos))).ok_or(()),
    };
    let (target, warn) = (text("target"), text("warn"));
    let (Some((metric, metric_pos)), Some(op), Ok(target), Ok(warn)) = (metric, op, target, warn)
    else {
        return;
    };
    if let (Some((_, pos)), None) = (&warn, f.get("target")) {
        ctx.error(
            *pos,
            "a warning band needs a `target:`",
            Some("add the `target:` the band softens, or remove `warn:`".into()),
        );
        return;
    }
    // "revenue_sum": the metric and how it is combined, unless named.
    let (id, id_pos, named) = match id {
        Some((Some(id), pos)) => (id, pos, true),
        Some((None, _)) => return,
        None => (format!("{metric}_{}", op.word()), f.pos, false),
    };
    if p.kpis.iter().any(|k| k.id == id) {
        let hint = match named {
            true => "give each an `id:` of its own".to_string(),
            false => format!(
                "give one an `id:` of its own (without one, it is the metric and the op: \
                 `{id}`)"
            ),
        };
        ctx.error(
            id_pos,
            format!("company KPI `{id}` is listed twice"),
            Some(hint),
        );
        return;
    }
    let slot = match p.metrics.iter().position(|m| *m == metric) {
        Some(i) => i,
        None => {
            p.metrics.push(metric.clone());
            p.metrics.len() - 1
        }
    };
    p.kpis.push(KpiSpec {
        id,
        name,
        metric,
        metric_pos,
        op,
        target,
        warn,
        pos: f.pos,
        slot,
    });
}

/// The company KPIs of `p`, typed by what the members that loaded say of
/// their metrics: `members` holds each one's path and its [`Share`]s, in
/// the order of [`Portfolio::metrics`]. Every member must define a KPI's
/// metric, all in one unit. Every problem is reported at once, at its line
/// in portfolio.yaml.
pub fn company_kpis(p: &Portfolio, members: &[(&str, &[Share])]) -> Result<Vec<CompanyKpi>> {
    let mut diags = Diagnostics::default();
    let mut ctx = Ctx::new(&p.file, &p.source, &mut diags);
    let kpis: Vec<CompanyKpi> = p
        .kpis
        .iter()
        .filter_map(|k| typed(&mut ctx, k, members, &p.file))
        .collect();
    if diags.is_empty() {
        Ok(kpis)
    } else {
        diags.sort();
        Err(Error::Invalid(diags))
    }
}

fn typed(
    ctx: &mut Ctx,
    k: &KpiSpec,
    members: &[(&str, &[Share])],
    file: &Path,
) -> Option<CompanyKpi> {
    let mut missing: Vec<(&str, Option<&str>)> = Vec::new();
    let mut defined: Vec<(&str, Unit, Better)> = Vec::new();
    for (path, shares) in members {
        match shares.get(k.slot) {
            Some(Share::Defined { unit, better, .. }) => defined.push((path, *unit, *better)),
            Some(Share::Missing { near }) => missing.push((path, near.as_deref())),
            None => {}
        }
    }
    let metric = &k.metric;
    if defined.is_empty() && !missing.is_empty() {
        let near = closest(metric, missing.iter().filter_map(|(_, n)| *n));
        ctx.error(
            k.metric_pos,
            format!("no member defines metric `{metric}`"),
            Some(match near {
                Some(n) => format!("did you mean `{n}`?"),
                None => "name a metric the members share: an id under `metrics:` in each \
                 one's kpis.yaml"
                    .into(),
            }),
        );
        return None;
    }
    if !missing.is_empty() {
        let paths: Vec<&str> = missing.iter().map(|(p, _)| *p).collect();
        let hint = match missing.as_slice() {
            [(path, Some(near))] => format!(
                "{path} defines `{near}`: did you mean that? A company KPI needs the metric in \
                 every member: define `{metric}` there, or leave the member out"
            ),
            [(path, None)] => format!(
                "a company KPI needs the metric in every member: define `{metric}` in \
                 {path}'s kpis.yaml, or leave the member out"
            ),
            _ => format!(
                "a company KPI needs the metric in every member: define `{metric}` in their \
                 kpis.yaml, or leave them out"
            ),
        };
        ctx.error(
            k.metric_pos,
            format!(
                "metric `{metric}` is not defined by {} (of {} members)",
                some_of(&paths),
                members.len()
            ),
            Some(hint),
        );
        return None;
    }
    let mut units: Vec<(Unit, Vec<&str>)> = Vec::new();
    for (path, unit, _) in &defined {
        match units.iter_mut().find(|(u, _)| u == unit) {
            Some((_, paths)) => paths.push(path),
            None => units.push((*unit, vec![path])),
        }
    }
    if units.len() > 1 {
        let each: Vec<String> = units
            .iter()
            .map(|(u, paths)| format!("{u} ({})", some_of(paths)))
            .collect();
        ctx.error(
            k.metric_pos,
            format!(
                "the members measure `{metric}` in different units: {}",
                each.join(", ")
            ),
            Some(format!(
                "a company KPI combines like with like: give `{metric}` one unit in every \
                 member's kpis.yaml, or combine a metric they measure alike"
            )),
        );
        return None;
    }
    let name = k
        .name
        .clone()
        .unwrap_or_else(|| format!("{} of {metric}", k.op.word()));
    let place = Place::new(file, k.pos);
    let Some(&(_, unit, better)) = defined.first() else {
        // No member loaded: nothing types the target, and nothing reports.
        return Some(CompanyKpi {
            id: k.id.clone(),
            name,
            metric: metric.clone(),
            op: k.op,
            slot: k.slot,
            unit: None,
            target: None,
            warn: None,
            target_text: k.target.as_ref().map(|(t, _)| t.clone()),
            place,
        });
    };
    let disagree = defined.iter().any(|d| d.2 != better);
    let mut parse = |(text, pos): &(String, Pos), what: &str| {
        let read = |b| parse_target(text, unit, b);
        match read(better) {
            // Without a comparison, `better` decides it: the members must
            // agree on it then.
            Ok(t) if disagree && read(Better::Higher) != read(Better::Lower) => {
                ctx.error(
                    *pos,
                    format!(
                        "{what} of `{}`: the members disagree on whether more `{metric}` is \
                         better, so `{text}` could mean `>=` or `<=`",
                        k.id
                    ),
                    Some(format!("write the comparison: `{t}`")),
                );
                None
            }
            Ok(t) => Some(t),
            Err(e) => {
                ctx.error(*pos, format!("{what} of `{}`: {}", k.id, e.message), e.hint);
                None
            }
        }
    };
    let target = match &k.target {
        Some(t) => Some(parse(t, "target")?),
        None => None,
    };
    let warn = match &k.warn {
        Some(w) => {
            let band = parse(w, "warning band")?;
            if !super::kpis::looser(band, target) {
                ctx.error(
                    w.1,
                    format!(
                        "warning band `{}` of `{}` is not looser than its target",
                        w.0, k.id
                    ),
                    Some(
                        "a band is easier to meet than the target: e.g. `>= $150K` under \
                         `>= $200K`, or `<= $170` over `<= $150`"
                            .into(),
                    ),
                );
                return None;
            }
            Some(band)
        }
        None => None,
    };
    Some(CompanyKpi {
        id: k.id.clone(),
        name,
        metric: metric.clone(),
        op: k.op,
        slot: k.slot,
        unit: Some(unit),
        target,
        warn,
        target_text: target.map(|t| t.to_string()),
        place,
    })
}

/// "a, b and 3 more": a few paths, and how many more there are.
fn some_of(paths: &[&str]) -> String {
    const SHOWN: usize = 3;
    match paths {
        [] => String::new(),
        [one] => (*one).to_string(),
        _ if paths.len() <= SHOWN => {
            let (last, rest) = paths.split_last().unwrap_or((&"", &[]));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!(
            "{} and {} more",
            paths[..SHOWN].join(", "),
            paths.len() - SHOWN
        ),
    }
}

/// `path` without `.` parts, and with each `..` taking away the folder
/// before it, unless that folder is a symbolic link (whose `..` is its
/// target's parent): `examples/../roadmap` is named `roadmap` in messages
/// and hints, as a person would write it.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_)))
                    && !out.is_symlink() =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The folders `pattern` (`/`-separated, relative to `base`) matches, where
/// `*` and `?` match within one name, sorted; hidden folders only when the
/// pattern's part starts with `.`. A match that holds `roadmap/` but no
/// `roadmap.yaml` stands for that folder, as on the command line.
fn glob(base: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![tidy(base)];
    for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
        let mut next = Vec::new();
        for dir in &found {
            if !part.contains(['*', '?']) {
                let p = dir.join(part);
                if p.is_dir() {
                    next.push(p);
                }
                continue;
            }
            let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            }) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .flatten()
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| (part.starts_with('.') || !n.starts_with('.')) && matches(part, n))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|n| dir.join(n)));
        }
        found = next;
    }
    found
        .into_iter()
        .map(|d| super::find_dir(Some(&d), Path::new(".")).unwrap_or(d))
        .collect()
}

/// Whether `name` matches `pattern`, `*` standing for any run of
/// characters and `?` for one.
fn matches(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // The classic two-pointer match with one backtrack point.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_within_a_name() {
        assert!(matches("*", "sales"));
        assert!(matches("team-*", "team-a"));
        assert!(matches("t?am*s", "teams"));
        assert!(matches("*-api", "billing-api"));
        assert!(!matches("team-*", "sales"));
        assert!(!matches("*-api", "billing-app"));
        assert!(!matches("?", ""));
    }

    #[test]
    fn unknown_keys_get_a_did_you_mean_at_their_line() {
        let mut diags = Diagnostics::default();
        let text = "name: Acme\nmembres:\n  - a\n";
        parse(text, Path::new("portfolio.yaml"), Path::new(""), &mut diags);
        let first = &diags.0[0];
        assert_eq!(first.location(), "portfolio.yaml:2:1");
        assert!(
            first.hint.as_deref().unwrap().contains("members"),
            "{first:?}"
        );
    }

    fn read_text(text: &str) -> (Option<Portfolio>, Diagnostics) {
        let mut diags = Diagnostics::default();
        let base = Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = parse(text, Path::new("portfolio.yaml"), base, &mut diags).map(|mut p| {
            p.file = "portfolio.yaml".into();
            p.source = text.to_string();
            p
        });
        (p, diags)
    }

    #[test]
    fn kpis_get_an_id_from_metric_and_op_and_share_a_slot_per_metric() {
        let text = "members: [roadmap]\nkpis:\n  - {metric: revenue, op: sum}\n  \
                    - {metric: revenue, op: avg, id: mean_revenue}\n  - {metric: nps, op: min}\n";
        let (p, diags) = read_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        let p = p.unwrap();
        let ids: Vec<&str> = p.kpis.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["revenue_sum", "mean_revenue", "nps_min"]);
        assert_eq!(p.kpis[1].op, Op::Average);
        assert_eq!(p.metrics, ["revenue", "nps"]);
        assert_eq!(p.kpis.iter().map(|k| k.slot).collect::<Vec<_>>(), [0, 0, 1]);
    }

    #[test]
    fn kpi_shape_mistakes_are_found_at_their_line() {
        let text = "members: [roadmap]\nkpis:\n  - {metric: revenue, op: total}\n  \
                    - {metric: revenue, op: sum, warn: 5}\n  - {metric: nps, op: max}\n  \
                    - {metric: nps, op: max}\n";
        let (_, diags) = read_text(text);
        let said: Vec<String> = diags
            .0
            .iter()
            .map(|d| format!("{}: {}", d.location(), d.message))
            .collect();
        assert_eq!(
            said,
            [
                "portfolio.yaml:3:27: `total` is not a valid `op`",
                "portfolio.yaml:4:38: a warning band needs a `target:`",
                "portfolio.yaml:6:5: company KPI `nps_max` is listed twice",
            ]
        );
    }

    fn defined(unit: Unit, better: Better) -> Share {
        Share::Defined {
            unit,
            better,
            value: None,
            date: None,
            stale: false,
        }
    }

    fn typed_with(text: &str, members: &[(&str, &[Share])]) -> Result<Vec<CompanyKpi>> {
        let (p, diags) = read_text(text);
        assert!(diags.is_empty(), "{diags:?}");
        company_kpis(&p.unwrap(), members)
    }

    fn problems(r: Result<Vec<CompanyKpi>>) -> Vec<String> {
        match r {
            Err(Error::Invalid(d)) => {
                d.0.iter()
                    .map(|d| {
                        format!(
                            "{}: {} ({})",
                            d.location(),
                            d.message,
                            d.hint.clone().unwrap_or_default()
                        )
                    })
                    .collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_target_is_typed_in_the_members_unit() {
        let usd = [defined(Unit::Usd, Better::Higher)];
        let text = "members: [roadmap]\nkpis:\n  - {metric: revenue, op: sum, target: $200K, warn: '>= $150K'}\n";
        let k = typed_with(text, &[("a", &usd), ("b", &usd)]).unwrap();
        assert_eq!(k[0].unit, Some(Unit::Usd));
        assert_eq!(
            k[0].target.map(|t| t.to_string()).as_deref(),
            Some(">= $200K")
        );
        assert_eq!(
            k[0].warn.map(|t| t.to_string()).as_deref(),
            Some(">= $150K")
        );
        assert_eq!(k[0].name, "sum of revenue");
        assert_eq!(k[0].place.line, 3);
        // A dollar target for a count is refused, as in kpis.yaml.
        let count = [defined(Unit::Count, Better::Higher)];
        let said = problems(typed_with(text, &[("a", &count)]));
        assert!(
            said[0].starts_with("portfolio.yaml:3:40: target of `revenue_sum`"),
            "{said:?}"
        );
    }

    #[test]
    fn the_members_must_define_the_metric_alike() {
        let text = "members: [roadmap]\nkpis:\n  - {metric: revenue, op: sum, target: 100}\n";
        let usd = [defined(Unit::Usd, Better::Higher)];
        let count = [defined(Unit::Count, Better::Higher)];
        let lower = [defined(Unit::Usd, Better::Lower)];
        let near = [Share::Missing {
            near: Some("revenu".into()),
        }];
        let none = [Share::Missing { near: None }];
        assert_eq!(
            problems(typed_with(text, &[("a", &usd), ("b", &count), ("c", &usd)])),
            [
                "portfolio.yaml:3:14: the members measure `revenue` in different units: \
              usd (a and c), count (b) (a company KPI combines like with like: give `revenue` \
              one unit in every member's kpis.yaml, or combine a metric they measure alike)"
            ]
        );
        let said = problems(typed_with(text, &[("a", &usd), ("b", &near)]));
        assert!(
            said[0].starts_with(
                "portfolio.yaml:3:14: metric `revenue` is not defined by b (of 2 members) \
                 (b defines `revenu`: did you mean that?"
            ),
            "{said:?}"
        );
        let said = problems(typed_with(text, &[("a", &none), ("b", &near)]));
        assert_eq!(
            said,
            ["portfolio.yaml:3:14: no member defines metric `revenue` (did you mean `revenu`?)"]
        );
        // Without a comparison, `better` decides what `100` means: the
        // members must agree on it, or the target must say.
        let said = problems(typed_with(text, &[("a", &usd), ("b", &lower)]));
        assert!(said[0].contains("could mean `>=` or `<=`"), "{said:?}");
        let explicit =
            "members: [roadmap]\nkpis:\n  - {metric: revenue, op: sum, target: '>= 100'}\n";
        assert!(typed_with(explicit, &[("a", &usd), ("b", &lower)]).is_ok());
        // With no member loaded there is nothing to type it by, and no error.
        let k = typed_with(text, &[]).unwrap();
        assert_eq!(
            (k[0].unit, k[0].target_text.as_deref()),
            (None, Some("100"))
        );
    }

    #[test]
    fn a_member_path_is_named_as_a_person_would_write_it() {
        assert_eq!(tidy(Path::new("examples/../roadmap")), Path::new("roadmap"));
        assert_eq!(tidy(Path::new("./a/./b/../c")), Path::new("a/c"));
        assert_eq!(tidy(Path::new("../up/x")), Path::new("../up/x"));
        assert_eq!(tidy(Path::new("a/../../b")), Path::new("../b"));
        // Through a link, `..` is the target's parent: kept as written.
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("real/inner")).unwrap();
        std::os::unix::fs::symlink(tmp.path().join("real/inner"), tmp.path().join("link")).unwrap();
        let through = tmp.path().join("link/../x");
        assert_eq!(tidy(&through), through);
    }
}
