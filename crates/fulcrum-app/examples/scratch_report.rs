//! Scratch: print findings of a workspace (temporary).
fn main() {
    let root = std::env::args().nth(1).unwrap();
    let t = std::time::Instant::now();
    let req = fulcrum_app::report::ReportRequest { root: root.into(), from: None, to: None, limits: Default::default() };
    let c = fulcrum_app::report::compute_report(&req, &mut |_| {}).unwrap();
    eprintln!("{:?} {:?} {}", t.elapsed(), c.window, c.window_rule);
    eprintln!("{:?}", c.inputs);
    for p in &c.problems { eprintln!("problem: {p}"); }
    for a in &c.assessments {
        println!("== {} {:?}", a.team, a.verdict());
        for f in &a.findings {
            print!("  {} {:?}:", f.id.as_str(), f.severity);
            for ch in &f.checks { print!(" [{} {:?} {} {} past {}/{}]", ch.spec.signal.as_str(), ch.window.median, ch.spec.direction.as_str(), ch.threshold, ch.weeks_past, ch.window.weeks_with_data); }
            println!();
            for e in &f.examples { println!("     {:?} {} {}", e.when, e.place.describe(), e.detail); }
        }
        for id in fulcrum_analysis::findings::FindingId::ALL {
            if a.findings.iter().any(|f| f.id == id) { continue; }
            let team = c.signals.teams.iter().find(|t| t.team == a.team).unwrap();
            let vals: Vec<String> = id.checks().iter().map(|ch| format!("{}={:?}", ch.signal.as_str(), fulcrum_analysis::findings::window_value(team, ch.signal).median.map(|v| (v*100.0).round()/100.0))).collect();
            println!("   ok {} {}", id.as_str(), vals.join(" "));
        }
    }
}
