//! The method's rules, on the store: what each request does and answers.
//!
//! Every write happens in one transaction that is committed before the answer is made, so an
//! answer a client received is on disk (with a state file), and a refused request changes
//! nothing.

use axum::http::{Method, StatusCode};
use qrpin_codec::guid::Guid;
use qrpin_codec::{check_pin, generate_pin, DateTimeOffset, PinPolicy};
use rusqlite::Connection;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use crate::auth::Caller;
use crate::body::{self, CodeBody, MethodBody, PinBody, UpdatePinBody};
use crate::clock;
use crate::graph_error::{GraphError, ACTIVE_QR_CODE_EXISTED, LIFETIME_EXCEEDS_LIMIT};
use crate::image::{self, ImageSpec};
use crate::policy::{Policy, PolicyPatch};
use crate::route::{Item, Subject};
use crate::store::{self, CodeRow, Kind, MethodRow, PinRow, Store};
use crate::users::User;

/// The longest temporary code (Microsoft: "up to 12 hours").
pub const TEMPORARY_MAX: Duration = Duration::hours(12);
/// The shortest temporary code (the Entra admin centre offers 1 to 12 hours).
pub const TEMPORARY_MIN: Duration = Duration::hours(1);

const ODATA_CODE: &str = "#microsoft.graph.qrCode";
const ODATA_PIN: &str = "#microsoft.graph.qrPin";
const ODATA_METHOD: &str = "#microsoft.graph.qrCodePinAuthenticationMethod";

/// Application permissions or delegated scopes that may read the method.
const METHOD_READ: &[&str] = &[
    "UserAuthMethod-QR.ReadWrite.All",
    "UserAuthMethod-QR.Read.All",
    "UserAuthenticationMethod.ReadWrite.All",
    "UserAuthenticationMethod.Read.All",
    "UserAuthMethod-QR.ReadWrite",
    "UserAuthMethod-QR.Read",
    "UserAuthenticationMethod.ReadWrite",
    "UserAuthenticationMethod.Read",
];
/// ... and write it.
const METHOD_WRITE: &[&str] = &[
    "UserAuthMethod-QR.ReadWrite.All",
    "UserAuthenticationMethod.ReadWrite.All",
    "UserAuthMethod-QR.ReadWrite",
    "UserAuthenticationMethod.ReadWrite",
];
const POLICY_READ: &[&str] = &["Policy.ReadWrite.AuthenticationMethod", "Policy.Read.All"];
const POLICY_WRITE: &[&str] = &["Policy.ReadWrite.AuthenticationMethod"];

/// What a request is answered with.
#[derive(Debug)]
pub enum Reply {
    /// A JSON body with this status.
    Json(StatusCode, Value),
    /// 204.
    NoContent,
}

/// The answer and whether state changed.
#[derive(Debug)]
pub struct Done {
    /// The answer.
    pub reply: Reply,
    /// Whether the request wrote (so a drop fault may apply).
    pub wrote: bool,
}

fn read(reply: Reply) -> Done {
    Done { reply, wrote: false }
}

fn wrote(reply: Reply) -> Done {
    Done { reply, wrote: true }
}

/// What a request runs with.
pub struct Ctx<'a> {
    /// The time the request is handled at.
    pub now: OffsetDateTime,
    /// How images are made.
    pub image: ImageSpec,
    /// Who is calling.
    pub caller: &'a Caller,
}

type Result<T> = std::result::Result<T, GraphError>;

fn db(e: rusqlite::Error) -> GraphError {
    GraphError::new(StatusCode::INTERNAL_SERVER_ERROR, "generalException", format!("state: {e}"))
}

fn not_allowed(method: &Method) -> GraphError {
    GraphError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "Request_BadRequest",
        format!("The HTTP method '{method}' is not allowed on this resource."),
    )
}

