//! The `check` report: every gate that is due (or the one asked for) and
//! the alerts that fire, with one verdict for CI.

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::{self, AlertRow};
use super::forecast::{Forecaster, PhaseForecast};
use super::gate::{Gate, GateVerdict, gate};
use crate::model::history::History;
use crate::model::{Roadmap, Severity};

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// No evaluated gate fails and no critical alert fires.
    pub ok: bool,
    pub as_of: NaiveDate,
    pub gates: Vec<Gate>,
    /// The alerts that fire.
    pub alerts: Vec<AlertRow>,
    /// The next gate to fall due, when none was asked for by name.
    pub next: Option<NextGate>,
    /// When the open items of the phase whose gate comes next (or of the
    /// one asked for, before it is due) will be done. Advice: it never
    /// changes `ok`.
    pub forecast: Option<PhaseForecast>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NextGate {
    pub phase: String,
    pub due: NaiveDate,
}

pub fn check(map: &Roadmap, history: &History, phase: Option<usize>, as_of: NaiveDate) -> Check {
    let due = |i: usize| as_of > map.phases[i].window.last_day(map.start);
    let gates: Vec<Gate> = match phase {
        Some(p) => vec![gate(map, history, p, as_of)],
        None => (0..map.phases.len())
            .filter(|&i| due(i))
            .map(|i| gate(map, history, i, as_of))
            .collect(),
    };
    let next = phase.is_none().then(|| {
        (0..map.phases.len()).find(|&i| !due(i)).map(|i| NextGate {
            phase: map.phases[i].id.clone(),
            due: map.phases[i].window.last_day(map.start),
        })
    });
    let alerts: Vec<AlertRow> = alerts::evaluate(map, history, as_of)
        .into_iter()
        .filter(|a| a.firing)
        .collect();
    let ahead = match phase {
        Some(p) if !due(p) => Some(p),
        Some(_) => None,
        None => (0..map.phases.len()).find(|&i| !due(i)),
    };
    let forecast = ahead.and_then(|p| Forecaster::new(map, as_of).of(p));
    let ok = gates.iter().all(|g| g.verdict != GateVerdict::Fail)
        && !alerts.iter().any(|a| a.severity == Severity::Critical);
    Check {
        ok,
        as_of,
        gates,
        alerts,
        next: next.flatten(),
        forecast,
    }
}
