//! Who may see and change what, and what input is valid: the rules pages
//! and the API share, so they cannot drift apart.
//!
//! | role | teams it sees (aggregates only) | individual data |
//! |---|---|---|
//! | member | their own team (from the people list) | their own week |
//! | lead | the teams of their account, and their own | their own week |
//! | admin | every team | their own week |
//!
//! Leads and administrators may also start and end the experiments of the
//! teams they see ([`may_manage_experiments`]); members may not.
//!
//! The workflow's objects (asks) belong to a team: whoever sees the team
//! sees its objects, and an object of a team the viewer may not see is
//! "not found", whatever its id ([`workflow_item`]). An ask is answered by
//! its recipient (anyone of the team for an ask to the team, never its
//! author) and withdrawn by its author ([`may_answer`], [`may_withdraw`]).
//! Whoever sees a team takes stances on its proposals; a proposal is
//! closed by its author or the team's leads and administrators
//! ([`may_close`]) and withdrawn by its author.
//!
//! The pulse is personal: a member of the team on the people list answers
//! it ([`may_answer_pulse`]) and sees their own answers only; whoever sees
//! the team sees its aggregates, and only for groups of at least `[policy]
//! min_group_size`. A response is never reached by id.

use crate::error::Error;
use crate::http::Viewer;
use crate::state::AppState;
use fulcrum_app::dashboard::{Snapshot, TeamSnapshot};
use fulcrum_model::workflow::{Ask, Decision, FieldProblem, Recipient};
use fulcrum_store::{Page, Role, Storage, StoredWorkflowItem, User};

/// The teams `user` may see, in the snapshot's order.
pub fn visible_teams<'s>(user: &User, snapshot: &'s Snapshot) -> Vec<&'s TeamSnapshot> {
    let own = snapshot.person(&user.email).map(|p| p.team.as_str());
    snapshot
        .teams
        .iter()
        .filter(|t| match user.role {
            Role::Admin => true,
            Role::Lead => own == Some(t.name.as_str()) || user.teams.contains(&t.name),
            Role::Member => own == Some(t.name.as_str()),
        })
        .collect()
}

/// The team `name` if `user` may see it: 404 when there is no such team,
/// 403 when it is not one of theirs.
pub fn team_for<'s>(
    user: &User,
    snapshot: &'s Snapshot,
    name: &str,
) -> Result<&'s TeamSnapshot, Error> {
    let Some(team) = snapshot.team(name) else {
        return Err(Error::NotFound(format!("no team {name:?}")));
    };
    if visible_teams(user, snapshot)
        .iter()
        .any(|t| t.name == team.name)
    {
        Ok(team)
    } else {
        Err(Error::Forbidden(format!(
            "team {name:?} is not one of the teams you may see"
        )))
    }
}

/// Whether `user` may start and end experiments of `team`: a lead of a
/// team they see, or an administrator.
pub fn may_manage_experiments(user: &User, snapshot: &Snapshot, team: &str) -> bool {
    user.role != Role::Member && visible_teams(user, snapshot).iter().any(|t| t.name == team)
}

/// 403 unless `user` may manage `team`'s experiments (404 for a team that
/// does not exist or that they may not see).
pub fn require_experiment_manager(
    user: &User,
    snapshot: &Snapshot,
    team: &str,
) -> Result<(), Error> {
    team_for(user, snapshot, team)?;
    if may_manage_experiments(user, snapshot, team) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "only the team's leads and administrators may start or end its experiments".into(),
        ))
    }
}

/// The workflow object `id` if `user` may see its team; 404 otherwise, the
/// same answer as for an id that does not exist, so ids of other teams'
/// objects tell nothing.
pub async fn workflow_item<S: Storage + 'static>(
    state: &AppState<S>,
    user: &User,
    id: i64,
) -> Result<StoredWorkflowItem, Error> {
    let snap = state.snapshot();
    match state.store.workflow_item(id).await? {
        // A pulse response is personal: never reached by id.
        Some(item)
            if !item.item.is_personal()
                && visible_teams(user, &snap)
                    .iter()
                    .any(|t| t.name == item.item.team()) =>
        {
            Ok(item)
        }
        _ => Err(Error::NotFound(format!(
            "no ask, proposal or meeting record {id} of your teams"
        ))),
    }
}

/// Whether `user` may answer `ask`: its recipient; for an ask to the whole
/// team, anyone of the team on the people list or a lead or administrator
/// who sees it; never its author.
pub fn may_answer(user: &User, snapshot: &Snapshot, ask: &Ask) -> bool {
    if !ask.may_answer(&user.email) {
        return false;
    }
    match &ask.to {
        Recipient::Person(_) => true,
        Recipient::Team => {
            snapshot
                .person(&user.email)
                .is_some_and(|p| p.team == ask.team)
                || (user.role != Role::Member
                    && visible_teams(user, snapshot)
                        .iter()
                        .any(|t| t.name == ask.team))
        }
    }
}

/// Whether `user` may close `decision`: its author, or a lead or
/// administrator who sees its team.
pub fn may_close(user: &User, snapshot: &Snapshot, decision: &Decision) -> bool {
    user.email == decision.author
        || (user.role != Role::Member
            && visible_teams(user, snapshot)
                .iter()
                .any(|t| t.name == decision.team))
}

/// Whether `user` may answer `team`'s pulse: a member of the team on the
/// people list (whatever their role; a lead or administrator of another
/// team only sees its aggregates).
pub fn may_answer_pulse(user: &User, snapshot: &Snapshot, team: &str) -> bool {
    snapshot.person(&user.email).is_some_and(|p| p.team == team)
}

/// Whether `user` may withdraw `ask`: its author.
pub fn may_withdraw(user: &User, ask: &Ask) -> bool {
    user.email == ask.author
}