/// Checks the method against the allowed ones (405 otherwise).
pub fn allow(method: &Method, item: Option<Item>) -> Result<()> {
    let ok: &[Method] = match item {
        None => &[Method::GET, Method::PATCH, Method::DELETE], // the policy
        Some(Item::User) => &[Method::GET],
        Some(Item::Method) => &[Method::GET, Method::PUT, Method::DELETE],
        Some(Item::Code(_)) => &[Method::GET, Method::PATCH, Method::DELETE],
        Some(Item::Pin) => &[Method::PATCH],
        Some(Item::UpdatePin) => &[Method::POST, Method::PATCH],
    };
    if ok.contains(method) {
        Ok(())
    } else {
        Err(not_allowed(method))
    }
}

/// Finds the user a request is about, and checks the caller may act on it.
fn subject(c: &Connection, ctx: &Ctx<'_>, s: &Subject, item: Item, write: bool) -> Result<User> {
    let user = match s {
        Subject::Me => {
            let Caller::User { user_id, .. } = ctx.caller else {
                return Err(GraphError::bad_request(
                    "/me request is only valid with delegated authentication flow.",
                ));
            };
            store::find_user(c, user_id)
                .map_err(db)?
                .ok_or_else(|| GraphError::not_found("The signed-in user no longer exists."))?
        }
        Subject::User(key) => {
            let shown: String = key.chars().filter(|c| !c.is_control()).take(80).collect();
            let lookup = if key.contains('@') {
                key.clone()
            } else {
                key.parse::<Guid>()
                    .map_err(|_| {
                        GraphError::bad(
                            "Request_BadRequest",
                            format!("Invalid object identifier '{shown}'."),
                        )
                    })?
                    .to_string()
            };
            store::find_user(c, &lookup).map_err(db)?.ok_or_else(|| {
                GraphError::not_found(format!(
                    "Resource '{shown}' does not exist or one of its queried reference-property objects are not present."
                ))
            })?
        }
    };
    if item == Item::User {
        return Ok(user); // any valid token may read a user (see docs/emulator.md)
    }
    if item == Item::UpdatePin {
        match ctx.caller {
            Caller::User { user_id, .. } if *user_id == user.id => return Ok(user),
            _ => {
                return Err(GraphError::denied(
                    "updatePin changes the signed-in user's own PIN: it needs a delegated token of that user.",
                ))
            }
        }
    }
    if let Caller::User { user_id, .. } = ctx.caller {
        if *user_id != user.id {
            return Err(GraphError::denied(
                "Insufficient privileges to complete the operation. (A delegated token acts on its own user only in the emulator.)",
            ));
        }
    }
    let need = if write { METHOD_WRITE } else { METHOD_READ };
    if !ctx.caller.has_any(need) {
        return Err(GraphError::denied(format!(
            "Insufficient privileges to complete the operation. (It needs {}.)",
            need[0]
        )));
    }
    Ok(user)
}

