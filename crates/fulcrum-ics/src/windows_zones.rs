//! Microsoft (Windows / Outlook / Exchange / Office 365) time zone names to IANA zone ids.
//!
//! Outlook and Exchange write non-IANA names into iCalendar `TZID` parameters and `VTIMEZONE`
//! `TZID`s: Windows zone ids ("W. Europe Standard Time"), registry display names
//! ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", or the older
//! "(GMT+01:00) ..." forms) and `tzone://Microsoft/...` URIs. [`iana_for_windows_name`] turns
//! any of these into an IANA id that `chrono_tz` understands, or returns `None` (notably for
//! "Customized Time Zone", whose rules only exist in the file's own `VTIMEZONE`).
//!
//! Data sources:
//! - Windows id to IANA: the territory "001" (default) rows of Unicode CLDR
//!   `common/supplemental/windowsZones.xml` (repository unicode-org/cldr, snapshot at commit
//!   062dc06d16b0884bc42b0b04e5408aec6b85eb20; `mapTimezones otherVersion="7e11800"
//!   typeVersion="2021a"`, the file carries no release number; its content already has the 2024
//!   Kazakhstan change, "Central Asia Standard Time" defaulting to Asia/Bishkek). The IANA ids
//!   are kept exactly as CLDR spells them (e.g. Asia/Calcutta, Europe/Kiev, America/Godthab);
//!   chrono-tz accepts these backward-compatible names. Legacy ids that CLDR no longer lists
//!   (marked "legacy Windows id") follow the CLDR 1.8 file cited below, except that "Mexico Standard
//!   Time 2" maps like its successor "Mountain Standard Time (Mexico)" (Chihuahua left that zone
//!   in 2022). "GMT" and "Coordinated Universal Time" are UTC aliases.
//! - Current display names: the `(UTC...)` comment CLDR places above each Windows zone in that
//!   same file (the Windows registry "Display" value), plus later Windows relabels (marked
//!   "newer Windows label") and the en-GB spellings ("Co-ordinated Universal Time"), both as seen
//!   in published Windows 10/11 `Get-TimeZone -ListAvailable` / `tzutil /l` listings.
//! - Older display names (marked "older Windows label"): the Vista-era `(GMT...)` comments of
//!   CLDR 1.8 `windowsZones.xml` (unicode-org/cldr commit
//!   c5265d4ebc631467f02532311dacbf25f5f83fe1) and the Windows XP / 7 / 8 registry "Display"
//!   strings as reproduced in public time zone lists. An older label maps to the CLDR default
//!   zone of the Windows id that carried it, except where that id has since been reused for
//!   another region ("(GMT+02:00) Minsk", "(GMT+02:00) Bucharest", "(GMT+06:00) Astana, Dhaka"),
//!   which map to the named place.
//!
//! Lookups are case-insensitive and ignore surrounding whitespace and quotes and repeated inner
//! whitespace. Display names are also matched with "GMT" read as "UTC", "(UTC)" as
//! "(UTC+00:00)", a one-digit hour padded, and a trailing "(RTZ n)" (2014-2016 Russian labels)
//! ignored; failing that, a display name whose offset changed over the years is matched by its
//! place list alone when that place list names a single IANA zone.

use std::cmp::Ordering;

/// The IANA zone for a Windows zone id ("Pacific Standard Time", "W. Europe Standard Time",
/// "India Standard Time", ...) or an Outlook display name ("(UTC-08:00) Pacific Time (US &
/// Canada)", "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", also older
/// "(GMT-08:00) Pacific Time (US & Canada); Tijuana" forms), or `None`.
///
/// Also accepts `tzone://Microsoft/<Windows id>` (including `tzone://Microsoft/Utc`) and the
/// UTC names "UTC", "GMT" and "Coordinated Universal Time" (all give "Etc/UTC"). Matching
/// ignores ASCII case, surrounding whitespace and quotes, and repeated inner whitespace.
/// "Customized Time Zone" (and anything else unknown) gives `None`: the caller should then
/// evaluate the file's own `VTIMEZONE`. IANA ids themselves are not recognised here.
///
/// The returned ids parse with `chrono_tz::Tz::from_str`; they are CLDR's spelling, which may
/// be a backward-compatible alias (e.g. "Asia/Calcutta" for India Standard Time).
pub fn iana_for_windows_name(name: &str) -> Option<&'static str> {
    let key = normalize(name);
    let key = key.strip_prefix("tzone://microsoft/").unwrap_or(&key);
    if key.is_empty() {
        return None;
    }
    lookup(WINDOWS_IDS, key).or_else(|| lookup_display(key))
}

