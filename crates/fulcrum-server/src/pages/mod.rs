//! The server-rendered pages, one module per route group: [`signin`]
//! (sign-in and sign-out), [`oidc`] (sign-in through the organisation's
//! identity provider), [`dashboard`] with its [`experiments`] forms,
//! [`my_week`], [`asks`], [`decisions`], [`meetings`], [`incidents`] and
//! [`updates`] (the async workflow) with [`waits`] (what waits on whom),
//! [`pulse`] (the weekly pulse: own answers, team aggregates),
//! [`tokens`], the
//! administrators' [`users`] and [`imports`], and the static [`assets`].
//! What every page shares (the layout's navigation bar, rendering, the
//! error page, the small forms and queries) is in [`chrome`].
//!
//! Every form carries the session's CSRF token (the sign-in form a
//! pre-session one, double-submitted in a cookie); a page visited without a
//! session redirects to `/signin`. The templates are askama files under
//! `templates/` (HTML escaped by default); each page's template struct sits
//! with its handlers.

pub mod asks;
pub mod assets;
pub mod chrome;
pub mod dashboard;
pub mod decisions;
pub mod experiments;
pub mod feed;
pub mod imports;
pub mod incidents;
pub mod meetings;
pub mod my_week;
pub mod oidc;
pub mod pulse;
pub mod signin;
pub mod tokens;
pub mod updates;
pub mod users;
pub mod waits;