/// Handles a request on a user's resource.
pub fn user_request(
    store: &mut Store,
    ctx: &Ctx<'_>,
    method: &Method,
    s: &Subject,
    item: Item,
    body_bytes: &[u8],
) -> Result<Done> {
    allow(method, Some(item))?;
    let write = *method != Method::GET;
    let tx = store.transaction().map_err(db)?;
    let user = subject(&tx, ctx, s, item, write)?;
    let done = match (item, method.clone()) {
        (Item::User, _) => read(Reply::Json(
            StatusCode::OK,
            json!({
                "@odata.context": "$metadata#users/$entity",
                "id": user.id,
                "userPrincipalName": user.upn,
                "displayName": user.display_name,
            }),
        )),
        (Item::Method, Method::GET) => {
            let m = store::method(&tx, &user.id).map_err(db)?.ok_or_else(no_method)?;
            read(Reply::Json(StatusCode::OK, method_json(&tx, &user.id, &m, None)?))
        }
        (Item::Method, Method::PUT) => put_method(&tx, ctx, &user, body::parse(body_bytes)?)?,
        (Item::Method, _) => {
            if !store::delete_method(&tx, &user.id).map_err(db)? {
                return Err(no_method());
            }
            wrote(Reply::NoContent)
        }
        (Item::Code(kind), Method::GET) => {
            let row = store::code(&tx, &user.id, kind).map_err(db)?.ok_or_else(|| no_code(kind))?;
            read(Reply::Json(StatusCode::OK, code_json(&row, None)))
        }
        (Item::Code(kind), Method::PATCH) => {
            patch_code(&tx, ctx, &user, kind, body::parse(body_bytes)?)?
        }
        (Item::Code(kind), _) => {
            if !store::delete_code(&tx, &user.id, kind).map_err(db)? {
                return Err(no_code(kind));
            }
            wrote(Reply::NoContent)
        }
        (Item::Pin, _) => reset_pin(&tx, ctx, &user, body::parse(body_bytes)?)?,
        (Item::UpdatePin, _) => update_pin(&tx, ctx, &user, body::parse(body_bytes)?)?,
    };
    if done.wrote {
        tx.commit().map_err(db)?;
    }
    Ok(done)
}

/// Handles a request on the policy.
pub fn policy_request(
    store: &mut Store,
    caller: &Caller,
    method: &Method,
    body_bytes: &[u8],
) -> Result<Done> {
    allow(method, None)?;
    let write = *method != Method::GET;
    if matches!(caller, Caller::User { .. })
        || !caller.has_any(if write { POLICY_WRITE } else { POLICY_READ })
    {
        return Err(GraphError::denied(format!(
            "Insufficient privileges to complete the operation. (It needs the application permission {}.)",
            if write { POLICY_WRITE[0] } else { POLICY_READ[0] }
        )));
    }
    let tx = store.transaction().map_err(db)?;
    let done = match *method {
        Method::GET => read(Reply::Json(StatusCode::OK, store::policy(&tx).map_err(db)?.to_json())),
        Method::PATCH => {
            let patch: PolicyPatch = body::parse(body_bytes)?;
            let mut p = store::policy(&tx).map_err(db)?;
            p.apply(patch)?;
            store::put_policy(&tx, &p).map_err(db)?;
            wrote(Reply::NoContent)
        }
        _ => {
            store::delete_policy(&tx).map_err(db)?;
            wrote(Reply::NoContent)
        }
    };
    if done.wrote {
        tx.commit().map_err(db)?;
    }
    Ok(done)
}

fn no_method() -> GraphError {
    GraphError::not_found("The user has no qrCodePinMethod.")
}

fn no_code(kind: Kind) -> GraphError {
    GraphError::not_found(match kind {
        Kind::Standard => "The user has no standard QR code.",
        Kind::Temporary => "The user has no temporary QR code.",
    })
}

fn policy_of(c: &Connection) -> Result<Policy> {
    let p = store::policy(c).map_err(db)?;
    if !p.enabled() {
        return Err(GraphError::bad(
            "qrCodePinMethodDisabled",
            "The QR code + PIN method is disabled in the authentication methods policy.",
        ));
    }
    Ok(p)
}

fn pin_policy(p: &Policy) -> PinPolicy {
    // The policy's pinLength was checked to be within 8-20 when it was set.
    PinPolicy::with_min_length(p.pin_length as usize).unwrap_or_default()
}

fn is_active(row: &CodeRow, now: OffsetDateTime) -> bool {
    clock::parse_stored(&row.expire).is_some_and(|e| e > now)
}