/// Lowercases (ASCII), trims whitespace and quotes, and collapses inner whitespace runs to one
/// space.
fn normalize(name: &str) -> String {
    let trimmed = name.trim_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace());
    let mut out = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    }
    out
}

/// Binary search of a table sorted by ASCII-lowercased key, for an already lowercased key.
fn lookup(table: &'static [(&'static str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(k, _)| cmp_folded(k, key))
        .ok()
        .map(|i| table[i].1)
}

fn cmp_folded(table_key: &str, lower_key: &str) -> Ordering {
    table_key
        .bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(lower_key.bytes())
}

/// Display-name lookup for a normalized key: exact, then canonical offset form, then by place.
fn lookup_display(key: &str) -> Option<&'static str> {
    if !key.starts_with('(') {
        return None;
    }
    if let Some(iana) = lookup(DISPLAY_NAMES, key) {
        return Some(iana);
    }
    let (offset, place) = split_display(key)?;
    let offset = canonical_offset(offset)?;
    let place = strip_rtz_suffix(place);
    let canonical = format!("({offset}) {place}");
    if canonical != key
        && let Some(iana) = lookup(DISPLAY_NAMES, &canonical)
    {
        return Some(iana);
    }
    by_place(place)
}

/// Splits "(offset) place" into its two parts (the place trimmed).
fn split_display(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix('(')?;
    let close = rest.find(')')?;
    let place = rest[close + 1..].trim();
    (!place.is_empty()).then_some((&rest[..close], place))
}

/// "gmt+1:00" / "utc+01:00" / "gmt" / "utc" (lowercase) to "utc+01:00" / "utc+00:00".
fn canonical_offset(offset: &str) -> Option<String> {
    let rest = offset
        .strip_prefix("utc")
        .or_else(|| offset.strip_prefix("gmt"))?
        .trim();
    if rest.is_empty() {
        return Some("utc+00:00".to_owned());
    }
    // Not `split_at(1)`: the first character may be multi-byte.
    let (sign, rest) = match rest.as_bytes().first() {
        Some(b'+') => ("+", &rest[1..]),
        Some(b'-') => ("-", &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "00"));
    let valid = |s: &str, max_len| !s.is_empty() && s.len() <= max_len;
    if !valid(hours, 2) || !valid(minutes, 2) {
        return None;
    }
    let hours: u8 = hours.parse().ok()?;
    let minutes: u8 = minutes.parse().ok()?;
    Some(format!("utc{sign}{hours:02}:{minutes:02}"))
}

/// Drops the " (rtz n)" suffix of the 2014-2016 Russian zone labels.
fn strip_rtz_suffix(place: &str) -> &str {
    if let Some(open) = place.rfind(" (rtz ")
        && let Some(number) = place[open + 6..].strip_suffix(')')
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
    {
        return place[..open].trim_end();
    }
    place
}

/// The IANA zone of the display names with this place list (whatever their offset), when they
/// all agree on one.
fn by_place(place: &str) -> Option<&'static str> {
    let mut found = None;
    for (key, iana) in DISPLAY_NAMES {
        let Some((_, table_place)) = split_display(key) else {
            continue;
        };
        if table_place.eq_ignore_ascii_case(place) {
            match found {
                None => found = Some(*iana),
                Some(previous) if previous == *iana => {}
                Some(_) => return None,
            }
        }
    }
    found
}

