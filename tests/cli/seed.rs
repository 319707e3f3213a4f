//! The bundled `roadmap/` is the seed plan, encoded exactly: every checklist
//! item, metric line, dashboard line, alert, action and risk of
//! `tests/fixtures/seed.md` (a copy of the customer's document) is found in
//! it, in the seed's own words. Nothing invented, nothing dropped.

use roadmap::model::{Roadmap, Severity};

use crate::{fixture, json, roadmap, seed};

fn seed_text() -> String {
    std::fs::read_to_string(fixture("seed.md")).unwrap()
}

fn model() -> Roadmap {
    roadmap::load::load(&seed()).expect("the bundled roadmap is valid")
}

/// `**Name:** text` -> (Name, text).
fn bold_line(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("- **")?;
    let (name, text) = rest.split_once(":**")?;
    Some((name, text.trim()))
}

/// Lines of the seed between the heading starting with `from` and the next
/// heading of the same or a higher level.
fn section<'a>(text: &'a str, from: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(from));
    let level = from.chars().take_while(|c| *c == '#').count();
    let mut out = vec![lines.next().unwrap()];
    for l in lines {
        let hashes = l.chars().take_while(|c| *c == '#').count();
        if hashes > 0 && hashes <= level {
            break;
        }
        out.push(l);
    }
    out
}

#[test]
fn all_192_items_in_seed_order_with_area_title_and_window() {
    let text = seed_text();
    let rows = json(roadmap(&seed()).args(["items", "--as-of", "2026-01-01", "--format", "json"]));
    let rows = rows["items"].as_array().unwrap();
    let mut window = (0, 0);
    let mut n = 0;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("#### **Mes ") {
            let months = rest.split(':').next().unwrap();
            let (a, b) = months.split_once('-').unwrap();
            window = (a.parse::<u64>().unwrap(), b.parse::<u64>().unwrap());
        }
        let Some(item) = line.strip_prefix("- [ ] ") else {
            continue;
        };
        let (area, title) = bold_line(&format!("- {item}"))
            .map(|(a, t)| (a.to_string(), t.to_string()))
            .unwrap();
        let row = &rows[n];
        assert_eq!(row["area"], area.as_str(), "item {n}: {line}");
        assert_eq!(row["title"], title.as_str(), "item {n}: {line}");
        assert_eq!(row["months"]["start"], window.0, "item {n}: {line}");
        assert_eq!(row["months"]["end"], window.1, "item {n}: {line}");
        n += 1;
    }
    assert_eq!(n, 192);
    assert_eq!(rows.len(), 192);
}

#[test]
fn items_sit_in_the_seed_tracks() {
    let m = model();
    let count = |track: &str| {
        m.items
            .iter()
            .filter(|i| m.tracks[i.track].id == track)
            .count()
    };
    assert_eq!(count("general"), 48);
    for track in ["curso", "saas", "docs"] {
        assert_eq!(count(track), 16, "{track}");
    }
    for track in [
        "infra", "ml", "canales", "content", "ventas", "procesos", "equipo", "finanzas",
    ] {
        assert_eq!(count(track), 12, "{track}");
    }
    let names: Vec<&str> = m.tracks.iter().map(|t| t.name.as_str()).collect();
    for heading in [
        "Curso de IA con Webinars",
        "SaaS de IA para Marketing",
        "Generador de Documentos Masivos",
        "Infraestructura",
        "IA y Machine Learning",
        "Canales de Adquisición",
        "Content Marketing",
        "Equipo de Ventas",
        "Procesos de Ventas",
        "Equipo y Cultura",
        "Finanzas y Legal",
    ] {
        assert!(names.contains(&heading), "{heading}");
    }
}

