//! The five offices of the demo organisation and what calendars need to
//! know about their time zones: the IANA id, the Windows id Outlook writes,
//! and the VTIMEZONE blocks each exporter puts in its files.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// An office and its time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Zone {
    /// San Francisco, `America/Los_Angeles`.
    SanFrancisco,
    /// New York, `America/New_York`.
    NewYork,
    /// London, `Europe/London`.
    London,
    /// Berlin, `Europe/Berlin`.
    Berlin,
    /// Bangalore, `Asia/Kolkata`.
    Bangalore,
}

/// Whose public holidays apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Country {
    /// United States (federal holidays).
    UnitedStates,
    /// United Kingdom (England's bank holidays).
    UnitedKingdom,
    /// Germany (Berlin's public holidays).
    Germany,
    /// India (the fixed-date holidays of a Bangalore office).
    India,
}

impl Zone {
    /// Every office, west to east.
    pub const ALL: [Zone; 5] = [
        Zone::SanFrancisco,
        Zone::NewYork,
        Zone::London,
        Zone::Berlin,
        Zone::Bangalore,
    ];

    /// The chrono-tz zone.
    pub fn tz(self) -> Tz {
        match self {
            Zone::SanFrancisco => chrono_tz::America::Los_Angeles,
            Zone::NewYork => chrono_tz::America::New_York,
            Zone::London => chrono_tz::Europe::London,
            Zone::Berlin => chrono_tz::Europe::Berlin,
            Zone::Bangalore => chrono_tz::Asia::Kolkata,
        }
    }