/// Windows time zone ids (registry key names) to IANA ids, sorted by ASCII-lowercased key.
static WINDOWS_IDS: &[(&str, &str)] = &[
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    // legacy Windows id, not in CLDR
    ("Armenian Standard Time", "Asia/Yerevan"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Bahia Standard Time", "America/Bahia"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Canada Central Standard Time", "America/Regina"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Asia Standard Time", "Asia/Bishkek"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Central Standard Time", "America/Chicago"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("China Standard Time", "Asia/Shanghai"),
    // UTC alias
    ("Co-ordinated Universal Time", "Etc/UTC"),
    // UTC alias
    ("Coordinated Universal Time", "Etc/UTC"),
    ("Cuba Standard Time", "America/Havana"),
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Eastern Standard Time", "America/New_York"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    // UTC alias
    ("GMT", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenland Standard Time", "America/Godthab"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("India Standard Time", "Asia/Calcutta"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    // legacy Windows id, not in CLDR
    ("Kamchatka Standard Time", "Asia/Kamchatka"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    // legacy Windows id, not in CLDR
    ("Mexico Standard Time", "America/Mexico_City"),
    // legacy Windows id, not in CLDR
    ("Mexico Standard Time 2", "America/Mazatlan"),
    // legacy Windows id, not in CLDR
    ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("Mountain Standard Time", "America/Denver"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Myanmar Standard Time", "Asia/Rangoon"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Nepal Standard Time", "Asia/Katmandu"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("US Eastern Standard Time", "America/Indianapolis"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("UTC", "Etc/UTC"),
    ("UTC+12", "Etc/GMT-12"),
    ("UTC+13", "Etc/GMT-13"),
    ("UTC-02", "Etc/GMT+2"),
    ("UTC-08", "Etc/GMT+8"),
    ("UTC-09", "Etc/GMT+9"),
    ("UTC-11", "Etc/GMT+11"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Yukon Standard Time", "America/Whitehorse"),
];

/// Windows/Outlook display names to IANA ids, sorted by ASCII-lowercased key.
static DISPLAY_NAMES: &[(&str, &str)] = &[
    // en-GB Windows label
    ("(UTC) Co-ordinated Universal Time", "Etc/UTC"),
    ("(UTC) Coordinated Universal Time", "Etc/UTC"),
    // older Windows label
    ("(UTC+00:00) Casablanca", "Africa/Casablanca"),
    // older Windows label
    ("(UTC+00:00) Casablanca, Monrovia", "Atlantic/Reykjavik"),
    // older Windows label
    (
        "(UTC+00:00) Casablanca, Monrovia, Reykjavik",
        "Atlantic/Reykjavik",
    ),
    (
        "(UTC+00:00) Dublin, Edinburgh, Lisbon, London",
        "Europe/London",
    ),
    // older Windows label
    (
        "(UTC+00:00) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London",
        "Europe/London",
    ),
    // older Windows label
    (
        "(UTC+00:00) Greenwich Mean Time: Dublin, Edinburgh, Lisbon, London",
        "Europe/London",
    ),
    ("(UTC+00:00) Monrovia, Reykjavik", "Atlantic/Reykjavik"),
    ("(UTC+00:00) Sao Tome", "Africa/Sao_Tome"),
    (
        "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
        "Europe/Berlin",
    ),
    (
        "(UTC+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague",
        "Europe/Budapest",
    ),
    (
        "(UTC+01:00) Brussels, Copenhagen, Madrid, Paris",
        "Europe/Paris",
    ),
    ("(UTC+01:00) Casablanca", "Africa/Casablanca"),
    (
        "(UTC+01:00) Sarajevo, Skopje, Warsaw, Zagreb",
        "Europe/Warsaw",
    ),
    ("(UTC+01:00) West Central Africa", "Africa/Lagos"),
    ("(UTC+02:00) Amman", "Asia/Amman"),
    // older Windows label
    (
        "(UTC+02:00) Athens, Beirut, Istanbul, Minsk",
        "Europe/Bucharest",
    ),
    ("(UTC+02:00) Athens, Bucharest", "Europe/Bucharest"),
    // older Windows label
    (
        "(UTC+02:00) Athens, Bucharest, Istanbul",
        "Europe/Bucharest",
    ),
    ("(UTC+02:00) Beirut", "Asia/Beirut"),
    // older Windows label
    ("(UTC+02:00) Bucharest", "Europe/Bucharest"),
    ("(UTC+02:00) Cairo", "Africa/Cairo"),
    ("(UTC+02:00) Chisinau", "Europe/Chisinau"),
    ("(UTC+02:00) Damascus", "Asia/Damascus"),
    // older Windows label
    ("(UTC+02:00) E. Europe", "Europe/Chisinau"),
    ("(UTC+02:00) Gaza, Hebron", "Asia/Hebron"),
    ("(UTC+02:00) Harare, Pretoria", "Africa/Johannesburg"),
    (
        "(UTC+02:00) Helsinki, Kyiv, Riga, Sofia, Tallinn, Vilnius",
        "Europe/Kiev",
    ),
    ("(UTC+02:00) Jerusalem", "Asia/Jerusalem"),
    ("(UTC+02:00) Juba", "Africa/Juba"),
    ("(UTC+02:00) Kaliningrad", "Europe/Kaliningrad"),
    ("(UTC+02:00) Khartoum", "Africa/Khartoum"),
    // older Windows label
    ("(UTC+02:00) Minsk", "Europe/Minsk"),
    ("(UTC+02:00) Tripoli", "Africa/Tripoli"),
    ("(UTC+02:00) Windhoek", "Africa/Windhoek"),
    // newer Windows label
    ("(UTC+03:00) Amman", "Asia/Amman"),
    ("(UTC+03:00) Baghdad", "Asia/Baghdad"),
    // newer Windows label
    ("(UTC+03:00) Damascus", "Asia/Damascus"),
    ("(UTC+03:00) Istanbul", "Europe/Istanbul"),
    // older Windows label
    ("(UTC+03:00) Kaliningrad, Minsk", "Europe/Kaliningrad"),
    ("(UTC+03:00) Kuwait, Riyadh", "Asia/Riyadh"),
    ("(UTC+03:00) Minsk", "Europe/Minsk"),
    // en-GB Windows label
    ("(UTC+03:00) Moscow, St Petersburg", "Europe/Moscow"),
    ("(UTC+03:00) Moscow, St. Petersburg", "Europe/Moscow"),
    // older Windows label
    (
        "(UTC+03:00) Moscow, St. Petersburg, Volgograd",
        "Europe/Moscow",
    ),
    ("(UTC+03:00) Nairobi", "Africa/Nairobi"),
    // newer Windows label
    ("(UTC+03:00) Volgograd", "Europe/Volgograd"),
    ("(UTC+03:30) Tehran", "Asia/Tehran"),
    ("(UTC+04:00) Abu Dhabi, Muscat", "Asia/Dubai"),
    ("(UTC+04:00) Astrakhan, Ulyanovsk", "Europe/Astrakhan"),
    ("(UTC+04:00) Baku", "Asia/Baku"),
    // older Windows label
    ("(UTC+04:00) Baku, Tbilisi, Yerevan", "Asia/Yerevan"),
    // older Windows label
    ("(UTC+04:00) Caucasus Standard Time", "Asia/Yerevan"),
    ("(UTC+04:00) Izhevsk, Samara", "Europe/Samara"),
    ("(UTC+04:00) Port Louis", "Indian/Mauritius"),
    ("(UTC+04:00) Saratov", "Europe/Saratov"),
    ("(UTC+04:00) Tbilisi", "Asia/Tbilisi"),
    ("(UTC+04:00) Volgograd", "Europe/Volgograd"),
    ("(UTC+04:00) Yerevan", "Asia/Yerevan"),
    ("(UTC+04:30) Kabul", "Asia/Kabul"),
    ("(UTC+05:00) Ashgabat, Tashkent", "Asia/Tashkent"),
    // newer Windows label
    ("(UTC+05:00) Astana", "Asia/Qyzylorda"),
    ("(UTC+05:00) Ekaterinburg", "Asia/Yekaterinburg"),
    ("(UTC+05:00) Islamabad, Karachi", "Asia/Karachi"),
    // older Windows label
    ("(UTC+05:00) Islamabad, Karachi, Tashkent", "Asia/Tashkent"),
    ("(UTC+05:00) Qyzylorda", "Asia/Qyzylorda"),
    // older Windows label
    ("(UTC+05:00) Tashkent", "Asia/Tashkent"),
    (
        "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
        "Asia/Calcutta",
    ),
    ("(UTC+05:30) Sri Jayawardenepura", "Asia/Colombo"),
    ("(UTC+05:45) Kathmandu", "Asia/Katmandu"),
    // older Windows label
    ("(UTC+06:00) Almaty, Novosibirsk", "Asia/Novosibirsk"),
    ("(UTC+06:00) Astana", "Asia/Bishkek"),
    // older Windows label
    ("(UTC+06:00) Astana, Dhaka", "Asia/Dhaka"),
    // newer Windows label
    ("(UTC+06:00) Bishkek", "Asia/Bishkek"),
    ("(UTC+06:00) Dhaka", "Asia/Dhaka"),
    // newer Windows label
    ("(UTC+06:00) Nur-Sultan", "Asia/Bishkek"),
    ("(UTC+06:00) Omsk", "Asia/Omsk"),
    // older Windows label
    ("(UTC+06:30) Rangoon", "Asia/Rangoon"),
    ("(UTC+06:30) Yangon (Rangoon)", "Asia/Rangoon"),
    ("(UTC+07:00) Bangkok, Hanoi, Jakarta", "Asia/Bangkok"),
    ("(UTC+07:00) Barnaul, Gorno-Altaysk", "Asia/Barnaul"),
    ("(UTC+07:00) Hovd", "Asia/Hovd"),
    ("(UTC+07:00) Krasnoyarsk", "Asia/Krasnoyarsk"),
    ("(UTC+07:00) Novosibirsk", "Asia/Novosibirsk"),
    ("(UTC+07:00) Tomsk", "Asia/Tomsk"),
    // newer Windows label
    (
        "(UTC+08:00) Beijing, Chongqing, Hong Kong SAR, Urumqi",
        "Asia/Shanghai",
    ),
    (
        "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi",
        "Asia/Shanghai",
    ),
    ("(UTC+08:00) Irkutsk", "Asia/Irkutsk"),
    // older Windows label
    ("(UTC+08:00) Irkutsk, Ulaan Bataar", "Asia/Irkutsk"),
    ("(UTC+08:00) Kuala Lumpur, Singapore", "Asia/Singapore"),
    ("(UTC+08:00) Perth", "Australia/Perth"),
    ("(UTC+08:00) Taipei", "Asia/Taipei"),
    // older Windows label
    ("(UTC+08:00) Ulaan Bataar", "Asia/Ulaanbaatar"),
    ("(UTC+08:00) Ulaanbaatar", "Asia/Ulaanbaatar"),
    ("(UTC+08:45) Eucla", "Australia/Eucla"),
    ("(UTC+09:00) Chita", "Asia/Chita"),
    ("(UTC+09:00) Osaka, Sapporo, Tokyo", "Asia/Tokyo"),
    ("(UTC+09:00) Pyongyang", "Asia/Pyongyang"),
    ("(UTC+09:00) Seoul", "Asia/Seoul"),
    ("(UTC+09:00) Yakutsk", "Asia/Yakutsk"),
    ("(UTC+09:30) Adelaide", "Australia/Adelaide"),
    ("(UTC+09:30) Darwin", "Australia/Darwin"),
    ("(UTC+10:00) Brisbane", "Australia/Brisbane"),
    (
        "(UTC+10:00) Canberra, Melbourne, Sydney",
        "Australia/Sydney",
    ),
    ("(UTC+10:00) Guam, Port Moresby", "Pacific/Port_Moresby"),
    ("(UTC+10:00) Hobart", "Australia/Hobart"),
    ("(UTC+10:00) Vladivostok", "Asia/Vladivostok"),
    // older Windows label
    ("(UTC+10:00) Vladivostok, Magadan", "Asia/Vladivostok"),
    ("(UTC+10:30) Lord Howe Island", "Australia/Lord_Howe"),
    ("(UTC+11:00) Bougainville Island", "Pacific/Bougainville"),
    ("(UTC+11:00) Chokurdakh", "Asia/Srednekolymsk"),
    ("(UTC+11:00) Magadan", "Asia/Magadan"),
    // older Windows label
    (
        "(UTC+11:00) Magadan, Solomon Is., New Caledonia",
        "Pacific/Guadalcanal",
    ),
    ("(UTC+11:00) Norfolk Island", "Pacific/Norfolk"),
    ("(UTC+11:00) Sakhalin", "Asia/Sakhalin"),
    (
        "(UTC+11:00) Solomon Is., New Caledonia",
        "Pacific/Guadalcanal",
    ),
    (
        "(UTC+12:00) Anadyr, Petropavlovsk-Kamchatsky",
        "Asia/Kamchatka",
    ),
    ("(UTC+12:00) Auckland, Wellington", "Pacific/Auckland"),
    // en-GB Windows label
    ("(UTC+12:00) Co-ordinated Universal Time+12", "Etc/GMT-12"),
    ("(UTC+12:00) Coordinated Universal Time+12", "Etc/GMT-12"),
    ("(UTC+12:00) Fiji", "Pacific/Fiji"),
    // older Windows label
    ("(UTC+12:00) Fiji, Kamchatka, Marshall Is.", "Pacific/Fiji"),
    // older Windows label
    ("(UTC+12:00) Fiji, Marshall Is.", "Pacific/Fiji"),
    // older Windows label
    ("(UTC+12:00) Petropavlovsk-Kamchatsky", "Asia/Kamchatka"),
    // older Windows label
    (
        "(UTC+12:00) Petropavlovsk-Kamchatsky - Old",
        "Asia/Kamchatka",
    ),
    ("(UTC+12:45) Chatham Islands", "Pacific/Chatham"),
    // en-GB Windows label
    ("(UTC+13:00) Co-ordinated Universal Time+13", "Etc/GMT-13"),
    ("(UTC+13:00) Coordinated Universal Time+13", "Etc/GMT-13"),
    ("(UTC+13:00) Nuku'alofa", "Pacific/Tongatapu"),
    ("(UTC+13:00) Samoa", "Pacific/Apia"),
    ("(UTC+14:00) Kiritimati Island", "Pacific/Kiritimati"),
    ("(UTC-01:00) Azores", "Atlantic/Azores"),
    ("(UTC-01:00) Cabo Verde Is.", "Atlantic/Cape_Verde"),
    // older Windows label
    ("(UTC-01:00) Cape Verde Is.", "Atlantic/Cape_Verde"),
    // en-GB Windows label
    ("(UTC-02:00) Co-ordinated Universal Time-02", "Etc/GMT+2"),
    ("(UTC-02:00) Coordinated Universal Time-02", "Etc/GMT+2"),
    // newer Windows label
    ("(UTC-02:00) Greenland", "America/Godthab"),
    // older Windows label
    ("(UTC-02:00) Mid-Atlantic", "Etc/GMT+2"),
    // older Windows label
    ("(UTC-02:00) Mid-Atlantic - Old", "Etc/GMT+2"),
    ("(UTC-03:00) Araguaina", "America/Araguaina"),
    // newer Windows label
    ("(UTC-03:00) Asuncion", "America/Asuncion"),
    ("(UTC-03:00) Brasilia", "America/Sao_Paulo"),
    // older Windows label
    ("(UTC-03:00) Buenos Aires", "America/Buenos_Aires"),
    // older Windows label
    ("(UTC-03:00) Buenos Aires, Georgetown", "America/Cayenne"),
    // older Windows label
    ("(UTC-03:00) Cayenne", "America/Cayenne"),
    ("(UTC-03:00) Cayenne, Fortaleza", "America/Cayenne"),
    ("(UTC-03:00) City of Buenos Aires", "America/Buenos_Aires"),
    // older Windows label
    ("(UTC-03:00) Georgetown", "America/Cayenne"),
    ("(UTC-03:00) Greenland", "America/Godthab"),
    ("(UTC-03:00) Montevideo", "America/Montevideo"),
    ("(UTC-03:00) Punta Arenas", "America/Punta_Arenas"),
    ("(UTC-03:00) Saint Pierre and Miquelon", "America/Miquelon"),
    ("(UTC-03:00) Salvador", "America/Bahia"),
    ("(UTC-03:30) Newfoundland", "America/St_Johns"),
    ("(UTC-04:00) Asuncion", "America/Asuncion"),
    ("(UTC-04:00) Atlantic Time (Canada)", "America/Halifax"),
    ("(UTC-04:00) Caracas", "America/Caracas"),
    // older Windows label
    ("(UTC-04:00) Caracas, La Paz", "America/La_Paz"),
    ("(UTC-04:00) Cuiaba", "America/Cuiaba"),
    (
        "(UTC-04:00) Georgetown, La Paz, Manaus, San Juan",
        "America/La_Paz",
    ),
    // older Windows label
    ("(UTC-04:00) Georgetown, La Paz, San Juan", "America/La_Paz"),
    // older Windows label
    ("(UTC-04:00) Manaus", "America/Cuiaba"),
    ("(UTC-04:00) Santiago", "America/Santiago"),
    // older Windows label
    ("(UTC-04:30) Caracas", "America/Caracas"),
    // older Windows label
    ("(UTC-05:00) Bogota, Lima, Quito", "America/Bogota"),
    (
        "(UTC-05:00) Bogota, Lima, Quito, Rio Branco",
        "America/Bogota",
    ),
    ("(UTC-05:00) Chetumal", "America/Cancun"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(UTC-05:00) Haiti", "America/Port-au-Prince"),
    ("(UTC-05:00) Havana", "America/Havana"),
    ("(UTC-05:00) Indiana (East)", "America/Indianapolis"),
    ("(UTC-05:00) Turks and Caicos", "America/Grand_Turk"),
    ("(UTC-06:00) Central America", "America/Guatemala"),
    ("(UTC-06:00) Central Time (US & Canada)", "America/Chicago"),
    ("(UTC-06:00) Easter Island", "Pacific/Easter"),
    (
        "(UTC-06:00) Guadalajara, Mexico City, Monterrey",
        "America/Mexico_City",
    ),
    // older Windows label
    (
        "(UTC-06:00) Guadalajara, Mexico City, Monterrey - New",
        "America/Mexico_City",
    ),
    // older Windows label
    (
        "(UTC-06:00) Guadalajara, Mexico City, Monterrey - Old",
        "America/Mexico_City",
    ),
    ("(UTC-06:00) Saskatchewan", "America/Regina"),
    ("(UTC-07:00) Arizona", "America/Phoenix"),
    (
        "(UTC-07:00) Chihuahua, La Paz, Mazatlan",
        "America/Mazatlan",
    ),
    // older Windows label
    (
        "(UTC-07:00) Chihuahua, La Paz, Mazatlan - New",
        "America/Mazatlan",
    ),
    // older Windows label
    (
        "(UTC-07:00) Chihuahua, La Paz, Mazatlan - Old",
        "America/Mazatlan",
    ),
    // newer Windows label
    ("(UTC-07:00) La Paz, Mazatlan", "America/Mazatlan"),
    ("(UTC-07:00) Mountain Time (US & Canada)", "America/Denver"),
    ("(UTC-07:00) Yukon", "America/Whitehorse"),
    ("(UTC-08:00) Baja California", "America/Tijuana"),
    // en-GB Windows label
    ("(UTC-08:00) Co-ordinated Universal Time-08", "Etc/GMT+8"),
    ("(UTC-08:00) Coordinated Universal Time-08", "Etc/GMT+8"),
    (
        "(UTC-08:00) Pacific Time (US & Canada)",
        "America/Los_Angeles",
    ),
    // older Windows label
    (
        "(UTC-08:00) Pacific Time (US & Canada); Tijuana",
        "America/Los_Angeles",
    ),
    // older Windows label
    ("(UTC-08:00) Tijuana, Baja California", "America/Tijuana"),
    ("(UTC-09:00) Alaska", "America/Anchorage"),
    // en-GB Windows label
    ("(UTC-09:00) Co-ordinated Universal Time-09", "Etc/GMT+9"),
    ("(UTC-09:00) Coordinated Universal Time-09", "Etc/GMT+9"),
    ("(UTC-09:30) Marquesas Islands", "Pacific/Marquesas"),
    ("(UTC-10:00) Aleutian Islands", "America/Adak"),
    ("(UTC-10:00) Hawaii", "Pacific/Honolulu"),
    // en-GB Windows label
    ("(UTC-11:00) Co-ordinated Universal Time-11", "Etc/GMT+11"),
    ("(UTC-11:00) Coordinated Universal Time-11", "Etc/GMT+11"),
    // older Windows label
    ("(UTC-11:00) Midway Island, Samoa", "Pacific/Apia"),
    ("(UTC-12:00) International Date Line West", "Etc/GMT+12"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibyte_character_after_the_offset_prefix_is_not_a_panic() {
        // Found by fuzzing: "(utc" followed by a replacement character.
        assert_eq!(iana_for_windows_name("(UTC\u{FFFD}\u{FFFD}00) X"), None);
        assert_eq!(canonical_offset("utc\u{FFFD}00"), None);
    }

    use std::str::FromStr;

    fn all_entries() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
        WINDOWS_IDS.iter().chain(DISPLAY_NAMES)
    }

    #[test]
    fn every_iana_value_parses_with_chrono_tz() {
        for (name, iana) in all_entries() {
            assert!(
                chrono_tz::Tz::from_str(iana).is_ok(),
                "{name:?} maps to {iana:?}, unknown to chrono-tz"
            );
        }
    }

    #[test]
    fn tables_are_sorted_unique_and_normalized() {
        for table in [WINDOWS_IDS, DISPLAY_NAMES] {
            for pair in table.windows(2) {
                assert_eq!(
                    cmp_folded(pair[0].0, &pair[1].0.to_ascii_lowercase()),
                    Ordering::Less,
                    "{:?} must sort before {:?}",
                    pair[0].0,
                    pair[1].0
                );
            }
            for (key, _) in table {
                assert_eq!(normalize(key), key.to_ascii_lowercase(), "{key:?}");
            }
        }
        for (key, _) in DISPLAY_NAMES {
            let lower = key.to_ascii_lowercase();
            let (offset, place) = split_display(&lower).expect(key);
            assert!(canonical_offset(offset).is_some(), "{key:?}");
            assert_eq!(strip_rtz_suffix(place), place, "{key:?}");
        }
    }

    #[test]
    fn every_entry_is_found_by_its_own_name() {
        for (name, iana) in all_entries() {
            assert_eq!(iana_for_windows_name(name), Some(*iana), "{name:?}");
        }
        // 139 CLDR Windows ids, plus retired ids and UTC aliases.
        assert!(WINDOWS_IDS.len() >= 139);
    }

    #[test]
    fn hand_checked_mappings() {
        let cases = [
            ("Pacific Standard Time", "America/Los_Angeles"),
            ("W. Europe Standard Time", "Europe/Berlin"),
            ("India Standard Time", "Asia/Calcutta"),
            ("Eastern Standard Time", "America/New_York"),
            ("GMT Standard Time", "Europe/London"),
            ("Romance Standard Time", "Europe/Paris"),
            ("Tokyo Standard Time", "Asia/Tokyo"),
            ("AUS Eastern Standard Time", "Australia/Sydney"),
            ("Greenwich Standard Time", "Atlantic/Reykjavik"),
            ("UTC", "Etc/UTC"),
            ("GMT", "Etc/UTC"),
            ("Coordinated Universal Time", "Etc/UTC"),
            ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
            (
                "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
                "Europe/Berlin",
            ),
            (
                "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi",
                "Asia/Calcutta",
            ),
            ("(UTC) Coordinated Universal Time", "Etc/UTC"),
            ("tzone://Microsoft/Utc", "Etc/UTC"),
            (
                "tzone://Microsoft/Pacific Standard Time",
                "America/Los_Angeles",
            ),
            (
                "(GMT-08:00) Pacific Time (US & Canada); Tijuana",
                "America/Los_Angeles",
            ),
        ];
        for (name, iana) in cases {
            assert_eq!(iana_for_windows_name(name), Some(iana), "{name:?}");
        }
    }

    #[test]
    fn older_display_forms() {
        let cases = [
            // "GMT" read as "UTC".
            (
                "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
                "Europe/Berlin",
            ),
            ("(GMT-05:00) Eastern Time (US & Canada)", "America/New_York"),
            ("(GMT-4:00) Atlantic Time (Canada)", "America/Halifax"),
            // "(UTC)" / "(GMT)" read as "(UTC+00:00)".
            ("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
            (
                "(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London",
                "Europe/London",
            ),
            ("(GMT) Casablanca", "Africa/Casablanca"),
            ("(GMT) Coordinated Universal Time", "Etc/UTC"),
            // Offset changed since, matched by place.
            ("(UTC-11:00) Samoa", "Pacific/Apia"),
            ("(UTC-04:30) Caracas", "America/Caracas"),
            (
                "(UTC+04:00) Moscow, St. Petersburg, Volgograd",
                "Europe/Moscow",
            ),
            ("(GMT+06:00) Sri Jayawardenepura", "Asia/Colombo"),
            // 2014-2016 "(RTZ n)" labels.
            (
                "(UTC+03:00) Moscow, St. Petersburg, Volgograd (RTZ 2)",
                "Europe/Moscow",
            ),
            ("(UTC+02:00) Kaliningrad (RTZ 1)", "Europe/Kaliningrad"),
            // Retired labels and ids.
            (
                "(GMT+02:00) Athens, Beirut, Istanbul, Minsk",
                "Europe/Bucharest",
            ),
            ("(GMT+02:00) Minsk", "Europe/Minsk"),
            ("(GMT+12:00) Fiji, Kamchatka, Marshall Is.", "Pacific/Fiji"),
            ("Mid-Atlantic Standard Time", "Etc/GMT+2"),
            // 2024 Kazakhstan relabels, and en-GB spelling.
            ("(UTC+05:00) Astana", "Asia/Qyzylorda"),
            ("(UTC+06:00) Bishkek", "Asia/Bishkek"),
            ("(UTC) Co-ordinated Universal Time", "Etc/UTC"),
        ];
        for (name, iana) in cases {
            assert_eq!(iana_for_windows_name(name), Some(iana), "{name:?}");
        }
    }

    #[test]
    fn case_whitespace_and_quote_tolerance() {
        let cases = [
            ("pacific standard time", "America/Los_Angeles"),
            ("  PACIFIC   Standard\tTime  ", "America/Los_Angeles"),
            ("\"W. Europe Standard Time\"", "Europe/Berlin"),
            ("'India Standard Time'", "Asia/Calcutta"),
            ("TZONE://MICROSOFT/UTC", "Etc/UTC"),
            ("tzone://Microsoft/W. Europe Standard Time", "Europe/Berlin"),
            ("\"tzone://Microsoft/Utc\"", "Etc/UTC"),
            (
                " \"(utc+01:00)  amsterdam,  berlin, bern, rome, stockholm, vienna\" ",
                "Europe/Berlin",
            ),
            ("(UTC+13:00) NUKU'ALOFA", "Pacific/Tongatapu"),
        ];
        for (name, iana) in cases {
            assert_eq!(iana_for_windows_name(name), Some(iana), "{name:?}");
        }
    }

    #[test]
    fn unknown_names_give_none() {
        for name in [
            "Customized Time Zone",
            "customized time zone",
            "tzone://Microsoft/Custom",
            "",
            "   ",
            "\"\"",
            "garbage",
            "Pacific Standard",
            "Europe/Berlin",
            "(UTC+01:00)",
            "(UTC+01:00) Berlin",
            "(XYZ+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
            "(UTC+99:00 Amsterdam",
            "tzone://Microsoft/",
        ] {
            assert_eq!(iana_for_windows_name(name), None, "{name:?}");
        }
    }
}