#[test]
fn phases_and_objectives() {
    let m = model();
    let got: Vec<(String, String, String)> = m
        .phases
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.window.to_string(),
                p.objective.clone().unwrap_or_default(),
            )
        })
        .collect();
    let text = seed_text();
    let mut want = Vec::new();
    let mut lines = text.lines();
    while let Some(l) = lines.next() {
        if let Some(rest) = l.strip_prefix("### **Fase ") {
            let (name, months) = rest.trim_end_matches(")**").split_once(" (Meses ").unwrap();
            let objective = lines
                .next()
                .unwrap()
                .strip_prefix("**Objetivo:** ")
                .unwrap();
            want.push((
                format!("Fase {name}"),
                months.to_string(),
                objective.to_string(),
            ));
        }
    }
    assert_eq!(got, want);
}

#[test]
fn every_metric_line_is_a_target_in_the_seed_words() {
    let m = model();
    let text = seed_text();
    let start = text.find("## Métricas de Implementación").unwrap();
    let end = text.find("## Plan de Contingencia").unwrap();
    let mut in_alerts_or_dashboard = false;
    let mut phase: Option<usize> = None;
    let mut lines_checked = 0;
    let mut targets_seen = vec![false; m.targets.len()];
    for line in text[start..end].lines() {
        if line.starts_with("### ") {
            in_alerts_or_dashboard = line.contains("Dashboard") || line.contains("Alertas");
            phase = None;
        }
        if line.starts_with("#### ") {
            phase = None;
        }
        if let Some(rest) = line
            .strip_prefix("#### **Fase ")
            .or_else(|| line.strip_prefix("##### **Fase "))
        {
            phase = Some(rest[..1].parse::<usize>().unwrap() - 1);
        }
        if in_alerts_or_dashboard {
            continue;
        }
        let Some((name, value)) = bold_line(line) else {
            continue;
        };
        lines_checked += 1;
        let in_kpis_por_fase = line_in(&text, line, "### **KPIs por Fase");
        let parts: Vec<&str> = if in_kpis_por_fase {
            value.split(", ").collect()
        } else {
            vec![value]
        };
        for part in parts {
            let found = m.targets.iter().enumerate().find(|(i, t)| {
                !targets_seen[*i]
                    && t.text.as_deref() == Some(part)
                    && t.phase == phase
                    && (in_kpis_por_fase
                        || phase.is_some()
                        || t.label.as_deref().unwrap_or(&m.metrics[t.metric].name) == name)
            });
            let (i, _) = found.unwrap_or_else(|| panic!("no target for `{line}` part `{part}`"));
            targets_seen[i] = true;
        }
    }
    assert_eq!(lines_checked, 144);
    assert!(
        targets_seen.iter().all(|s| *s),
        "targets not from the seed: {}",
        targets_seen.iter().filter(|s| !**s).count()
    );
}

/// Whether `line` appears under the section starting with `heading`.
fn line_in(text: &str, line: &str, heading: &str) -> bool {
    section(text, heading).contains(&line)
}

#[test]
fn phase_gates_use_the_agreed_metric_ids() {
    let m = model();
    let gate_metrics: Vec<&str> = m
        .targets
        .iter()
        .filter(|t| t.phase.is_some())
        .map(|t| m.metrics[t.metric].id.as_str())
        .collect();
    for id in [
        "beta_users",
        "active_users",
        "satisfaction",
        "retention",
        "nps",
        "leads",
        "lead_conversion",
        "cac",
        "revenue",
        "customers",
        "sales_cycle_days",
        "team_size",
        "employee_satisfaction",
        "models_deployed",
        "model_accuracy_avg",
        "automation_rate",
    ] {
        assert!(
            gate_metrics.contains(&id),
            "{id} is not used by a phase gate"
        );
    }
    // Each phase gate has the 14 targets of its six KPI lines plus the four
    // model accuracies of "Modelos de IA por Fase".
    let per_phase: Vec<usize> = (0..4)
        .map(|p| m.targets.iter().filter(|t| t.phase == Some(p)).count())
        .collect();
    assert_eq!(per_phase, [14 + 4; 4]);
}