/// Reads a date of a request. Graph *writes* at most 7 fractional digits, but OData's syntax
/// lets a client send up to 12 (and Rust's and Python's clocks give 9 or 6): any RFC 3339
/// fraction is taken, cut to Graph's 100 ns ticks.
fn date(name: &str, v: &Option<String>) -> Result<Option<OffsetDateTime>> {
    let Some(s) = v else { return Ok(None) };
    let at = match s.parse::<DateTimeOffset>() {
        Ok(d) => d.instant(),
        Err(qrpin_codec::datetime::DateTimeError::TooPrecise { .. }) => {
            OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .map_err(|e| GraphError::bad_request(format!("{name}: {e}")))?
        }
        Err(e) => return Err(GraphError::bad_request(format!("{name}: {e}"))),
    };
    let ticks = at.nanosecond() / 100 * 100;
    Ok(Some(at.replace_nanosecond(ticks).unwrap_or(at)))
}

/// Checks a new code's dates against the kind's lifetime rules.
fn check_lifetime(
    kind: Kind,
    start: OffsetDateTime,
    expire: OffsetDateTime,
    now: OffsetDateTime,
    p: &Policy,
) -> Result<()> {
    if expire <= start {
        return Err(GraphError::bad_request("expireDateTime must be after startDateTime."));
    }
    if expire <= now {
        return Err(GraphError::bad_request("expireDateTime is in the past."));
    }
    let life = expire - start;
    match kind {
        Kind::Standard => {
            let max = Duration::days(p.standard_lifetime_days);
            if life < Duration::days(1) {
                return Err(GraphError::bad_request(format!(
                    "A standard QR code lives at least 1 day; this one would live {} minutes.",
                    life.whole_minutes()
                )));
            }
            if life > max {
                return Err(GraphError::bad(
                    LIFETIME_EXCEEDS_LIMIT,
                    format!(
                        "A standard QR code lives at most {} days (standardQRCodeLifetimeInDays); this one would live {} days.",
                        p.standard_lifetime_days,
                        life.whole_days()
                    ),
                ));
            }
        }
        Kind::Temporary => {
            if life > TEMPORARY_MAX {
                return Err(GraphError::bad(
                    LIFETIME_EXCEEDS_LIMIT,
                    format!(
                        "TemporaryQRCode lifetime exceeds the limit i.e. maximum 12 hours (this one: {} minutes).",
                        life.whole_minutes()
                    ),
                ));
            }
            if life < TEMPORARY_MIN {
                return Err(GraphError::bad_request(format!(
                    "A temporary QR code lives at least 1 hour; this one would live {} minutes.",
                    life.whole_minutes()
                )));
            }
        }
    }
    Ok(())
}

/// Makes a new code (row, content and image).
fn new_code(
    ctx: &Ctx<'_>,
    user: &User,
    start: OffsetDateTime,
    expire: OffsetDateTime,
) -> Result<(CodeRow, Value)> {
    let id = random_guid()?;
    let text = image::content(&user.upn, &id, ctx.image.key_field)?;
    let img = image::image_json(&text, ctx.image)?;
    let row = CodeRow {
        id,
        created: clock::format(ctx.now),
        start: clock::format(start),
        expire: clock::format(expire),
        last_used: clock::NEVER.to_owned(),
    };
    Ok((row, img))
}

fn put_method(c: &Connection, ctx: &Ctx<'_>, user: &User, b: MethodBody) -> Result<Done> {
    body::check_type(b.odata_type.as_deref(), ODATA_METHOD)?;
    let p = policy_of(c)?;
    let Some(code) = b.standard else {
        return Err(GraphError::bad_request("standardQRCode is required."));
    };
    body::check_type(code.odata_type.as_deref(), ODATA_CODE)?;
    let (start, expire) = required_dates(&code)?;
    check_lifetime(Kind::Standard, start, expire, ctx.now, &p)?;
    if let Some(row) = store::code(c, &user.id, Kind::Standard).map_err(db)? {
        if is_active(&row, ctx.now) {
            return Err(active_exists(Kind::Standard));
        }
    }
    let pin_body = b.pin.unwrap_or_default();
    body::check_type(pin_body.odata_type.as_deref(), ODATA_PIN)?;
    let pin = match pin_body.code {
        Some(pin) => {
            check_pin(&pin, pin_policy(&p))
                .map_err(|e| GraphError::bad("invalidPin", e.to_string()))?;
            pin
        }
        None => generate(&p)?,
    };
    let method = match store::method(c, &user.id).map_err(db)? {
        Some(m) => m,
        None => MethodRow { id: random_guid()?, created: clock::format(ctx.now) },
    };
    store::put_method(c, &user.id, &method).map_err(db)?;
    let (row, img) = new_code(ctx, user, start, expire)?;
    store::put_code(c, &user.id, Kind::Standard, &row).map_err(db)?;
    let pin_row = hash_pin(&pin, true, ctx.now)?;
    store::put_pin(c, &user.id, &pin_row).map_err(db)?;
    let mut out = method_json(c, &user.id, &method, Some(img))?;
    out["pin"]["code"] = json!(pin);
    Ok(wrote(Reply::Json(StatusCode::CREATED, out)))
}