/// Field problems as one 422 message: `field: what is allowed; ...`.
pub fn field_problems(problems: &[FieldProblem]) -> Error {
    Error::Unprocessable(
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// 403 unless `user` is an administrator.
pub fn require_admin(user: &User) -> Result<(), Error> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(Error::Forbidden("only administrators may do this".into()))
    }
}

/// Refuses a change that would lock the administrator out.
pub(crate) fn not_self(viewer: &Viewer, id: i64, what: &str) -> Result<(), Error> {
    if viewer.user.id == id {
        Err(Error::Conflict(format!(
            "you cannot {what} your own account; ask another administrator"
        )))
    } else {
        Ok(())
    }
}

/// Whether `viewer` may revoke token `id`: their own, or any for an
/// administrator. Unknown and foreign tokens look the same (404).
pub(crate) async fn may_revoke<S: Storage + 'static>(
    state: &AppState<S>,
    viewer: &Viewer,
    id: i64,
) -> Result<(), Error> {
    if viewer.user.role == Role::Admin {
        return Ok(());
    }
    let mut offset = 0;
    loop {
        let page = state
            .store
            .tokens(
                Some(viewer.user.id),
                Page {
                    offset,
                    limit: Page::MAX_LIMIT,
                },
            )
            .await?;
        if page
            .iter()
            .any(|t| t.id == id && t.user_id == viewer.user.id)
        {
            return Ok(());
        }
        if (page.len() as u32) < Page::MAX_LIMIT {
            return Err(Error::NotFound(format!("no token {id} of yours")));
        }
        offset += Page::MAX_LIMIT;
    }
}

/// A valid email, lower-cased (forms trim it first; the API does not, as
/// its schema says): one `@`, a local part of 1-64
/// characters without spaces or quotes, a domain of dot-separated labels
/// (letters, digits, hyphens; at least two labels), 254 characters at most.
pub fn email(raw: &str) -> Result<String, Error> {
    let e = raw.to_lowercase();
    let bad = || Error::Unprocessable(format!("{raw:?} is not a valid email address"));
    if e.len() > 254 {
        return Err(bad());
    }
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(e)
    } else {
        Err(bad())
    }
}

/// `member`, `lead` or `admin`.
pub fn role(raw: &str) -> Result<Role, Error> {
    Role::parse(raw.trim()).ok_or_else(|| {
        Error::Unprocessable(format!("{raw:?} is not a role: use member, lead or admin"))
    })
}

/// Team names: each 1-100 characters without control characters or
/// whitespace at either end, at most 100 of them, duplicates removed.
pub fn teams(raw: &[String]) -> Result<Vec<String>, Error> {
    if raw.len() > 100 {
        return Err(Error::Unprocessable("at most 100 teams".into()));
    }
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for t in raw {
        if !is_name(t) {
            return Err(Error::Unprocessable(format!(
                "{t:?} is not a team name (1-100 characters, no control characters, no spaces at either end)"
            )));
        }
        if !out.iter().any(|x| x == t) {
            out.push(t.clone());
        }
    }
    Ok(out)
}

/// Whitespace as the OpenAPI document's patterns (ECMAScript `\s`) see it.
fn is_pattern_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

/// A name (team, token): 1-100 characters, no control characters, no
/// whitespace at either end; the same rule as the `pattern` of the
/// OpenAPI document, so what its schema allows the server accepts.
fn is_name(s: &str) -> bool {
    let n = s.chars().count();
    (1..=100).contains(&n)
        && !s.chars().any(char::is_control)
        && !s.starts_with(is_pattern_space)
        && !s.ends_with(is_pattern_space)
}

/// Teams typed into a form: comma-separated.
pub fn teams_from_text(text: &str) -> Result<Vec<String>, Error> {
    let parts: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    teams(&parts)
}

/// A password of 12 to 1024 characters.
pub fn password(raw: &str) -> Result<&str, Error> {
    let n = raw.chars().count();
    if (12..=1024).contains(&n) {
        Ok(raw)
    } else {
        Err(Error::Unprocessable(
            "a password needs 12 to 1024 characters".into(),
        ))
    }
}

/// A token name: 1-100 characters without control characters or
/// whitespace at either end.
pub fn token_name(raw: &str) -> Result<String, Error> {
    if is_name(raw) {
        Ok(raw.to_owned())
    } else {
        Err(Error::Unprocessable(
            "a token name needs 1 to 100 characters, no control characters and no spaces at either end"
                .into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_validated_and_lower_cased() {
        assert_eq!(
            email("Ana.Lima@Example.ORG").unwrap(),
            "ana.lima@example.org"
        );
        // The API takes the value as sent: its schema allows no spaces.
        assert!(email(" ana@x.io").is_err());
        for bad in [
            "",
            "ana",
            "@x.io",
            "ana@",
            "ana@x",
            "a b@x.io",
            "ana@@x.io",
            "ana@x..io",
            "ana@-x.io",
            ".ana@x.io",
            "\"ana\"@x.io",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn roles_teams_passwords_and_names() {
        assert_eq!(role("lead").unwrap(), Role::Lead);
        assert!(role("owner").is_err());
        assert_eq!(teams_from_text(" A , B,,A ").unwrap(), vec!["A", "B"]);
        assert!(teams(&["x\u{7}".to_owned()]).is_err());
        assert!(password("short").is_err());
        assert!(password("long enough pass").is_ok());
        assert!(token_name("  ").is_err());
        assert!(token_name(" ci").is_err() && token_name("ci\u{feff}").is_err());
        assert_eq!(token_name("ci job").unwrap(), "ci job");
        assert!(teams(&[" a".to_owned()]).is_err());
    }
}
