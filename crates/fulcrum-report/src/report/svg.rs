//! Hand-written inline SVG charts for the HTML report: weekly trend lines,
//! hour-of-week heatmaps, overlap windows and a histogram. Every chart has
//! `role="img"`, an `aria-label` summing it up and a `<title>`; colours are
//! chosen for contrast on white and in print.

use super::OverlapView;
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

/// A weekly line chart of one signal, with the finding threshold dashed.
pub fn line_chart(
    team: &str,
    id: SignalId,
    weeks: &[Week],
    values: &[Option<f64>],
    threshold: Option<f64>,
) -> String {
    let (w, h, left, top, bottom) = (260.0, 110.0, 40.0, 18.0, 22.0);
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    let max = known
        .iter()
        .copied()
        .chain(threshold)
        .fold(0.0_f64, f64::max)
        .max(match id.unit() {
            fulcrum_analysis::Unit::Percent | fulcrum_analysis::Unit::CountAndPercent => 0.1,
            _ => 1.0,
        });
    let n = values.len().max(2) as f64;
    let x = |i: usize| left + (w - left - 8.0) * i as f64 / (n - 1.0);
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
    let label = match (known.first(), known.last()) {
        (Some(a), Some(b)) => format!(
            "{} for {team} by week: {} weeks with data, first {}, last {}{}",
            id.as_str(),
            known.len(),
            format_value(id, *a),
            format_value(id, *b),
            threshold.map_or(String::new(), |t| format!(
                ", threshold {}",
                format_value(id, t)
            ))
        ),
        _ => format!("{} for {team}: no weeks with data", id.as_str()),
    };
    let mut s = open(w as u32, h as u32, &label);
    let _ = write!(
        s,
        r##"<text x="4" y="12" class="t">{}</text><line x1="{left}" y1="{b}" x2="{r}" y2="{b}" class="axis"/><text x="{tx}" y="{yt}" class="s" text-anchor="end">{mx}</text><text x="{tx}" y="{b}" class="s" text-anchor="end">0</text>"##,
        esc(id.as_str()),
        b = h - bottom,
        r = w - 8.0,
        tx = left - 3.0,
        yt = top + 4.0,
        mx = esc(&format_value(id, max)),
    );
    if let (Some(f), Some(l)) = (weeks.first(), weeks.last()) {
        let _ = write!(
            s,
            r#"<text x="{left}" y="{y}" class="s">{}</text><text x="{r}" y="{y}" class="s" text-anchor="end">{}</text>"#,
            f,
            l,
            y = h - 6.0,
            r = w - 8.0
        );
    }
    if let Some(t) = threshold {
        let _ = write!(
            s,
            r#"<line x1="{left}" y1="{yy:.1}" x2="{r}" y2="{yy:.1}" class="thr"><title>threshold {}</title></line>"#,
            esc(&format_value(id, t)),
            yy = y(t),
            r = w - 8.0
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

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// An hour-of-week heatmap (7 rows of 24 hours, local time of each person).
pub fn heatmap(label: &str, cells: &[f64], unit: &str) -> String {
    let (cw, ch, left, top) = (14.0, 14.0, 32.0, 16.0);
    let w = left + 24.0 * cw + 4.0;
    let h = top + 7.0 * ch + 4.0;
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
            let fill = if v <= 0.0 {
                "#f1f3f5".to_owned()
            } else {
                let l = 92.0 - 62.0 * a;
                format!("hsl(215,70%,{l:.0}%)")
            };
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
    s.push_str("</svg>");
    s
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

/// A histogram of values (hours), unlabeled: bars of 2-hour bins.
pub fn histogram(label: &str, values: &[f64]) -> String {
    let max_v = values.iter().copied().fold(0.0_f64, f64::max);
    let bin = 2.0;
    let bins = ((max_v / bin).floor() as usize + 1).clamp(1, 30);
    let mut counts = vec![0u32; bins];
    for v in values {
        counts[((v / bin).floor() as usize).min(bins - 1)] += 1;
    }
    let top_count = counts.iter().copied().max().unwrap_or(1).max(1);
    let (left, top, h, bw) = (28.0, 10.0, 90.0, 16.0);
    let w = left + bins as f64 * bw + 8.0;
    let mut s = open(
        w as u32,
        (h + top + 24.0) as u32,
        &format!(
            "{label}: {} people, from {:.1} to {:.1} hours per week",
            values.len(),
            values.first().copied().unwrap_or(0.0),
            max_v
        ),
    );
    for (i, c) in counts.iter().enumerate() {
        let bh = h * f64::from(*c) / f64::from(top_count);
        let x = left + i as f64 * bw;
        let _ = write!(
            s,
            r##"<rect x="{x:.0}" y="{:.1}" width="{:.0}" height="{bh:.1}" fill="#5f3dc4"><title>{}-{} h: {c} people</title></rect>"##,
            top + h - bh,
            bw - 2.0,
            i as f64 * bin,
            (i + 1) as f64 * bin
        );
        if i % 2 == 0 {
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
        r#"<text x="2" y="{:.0}" class="s">{top_count}</text><text x="{left}" y="{:.0}" class="s">meeting hours per week</text>"#,
        top + 8.0,
        top + h + 23.0
    );
    s.push_str("</svg>");
    s
}
