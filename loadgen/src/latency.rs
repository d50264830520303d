//! Latency histograms (HDR, microseconds) that can travel between processes: a worker sends
//! its recorded values and counts, the parent adds them up. Percentiles of merged histograms
//! are exact to the histogram's precision, unlike averaging each worker's percentiles.

use std::time::Duration;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// The longest latency recorded exactly (longer ones are clamped to it): 60 s.
const HIGHEST_US: u64 = 60_000_000;

#[derive(Debug, Clone)]
pub struct Latency(Histogram<u64>);

/// A histogram as (value in µs, count) pairs, for sending between processes.
pub type Counts = Vec<(u64, u64)>;

/// The figures a report shows for one histogram, in milliseconds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub count: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

impl Default for Latency {
    fn default() -> Self {
        // Three significant figures: 0.1% precision at every magnitude.
        Self(Histogram::new_with_bounds(1, HIGHEST_US, 3).expect("valid histogram bounds"))
    }
}

impl Latency {
    pub fn record(&mut self, latency: Duration) {
        let micros = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX);
        self.0.saturating_record(micros.clamp(1, HIGHEST_US));
    }

    pub fn counts(&self) -> Counts {
        self.0
            .iter_recorded()
            .map(|value| (value.value_iterated_to(), value.count_at_value()))
            .collect()
    }

    pub fn add_counts(&mut self, counts: &Counts) {
        for &(value, count) in counts {
            // Values came from a histogram with the same bounds, so they fit.
            let _ = self.0.record_n(value.clamp(1, HIGHEST_US), count);
        }
    }

    pub fn summary(&self) -> Summary {
        let ms = |micros: u64| micros as f64 / 1_000.0;
        Summary {
            count: self.0.len(),
            p50_ms: ms(self.0.value_at_quantile(0.50)),
            p99_ms: ms(self.0.value_at_quantile(0.99)),
            p999_ms: ms(self.0.value_at_quantile(0.999)),
            max_ms: ms(self.0.max()),
        }
    }
}
