//! The `kpis` report: each target's actual against wanted, its trend and,
//! for a phase under way, where it is headed by the phase's end.

use chrono::NaiveDate;
use serde::Serialize;

use super::forecast::{Forecast, Forecaster};
use super::gate::{TargetRow, target_row};
use crate::model::Roadmap;
use crate::model::history::History;

#[derive(Debug, Clone, Serialize)]
pub struct Kpis {
    pub as_of: NaiveDate,
    /// The phase whose gate targets are shown (`--phase`, else the current
    /// one), if any.
    pub phase: Option<String>,
    /// That phase's gate targets, then (without `--phase`) the standing
    /// targets.
    pub targets: Vec<TargetRow>,
    /// When the phase's open items will be done, beside where its targets
    /// are headed; null before it starts and once its items are done.
    pub forecast: Option<Forecast>,
}

/// `phase`: `Some` for `--phase`; otherwise the phase holding the as-of
/// date and the standing targets.
pub fn kpis(map: &Roadmap, history: &History, phase: Option<usize>, as_of: NaiveDate) -> Kpis {
    let explicit = phase.is_some();
    let phase = phase.or_else(|| {
        let (month, pos) = super::position(map, as_of);
        u32::try_from(month)
            .ok()
            .filter(|_| pos == super::Position::During)
            .and_then(|m| map.phase_of_month(m))
    });
    let targets = map
        .targets
        .iter()
        .filter(|t| match t.phase {
            Some(p) => Some(p) == phase,
            None => !explicit,
        })
        .map(|t| target_row(map, history, t, as_of))
        .collect();
    Kpis {
        as_of,
        phase: phase.map(|p| map.phases[p].id.clone()),
        targets,
        forecast: phase
            .and_then(|p| Forecaster::new(map, as_of).of(p))
            .map(|f| f.forecast),
    }
}