#[test]
fn baselines_and_objectives() {
    let m = model();
    let pmf = m.metric("pmf_score").expect("pmf_score metric");
    let t = m.targets.iter().find(|t| t.metric == pmf).unwrap();
    assert_eq!(t.text.as_deref(), Some("8.5/10 (objetivo: 9/10)"));
    assert_eq!(t.baseline, Some(8.5));
    assert_eq!(t.target.map(|t| t.value), Some(9.0));
    let cac = m.metric("cac").unwrap();
    let f1 = m.phase("f1").unwrap();
    let t = m
        .targets
        .iter()
        .find(|t| t.metric == cac && t.phase == Some(f1))
        .unwrap();
    assert_eq!(t.text.as_deref(), Some("$150 CAC"));
    let target = t.target.unwrap();
    assert!(target.met_by(150.0) && target.met_by(120.0) && !target.met_by(151.0));
}

#[test]
fn dashboards_keep_their_cadences_and_lines() {
    let m = model();
    let text = seed_text();
    let mut want = Vec::new();
    let mut cadence = "";
    for line in section(&text, "### **Dashboard") {
        if line.contains("Diaria") {
            cadence = "daily";
        } else if line.contains("Semanal") {
            cadence = "weekly";
        } else if line.contains("Mensual") {
            cadence = "monthly";
        }
        if let Some((name, shows)) = bold_line(line) {
            want.push((cadence.to_string(), name.to_string(), shows.to_string()));
        }
    }
    let got: Vec<(String, String, String)> = m
        .dashboards
        .iter()
        .flat_map(|d| {
            let cadence = serde_json::to_value(d.cadence)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string();
            d.panels.iter().map(move |p| {
                (
                    cadence.clone(),
                    p.name.clone(),
                    p.shows.clone().unwrap_or_default(),
                )
            })
        })
        .collect();
    assert_eq!(got.len(), 15);
    assert_eq!(got, want);
}

#[test]
fn alerts_and_automatic_actions() {
    let m = model();
    let text = seed_text();
    let mut want = Vec::new();
    let mut severity = None;
    for line in section(&text, "### **Alertas") {
        if line.contains("Críticas") {
            severity = Some(Severity::Critical);
        } else if line.contains("Oportunidad") {
            severity = Some(Severity::Opportunity);
        } else if line.contains("Acciones") {
            severity = None;
        }
        if let (Some(s), Some((name, text))) = (severity, bold_line(line)) {
            want.push((s, name.to_string(), text.to_string()));
        }
    }
    let got: Vec<(Severity, String, String)> = m
        .alerts
        .iter()
        .map(|a| {
            (
                a.severity,
                a.name.clone(),
                a.text.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(got.len(), 10);
    assert_eq!(got, want);
    let actions: Vec<(String, String)> = m
        .actions
        .iter()
        .map(|a| (a.area.clone(), a.title.clone()))
        .collect();
    let want: Vec<(String, String)> = section(&text, "#### **Acciones Automáticas")
        .into_iter()
        .filter_map(bold_line)
        .map(|(a, t)| (a.to_string(), t.to_string()))
        .collect();
    assert_eq!(actions.len(), 5);
    assert_eq!(actions, want);
}

#[test]
fn the_contingency_plan_pairs_each_risk_with_its_mitigation() {
    let m = model();
    let text = seed_text();
    let risks = section(&text, "### **Riesgos Identificados");
    let mitigations = section(&text, "### **Plan de Mitigación");
    let pairs: Vec<(&str, &str)> = risks.iter().filter_map(|l| bold_line(l)).collect();
    assert_eq!(pairs.len(), 12);
    for (name, risk) in pairs {
        let mitigation = mitigations
            .iter()
            .filter_map(|l| bold_line(l))
            .find(|(n, _)| *n == name)
            .unwrap()
            .1;
        let r = m
            .risks
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("risk {name}"));
        assert_eq!((r.risk.as_str(), r.mitigation.as_str()), (risk, mitigation));
    }
    assert_eq!(m.risks.len(), 12);
}