fn required_dates(b: &CodeBody) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let start = date("startDateTime", &b.start_date_time)?
        .ok_or_else(|| GraphError::bad_request("startDateTime is required to create a QR code."))?;
    let expire = date("expireDateTime", &b.expire_date_time)?.ok_or_else(|| {
        GraphError::bad_request("expireDateTime is required to create a QR code.")
    })?;
    Ok((start, expire))
}

/// Microsoft's documented answer (v1.0 "Create standardQRCode" / "Create temporaryQRCode").
fn active_exists(kind: Kind) -> GraphError {
    let which = match kind {
        Kind::Standard => "standardQRCode",
        Kind::Temporary => "temporaryQRCode",
    };
    GraphError::bad(
        ACTIVE_QR_CODE_EXISTED,
        format!("An active {which} exists for QR code auth method. Please delete existing {which} before creating a new one."),
    )
}

fn patch_code(c: &Connection, ctx: &Ctx<'_>, user: &User, kind: Kind, b: CodeBody) -> Result<Done> {
    body::check_type(b.odata_type.as_deref(), ODATA_CODE)?;
    let p = policy_of(c)?;
    if store::method(c, &user.id).map_err(db)?.is_none() {
        return Err(GraphError::not_found(
            "The user has no qrCodePinMethod: create it with PUT .../authentication/qrCodePinMethod first.",
        ));
    }
    let existing = store::code(c, &user.id, kind).map_err(db)?.filter(|r| is_active(r, ctx.now));
    match existing {
        Some(row) if b.start_date_time.is_none() => {
            // A change of expiry on the active code.
            if kind == Kind::Temporary {
                return Err(GraphError::bad_request(
                    "The expiry of a temporary QR code cannot be changed; delete it and create a new one.",
                ));
            }
            let expire = date("expireDateTime", &b.expire_date_time)?
                .ok_or_else(|| GraphError::bad_request("expireDateTime is required."))?;
            let start =
                clock::parse_stored(&row.start).ok_or_else(|| db(rusqlite::Error::InvalidQuery))?;
            check_lifetime(kind, start, expire, ctx.now, &p)?;
            let row = CodeRow { expire: clock::format(expire), ..row };
            store::put_code(c, &user.id, kind, &row).map_err(db)?;
            Ok(wrote(Reply::NoContent))
        }
        Some(_) => Err(active_exists(kind)),
        None => {
            let (start, expire) = required_dates(&b)?;
            check_lifetime(kind, start, expire, ctx.now, &p)?;
            let (row, img) = new_code(ctx, user, start, expire)?;
            store::put_code(c, &user.id, kind, &row).map_err(db)?;
            Ok(wrote(Reply::Json(StatusCode::CREATED, code_json(&row, Some(img)))))
        }
    }
}

