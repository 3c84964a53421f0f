//! Hand-written inline SVG charts for the HTML report: weekly trend lines,
//! hour-of-week heatmaps, overlap windows and a histogram. Every chart has
//! `role="img"`, an `aria-label` summing it up and a `<title>`; colours are
//! chosen for contrast on white and in print.

use super::{OverlapView, axis_unit, signal_title};
use fulcrum_analysis::findings::format_value;
use fulcrum_analysis::{SignalId, Week};
use std::fmt::Write as _;

/// Escapes text for HTML and SVG.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn open(w: u32, h: u32, label: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{l}"><title>{l}</title>"#,
        l = esc(label)
    )
}

/// A weekly line chart of one signal: its title in words, the unit, round
/// ticks on the vertical axis, ISO weeks along the bottom, and the finding
/// threshold dashed with a legend entry.
pub fn line_chart(
    team: &str,
    id: SignalId,
    weeks: &[Week],
    values: &[Option<f64>],
    threshold: Option<f64>,
) -> String {
    let (w, h, left, right, top, bottom) = (280.0, 170.0, 38.0, 10.0, 44.0, 30.0);
    // Shares are drawn in percentage points, so ticks read 0, 10, 20 ...
    let scale = match id.unit() {
        fulcrum_analysis::Unit::Percent | fulcrum_analysis::Unit::CountAndPercent => 100.0,
        _ => 1.0,
    };
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let hi = known
        .iter()
        .copied()
        .chain(threshold)
        .fold(0.0_f64, f64::max)
        * scale;
    let hi = if hi <= 0.0 {
        if scale > 1.0 { 10.0 } else { 1.0 }
    } else {
        hi
    };
    let ys = ticks(0.0, hi);
    let y1 = ys.last().copied().unwrap_or(hi).max(1e-9);
    let step = if ys.len() > 1 { ys[1] - ys[0] } else { 1.0 };
    let n = values.len().max(2) as f64;
    let x = |i: usize| left + 4.0 + (w - left - right - 8.0) * i as f64 / (n - 1.0);
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v * scale / y1);
    let title = signal_title(id);
    let unit = axis_unit(id);
    let label = match (known.first(), known.last()) {
        (Some(a), Some(b)) => format!(
            "{title} by week for {team} ({unit}): {} weeks with data, first {}, last {}{}",
            known.len(),
            format_value(id, *a),
            format_value(id, *b),
            threshold.map_or(String::new(), |t| format!(
                ", threshold {}",
                format_value(id, t)
            ))
        ),
        _ => format!("{title} for {team}: no weeks with data"),
    };
    let mut s = open(w as u32, h as u32, &label);
    let base = h - bottom;
    let _ = write!(
        s,
        r#"<text x="4" y="13" class="t">{}</text><text x="4" y="{:.0}" class="s">{}</text>"#,
        esc(&title),
        top - 8.0,
        esc(unit)
    );
    // Legend: the team's line, and the threshold when there is one.
    let _ = write!(
        s,
        r#"<line x1="4" y1="23" x2="18" y2="23" class="line"/><text x="22" y="26" class="legend">weekly value</text>"#
    );
    if let Some(t) = threshold {
        let _ = write!(
            s,
            r#"<line x1="100" y1="23" x2="114" y2="23" class="thr"/><text x="118" y="26" class="legend">finding threshold {}</text>"#,
            esc(&format_value(id, t))
        );
    }
    for v in &ys {
        let yy = top + (h - top - bottom) * (1.0 - v / y1);
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{r}" y2="{yy:.1}" class="grid"/><text x="{tx}" y="{:.1}" class="s" text-anchor="end">{}</text>"#,
            yy + 3.0,
            tick_text(*v, step),
            r = w - right,
            tx = left - 3.0
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{base}" x2="{r}" y2="{base}" class="axis"/><line x1="{left}" y1="{top}" x2="{left}" y2="{base}" class="axis"/>"#,
        r = w - right
    );
    // A week label every few weeks, so about five fit.
    let every = weeks.len().div_ceil(5).max(1);
    for (i, wk) in weeks.iter().enumerate() {
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<line x1="{xx:.1}" y1="{base}" x2="{xx:.1}" y2="{:.0}" class="axis"/><text x="{xx:.1}" y="{:.0}" class="s" text-anchor="middle">W{:02}</text>"#,
                base + 3.0,
                base + 13.0,
                wk.week,
                xx = x(i)
            );
        }
    }
    let years: Vec<i32> = weeks.iter().map(|wk| wk.year).collect();
    let year = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let _ = write!(
        s,
        r#"<text x="{:.0}" y="{:.0}" class="s" text-anchor="middle">ISO week ({year})</text>"#,
        left + (w - left - right) / 2.0,
        h - 4.0
    );
    if let Some(t) = threshold {
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{r}" y2="{yy:.1}" class="thr"><title>finding threshold {}</title></line>"#,
            esc(&format_value(id, t)),
            yy = y(t),
            r = w - right
        );
    }
    // Lines through consecutive known weeks; a gap breaks the line.
    let mut segment: Vec<String> = Vec::new();
    let flush = |seg: &mut Vec<String>, s: &mut String| {
        if seg.len() > 1 {
            let _ = write!(s, r#"<polyline class="line" points="{}"/>"#, seg.join(" "));
        }
        seg.clear();
    };
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) => segment.push(format!("{:.1},{:.1}", x(i), y(*v))),
            None => flush(&mut segment, &mut s),
        }
    }
    flush(&mut segment, &mut s);
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let week = weeks.get(i).map(ToString::to_string).unwrap_or_default();
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" class="dot"><title>{week}: {}</title></circle>"#,
                x(i),
                y(*v),
                esc(&format_value(id, *v))
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// One Lorenz curve: its name, the share of the load held by the
/// lightest 20/40/60/80% of members, and the Gini coefficient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LorenzCurve<'a> {
    /// What load it is of ("meeting hours").
    pub name: &'a str,
    /// `lorenz_20` .. `lorenz_80`.
    pub points: [f64; 4],
    /// The Gini coefficient of the same loads.
    pub gini: f64,
}

