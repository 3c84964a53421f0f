//! Sign-in through the organisation's identity provider with OpenID
//! Connect (`[auth.oidc]`): the authorization code flow with PKCE, a state
//! and a nonce, and the ID token's signature checked against the
//! provider's published keys (the `openidconnect` crate).
//!
//! What is kept between the redirect to the provider and the way back is
//! a short-lived `HttpOnly` cookie holding the state, the nonce and the
//! PKCE verifier, signed with the server's secret: nothing is held in
//! memory per sign-in, and the state in the callback must equal the one
//! in the browser that started it (no login CSRF). The provider's
//! discovery document and keys are fetched on first use and again after
//! [`DISCOVERY_TTL`], so a key rotation is picked up without a restart.
//!
//! Which account an identity opens is decided in `pages::oidc`.

use crate::auth::{constant_time_eq, hmac_hex};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse, reqwest,
};
use std::time::{Duration, Instant};

/// How long discovered provider metadata (endpoints and signing keys) is
/// used before it is fetched again.
pub const DISCOVERY_TTL: Duration = Duration::from_secs(3600);

/// How long a started sign-in may take at the provider.
pub const FLOW_TTL: Duration = Duration::from_secs(600);

/// The cookie carrying a sign-in in progress.
pub const FLOW_COOKIE: &str = "fulcrum_oidc";

/// `[auth.oidc]` with its secret, as the server uses it.
#[derive(Clone)]
pub struct OidcSettings {
    /// The issuer URL.
    pub issuer: String,
    /// The client id.
    pub client_id: String,
    /// The client secret (from the environment or a file, never the TOML).
    pub client_secret: String,
    /// This server's callback URL, as registered at the provider.
    pub redirect_url: String,
    /// The sign-in button's text.
    pub label: String,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("redirect_url", &self.redirect_url)
            .finish()
    }
}

/// Why a sign-in through the provider failed. The messages are for the
/// log; people see a short page.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The settings do not make URLs.
    #[error("[auth.oidc]: {0}")]
    Settings(String),
    /// The provider's discovery document or keys could not be read.
    #[error("cannot read the identity provider's configuration at {issuer}: {message}")]
    Discovery {
        /// The issuer.
        issuer: String,
        /// What went wrong.
        message: String,
    },
    /// The code could not be exchanged for tokens.
    #[error("the identity provider did not exchange the code: {0}")]
    Exchange(String),
    /// The ID token is missing or does not verify (signature, issuer,
    /// audience, expiry, nonce).
    #[error("the ID token does not verify: {0}")]
    IdToken(String),
}

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The relying party: settings, an HTTP client that follows no redirects
/// (the provider's endpoints are used as discovered, never as a redirect
/// says), and the cached discovery.
pub struct Oidc {
    settings: OidcSettings,
    http: reqwest::Client,
    discovered: tokio::sync::Mutex<Option<(Instant, Client)>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("settings", &self.settings)
            .finish()
    }
}

/// Where to send the browser, and the cookie that remembers the flow.
#[derive(Debug)]
pub struct Started {
    /// The provider's authorization URL.
    pub authorize_url: String,
    /// The value of [`FLOW_COOKIE`].
    pub cookie: String,
}

/// Who the provider says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The `sub` claim.
    pub subject: String,
    /// The `email` claim, lower-cased, when given.
    pub email: Option<String>,
    /// The `email_verified` claim, when given.
    pub email_verified: Option<bool>,
}

