//! Tests of `fulcrum_ics::rrule` against the recurrence examples of RFC 5545 section 3.8.5.3
//! (expected dates as published in the RFC), cases ported from python-dateutil's
//! `dateutil/test/test_rrule.py`, and hand-worked cases for windows, budgets and errors.
//!
//! All RFC examples use `DTSTART;TZID=America/New_York`; their times are treated here as naive
//! wall-clock times. Where an example has a UTC `UNTIL`, the test passes the value converted by
//! hand to New York wall-clock time (EST = UTC-5, EDT = UTC-4), as the real caller would.

#[cfg(test)]
mod rrule {
    use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
    use fulcrum_ics::rrule::{Frequency, RRule, Until, instances};

    fn dt(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        dts(y, mo, d, h, mi, 0)
    }

    fn dts(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    /// 09:00 on each of `days` of the given month.
    fn at9(y: i32, mo: u32, days: &[u32]) -> Vec<NaiveDateTime> {
        days.iter().map(|&d| dt(y, mo, d, 9, 0)).collect()
    }

    fn far_future() -> NaiveDateTime {
        dt(9999, 12, 31, 23, 59)
    }

    fn parse(value: &str) -> RRule {
        let (rule, warnings) = RRule::parse(value).unwrap();
        assert!(
            warnings.is_empty(),
            "unexpected warnings for {value}: {warnings:?}"
        );
        rule
    }

    /// The first `take` instances (no window restriction, everything valid).
    fn expand(
        value: &str,
        start: NaiveDateTime,
        until: Option<NaiveDateTime>,
        take: usize,
    ) -> Vec<NaiveDateTime> {
        let rule = parse(value);
        let mut it = instances(&rule, start, until, start, far_future(), |_| true);
        let out: Vec<_> = it.by_ref().take(take).collect();
        assert!(!it.truncated());
        out
    }

    /// Asserts a finite rule yields exactly `expected` (asking for more than that).
    fn assert_finite(
        value: &str,
        start: NaiveDateTime,
        until: Option<NaiveDateTime>,
        expected: &[NaiveDateTime],
    ) {
        let got = expand(value, start, until, expected.len() + 10);
        assert_eq!(got, expected, "{value}");
    }

    fn concat(parts: &[Vec<NaiveDateTime>]) -> Vec<NaiveDateTime> {
        parts.concat()
    }

    // -----------------------------------------------------------------------------------------
    // RFC 5545 section 3.8.5.3 examples
    // -----------------------------------------------------------------------------------------

    #[test]
    fn rfc_daily_for_10_occurrences() {
        // ==> (1997 9:00 AM EDT) September 2-11
        let expected = at9(1997, 9, &[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        assert_finite("FREQ=DAILY;COUNT=10", dt(1997, 9, 2, 9, 0), None, &expected);
    }

    #[test]
    fn rfc_daily_until_december_24() {
        // UNTIL=19971224T000000Z = 1997-12-23 19:00 EST.
        // ==> September 2-30; October 1-25; October 26-31; November 1-30; December 1-23
        let expected = concat(&[
            at9(1997, 9, &(2..=30).collect::<Vec<_>>()),
            at9(1997, 10, &(1..=31).collect::<Vec<_>>()),
            at9(1997, 11, &(1..=30).collect::<Vec<_>>()),
            at9(1997, 12, &(1..=23).collect::<Vec<_>>()),
        ]);
        assert_eq!(expected.len(), 29 + 31 + 30 + 23);
        assert_finite(
            "FREQ=DAILY;UNTIL=19971224T000000Z",
            dt(1997, 9, 2, 9, 0),
            Some(dt(1997, 12, 23, 19, 0)),
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_day_forever() {
        // ==> September 2,4,6,8...24,26,28,30; October 2,4,6...20,22,24;
        //     October 26,28,30; November 1,3,5,7...25,27,29; December 1,3,...
        let expected = concat(&[
            at9(1997, 9, &(2..=30).step_by(2).collect::<Vec<_>>()),
            at9(1997, 10, &(2..=30).step_by(2).collect::<Vec<_>>()),
            at9(1997, 11, &(1..=29).step_by(2).collect::<Vec<_>>()),
            at9(1997, 12, &[1, 3]),
        ]);
        let got = expand(
            "FREQ=DAILY;INTERVAL=2",
            dt(1997, 9, 2, 9, 0),
            None,
            expected.len(),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_every_10_days_5_occurrences() {
        // ==> September 2,12,22; October 2,12
        let expected = concat(&[at9(1997, 9, &[2, 12, 22]), at9(1997, 10, &[2, 12])]);
        assert_finite(
            "FREQ=DAILY;INTERVAL=10;COUNT=5",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_day_in_january_for_3_years() {
        // UNTIL=20000131T140000Z = 2000-01-31 09:00 EST, equal to the last instance (inclusive).
        // ==> January 1-31 of 1998, 1999 and 2000
        let all: Vec<u32> = (1..=31).collect();
        let expected = concat(&[at9(1998, 1, &all), at9(1999, 1, &all), at9(2000, 1, &all)]);
        let until = Some(dt(2000, 1, 31, 9, 0));
        for value in [
            "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
            "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
        ] {
            assert_finite(value, dt(1998, 1, 1, 9, 0), until, &expected);
        }
    }

    #[test]
    fn rfc_weekly_for_10_occurrences() {
        // ==> September 2,9,16,23,30; October 7,14,21; October 28; November 4
        let expected = concat(&[
            at9(1997, 9, &[2, 9, 16, 23, 30]),
            at9(1997, 10, &[7, 14, 21, 28]),
            at9(1997, 11, &[4]),
        ]);
        assert_finite(
            "FREQ=WEEKLY;COUNT=10",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_weekly_until_december_24() {
        // UNTIL=19971224T000000Z = 1997-12-23 19:00 EST.
        let expected = concat(&[
            at9(1997, 9, &[2, 9, 16, 23, 30]),
            at9(1997, 10, &[7, 14, 21, 28]),
            at9(1997, 11, &[4, 11, 18, 25]),
            at9(1997, 12, &[2, 9, 16, 23]),
        ]);
        assert_finite(
            "FREQ=WEEKLY;UNTIL=19971224T000000Z",
            dt(1997, 9, 2, 9, 0),
            Some(dt(1997, 12, 23, 19, 0)),
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_week_forever() {
        // ==> September 2,16,30; October 14; October 28; November 11,25; December 9,23;
        //     (1998) January 6,20; February 3, 17
        let expected = concat(&[
            at9(1997, 9, &[2, 16, 30]),
            at9(1997, 10, &[14, 28]),
            at9(1997, 11, &[11, 25]),
            at9(1997, 12, &[9, 23]),
            at9(1998, 1, &[6, 20]),
            at9(1998, 2, &[3, 17]),
        ]);
        let got = expand(
            "FREQ=WEEKLY;INTERVAL=2;WKST=SU",
            dt(1997, 9, 2, 9, 0),
            None,
            expected.len(),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_weekly_on_tuesday_and_thursday_for_five_weeks() {
        // UNTIL=19971007T000000Z = 1997-10-06 20:00 EDT.
        // ==> September 2,4,9,11,16,18,23,25,30; October 2
        let expected = concat(&[
            at9(1997, 9, &[2, 4, 9, 11, 16, 18, 23, 25, 30]),
            at9(1997, 10, &[2]),
        ]);
        assert_finite(
            "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
            dt(1997, 9, 2, 9, 0),
            Some(dt(1997, 10, 6, 20, 0)),
            &expected,
        );
        assert_finite(
            "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_week_mo_we_fr_until_december_24() {
        // UNTIL=19971224T000000Z = 1997-12-23 19:00 EST.
        // ==> September 1,3,5,15,17,19,29; October 1,3,13,15,17; October 27,29,31;
        //     November 10,12,14,24,26,28; December 8,10,12,22
        let expected = concat(&[
            at9(1997, 9, &[1, 3, 5, 15, 17, 19, 29]),
            at9(1997, 10, &[1, 3, 13, 15, 17, 27, 29, 31]),
            at9(1997, 11, &[10, 12, 14, 24, 26, 28]),
            at9(1997, 12, &[8, 10, 12, 22]),
        ]);
        assert_finite(
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
            dt(1997, 9, 1, 9, 0),
            Some(dt(1997, 12, 23, 19, 0)),
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_week_tu_th_8_occurrences() {
        // ==> September 2,4,16,18,30; October 2,14,16
        let expected = concat(&[
            at9(1997, 9, &[2, 4, 16, 18, 30]),
            at9(1997, 10, &[2, 14, 16]),
        ]);
        assert_finite(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_monthly_on_the_first_friday_for_10_occurrences() {
        // ==> September 5; October 3; November 7; December 5;
        //     (1998) January 2; February 6; March 6; April 3; May 1; June 5
        let expected = concat(&[
            at9(1997, 9, &[5]),
            at9(1997, 10, &[3]),
            at9(1997, 11, &[7]),
            at9(1997, 12, &[5]),
            at9(1998, 1, &[2]),
            at9(1998, 2, &[6]),
            at9(1998, 3, &[6]),
            at9(1998, 4, &[3]),
            at9(1998, 5, &[1]),
            at9(1998, 6, &[5]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
            dt(1997, 9, 5, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_monthly_on_the_first_friday_until_december_24() {
        // ==> September 5; October 3; November 7; December 5
        let expected = concat(&[
            at9(1997, 9, &[5]),
            at9(1997, 10, &[3]),
            at9(1997, 11, &[7]),
            at9(1997, 12, &[5]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
            dt(1997, 9, 5, 9, 0),
            Some(dt(1997, 12, 23, 19, 0)),
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_month_first_and_last_sunday() {
        // ==> September 7,28; November 2,30; (1998) January 4,25; March 1,29; May 3,31
        let expected = concat(&[
            at9(1997, 9, &[7, 28]),
            at9(1997, 11, &[2, 30]),
            at9(1998, 1, &[4, 25]),
            at9(1998, 3, &[1, 29]),
            at9(1998, 5, &[3, 31]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
            dt(1997, 9, 7, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_monthly_second_to_last_monday_for_6_months() {
        // ==> September 22; October 20; November 17; December 22; (1998) January 19; February 16
        let expected = concat(&[
            at9(1997, 9, &[22]),
            at9(1997, 10, &[20]),
            at9(1997, 11, &[17]),
            at9(1997, 12, &[22]),
            at9(1998, 1, &[19]),
            at9(1998, 2, &[16]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
            dt(1997, 9, 22, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_monthly_third_to_last_day_forever() {
        // ==> September 28; October 29; November 28; December 29; (1998) January 29; February 26
        let expected = concat(&[
            at9(1997, 9, &[28]),
            at9(1997, 10, &[29]),
            at9(1997, 11, &[28]),
            at9(1997, 12, &[29]),
            at9(1998, 1, &[29]),
            at9(1998, 2, &[26]),
        ]);
        let got = expand("FREQ=MONTHLY;BYMONTHDAY=-3", dt(1997, 9, 28, 9, 0), None, 6);
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_monthly_on_the_2nd_and_15th_for_10_occurrences() {
        // ==> September 2,15; October 2,15; November 2,15; December 2,15; January 2,15
        let expected = concat(&[
            at9(1997, 9, &[2, 15]),
            at9(1997, 10, &[2, 15]),
            at9(1997, 11, &[2, 15]),
            at9(1997, 12, &[2, 15]),
            at9(1998, 1, &[2, 15]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_monthly_on_the_first_and_last_day_for_10_occurrences() {
        // ==> September 30; October 1; October 31; November 1,30; December 1,31;
        //     (1998) January 1,31; February 1
        let expected = concat(&[
            at9(1997, 9, &[30]),
            at9(1997, 10, &[1, 31]),
            at9(1997, 11, &[1, 30]),
            at9(1997, 12, &[1, 31]),
            at9(1998, 1, &[1, 31]),
            at9(1998, 2, &[1]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
            dt(1997, 9, 30, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_18_months_10th_to_15th() {
        // ==> (1997) September 10,11,12,13,14,15; (1999) March 10,11,12,13
        let expected = concat(&[
            at9(1997, 9, &[10, 11, 12, 13, 14, 15]),
            at9(1999, 3, &[10, 11, 12, 13]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
            dt(1997, 9, 10, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_tuesday_every_other_month() {
        // ==> September 2,9,16,23,30; November 4,11,18,25;
        //     (1998) January 6,13,20,27; March 3,10,17,24,31
        let expected = concat(&[
            at9(1997, 9, &[2, 9, 16, 23, 30]),
            at9(1997, 11, &[4, 11, 18, 25]),
            at9(1998, 1, &[6, 13, 20, 27]),
            at9(1998, 3, &[3, 10, 17, 24, 31]),
        ]);
        let got = expand(
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
            dt(1997, 9, 2, 9, 0),
            None,
            expected.len(),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_yearly_in_june_and_july_for_10_occurrences() {
        // ==> June 10; July 10 of 1997 to 2001 (the day is taken from DTSTART)
        let expected: Vec<_> = (1997..=2001)
            .flat_map(|y| [dt(y, 6, 10, 9, 0), dt(y, 7, 10, 9, 0)])
            .collect();
        assert_finite(
            "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
            dt(1997, 6, 10, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_other_year_january_february_march() {
        // ==> (1997) March 10; (1999, 2001, 2003) January 10; February 10; March 10
        let mut expected = vec![dt(1997, 3, 10, 9, 0)];
        for y in [1999, 2001, 2003] {
            expected.extend([dt(y, 1, 10, 9, 0), dt(y, 2, 10, 9, 0), dt(y, 3, 10, 9, 0)]);
        }
        assert_finite(
            "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
            dt(1997, 3, 10, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_third_year_on_days_1_100_200() {
        // ==> (1997) January 1; April 10; July 19; (2000) January 1; April 9; July 18;
        //     (2003) January 1; April 10; July 19; (2006) January 1
        let expected = vec![
            dt(1997, 1, 1, 9, 0),
            dt(1997, 4, 10, 9, 0),
            dt(1997, 7, 19, 9, 0),
            dt(2000, 1, 1, 9, 0),
            dt(2000, 4, 9, 9, 0),
            dt(2000, 7, 18, 9, 0),
            dt(2003, 1, 1, 9, 0),
            dt(2003, 4, 10, 9, 0),
            dt(2003, 7, 19, 9, 0),
            dt(2006, 1, 1, 9, 0),
        ];
        assert_finite(
            "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
            dt(1997, 1, 1, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_20th_monday_of_the_year() {
        // ==> (1997) May 19; (1998) May 18; (1999) May 17
        let expected = vec![
            dt(1997, 5, 19, 9, 0),
            dt(1998, 5, 18, 9, 0),
            dt(1999, 5, 17, 9, 0),
        ];
        assert_eq!(
            expand("FREQ=YEARLY;BYDAY=20MO", dt(1997, 5, 19, 9, 0), None, 3),
            expected
        );
    }

    #[test]
    fn rfc_monday_of_week_number_20() {
        // ==> (1997) May 12; (1998) May 11; (1999) May 17
        let expected = vec![
            dt(1997, 5, 12, 9, 0),
            dt(1998, 5, 11, 9, 0),
            dt(1999, 5, 17, 9, 0),
        ];
        assert_eq!(
            expand(
                "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
                dt(1997, 5, 12, 9, 0),
                None,
                3
            ),
            expected
        );
    }

    #[test]
    fn rfc_every_thursday_in_march() {
        // ==> (1997) March 13,20,27; (1998) March 5,12,19,26; (1999) March 4,11,18,25
        let expected = concat(&[
            at9(1997, 3, &[13, 20, 27]),
            at9(1998, 3, &[5, 12, 19, 26]),
            at9(1999, 3, &[4, 11, 18, 25]),
        ]);
        let got = expand(
            "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
            dt(1997, 3, 13, 9, 0),
            None,
            11,
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_every_thursday_in_june_july_august() {
        let expected = concat(&[
            at9(1997, 6, &[5, 12, 19, 26]),
            at9(1997, 7, &[3, 10, 17, 24, 31]),
            at9(1997, 8, &[7, 14, 21, 28]),
            at9(1998, 6, &[4, 11, 18, 25]),
            at9(1998, 7, &[2, 9, 16, 23, 30]),
            at9(1998, 8, &[6, 13, 20, 27]),
            at9(1999, 6, &[3, 10, 17, 24]),
            at9(1999, 7, &[1, 8, 15, 22, 29]),
            at9(1999, 8, &[5, 12, 19, 26]),
        ]);
        let got = expand(
            "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
            dt(1997, 6, 5, 9, 0),
            None,
            expected.len(),
        );
        assert_eq!(got, expected);
    }

    #[test]
    fn rfc_every_friday_the_13th() {
        // DTSTART (Tuesday 1997-09-02) does not match and is not generated (the RFC excludes it
        // with EXDATE). ==> (1998) February 13; March 13; November 13; (1999) August 13;
        // (2000) October 13
        let expected = vec![
            dt(1998, 2, 13, 9, 0),
            dt(1998, 3, 13, 9, 0),
            dt(1998, 11, 13, 9, 0),
            dt(1999, 8, 13, 9, 0),
            dt(2000, 10, 13, 9, 0),
        ];
        assert_eq!(
            expand(
                "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
                dt(1997, 9, 2, 9, 0),
                None,
                5
            ),
            expected
        );
    }

    #[test]
    fn rfc_first_saturday_after_first_sunday() {
        // ==> September 13; October 11; November 8; December 13;
        //     (1998) January 10; February 7; March 7; April 11; May 9; June 13
        let expected = vec![
            dt(1997, 9, 13, 9, 0),
            dt(1997, 10, 11, 9, 0),
            dt(1997, 11, 8, 9, 0),
            dt(1997, 12, 13, 9, 0),
            dt(1998, 1, 10, 9, 0),
            dt(1998, 2, 7, 9, 0),
            dt(1998, 3, 7, 9, 0),
            dt(1998, 4, 11, 9, 0),
            dt(1998, 5, 9, 9, 0),
            dt(1998, 6, 13, 9, 0),
        ];
        assert_eq!(
            expand(
                "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
                dt(1997, 9, 13, 9, 0),
                None,
                10
            ),
            expected
        );
    }

    #[test]
    fn rfc_us_presidential_election_day() {
        // ==> (1996) November 5; (2000) November 7; (2004) November 2
        let expected = vec![
            dt(1996, 11, 5, 9, 0),
            dt(2000, 11, 7, 9, 0),
            dt(2004, 11, 2, 9, 0),
        ];
        assert_eq!(
            expand(
                "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
                dt(1996, 11, 5, 9, 0),
                None,
                3
            ),
            expected
        );
    }

    #[test]
    fn rfc_third_tuesday_wednesday_or_thursday_for_3_months() {
        // ==> September 4; October 7; November 6
        let expected = vec![
            dt(1997, 9, 4, 9, 0),
            dt(1997, 10, 7, 9, 0),
            dt(1997, 11, 6, 9, 0),
        ];
        assert_finite(
            "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
            dt(1997, 9, 4, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_second_to_last_weekday_of_the_month() {
        // ==> September 29; October 30; November 27; December 30;
        //     (1998) January 29; February 26; March 30
        let expected = vec![
            dt(1997, 9, 29, 9, 0),
            dt(1997, 10, 30, 9, 0),
            dt(1997, 11, 27, 9, 0),
            dt(1997, 12, 30, 9, 0),
            dt(1998, 1, 29, 9, 0),
            dt(1998, 2, 26, 9, 0),
            dt(1998, 3, 30, 9, 0),
        ];
        assert_eq!(
            expand(
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
                dt(1997, 9, 29, 9, 0),
                None,
                7
            ),
            expected
        );
    }

    #[test]
    fn rfc_every_3_hours_from_9_to_5() {
        // The RFC lists 09:00, 12:00, 15:00, i.e. "to 5:00 PM" on the wall clock; that is what
        // a caller passing UNTIL = 17:00 local gets.
        let start = dt(1997, 9, 2, 9, 0);
        let value = "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z";
        assert_finite(
            value,
            start,
            Some(dt(1997, 9, 2, 17, 0)),
            &[
                dt(1997, 9, 2, 9, 0),
                dt(1997, 9, 2, 12, 0),
                dt(1997, 9, 2, 15, 0),
            ],
        );
        // Read literally, 17:00Z is 13:00 EDT, which keeps only 09:00 and 12:00.
        assert_finite(
            value,
            start,
            Some(dt(1997, 9, 2, 13, 0)),
            &[dt(1997, 9, 2, 9, 0), dt(1997, 9, 2, 12, 0)],
        );
    }

    #[test]
    fn rfc_every_15_minutes_for_6_occurrences() {
        // ==> 09:00,09:15,09:30,09:45,10:00,10:15
        let expected = vec![
            dt(1997, 9, 2, 9, 0),
            dt(1997, 9, 2, 9, 15),
            dt(1997, 9, 2, 9, 30),
            dt(1997, 9, 2, 9, 45),
            dt(1997, 9, 2, 10, 0),
            dt(1997, 9, 2, 10, 15),
        ];
        assert_finite(
            "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_hour_and_a_half_for_4_occurrences() {
        // ==> 09:00,10:30;12:00;13:30
        let expected = vec![
            dt(1997, 9, 2, 9, 0),
            dt(1997, 9, 2, 10, 30),
            dt(1997, 9, 2, 12, 0),
            dt(1997, 9, 2, 13, 30),
        ];
        assert_finite(
            "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
            dt(1997, 9, 2, 9, 0),
            None,
            &expected,
        );
    }

    #[test]
    fn rfc_every_20_minutes_from_9_to_16_40() {
        // ==> (September 2 and 3) 9:00,9:20,9:40,10:00,10:20, ... 16:00,16:20,16:40
        let mut expected = Vec::new();
        for d in [2, 3] {
            for h in 9..=16 {
                for m in [0, 20, 40] {
                    expected.push(dt(1997, 9, d, h, m));
                }
            }
        }
        expected.push(dt(1997, 9, 4, 9, 0));
        for value in [
            "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
            "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
        ] {
            assert_eq!(
                expand(value, dt(1997, 9, 2, 9, 0), None, expected.len()),
                expected,
                "{value}"
            );
        }
    }

    #[test]
    fn rfc_wkst_makes_a_difference() {
        // WKST=MO ==> August 5,10,19,24; WKST=SU ==> August 5,17,19,31
        assert_finite(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            dt(1997, 8, 5, 9, 0),
            None,
            &at9(1997, 8, &[5, 10, 19, 24]),
        );
        assert_finite(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            dt(1997, 8, 5, 9, 0),
            None,
            &at9(1997, 8, &[5, 17, 19, 31]),
        );
    }

    #[test]
    fn rfc_invalid_date_february_30_is_ignored() {
        // ==> (2007) January 15,30; February 15; March 15,30
        let expected = concat(&[
            at9(2007, 1, &[15, 30]),
            at9(2007, 2, &[15]),
            at9(2007, 3, &[15, 30]),
        ]);
        assert_finite(
            "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
            dt(2007, 1, 15, 9, 0),
            None,
            &expected,
        );
    }

    // -----------------------------------------------------------------------------------------
    // Ported from python-dateutil, dateutil/test/test_rrule.py (test names in comments);
    // all use DTSTART 1997-09-02 09:00.
    // -----------------------------------------------------------------------------------------

    fn du(value: &str) -> Vec<NaiveDateTime> {
        let rule = parse_lenient(value);
        let n = rule.count.unwrap() as usize;
        let start = dt(1997, 9, 2, 9, 0);
        instances(&rule, start, None, start, far_future(), |_| true)
            .take(n + 5)
            .collect()
    }

    #[test]
    fn dateutil_yearly_ordinal_weekdays() {
        // testYearlyByNWeekDay
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYDAY=1TU,-1TH"),
            [
                dt(1997, 12, 25, 9, 0),
                dt(1998, 1, 6, 9, 0),
                dt(1998, 12, 31, 9, 0)
            ]
        );
        // testYearlyByNWeekDayLarge
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYDAY=3TU,-3TH"),
            [
                dt(1997, 12, 11, 9, 0),
                dt(1998, 1, 20, 9, 0),
                dt(1998, 12, 17, 9, 0)
            ]
        );
        // testYearlyByMonthAndNWeekDay
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYMONTH=1,3;BYDAY=1TU,-1TH"),
            [
                dt(1998, 1, 6, 9, 0),
                dt(1998, 1, 29, 9, 0),
                dt(1998, 3, 3, 9, 0)
            ]
        );
        // testYearlyByMonthAndNWeekDayLarge
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYMONTH=1,3;BYDAY=3TU,-3TH"),
            [
                dt(1998, 1, 15, 9, 0),
                dt(1998, 1, 20, 9, 0),
                dt(1998, 3, 12, 9, 0)
            ]
        );
        // testMonthlyByNWeekDayLarge
        assert_eq!(
            du("FREQ=MONTHLY;COUNT=3;BYDAY=3TU,-3TH"),
            [
                dt(1997, 9, 11, 9, 0),
                dt(1997, 9, 16, 9, 0),
                dt(1997, 10, 16, 9, 0)
            ]
        );
    }

    #[test]
    fn dateutil_yearly_day_filters() {
        // testYearlyByMonthDay
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYMONTHDAY=1,3"),
            [
                dt(1997, 9, 3, 9, 0),
                dt(1997, 10, 1, 9, 0),
                dt(1997, 10, 3, 9, 0)
            ]
        );
        // testYearlyByMonthAndMonthDayAndWeekDay
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYMONTH=1,3;BYMONTHDAY=1,3;BYDAY=TU,TH"),
            [
                dt(1998, 1, 1, 9, 0),
                dt(1998, 3, 3, 9, 0),
                dt(2001, 3, 1, 9, 0)
            ]
        );
        // testYearlyByYearDay and testYearlyByYearDayNeg
        let by_year_day = [
            dt(1997, 12, 31, 9, 0),
            dt(1998, 1, 1, 9, 0),
            dt(1998, 4, 10, 9, 0),
            dt(1998, 7, 19, 9, 0),
        ];
        assert_eq!(
            du("FREQ=YEARLY;COUNT=4;BYYEARDAY=1,100,200,365"),
            by_year_day
        );
        assert_eq!(
            du("FREQ=YEARLY;COUNT=4;BYYEARDAY=-365,-266,-166,-1"),
            by_year_day
        );
        // testYearlyByMonthAndYearDayNeg
        assert_eq!(
            du("FREQ=YEARLY;COUNT=4;BYMONTH=4,7;BYYEARDAY=-365,-266,-166,-1"),
            [
                dt(1998, 4, 10, 9, 0),
                dt(1998, 7, 19, 9, 0),
                dt(1999, 4, 10, 9, 0),
                dt(1999, 7, 19, 9, 0)
            ]
        );
    }

    #[test]
    fn dateutil_week_numbers() {
        // testYearlyByWeekNo
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYWEEKNO=20"),
            [
                dt(1998, 5, 11, 9, 0),
                dt(1998, 5, 12, 9, 0),
                dt(1998, 5, 13, 9, 0)
            ]
        );
        // testYearlyByWeekNoAndWeekDay: week 1 of 1998 starts on 1997-12-29
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYWEEKNO=1;BYDAY=MO"),
            [
                dt(1997, 12, 29, 9, 0),
                dt(1999, 1, 4, 9, 0),
                dt(2000, 1, 3, 9, 0)
            ]
        );
        // testYearlyByWeekNoAndWeekDayLarge
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYWEEKNO=52;BYDAY=SU"),
            [
                dt(1997, 12, 28, 9, 0),
                dt(1998, 12, 27, 9, 0),
                dt(2000, 1, 2, 9, 0)
            ]
        );
        // testYearlyByWeekNoAndWeekDayLast
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYWEEKNO=-1;BYDAY=SU"),
            [
                dt(1997, 12, 28, 9, 0),
                dt(1999, 1, 3, 9, 0),
                dt(2000, 1, 2, 9, 0)
            ]
        );
        // testYearlyByWeekNoAndWeekDay53
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYWEEKNO=53;BYDAY=MO"),
            [
                dt(1998, 12, 28, 9, 0),
                dt(2004, 12, 27, 9, 0),
                dt(2009, 12, 28, 9, 0)
            ]
        );
    }

    #[test]
    fn dateutil_set_positions() {
        // testYearlyBySetPos
        assert_eq!(
            du("FREQ=YEARLY;COUNT=3;BYMONTHDAY=15;BYHOUR=6,18;BYSETPOS=3,-3"),
            [
                dt(1997, 11, 15, 18, 0),
                dt(1998, 2, 15, 6, 0),
                dt(1998, 11, 15, 18, 0)
            ]
        );
        // testMonthlyBySetPos
        assert_eq!(
            du("FREQ=MONTHLY;COUNT=3;BYMONTHDAY=13,17;BYHOUR=6,18;BYSETPOS=3,-3"),
            [
                dt(1997, 9, 13, 18, 0),
                dt(1997, 9, 17, 6, 0),
                dt(1997, 10, 13, 18, 0)
            ]
        );
        // testWeeklyBySetPos
        assert_eq!(
            du("FREQ=WEEKLY;COUNT=3;BYDAY=TU,TH;BYHOUR=6,18;BYSETPOS=3,-3"),
            [
                dt(1997, 9, 2, 18, 0),
                dt(1997, 9, 4, 6, 0),
                dt(1997, 9, 9, 18, 0)
            ]
        );
        // testDailyBySetPos
        assert_eq!(
            du("FREQ=DAILY;COUNT=3;BYHOUR=6,18;BYMINUTE=15,45;BYSETPOS=3,-3"),
            [
                dt(1997, 9, 2, 18, 15),
                dt(1997, 9, 3, 6, 45),
                dt(1997, 9, 3, 18, 15)
            ]
        );
        // testHourlyBySetPos
        assert_eq!(
            du("FREQ=HOURLY;COUNT=3;BYMINUTE=15,45;BYSECOND=15,45;BYSETPOS=3,-3"),
            [
                dts(1997, 9, 2, 9, 15, 45),
                dts(1997, 9, 2, 9, 45, 15),
                dts(1997, 9, 2, 10, 15, 45)
            ]
        );
    }

    #[test]
    fn dateutil_limits_on_weekly_and_finer() {
        // testWeeklyByMonthAndWeekDay: crosses the year boundary inside a weekly period
        assert_eq!(
            du("FREQ=WEEKLY;COUNT=3;BYMONTH=1,3;BYDAY=TU,TH"),
            [
                dt(1998, 1, 1, 9, 0),
                dt(1998, 1, 6, 9, 0),
                dt(1998, 1, 8, 9, 0)
            ]
        );
        // testWeeklyIntervalLarge
        assert_eq!(
            du("FREQ=WEEKLY;COUNT=3;INTERVAL=20"),
            [
                dt(1997, 9, 2, 9, 0),
                dt(1998, 1, 20, 9, 0),
                dt(1998, 6, 9, 9, 0)
            ]
        );
        // testDailyIntervalLarge
        assert_eq!(
            du("FREQ=DAILY;COUNT=3;INTERVAL=92"),
            [
                dt(1997, 9, 2, 9, 0),
                dt(1997, 12, 3, 9, 0),
                dt(1998, 3, 5, 9, 0)
            ]
        );
        // testHourlyIntervalLarge
        assert_eq!(
            du("FREQ=HOURLY;COUNT=3;INTERVAL=769"),
            [
                dt(1997, 9, 2, 9, 0),
                dt(1997, 10, 4, 10, 0),
                dt(1997, 11, 5, 11, 0)
            ]
        );
        // testHourlyByMonthAndMonthDay
        assert_eq!(
            du("FREQ=HOURLY;COUNT=3;BYMONTH=1,3;BYMONTHDAY=5,7"),
            [
                dt(1998, 1, 5, 0, 0),
                dt(1998, 1, 5, 1, 0),
                dt(1998, 1, 5, 2, 0)
            ]
        );
        // testHourlyByHourAndMinute
        assert_eq!(
            du("FREQ=HOURLY;COUNT=3;BYHOUR=6,18;BYMINUTE=6,18"),
            [
                dt(1997, 9, 2, 18, 6),
                dt(1997, 9, 2, 18, 18),
                dt(1997, 9, 3, 6, 6)
            ]
        );
        // testMinutelyIntervalLarge
        assert_eq!(
            du("FREQ=MINUTELY;COUNT=3;INTERVAL=1501"),
            [
                dt(1997, 9, 2, 9, 0),
                dt(1997, 9, 3, 10, 1),
                dt(1997, 9, 4, 11, 2)
            ]
        );
        // testMinutelyByHourAndSecond
        assert_eq!(
            du("FREQ=MINUTELY;COUNT=3;BYHOUR=6,18;BYSECOND=6,18"),
            [
                dts(1997, 9, 2, 18, 0, 6),
                dts(1997, 9, 2, 18, 0, 18),
                dts(1997, 9, 2, 18, 1, 6)
            ]
        );
        // testMinutelyByWeekNoAndWeekDay
        assert_eq!(
            du("FREQ=MINUTELY;COUNT=3;BYWEEKNO=1;BYDAY=MO"),
            [
                dt(1997, 12, 29, 0, 0),
                dt(1997, 12, 29, 0, 1),
                dt(1997, 12, 29, 0, 2)
            ]
        );
    }

    #[test]
    fn secondly_limits() {
        // Worked by hand: seconds 6 and 18 of minutes 6 and 18 of hours 6 and 18.
        assert_eq!(
            du("FREQ=SECONDLY;COUNT=5;BYHOUR=6,18;BYMINUTE=6,18;BYSECOND=6,18"),
            [
                dts(1997, 9, 2, 18, 6, 6),
                dts(1997, 9, 2, 18, 6, 18),
                dts(1997, 9, 2, 18, 18, 6),
                dts(1997, 9, 2, 18, 18, 18),
                dts(1997, 9, 3, 6, 6, 6),
            ]
        );
    }

    // -----------------------------------------------------------------------------------------
    // Windows: skip_before jumping gives the same instances as full iteration
    // -----------------------------------------------------------------------------------------

    fn window(
        value: &str,
        start: NaiveDateTime,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> (Vec<NaiveDateTime>, Vec<NaiveDateTime>) {
        let rule = parse(value);
        let in_window = |d: &NaiveDateTime| *d >= from && *d <= to;
        let full: Vec<_> = instances(&rule, start, None, start, to, |_| true)
            .filter(in_window)
            .collect();
        let skipped: Vec<_> = instances(&rule, start, None, from, to, |_| true)
            .filter(in_window)
            .collect();
        (full, skipped)
    }

    #[test]
    fn skip_before_daily() {
        let (full, skipped) = window(
            "FREQ=DAILY",
            dt(2001, 3, 4, 8, 30),
            dt(2024, 2, 27, 0, 0),
            dt(2024, 3, 2, 23, 59),
        );
        // 2024 is a leap year.
        let expected = vec![
            dt(2024, 2, 27, 8, 30),
            dt(2024, 2, 28, 8, 30),
            dt(2024, 2, 29, 8, 30),
            dt(2024, 3, 1, 8, 30),
            dt(2024, 3, 2, 8, 30),
        ];
        assert_eq!(full, expected);
        assert_eq!(skipped, expected);
    }

    #[test]
    fn skip_before_every_other_week() {
        // 2023-01-03 is a Tuesday; 2024-01-02 is 364 days = 52 weeks later, so the weeks of
        // 2024-01-01, 01-15, 01-29 and 02-12 are "on" weeks.
        let (full, skipped) = window(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
            dt(2023, 1, 3, 10, 0),
            dt(2024, 1, 1, 0, 0),
            dt(2024, 2, 15, 23, 59),
        );
        let expected = vec![
            dt(2024, 1, 2, 10, 0),
            dt(2024, 1, 4, 10, 0),
            dt(2024, 1, 16, 10, 0),
            dt(2024, 1, 18, 10, 0),
            dt(2024, 1, 30, 10, 0),
            dt(2024, 2, 1, 10, 0),
            dt(2024, 2, 13, 10, 0),
            dt(2024, 2, 15, 10, 0),
        ];
        assert_eq!(full, expected);
        assert_eq!(skipped, expected);
    }

    #[test]
    fn skip_before_monthly_last_friday() {
        // Last Fridays of January to June 2024, from a calendar.
        let (full, skipped) = window(
            "FREQ=MONTHLY;BYDAY=-1FR",
            dt(2020, 1, 31, 9, 0),
            dt(2024, 1, 1, 0, 0),
            dt(2024, 6, 30, 23, 59),
        );
        let expected = vec![
            dt(2024, 1, 26, 9, 0),
            dt(2024, 2, 23, 9, 0),
            dt(2024, 3, 29, 9, 0),
            dt(2024, 4, 26, 9, 0),
            dt(2024, 5, 31, 9, 0),
            dt(2024, 6, 28, 9, 0),
        ];
        assert_eq!(full, expected);
        assert_eq!(skipped, expected);
    }

    #[test]
    fn skip_before_is_ignored_with_count() {
        // COUNT=5 from 2024-01-01: the window in February must be empty even though a rule
        // without COUNT would have instances there.
        let rule = parse("FREQ=DAILY;COUNT=5");
        let start = dt(2024, 1, 1, 9, 0);
        let got: Vec<_> = instances(
            &rule,
            start,
            None,
            dt(2024, 2, 1, 0, 0),
            far_future(),
            |_| true,
        )
        .collect();
        assert_eq!(got, at9(2024, 1, &[1, 2, 3, 4, 5]));
    }

    // -----------------------------------------------------------------------------------------
    // Termination and budgets
    // -----------------------------------------------------------------------------------------

    #[test]
    fn rule_that_never_matches_terminates() {
        let rule = parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30");
        let start = dt(2000, 1, 1, 0, 0);
        let t = std::time::Instant::now();
        let mut it = instances(&rule, start, None, start, dt(2100, 1, 1, 0, 0), |_| true);
        assert_eq!(it.next(), None);
        assert!(!it.truncated());
        // Without a usable window end it stops when the calendar runs out.
        let rule = parse("FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11;COUNT=1");
        let mut it = instances(&rule, start, None, start, NaiveDateTime::MAX, |_| true);
        assert_eq!(it.next(), None);
        // A daily rule cannot get through 260 000 years of days: it hits the budget.
        let rule = parse("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1");
        let mut it = instances(&rule, start, None, start, NaiveDateTime::MAX, |_| true);
        assert_eq!(it.next(), None);
        assert!(it.truncated());
        assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
    }

    #[test]
    fn secondly_rule_from_1601_jumps_to_a_2024_window() {
        let rule = parse("FREQ=SECONDLY;INTERVAL=7");
        let start = dts(1601, 1, 1, 0, 0, 0);
        let from = dts(2024, 3, 1, 12, 0, 0);
        let to = dts(2024, 3, 1, 12, 0, 30);
        let t = std::time::Instant::now();
        let mut it = instances(&rule, start, None, from, to, |_| true);
        let got: Vec<_> = it.by_ref().filter(|d| *d >= from).collect();
        assert!(!it.truncated());
        // Independently: the instances are start + 7k seconds; find the first k at or after
        // `from` with chrono's duration arithmetic.
        let offset = (from - start).num_seconds();
        let k0 = (offset + 6) / 7;
        let expected: Vec<_> = (k0..)
            .map(|k| start + TimeDelta::seconds(7 * k))
            .take_while(|d| *d <= to)
            .collect();
        assert!(expected.len() >= 4);
        assert_eq!(got, expected);
        assert!(t.elapsed().as_secs() < 5);

        // With COUNT it has to count from 1601 and gives up at the budget instead.
        let rule = parse("FREQ=SECONDLY;COUNT=4000000000");
        let mut it = instances(&rule, start, None, from, to, |_| true);
        assert!(it.by_ref().all(|d| d < dts(1601, 2, 1, 0, 0, 0)));
        assert!(it.truncated());
    }

    #[test]
    fn unreachable_time_limits_end_at_once() {
        // From 09:00 every 2 hours only odd hours are reached: BYHOUR=10 never matches.
        let rule = parse("FREQ=HOURLY;INTERVAL=2;BYHOUR=10");
        let start = dt(1997, 9, 2, 9, 0);
        let mut it = instances(&rule, start, None, start, NaiveDateTime::MAX, |_| true);
        assert_eq!(it.next(), None);
        assert!(!it.truncated());
        // Every 5 hours from 09:00 reaches 10:00 when 9 + 5k = 10 (mod 24): k = 5 (next day),
        // then every 24 periods (5 days) later.
        let got = expand("FREQ=HOURLY;INTERVAL=5;BYHOUR=10", start, None, 2);
        assert_eq!(got, [dt(1997, 9, 3, 10, 0), dt(1997, 9, 8, 10, 0)]);
    }

    #[test]
    fn negative_week_numbers_reach_into_the_previous_calendar_year() {
        // Week-numbering year 2008 starts on Monday 2007-12-31 (2008-01-04 is a Friday) and has
        // 52 weeks (2009's week 1 starts on 2008-12-29), so week -52 of 2008 is its week 1 and
        // its Monday is 2007-12-31, which lies in the 2007 period. 2009 has 53 weeks (2010's
        // week 1 starts on 2010-01-04), so its week -52 is week 2, Monday 2009-01-05. (dateutil
        // only looks into the next year's week 1 for BYWEEKNO=1 and misses 2007-12-31.)
        let got = expand(
            "FREQ=YEARLY;BYWEEKNO=-52;BYDAY=MO;COUNT=2",
            dt(2007, 12, 1, 9, 0),
            None,
            5,
        );
        assert_eq!(got, [dt(2007, 12, 31, 9, 0), dt(2009, 1, 5, 9, 0)]);
    }

    #[test]
    fn huge_per_period_set_is_not_materialised() {
        // Every second of the year, last one by BYSETPOS: 31.6 million candidates per period.
        let rule = parse(
            "FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=1,2,3,4,5,6,7,8,9,10,11,\
             12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31;\
             BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;\
             BYMINUTE=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,\
             28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,\
             56,57,58,59;\
             BYSECOND=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,\
             28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,\
             56,57,58,59;BYSETPOS=1,-1;COUNT=3",
        );
        let start = dt(2024, 6, 1, 0, 0);
        let got: Vec<_> = instances(&rule, start, None, start, far_future(), |_| true).collect();
        // 2024's first second is before DTSTART; then last of 2024, first and last of 2025.
        assert_eq!(
            got,
            [
                dts(2024, 12, 31, 23, 59, 59),
                dts(2025, 1, 1, 0, 0, 0),
                dts(2025, 12, 31, 23, 59, 59)
            ]
        );
    }

    #[test]
    fn extreme_values_do_not_panic() {
        let start = dt(9999, 1, 1, 0, 0);
        for value in [
            "FREQ=YEARLY;INTERVAL=4294967295",
            "FREQ=MONTHLY;INTERVAL=4294967295;BYMONTHDAY=31",
            "FREQ=WEEKLY;INTERVAL=4294967295;BYDAY=MO,SU",
            "FREQ=DAILY;INTERVAL=4294967295",
            "FREQ=HOURLY;INTERVAL=4294967295",
            "FREQ=SECONDLY;INTERVAL=4294967295;BYSETPOS=-1",
            "FREQ=YEARLY;COUNT=4294967295;BYDAY=-53SU,53MO;BYYEARDAY=-366,366",
            "FREQ=MONTHLY;BYDAY=5FR,-5MO;BYSETPOS=366,-366",
        ] {
            let rule = parse_lenient(value);
            let got: Vec<_> = instances(&rule, start, None, start, NaiveDateTime::MAX, |_| true)
                .take(10_000)
                .collect();
            assert!(got.windows(2).all(|w| w[0] < w[1]), "{value}");
        }
        // Exactly one instance (DTSTART) before the calendar ends, for the huge intervals.
        let rule = parse("FREQ=YEARLY;INTERVAL=4294967295");
        let got: Vec<_> =
            instances(&rule, start, None, start, NaiveDateTime::MAX, |_| true).collect();
        assert_eq!(got, [start]);
        // A rule built by hand with out-of-range values yields nothing instead of panicking.
        let mut rule = RRule::new(Frequency::Monthly);
        rule.by_month = vec![13];
        rule.by_hour = vec![99];
        rule.interval = 0;
        assert_eq!(
            instances(&rule, start, None, start, far_future(), |_| true).count(),
            0
        );
    }

    fn parse_lenient(value: &str) -> RRule {
        RRule::parse(value).unwrap().0
    }

    // -----------------------------------------------------------------------------------------
    // valid, COUNT, UNTIL, DTSTART
    // -----------------------------------------------------------------------------------------

    #[test]
    fn rejected_candidates_are_not_counted() {
        // 2024-03-10 02:30 does not exist in New York (DST gap): dropped, and COUNT=3 still
        // gives three instances.
        let rule = parse("FREQ=DAILY;COUNT=3");
        let start = dt(2024, 3, 9, 2, 30);
        let gap = dt(2024, 3, 10, 2, 30);
        let mut asked = Vec::new();
        let got: Vec<_> = instances(&rule, start, None, start, far_future(), |d| {
            asked.push(d);
            d != gap
        })
        .collect();
        assert_eq!(
            got,
            [
                dt(2024, 3, 9, 2, 30),
                dt(2024, 3, 11, 2, 30),
                dt(2024, 3, 12, 2, 30)
            ]
        );
        assert!(asked.contains(&gap));
    }

    #[test]
    fn until_is_inclusive() {
        let rule = parse("FREQ=DAILY");
        let start = dt(2024, 1, 1, 9, 0);
        let run = |until| -> Vec<NaiveDateTime> {
            instances(&rule, start, Some(until), start, far_future(), |_| true).collect()
        };
        assert_eq!(run(dt(2024, 1, 3, 9, 0)), at9(2024, 1, &[1, 2, 3]));
        assert_eq!(run(dts(2024, 1, 3, 8, 59, 59)), at9(2024, 1, &[1, 2]));
        // Without a converted UNTIL the rule's own is used: a DATE covers the whole day.
        let (rule, _) = RRule::parse("FREQ=DAILY;UNTIL=20240103").unwrap();
        assert_eq!(
            rule.until,
            Some(Until::Date(NaiveDate::from_ymd_opt(2024, 1, 3).unwrap()))
        );
        let got: Vec<_> = instances(&rule, start, None, start, far_future(), |_| true).collect();
        assert_eq!(got, at9(2024, 1, &[1, 2, 3]));
    }

    #[test]
    fn dtstart_is_returned_only_when_it_matches() {
        // DTSTART 2024-01-02 (a Tuesday) with a Monday rule: first instance is 2024-01-08.
        let got = expand(
            "FREQ=WEEKLY;BYDAY=MO;COUNT=2",
            dt(2024, 1, 2, 9, 0),
            None,
            5,
        );
        assert_eq!(got, [dt(2024, 1, 8, 9, 0), dt(2024, 1, 15, 9, 0)]);
        // MONTHLY on the 31st from January: February to April have no 31st... except March.
        let got = expand("FREQ=MONTHLY;COUNT=3", dt(2024, 1, 31, 9, 0), None, 5);
        assert_eq!(
            got,
            [
                dt(2024, 1, 31, 9, 0),
                dt(2024, 3, 31, 9, 0),
                dt(2024, 5, 31, 9, 0)
            ]
        );
        // Yearly on February 29: leap years only.
        let got = expand("FREQ=YEARLY;COUNT=3", dt(2020, 2, 29, 0, 0), None, 5);
        assert_eq!(
            got,
            [
                dt(2020, 2, 29, 0, 0),
                dt(2024, 2, 29, 0, 0),
                dt(2028, 2, 29, 0, 0)
            ]
        );
    }

    #[test]
    fn weekly_set_position_uses_the_whole_first_week() {
        // The set of the week of Monday 2024-01-01 is {Jan 1, 3, 5}; its first element is
        // before DTSTART (Wednesday Jan 3), so the first instance is Monday Jan 8. (dateutil
        // would apply BYSETPOS to the partial week starting at DTSTART and give Jan 3.)
        let got = expand(
            "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1;COUNT=2",
            dt(2024, 1, 3, 9, 0),
            None,
            5,
        );
        assert_eq!(got, [dt(2024, 1, 8, 9, 0), dt(2024, 1, 15, 9, 0)]);
    }

    // -----------------------------------------------------------------------------------------
    // Parsing
    // -----------------------------------------------------------------------------------------

    #[test]
    fn parse_reads_every_part() {
        let (rule, warnings) = RRule::parse(
            "FREQ=MONTHLY;INTERVAL=2;COUNT=7;BYSECOND=0,30;BYMINUTE=15;BYHOUR=9,17;\
             BYDAY=MO,+2TU,-1FR;BYMONTHDAY=1,-1;BYMONTH=1,6;BYSETPOS=1,-1;WKST=SU",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(rule.freq, Frequency::Monthly);
        assert_eq!(rule.interval, 2);
        assert_eq!(rule.count, Some(7));
        assert_eq!(rule.by_second, [0, 30]);
        assert_eq!(rule.by_minute, [15]);
        assert_eq!(rule.by_hour, [9, 17]);
        assert_eq!(
            rule.by_day,
            [
                (None, chrono::Weekday::Mon),
                (Some(2), chrono::Weekday::Tue),
                (Some(-1), chrono::Weekday::Fri)
            ]
        );
        assert_eq!(rule.by_month_day, [1, -1]);
        assert_eq!(rule.by_month, [1, 6]);
        assert_eq!(rule.by_set_pos, [1, -1]);
        assert_eq!(rule.wkst, chrono::Weekday::Sun);
        assert!(rule.is_finite());
        assert_eq!(
            rule.to_string(),
            "FREQ=MONTHLY;COUNT=7;INTERVAL=2;BYSECOND=0,30;BYMINUTE=15;BYHOUR=9,17;\
             BYDAY=MO,2TU,-1FR;BYMONTHDAY=1,-1;BYMONTH=1,6;BYSETPOS=1,-1;WKST=SU"
        );
        let (yearly, _) = RRule::parse("FREQ=YEARLY;BYYEARDAY=-366,1;BYWEEKNO=53,-1").unwrap();
        assert_eq!(yearly.by_year_day, [-366, 1]);
        assert_eq!(yearly.by_week_no, [53, -1]);
        assert!(!yearly.is_finite());
    }

    #[test]
    fn parse_until_forms() {
        let until = |v: &str| {
            RRule::parse(&format!("FREQ=DAILY;UNTIL={v}"))
                .unwrap()
                .0
                .until
        };
        assert_eq!(
            until("19971224T000000Z"),
            Some(Until::Utc(dt(1997, 12, 24, 0, 0)))
        );
        assert_eq!(
            until("19971224T093000"),
            Some(Until::Local(dt(1997, 12, 24, 9, 30)))
        );
        assert_eq!(
            until("19971224"),
            Some(Until::Date(NaiveDate::from_ymd_opt(1997, 12, 24).unwrap()))
        );
    }

    #[test]
    fn parse_is_tolerant() {
        let (rule, warnings) =
            RRule::parse(" freq=weekly ; byday=mo,we;X-NAME=1;RSCALE=GREGORIAN;SKIP=OMIT;")
                .unwrap();
        assert_eq!(rule.freq, Frequency::Weekly);
        assert_eq!(
            rule.by_day,
            [(None, chrono::Weekday::Mon), (None, chrono::Weekday::Wed)]
        );
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("X-NAME"));
        assert!(warnings[1].contains("RSCALE"));
        assert!(warnings[2].contains("SKIP"));

        // COUNT with UNTIL: accepted with a warning, and both apply.
        let (rule, warnings) = RRule::parse("FREQ=DAILY;COUNT=3;UNTIL=20240102T090000").unwrap();
        assert_eq!(rule.count, Some(3));
        assert!(rule.until.is_some());
        assert!(
            warnings.iter().any(|w| w.contains("COUNT and UNTIL")),
            "{warnings:?}"
        );
        let start = dt(2024, 1, 1, 9, 0);
        let got: Vec<_> = instances(&rule, start, None, start, far_future(), |_| true).collect();
        assert_eq!(got, at9(2024, 1, &[1, 2]));

        // N/A combinations are warned about.
        let (_, warnings) = RRule::parse("FREQ=DAILY;BYWEEKNO=1;BYDAY=1MO").unwrap();
        assert!(
            warnings.iter().any(|w| w.contains("BYWEEKNO")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("ordinal")),
            "{warnings:?}"
        );
    }

    #[test]
    fn parse_errors_say_what_is_wrong() {
        let err = |v: &str| RRule::parse(v).unwrap_err().message;
        let e = err("FREQ=YEARLY;BYMONTH=13");
        assert!(
            e.contains("BYMONTH") && e.contains("'13'") && e.contains("1 to 12"),
            "{e}"
        );
        let e = err("FREQ=DAILY;BYHOUR=24");
        assert!(e.contains("BYHOUR") && e.contains("0 to 23"), "{e}");
        let e = err("FREQ=MONTHLY;BYMONTHDAY=0");
        assert!(
            e.contains("BYMONTHDAY") && e.contains("1 to 31 or -31 to -1"),
            "{e}"
        );
        let e = err("FREQ=DAILY;INTERVAL=0");
        assert!(e.contains("INTERVAL") && e.contains("1 to"), "{e}");
        let e = err("COUNT=3;BYDAY=MO");
        assert!(e.contains("missing FREQ"), "{e}");
        let e = err("FREQ=FORTNIGHTLY");
        assert!(e.contains("FORTNIGHTLY") && e.contains("WEEKLY"), "{e}");
        let e = err("FREQ=WEEKLY;BYDAY=MO,XX");
        assert!(e.contains("BYDAY") && e.contains("'XX'"), "{e}");
        let e = err("FREQ=MONTHLY;BYDAY=0MO");
        assert!(e.contains("BYDAY") && e.contains("1 to 53"), "{e}");
        let e = err("FREQ=DAILY;UNTIL=2024-01-01");
        assert!(e.contains("UNTIL") && e.contains("19971224T000000Z"), "{e}");
        let e = err("FREQ=DAILY;UNTIL=20240230");
        assert!(e.contains("UNTIL") && e.contains("no such date"), "{e}");
        let e = err("FREQ=DAILY;BYDAYS=MO");
        assert!(e.contains("BYDAYS") && e.contains("BYDAY"), "{e}");
        let e = err("FREQ=DAILY;WKST=XY");
        assert!(e.contains("WKST") && e.contains("MO"), "{e}");
        let e = err("FREQ=DAILY;COUNT=-1");
        assert!(e.contains("COUNT"), "{e}");
        let e = err("FREQ=DAILY;BYSETPOS=400");
        assert!(e.contains("BYSETPOS") && e.contains("366"), "{e}");
        let e = err("FREQ=DAILY;BYMINUTE=1é");
        assert!(e.contains("BYMINUTE"), "{e}");
        // Display adds context.
        let full = RRule::parse("FREQ=DAILY;BYHOUR=24")
            .unwrap_err()
            .to_string();
        assert!(full.starts_with("invalid RRULE: "), "{full}");
    }
}