/// The Lorenz curves of a team-week: members from the lightest load to the
/// heaviest along the bottom, the share of the load they hold up the side,
/// and the line of equality dashed. The further a curve sags below it, the
/// more the load sits with a few.
pub fn lorenz_chart(team: &str, week: &str, curves: &[LorenzCurve<'_>]) -> String {
    let (w, h, left, right, top, bottom) = (240.0, 230.0, 34.0, 10.0, 44.0, 30.0);
    let x = |p: f64| left + (w - left - right) * p;
    let y = |p: f64| top + (h - top - bottom) * (1.0 - p);
    let described: Vec<String> = curves
        .iter()
        .map(|c| {
            format!(
                "{}: the lightest 20% hold {:.0}%, the lightest 80% hold {:.0}%, Gini {:.2}",
                c.name,
                c.points[0] * 100.0,
                c.points[3] * 100.0,
                c.gini
            )
        })
        .collect();
    let label = format!(
        "Lorenz curve of load for {team}, {week}: {}",
        described.join("; ")
    );
    let mut s = open(w as u32, h as u32, &label);
    let _ = write!(
        s,
        r#"<text x="4" y="13" class="t">Who carries the load ({})</text>"#,
        esc(week)
    );
    let classes = ["line", "line2"];
    for (i, c) in curves.iter().enumerate() {
        let lx = 4.0 + 118.0 * i as f64;
        let _ = write!(
            s,
            r#"<line x1="{lx}" y1="25" x2="{:.0}" y2="25" class="{}"/><text x="{:.0}" y="28" class="legend">{} (Gini {:.2})</text>"#,
            lx + 14.0,
            classes[i % 2],
            lx + 18.0,
            esc(c.name),
            c.gini
        );
    }
    for tick in [0.0, 0.5, 1.0] {
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{r}" y2="{yy:.1}" class="grid"/><text x="{tx}" y="{:.1}" class="s" text-anchor="end">{:.0}%</text><text x="{xx:.1}" y="{:.0}" class="s" text-anchor="middle">{:.0}%</text>"#,
            y(tick) + 3.0,
            tick * 100.0,
            h - bottom + 12.0,
            tick * 100.0,
            yy = y(tick),
            r = w - right,
            tx = left - 3.0,
            xx = x(tick)
        );
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{b}" x2="{r}" y2="{b}" class="axis"/><line x1="{left}" y1="{top}" x2="{left}" y2="{b}" class="axis"/><line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" class="start"><title>line of equality: everyone carries the same</title></line>"#,
        b = h - bottom,
        r = w - right,
        x0 = x(0.0),
        y0 = y(0.0),
        x1 = x(1.0),
        y1 = y(1.0)
    );
    let _ = write!(
        s,
        r#"<text x="{:.0}" y="{:.0}" class="s" text-anchor="middle">members, lightest load first</text>"#,
        left + (w - left - right) / 2.0,
        h - 4.0
    );
    for (i, c) in curves.iter().enumerate() {
        let shares = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
        let held = [0.0, c.points[0], c.points[1], c.points[2], c.points[3], 1.0];
        let points: Vec<String> = shares
            .iter()
            .zip(held)
            .map(|(p, l)| format!("{:.1},{:.1}", x(*p), y(l)))
            .collect();
        let _ = write!(
            s,
            r#"<polyline class="{}" points="{}"><title>{}</title></polyline>"#,
            classes[i % 2],
            points.join(" "),
            esc(&described[i])
        );
    }
    s.push_str("</svg>");
    s
}

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// An hour-of-week heatmap (7 rows of 24 hours, local time of each person).
pub fn heatmap(label: &str, cells: &[f64], unit: &str) -> String {
    let (cw, ch, left, top) = (14.0, 14.0, 32.0, 16.0);
    let w = left + 24.0 * cw + 4.0;
    // Room below the grid for the colour scale.
    let h = top + 7.0 * ch + 30.0;
    let max = cells.iter().copied().fold(0.0_f64, f64::max);
    let busiest = cells
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, v)| format!("{} {:02}:00 ({v:.1} {unit})", DAYS[i / 24 % 7], i % 24))
        .unwrap_or_default();
    let mut s = open(
        w as u32,
        h as u32,
        &format!("{label}; busiest hour {busiest}"),
    );
    for hour in (0..24).step_by(3) {
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="11" class="s">{hour:02}</text>"#,
            left + hour as f64 * cw
        );
    }
    for (d, day) in DAYS.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="2" y="{:.0}" class="s">{day}</text>"#,
            top + d as f64 * ch + 11.0
        );
        for hour in 0..24 {
            let v = cells.get(d * 24 + hour).copied().unwrap_or(0.0);
            let a = if max > 0.0 { v / max } else { 0.0 };
            // Light grey for zero, then deeper blue (contrast kept in print).
            let fill = heat_fill(v, a);
            let _ = write!(
                s,
                r#"<rect x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}" fill="{fill}"><title>{day} {hour:02}:00: {v:.1} {}</title></rect>"#,
                left + hour as f64 * cw,
                top + d as f64 * ch,
                cw - 1.0,
                ch - 1.0,
                esc(unit)
            );
        }
    }
    // The colour scale: none, then five steps up to the busiest hour.
    let sy = top + 7.0 * ch + 8.0;
    let _ = write!(
        s,
        r#"<text x="2" y="{:.0}" class="legend">scale</text>"#,
        sy + 9.0
    );
    let steps = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    for (k, a) in steps.iter().enumerate() {
        let v = a * max;
        let _ = write!(
            s,
            r#"<rect x="{:.0}" y="{sy:.0}" width="{:.0}" height="10" fill="{}"><title>{v:.1} {}</title></rect>"#,
            left + k as f64 * 2.0 * cw,
            2.0 * cw - 1.0,
            heat_fill(v, *a),
            esc(unit)
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.0}" y="{:.0}" class="legend">0 to {max:.1} {} an hour</text>"#,
        left + steps.len() as f64 * 2.0 * cw + 4.0,
        sy + 9.0,
        esc(unit)
    );
    s.push_str("</svg>");
    s
}