impl Oidc {
    /// A relying party for `settings`; nothing is fetched yet.
    pub fn new(settings: OidcSettings) -> Result<Oidc, OidcError> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| OidcError::Settings(format!("issuer: {e}")))?;
        RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| OidcError::Settings(format!("redirect_url: {e}")))?;
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| OidcError::Settings(format!("HTTP client: {e}")))?;
        Ok(Oidc {
            settings,
            http,
            discovered: tokio::sync::Mutex::new(None),
        })
    }

    /// The settings.
    pub fn settings(&self) -> &OidcSettings {
        &self.settings
    }

    /// The client from the provider's discovery document, fetched when
    /// missing or older than [`DISCOVERY_TTL`] (or when `fresh`).
    async fn client(&self, fresh: bool) -> Result<Client, OidcError> {
        let mut cached = self.discovered.lock().await;
        if let Some((at, client)) = cached.as_ref()
            && !fresh
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(client.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::Settings(format!("issuer: {e}")))?;
        let metadata = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Discovery {
                issuer: self.settings.issuer.clone(),
                message: error_chain(&e),
            })?;
        let redirect = RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| OidcError::Settings(format!("redirect_url: {e}")))?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        *cached = Some((Instant::now(), client.clone()));
        Ok(client)
    }

    /// Starts a sign-in: the provider's URL (scopes `openid email
    /// profile`, an S256 PKCE challenge, a random state and nonce) and the
    /// signed cookie that remembers them, valid until `now + FLOW_TTL`.
    pub async fn start(&self, secret: &[u8], now: i64) -> Result<Started, OidcError> {
        let client = self.client(false).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".to_owned()))
            .add_scope(Scope::new("profile".to_owned()))
            .set_pkce_challenge(challenge)
            .url();
        let expires = now + FLOW_TTL.as_secs() as i64;
        let body = format!(
            "{}.{}.{}.{expires}",
            state.secret(),
            nonce.secret(),
            verifier.secret()
        );
        let mac = hmac_hex(secret, &body);
        Ok(Started {
            authorize_url: url.to_string(),
            cookie: format!("{body}.{mac}"),
        })
    }

    /// Finishes a sign-in: checks the cookie (this server's, unexpired) and
    /// that its state is the callback's, exchanges the code with the PKCE
    /// verifier, and verifies the ID token (signature against the
    /// provider's keys, issuer, audience, expiry, nonce). `None` when the
    /// cookie or the state does not match: a stale tab, a replay, or a
    /// callback this browser did not start.
    pub async fn finish(
        &self,
        secret: &[u8],
        cookie: &str,
        state: &str,
        code: &str,
        now: i64,
    ) -> Option<Result<Identity, OidcError>> {
        let flow = Flow::parse(secret, cookie, now)?;
        if !constant_time_eq(&flow.state, state) {
            return None;
        }
        Some(self.exchange(flow, code).await)
    }

    async fn exchange(&self, flow: Flow, code: &str) -> Result<Identity, OidcError> {
        let client = self.client(false).await?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(error_chain(&e)))?;
        let id_token = response
            .id_token()
            .ok_or_else(|| OidcError::IdToken("the token response has no id_token".into()))?;
        let nonce = Nonce::new(flow.nonce);
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(claims) => claims.clone(),
            Err(first) => {
                // The provider may have rotated its keys since discovery:
                // fetch them again once before refusing.
                let client = self.client(true).await?;
                id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map_err(|e| {
                        OidcError::IdToken(format!("{e} (before a key refresh: {first})"))
                    })?
                    .clone()
            }
        };
        Ok(Identity {
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().trim().to_lowercase()),
            email_verified: claims.email_verified(),
        })
    }
}

/// A sign-in in progress, from its cookie.
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
}

impl Flow {
    /// The flow of a cookie this server signed and that has not expired.
    fn parse(secret: &[u8], cookie: &str, now: i64) -> Option<Flow> {
        let (body, mac) = cookie.rsplit_once('.')?;
        if !constant_time_eq(mac, &hmac_hex(secret, body)) {
            return None;
        }
        let mut parts = body.split('.');
        let (state, nonce, verifier, expires) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || expires.parse::<i64>().ok()? < now {
            return None;
        }
        Some(Flow {
            state: state.to_owned(),
            nonce: nonce.to_owned(),
            verifier: verifier.to_owned(),
        })
    }
}

/// An error with its causes, for the log.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_cookies_verify_only_under_their_secret_and_before_they_expire() {
        let secret = [7u8; 32];
        let body = "state1.nonce1.verifier1.1000";
        let cookie = format!("{body}.{}", hmac_hex(&secret, body));
        let flow = Flow::parse(&secret, &cookie, 999).unwrap();
        assert_eq!(
            (
                flow.state.as_str(),
                flow.nonce.as_str(),
                flow.verifier.as_str()
            ),
            ("state1", "nonce1", "verifier1")
        );
        assert!(Flow::parse(&secret, &cookie, 1001).is_none(), "expired");
        assert!(
            Flow::parse(&[8u8; 32], &cookie, 999).is_none(),
            "another secret"
        );
        let forged = cookie.replace("state1", "state2");
        assert!(
            Flow::parse(&secret, &forged, 999).is_none(),
            "changed state"
        );
        assert!(Flow::parse(&secret, "garbage", 0).is_none());
    }
}
