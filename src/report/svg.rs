//! Small, dependency-free SVG charts for the HTML report: line charts over
//! simulated time, a timeline strip, and bars with confidence intervals.
//! Every chart carries a title, axes with labels and a legend, and prints.

use std::fmt::Write;

const PALETTE: [&str; 10] = [
    "#1f4e79", "#c0392b", "#27ae60", "#d68910", "#7d3c98", "#117a65", "#b03a2e", "#2e86c1",
    "#a04000", "#566573",
];

pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A named series of (x, y) points.
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Lines over x (hours from T+0), y between `y_min` and `y_max`.
pub fn lines(title: &str, y_label: &str, series: &[Series], y_min: f64, y_max: f64) -> String {
    let (w, h, left, right, top, bottom) = (760.0, 300.0, 60.0, 150.0, 36.0, 40.0);
    let x_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(1.0f64, f64::max);
    let px = |x: f64| left + (x / x_max) * (w - left - right);
    let py = |y: f64| top + (1.0 - (y - y_min) / (y_max - y_min).max(1e-9)) * (h - top - bottom);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title>"#,
        t = esc(title)
    );
    let _ = write!(
        s,
        r#"<text x="{left}" y="20" class="ct">{}</text>"#,
        esc(title)
    );
    // Axes and grid.
    for k in 0..=4 {
        let y = y_min + (y_max - y_min) * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{py}" y2="{py}" stroke="#ddd"/><text x="{}" y="{}" class="ax" text-anchor="end">{}</text>"##,
            w - right,
            left - 6.0,
            py(y) + 4.0,
            fmt_num(y),
            py = py(y)
        );
    }
    let days = (x_max / 24.0).ceil().max(1.0) as u64;
    let step = days.div_ceil(7).max(1);
    for d in (0..=days).step_by(step as usize) {
        let x = px(d as f64 * 24.0);
        if x <= w - right + 0.5 {
            let _ = write!(
                s,
                r##"<line x1="{x}" x2="{x}" y1="{top}" y2="{}" stroke="#eee"/><text x="{x}" y="{}" class="ax" text-anchor="middle">day {d}</text>"##,
                h - bottom,
                h - bottom + 16.0
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="14" y="{}" class="ax" transform="rotate(-90 14 {})" text-anchor="middle">{}</text>"#,
        (top + h - bottom) / 2.0,
        (top + h - bottom) / 2.0,
        esc(y_label)
    );
    for (i, se) in series.iter().enumerate() {
        if se.points.is_empty() {
            continue;
        }
        let pts: Vec<String> = se
            .points
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", px(*x), py(y.clamp(y_min, y_max))))
            .collect();
        let _ = write!(
            s,
            r#"<polyline fill="none" stroke="{}" stroke-width="1.8" points="{}"/>"#,
            colour(i),
            pts.join(" ")
        );
        let ly = top + 14.0 * i as f64;
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="12" height="3" fill="{}"/><text x="{}" y="{}" class="lg">{}</text>"#,
            w - right + 10.0,
            ly + 4.0,
            colour(i),
            w - right + 26.0,
            ly + 8.0,
            esc(&se.name)
        );
    }
    s.push_str("</svg>");
    s
}

/// Events as marks on one lane per domain, over hours from T+0.
pub fn timeline(title: &str, lanes: &[(String, Vec<f64>)], x_max: f64) -> String {
    let (w, lane_h, left, right, top) = (760.0, 26.0, 90.0, 20.0, 36.0);
    let h = top + lane_h * lanes.len() as f64 + 30.0;
    let px = |x: f64| left + (x / x_max.max(1.0)) * (w - left - right);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title><text x="{left}" y="20" class="ct">{t}</text>"#,
        t = esc(title)
    );
    for (i, (name, xs)) in lanes.iter().enumerate() {
        let y = top + lane_h * i as f64 + lane_h / 2.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#ddd"/><text x="{}" y="{}" class="ax" text-anchor="end">{}</text>"##,
            w - right,
            left - 8.0,
            y + 4.0,
            esc(name)
        );
        for x in xs {
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{y}" r="3" fill="{}" fill-opacity="0.7"/>"#,
                px(*x),
                colour(i)
            );
        }
    }
    let days = (x_max / 24.0).ceil().max(1.0) as u64;
    let step = days.div_ceil(7).max(1);
    for d in (0..=days).step_by(step as usize) {
        let x = px(d as f64 * 24.0);
        let _ = write!(
            s,
            r#"<text x="{x}" y="{}" class="ax" text-anchor="middle">day {d}</text>"#,
            h - 8.0
        );
    }
    s.push_str("</svg>");
    s
}

/// One horizontal bar: a value with its confidence interval.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    /// The value as people read it, beside the bar.
    pub shown: String,
    pub fill: &'static str,
}

/// A bar's fill for a change: green when better, red when worse, grey when
/// neither (so an improvement never shows in the colour of a loss).
pub fn verdict_fill(better: Option<bool>) -> &'static str {
    match better {
        Some(true) => "#27ae60",
        Some(false) => "#c0392b",
        None => "#95a5a6",
    }
}

/// Horizontal bars with a confidence interval each.
pub fn bars(title: &str, rows: &[Bar]) -> String {
    let (w, bar_h, left, right, top) = (760.0, 22.0, 260.0, 60.0, 36.0);
    let h = top + bar_h * rows.len() as f64 + 30.0;
    let lo = rows
        .iter()
        .map(|r| r.low.min(r.value).min(0.0))
        .fold(0.0, f64::min);
    let hi = rows
        .iter()
        .map(|r| r.high.max(r.value).max(0.0))
        .fold(0.0, f64::max);
    let span = (hi - lo).max(1e-9);
    let px = |x: f64| left + (x - lo) / span * (w - left - right);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-label="{t}" class="chart"><title>{t}</title><text x="10" y="20" class="ct">{t}</text>"#,
        t = esc(title)
    );
    let zero = px(0.0);
    let _ = write!(
        s,
        r##"<line x1="{zero}" x2="{zero}" y1="{top}" y2="{}" stroke="#555"/>"##,
        h - 30.0
    );
    for (i, r) in rows.iter().enumerate() {
        let (v, l, u) = (r.value, &r.low, &r.high);
        let y = top + bar_h * i as f64;
        let (x0, x1) = (px(0.0f64.min(v)), px(0.0f64.max(v)));
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="ax" text-anchor="end">{}</text><rect x="{x0:.1}" y="{}" width="{:.1}" height="{}" fill="{}"/>"#,
            left - 8.0,
            y + bar_h * 0.65,
            esc(&r.label),
            y + 4.0,
            (x1 - x0).max(0.5),
            bar_h - 8.0,
            r.fill
        );
        let _ = write!(
            s,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{}" y2="{}" stroke="#000"/><text x="{}" y="{}" class="ax">{}</text>"##,
            px(*l),
            px(*u),
            y + bar_h / 2.0,
            y + bar_h / 2.0,
            px(hi) + 4.0,
            y + bar_h * 0.65,
            esc(&r.shown)
        );
    }
    s.push_str("</svg>");
    s
}

fn fmt_num(x: f64) -> String {
    if x.abs() >= 100.0 || x == x.round() {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
    }
}