/// A heatmap cell's colour: light grey for nothing, then deeper blue as
/// the share `a` of the busiest hour grows (kept apart in print).
fn heat_fill(v: f64, a: f64) -> String {
    if v <= 0.0 {
        "#f1f3f5".to_owned()
    } else {
        let l = 92.0 - 62.0 * a;
        format!("hsl(215,70%,{l:.0}%)")
    }
}

/// The team's overlap windows over a UTC day, one row per weekday.
pub fn overlap_bars(team: &str, o: &OverlapView) -> String {
    let (left, top, row, width) = (32.0, 16.0, 14.0, 288.0);
    let h = top + 7.0 * row + 4.0;
    let label = format!(
        "Overlap windows of {team} in {} (UTC): {:.1} h per working day when every member is in working hours",
        o.week, o.hours_per_day
    );
    let mut s = open((left + width + 8.0) as u32, h as u32, &label);
    for hour in (0..=24).step_by(6) {
        let _ = write!(
            s,
            r#"<text x="{:.0}" y="11" class="s">{hour:02}</text>"#,
            left + width * f64::from(hour) / 24.0 - 4.0
        );
    }
    for (d, day) in DAYS.iter().enumerate() {
        let y = top + d as f64 * row;
        let _ = write!(
            s,
            r##"<text x="2" y="{:.0}" class="s">{day}</text><rect x="{left}" y="{y:.0}" width="{width}" height="{:.0}" fill="#f1f3f5"/>"##,
            y + 11.0,
            row - 2.0
        );
        for w in o.windows.iter().filter(|w| w.weekday as usize == d) {
            let (start, end) = (w.start_minute, w.end_minute);
            let x = left + width * f64::from(start) / 1440.0;
            let wdt = width * f64::from(end.saturating_sub(start)) / 1440.0;
            let _ = write!(
                s,
                r##"<rect x="{x:.1}" y="{y:.0}" width="{wdt:.1}" height="{:.0}" fill="#2b8a3e"><title>{day} {:02}:{:02}-{:02}:{:02} UTC</title></rect>"##,
                row - 2.0,
                start / 60,
                start % 60,
                end / 60,
                end % 60
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// A histogram of values (mean meeting hours a week, one per member, no
/// names): bars of 2-hour bins, people counted on a ticked vertical axis,
/// and wide enough that the axis labels are never cut off.
pub fn histogram(label: &str, values: &[f64]) -> String {
    let max_v = values.iter().copied().fold(0.0_f64, f64::max);
    let bin = 2.0;
    let bins = ((max_v / bin).floor() as usize + 1).clamp(1, 30);
    let mut counts = vec![0u32; bins];
    for v in values {
        counts[((v / bin).floor() as usize).min(bins - 1)] += 1;
    }
    let top_count = counts.iter().copied().max().unwrap_or(1).max(1);
    let ys = ticks(0.0, f64::from(top_count));
    let y1 = ys.last().copied().unwrap_or(1.0).max(1.0);
    let step = if ys.len() > 1 { ys[1] - ys[0] } else { 1.0 };
    let (left, top, h) = (30.0, 22.0, 90.0);
    // At least 200 px, so "mean meeting hours a week" fits under few bars.
    let bw = (190.0 / bins as f64).clamp(8.0, 16.0);
    let w = (left + bins as f64 * bw + 10.0).max(220.0);
    let mut s = open(
        w as u32,
        (h + top + 34.0) as u32,
        &format!(
            "{label}: {} people, from {:.1} to {:.1} hours per week",
            values.len(),
            values
                .iter()
                .copied()
                .fold(f64::INFINITY, f64::min)
                .min(max_v),
            max_v
        ),
    );
    let _ = write!(s, r#"<text x="2" y="12" class="s">people</text>"#);
    for v in &ys {
        let yy = top + h * (1.0 - v / y1);
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{:.0}" y2="{yy:.1}" class="grid"/><text x="{:.0}" y="{:.1}" class="s" text-anchor="end">{}</text>"#,
            left + bins as f64 * bw,
            left - 3.0,
            yy + 3.0,
            tick_text(*v, step.max(1.0))
        );
    }
    let label_every = if bw < 12.0 { 4 } else { 2 };
    for (i, c) in counts.iter().enumerate() {
        let bh = h * f64::from(*c) / y1;
        let x = left + i as f64 * bw;
        let _ = write!(
            s,
            r##"<rect x="{x:.0}" y="{:.1}" width="{:.0}" height="{bh:.1}" fill="#5f3dc4"><title>{}-{} h: {c} people</title></rect>"##,
            top + h - bh,
            (bw - 2.0).max(1.0),
            i as f64 * bin,
            (i + 1) as f64 * bin
        );
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text x="{x:.0}" y="{:.0}" class="s">{:.0}</text>"#,
                top + h + 12.0,
                i as f64 * bin
            );
        }
    }
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{b}" x2="{:.0}" y2="{b}" class="axis"/><text x="{left}" y="{:.0}" class="s">mean meeting hours a week</text>"#,
        left + bins as f64 * bw,
        top + h + 26.0,
        b = top + h
    );
    s.push_str("</svg>");
    s
}

/// What a before/after chart of an experiment shows (values already in
/// their display unit: shares in percentage points).
#[derive(Debug, Clone, Copy)]
pub struct BeforeAfter<'a> {
    /// The chart's title, in words.
    pub title: &'a str,
    /// The unit of the vertical axis, in words ("h a week").
    pub unit: &'a str,
    /// The baseline weeks, then the treatment weeks.
    pub weeks: &'a [Week],
    /// The treated team's weekly value, one per week.
    pub treated: &'a [Option<f64>],
    /// The control teams' band (lowest, highest), one per week; empty
    /// without control teams.
    pub band: &'a [(Option<f64>, Option<f64>)],
    /// Index in `weeks` of the first treatment week.
    pub start: usize,
    /// The change's first day, in words, for the marker.
    pub start_label: &'a str,
    /// The treated team's name, for the legend.
    pub team: &'a str,
}