    /// The IANA id.
    pub fn iana(self) -> &'static str {
        match self {
            Zone::SanFrancisco => "America/Los_Angeles",
            Zone::NewYork => "America/New_York",
            Zone::London => "Europe/London",
            Zone::Berlin => "Europe/Berlin",
            Zone::Bangalore => "Asia/Kolkata",
        }
    }

    /// The Windows id (CLDR's windowsZones mapping) Outlook writes as TZID.
    pub fn windows(self) -> &'static str {
        match self {
            Zone::SanFrancisco => "Pacific Standard Time",
            Zone::NewYork => "Eastern Standard Time",
            Zone::London => "GMT Standard Time",
            Zone::Berlin => "W. Europe Standard Time",
            Zone::Bangalore => "India Standard Time",
        }
    }

    /// The office's city.
    pub fn city(self) -> &'static str {
        match self {
            Zone::SanFrancisco => "San Francisco",
            Zone::NewYork => "New York",
            Zone::London => "London",
            Zone::Berlin => "Berlin",
            Zone::Bangalore => "Bangalore",
        }
    }

    /// Whose public holidays the office takes.
    pub fn country(self) -> Country {
        match self {
            Zone::SanFrancisco | Zone::NewYork => Country::UnitedStates,
            Zone::London => Country::UnitedKingdom,
            Zone::Berlin => Country::Germany,
            Zone::Bangalore => Country::India,
        }
    }

    /// The instant of a wall-clock time here. Demo times are never inside a
    /// DST gap (meetings happen between 06:00 and 23:00); should one be, the
    /// earlier reading wins, as RFC 5545 says.
    pub fn utc(self, local: NaiveDateTime) -> DateTime<Utc> {
        let tz = self.tz();
        match tz.from_local_datetime(&local).earliest() {
            Some(t) => t.with_timezone(&Utc),
            // In a gap: one hour later exists in every zone used here.
            None => self.utc(local + chrono::Duration::hours(1)),
        }
    }

    /// The wall-clock time here of an instant.
    pub fn local(self, utc: DateTime<Utc>) -> NaiveDateTime {
        utc.with_timezone(&self.tz()).naive_local()
    }

    /// The local date of an instant.
    pub fn date(self, utc: DateTime<Utc>) -> NaiveDate {
        self.local(utc).date()
    }

    /// The UTC offset in seconds at an instant.
    pub fn offset_seconds(self, utc: DateTime<Utc>) -> i32 {
        use chrono::Offset;
        utc.with_timezone(&self.tz())
            .offset()
            .fix()
            .local_minus_utc()
    }

    /// The VTIMEZONE Google Calendar writes for this zone.
    pub fn google_vtimezone(self) -> &'static str {
        match self {
            Zone::SanFrancisco => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles\r\nX-LIC-LOCATION:America/Los_Angeles\r\n",
                "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nTZNAME:PDT\r\n",
                "DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n",
                "BEGIN:STANDARD\r\nTZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nTZNAME:PST\r\n",
                "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n",
                "END:VTIMEZONE\r\n"
            ),
            Zone::NewYork => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\nX-LIC-LOCATION:America/New_York\r\n",
                "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n",
                "DTSTART:19700308T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n",
                "BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nTZNAME:EST\r\n",
                "DTSTART:19701101T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\n",
                "END:VTIMEZONE\r\n"
            ),
            Zone::London => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nX-LIC-LOCATION:Europe/London\r\n",
                "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\n",
                "DTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n",
                "BEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\n",
                "DTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n",
                "END:VTIMEZONE\r\n"
            ),
            Zone::Berlin => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\nX-LIC-LOCATION:Europe/Berlin\r\n",
                "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n",
                "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n",
                "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n",
                "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n",
                "END:VTIMEZONE\r\n"
            ),
            Zone::Bangalore => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\nX-LIC-LOCATION:Asia/Kolkata\r\n",
                "BEGIN:STANDARD\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nTZNAME:IST\r\n",
                "DTSTART:19700101T000000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            ),
        }
    }

    /// The VTIMEZONE Outlook writes: the Windows id and 1601-based rules.
    pub fn outlook_vtimezone(self) -> &'static str {
        match self {
            Zone::SanFrancisco => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:Pacific Standard Time\r\n",
                "BEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n",
                "TZOFFSETFROM:-0700\r\nTZOFFSETTO:-0800\r\nEND:STANDARD\r\n",
                "BEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n",
                "TZOFFSETFROM:-0800\r\nTZOFFSETTO:-0700\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
            ),
            Zone::NewYork => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:Eastern Standard Time\r\n",
                "BEGIN:STANDARD\r\nDTSTART:16011104T020000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n",
                "TZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nEND:STANDARD\r\n",
                "BEGIN:DAYLIGHT\r\nDTSTART:16010311T020000\r\nRRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n",
                "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
            ),
            Zone::London => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:GMT Standard Time\r\n",
                "BEGIN:STANDARD\r\nDTSTART:16011028T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n",
                "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nEND:STANDARD\r\n",
                "BEGIN:DAYLIGHT\r\nDTSTART:16010325T010000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n",
                "TZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
            ),
            Zone::Berlin => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\n",
                "BEGIN:STANDARD\r\nDTSTART:16011028T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n",
                "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n",
                "BEGIN:DAYLIGHT\r\nDTSTART:16010325T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n",
                "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
            ),
            Zone::Bangalore => concat!(
                "BEGIN:VTIMEZONE\r\nTZID:India Standard Time\r\n",
                "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n",
                "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_ids_and_offsets_agree_with_chrono_tz() {
        // 2026-10-28: Europe has left DST, the US has not (until 1 November).
        let t = Utc.with_ymd_and_hms(2026, 10, 28, 12, 0, 0).unwrap();
        let offsets: Vec<i32> = Zone::ALL.iter().map(|z| z.offset_seconds(t) / 60).collect();
        assert_eq!(offsets, [-7 * 60, -4 * 60, 0, 60, 330]);
        let wall = NaiveDate::from_ymd_opt(2026, 9, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            Zone::Berlin.utc(wall).to_rfc3339(),
            "2026-09-01T07:00:00+00:00"
        );
        for z in Zone::ALL {
            assert!(z.google_vtimezone().contains(z.iana()));
            assert!(z.outlook_vtimezone().contains(z.windows()));
        }
    }
}