fn reset_pin(c: &Connection, ctx: &Ctx<'_>, user: &User, b: PinBody) -> Result<Done> {
    body::check_type(b.odata_type.as_deref(), ODATA_PIN)?;
    if b.code.is_some() {
        return Err(GraphError::bad_request(
            "code is accepted only when the method is created; a PIN reset generates the PIN.",
        ));
    }
    let p = policy_of(c)?;
    if store::method(c, &user.id).map_err(db)?.is_none() {
        return Err(no_method());
    }
    let pin = generate(&p)?;
    let row = hash_pin(&pin, true, ctx.now)?;
    store::put_pin(c, &user.id, &row).map_err(db)?;
    let mut out = pin_json(&row);
    out["code"] = json!(pin);
    Ok(wrote(Reply::Json(StatusCode::CREATED, out)))
}

fn update_pin(c: &Connection, ctx: &Ctx<'_>, user: &User, b: UpdatePinBody) -> Result<Done> {
    let p = policy_of(c)?;
    let (Some(current), Some(new)) = (b.current_pin, b.new_pin) else {
        return Err(GraphError::bad_request("currentPin and newPin are required."));
    };
    let row = store::pin(c, &user.id).map_err(db)?.ok_or_else(no_method)?;
    if digest(&row.salt, &current) != row.hash {
        return Err(GraphError::bad("incorrectPin", "currentPin is not the user's PIN."));
    }
    if new == current {
        return Err(GraphError::bad("invalidPin", "newPin must differ from currentPin."));
    }
    check_pin(&new, pin_policy(&p)).map_err(|e| GraphError::bad("invalidPin", e.to_string()))?;
    let mut next = hash_pin(&new, false, ctx.now)?;
    next.created = row.created;
    store::put_pin(c, &user.id, &next).map_err(db)?;
    Ok(wrote(Reply::NoContent))
}

fn generate(p: &Policy) -> Result<String> {
    let pp = pin_policy(p);
    generate_pin(pp.min_length, pp).map_err(|e| {
        GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!("PIN generation: {e}"),
        )
    })
}

fn digest(salt: &[u8], pin: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(pin.as_bytes());
    h.finalize().to_vec()
}

fn hash_pin(pin: &str, force_change: bool, now: OffsetDateTime) -> Result<PinRow> {
    let mut salt = vec![0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| {
        GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!("no random numbers: {e}"),
        )
    })?;
    let hash = digest(&salt, pin);
    let t = clock::format(now);
    Ok(PinRow { salt, hash, force_change, created: t.clone(), updated: t })
}

fn random_guid() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| {
        GraphError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!("no random numbers: {e}"),
        )
    })?;
    // RFC 9562 version 4, variant 10.
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    Ok(Guid(u128::from_be_bytes(b)).to_string())
}

fn code_json(row: &CodeRow, image: Option<Value>) -> Value {
    json!({
        "@odata.type": ODATA_CODE,
        "id": row.id,
        "expireDateTime": row.expire,
        "startDateTime": row.start,
        "createdDateTime": row.created,
        "lastUsedDateTime": row.last_used,
        "image": image,
    })
}

fn pin_json(row: &PinRow) -> Value {
    json!({
        "@odata.type": ODATA_PIN,
        "code": null,
        "forceChangePinNextSignIn": row.force_change,
        "createdDateTime": row.created,
        "updatedDateTime": row.updated,
    })
}

/// The method with its codes (images null unless `standard_image` is the new standard code's)
/// and its PIN (code null).
fn method_json(
    c: &Connection,
    user: &str,
    m: &MethodRow,
    standard_image: Option<Value>,
) -> Result<Value> {
    let standard = store::code(c, user, Kind::Standard).map_err(db)?;
    let temporary = store::code(c, user, Kind::Temporary).map_err(db)?;
    let pin = store::pin(c, user).map_err(db)?;
    Ok(json!({
        "@odata.type": ODATA_METHOD,
        "id": m.id,
        "createdDateTime": m.created,
        "standardQRCode": standard.map(|r| code_json(&r, standard_image)),
        "temporaryQRCode": temporary.map(|r| code_json(&r, None)),
        "pin": pin.map(|p| pin_json(&p)),
    }))
}