/// About four round steps covering `lo..hi`: 1, 2, 2.5 or 5 times a power
/// of ten.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 4.0;
    let pow = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * pow)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * pow);
    let first = (lo / step).floor() * step;
    let mut out = Vec::new();
    let mut v = first;
    while v <= hi + step * 1e-6 && out.len() < 12 {
        out.push(v);
        v += step;
    }
    if out.last().is_some_and(|l| *l < hi) {
        out.push(v);
    }
    out
}

fn tick_text(v: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{v:.0}")
    } else if step >= 0.1 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// A before/after chart of an experiment's primary signal: the treated
/// team's weekly value (line and dots) against the control teams' band
/// (lowest to highest control team that week), the change's start marked
/// by a dashed line, axis ticks and a legend. Scales down with the page
/// (`svg.chart` has `max-width:100%`); styled by classes only.
pub fn before_after(c: &BeforeAfter<'_>) -> String {
    let (w, h) = (360.0, 230.0);
    let (left, right, top, bottom) = (44.0, 10.0, 48.0, 40.0);
    let known: Vec<f64> = c
        .treated
        .iter()
        .flatten()
        .chain(c.band.iter().flat_map(|(a, b)| a.iter().chain(b)))
        .copied()
        .collect();
    let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if known.is_empty() {
        (0.0, 1.0)
    } else if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    };
    let ys = ticks(lo, hi);
    let (y0, y1) = (
        ys.first().copied().unwrap_or(lo),
        ys.last().copied().unwrap_or(hi),
    );
    let step = if ys.len() > 1 { ys[1] - ys[0] } else { 1.0 };
    let n = c.weeks.len().max(2) as f64;
    let x = |i: f64| left + (w - left - right) * (i + 0.5) / n;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - (v - y0) / (y1 - y0).max(1e-9));
    let mean = |xs: &[Option<f64>]| {
        let k: Vec<f64> = xs.iter().flatten().copied().collect();
        (!k.is_empty()).then(|| k.iter().sum::<f64>() / k.len() as f64)
    };
    let split = c.start.min(c.treated.len());
    let before = mean(&c.treated[..split]);
    let after = mean(&c.treated[split..]);
    let fmt = |v: Option<f64>| v.map_or_else(|| "no value".to_owned(), |v| format!("{v:.1}"));
    let label = format!(
        "{}. {} weekly mean before the change {}, after {} (in {}){}",
        c.title,
        c.team,
        fmt(before),
        fmt(after),
        c.unit,
        if c.band.is_empty() {
            "; no control teams".to_owned()
        } else {
            "; the band spans the control teams' lowest to highest weekly value".to_owned()
        }
    );
    let mut s = open(w as u32, h as u32, &label);
    let _ = write!(s, r#"<text x="4" y="13" class="t">{}</text>"#, esc(c.title));
    // Legend.
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="27" x2="{:.0}" y2="27" class="line"/><text x="{:.0}" y="30" class="s">{} (treated)</text>"#,
        left + 16.0,
        left + 20.0,
        esc(c.team)
    );
    if !c.band.is_empty() {
        // After the treated entry: about 5 px a character at 9 px.
        let bx = left + 34.0 + 5.0 * (c.team.chars().count() + 10) as f64;
        let _ = write!(
            s,
            r#"<rect x="{bx:.0}" y="22" width="16" height="9" class="band"/><text x="{tx:.0}" y="30" class="s">control teams, lowest to highest</text>"#,
            bx = bx,
            tx = bx + 20.0
        );
    }
    // Vertical axis: ticks, grid lines, unit.
    let _ = write!(
        s,
        r#"<text x="4" y="{:.0}" class="s">{}</text>"#,
        top - 6.0,
        esc(c.unit)
    );
    for v in &ys {
        let yy = y(*v);
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{r}" y2="{yy:.1}" class="grid"/><text x="{tx}" y="{:.1}" class="s" text-anchor="end">{}</text>"#,
            yy + 3.0,
            tick_text(*v, step),
            r = w - right,
            tx = left - 4.0
        );
    }
    let base = h - bottom;
    let _ = write!(
        s,
        r#"<line x1="{left}" y1="{base}" x2="{r}" y2="{base}" class="axis"/><line x1="{left}" y1="{top}" x2="{left}" y2="{base}" class="axis"/>"#,
        r = w - right
    );
    // Horizontal axis: a tick per week, a label every few weeks.
    let every = c.weeks.len().div_ceil(7).max(1);
    for (i, wk) in c.weeks.iter().enumerate() {
        let xx = x(i as f64);
        let _ = write!(
            s,
            r#"<line x1="{xx:.1}" y1="{base}" x2="{xx:.1}" y2="{:.0}" class="axis"/>"#,
            base + 3.0
        );
        if i % every == 0 {
            let _ = write!(
                s,
                r#"<text x="{xx:.1}" y="{:.0}" class="s" text-anchor="middle">W{:02}</text>"#,
                base + 13.0,
                wk.week
            );
        }
    }
    let years: Vec<i32> = c.weeks.iter().map(|wk| wk.year).collect();
    let year = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}-{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    };
    let _ = write!(
        s,
        r#"<text x="{:.0}" y="{:.0}" class="s" text-anchor="middle">ISO week ({year})</text>"#,
        left + (w - left - right) / 2.0,
        h - 6.0
    );
    // The control band: one polygon per run of weeks with both edges.
    let mut run: Vec<(usize, f64, f64)> = Vec::new();
    let flush_band = |run: &mut Vec<(usize, f64, f64)>, s: &mut String| {
        match run.as_slice() {
            [] => {}
            [(i, a, b)] => {
                let _ = write!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="6" height="{:.1}" class="band"/>"#,
                    x(*i as f64) - 3.0,
                    y(*b),
                    (y(*a) - y(*b)).max(1.0)
                );
            }
            _ => {
                let upper = run
                    .iter()
                    .map(|(i, _, b)| format!("{:.1},{:.1}", x(*i as f64), y(*b)));
                let lower = run
                    .iter()
                    .rev()
                    .map(|(i, a, _)| format!("{:.1},{:.1}", x(*i as f64), y(*a)));
                let points: Vec<String> = upper.chain(lower).collect();
                let _ = write!(
                    s,
                    r#"<polygon points="{}" class="band"/>"#,
                    points.join(" ")
                );
            }
        }
        run.clear();
    };
    for (i, edge) in c.band.iter().enumerate() {
        match edge {
            (Some(a), Some(b)) => run.push((i, *a, *b)),
            _ => flush_band(&mut run, &mut s),
        }
    }
    flush_band(&mut run, &mut s);
    // The start of the change, between the last baseline week and the
    // first treatment week.
    if c.start > 0 && c.start < c.weeks.len() {
        let xs = x(c.start as f64 - 0.5);
        let _ = write!(
            s,
            r#"<line x1="{xs:.1}" y1="{:.0}" x2="{xs:.1}" y2="{base}" class="start"/><text x="{:.1}" y="{:.0}" class="s">change starts {}</text>"#,
            top - 4.0,
            xs + 3.0,
            top + 6.0,
            esc(c.start_label)
        );
    }
    // The treated team: lines through consecutive known weeks, dots.
    let mut segment: Vec<String> = Vec::new();
    let flush = |seg: &mut Vec<String>, s: &mut String| {
        if seg.len() > 1 {
            let _ = write!(s, r#"<polyline class="line" points="{}"/>"#, seg.join(" "));
        }
        seg.clear();
    };
    for (i, v) in c.treated.iter().enumerate() {
        match v {
            Some(v) => segment.push(format!("{:.1},{:.1}", x(i as f64), y(*v))),
            None => flush(&mut segment, &mut s),
        }
    }
    flush(&mut segment, &mut s);
    for (i, v) in c.treated.iter().enumerate() {
        if let Some(v) = v {
            let week = c.weeks.get(i).map(ToString::to_string).unwrap_or_default();
            let band = match c.band.get(i) {
                Some((Some(a), Some(b))) => format!("; control teams {a:.1} to {b:.1}"),
                _ => String::new(),
            };
            let _ = write!(
                s,
                r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" class="dot"><title>{week}: {} {v:.1} {}{band}</title></circle>"#,
                x(i as f64),
                y(*v),
                esc(c.team),
                esc(c.unit)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lorenz_curves_sag_by_the_shares_they_are_given() {
        // Plot 200 wide (34 to 230) and 156 high (44 to 200): the lightest
        // 80% holding 20% sits at x = 34 + 0.8 x 196 = 190.8 and
        // y = 44 + 156 x 0.8 = 168.8; the curve ends at (230, 44).
        let one_of_four = LorenzCurve {
            name: "meeting hours",
            points: [0.0, 0.0, 0.0, 0.2],
            gini: 0.75,
        };
        let equal = LorenzCurve {
            name: "after hours",
            points: [0.2, 0.4, 0.6, 0.8],
            gini: 0.0,
        };
        let svg = lorenz_chart("core", "2025-W10", &[one_of_four, equal]);
        assert!(
            svg.contains(
                r#"points="34.0,200.0 73.2,200.0 112.4,200.0 151.6,200.0 190.8,168.8 230.0,44.0""#
            ),
            "{svg}"
        );
        assert!(svg.contains("class=\"line2\" points=\"34.0,200.0 73.2,168.8"));
        assert!(svg.contains(
            "meeting hours: the lightest 20% hold 0%, the lightest 80% hold 20%, Gini 0.75"
        ));
        assert!(svg.contains("(Gini 0.00)"));
        assert_eq!(svg.matches("<polyline").count(), 2);
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(ticks(12.3, 31.4), vec![10.0, 15.0, 20.0, 25.0, 30.0, 35.0]);
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn a_before_after_chart_marks_the_start_and_draws_the_band_only_with_controls() {
        let weeks: Vec<Week> = (36..40)
            .map(|w| Week {
                year: 2026,
                week: w,
            })
            .collect();
        let treated = [Some(20.0), Some(21.0), Some(24.0), None];
        let band = [
            (Some(18.0), Some(22.0)),
            (Some(18.5), Some(21.0)),
            (None, None),
            (Some(19.0), Some(20.0)),
        ];
        let mut chart = BeforeAfter {
            title: "Focus hours of data by week against the control teams",
            unit: "h, team mean",
            weeks: &weeks,
            treated: &treated,
            band: &band,
            start: 2,
            start_label: "2026-09-14",
            team: "data",
        };
        let svg = before_after(&chart);
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title>Focus hours"));
        assert!(svg.contains("before the change 20.5, after 24.0"), "{svg}");
        // Two weeks with both edges, a gap, then a single week: a polygon
        // and a bar.
        assert_eq!(
            svg.matches(r#"class="band""#).count(),
            3,
            "legend, polygon, bar"
        );
        assert!(svg.contains("change starts 2026-09-14") && svg.contains(r#"class="start""#));
        assert!(svg.contains(">W36<") && svg.contains("ISO week (2026)"));
        assert!(!svg.contains("style="));
        chart.band = &[];
        let svg = before_after(&chart);
        assert!(!svg.contains(r#"class="band""#) && svg.contains("no control teams"));
    }
}
