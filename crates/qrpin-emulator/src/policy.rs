//! The method's policy: `qrCodePinAuthenticationMethodConfiguration`, its defaults and checks.

use qrpin_codec::pin::{MAX_PIN_LEN, MIN_PIN_LEN};
use serde::{Deserialize, Serialize};

use crate::graph_error::GraphError;

/// `@odata.type` of the configuration.
pub const ODATA_POLICY: &str = "#microsoft.graph.qrCodePinAuthenticationMethodConfiguration";
/// The configuration's id.
pub const POLICY_ID: &str = "QRCodePin";
/// The longest standard code lifetime a policy may allow, in days.
pub const MAX_LIFETIME_DAYS: i64 = 395;
/// The default standard code lifetime, in days.
pub const DEFAULT_LIFETIME_DAYS: i64 = 365;
/// The most targets of each kind a policy may list.
const MAX_TARGETS: usize = 500;

/// A target of the policy (a group, or `all_users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Target {
    /// `group` or `user`.
    pub target_type: String,
    /// The group's id, or `all_users`.
    pub id: String,
    /// Include targets only: whether users must register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_registration_required: Option<bool>,
}

/// The stored policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// `enabled` or `disabled`.
    pub state: String,
    /// The minimum PIN length, 8–20.
    pub pin_length: i64,
    /// The longest standard code lifetime, 1–395 days.
    #[serde(rename = "standardQRCodeLifetimeInDays")]
    pub standard_lifetime_days: i64,
    /// Who may use the method.
    pub include_targets: Vec<Target>,
    /// Who may not.
    pub exclude_targets: Vec<Target>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            state: "enabled".into(),
            pin_length: MIN_PIN_LEN as i64,
            standard_lifetime_days: DEFAULT_LIFETIME_DAYS,
            include_targets: vec![Target {
                target_type: "group".into(),
                id: "all_users".into(),
                is_registration_required: Some(false),
            }],
            exclude_targets: Vec::new(),
        }
    }
}

/// A PATCH body: every property optional, nothing unknown.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PolicyPatch {
    #[serde(rename = "@odata.type")]
    odata_type: Option<String>,
    id: Option<String>,
    state: Option<String>,
    pin_length: Option<i64>,
    #[serde(rename = "standardQRCodeLifetimeInDays")]
    standard_lifetime_days: Option<i64>,
    include_targets: Option<Vec<Target>>,
    exclude_targets: Option<Vec<Target>>,
}

impl Policy {
    /// Whether the method may be used.
    pub fn enabled(&self) -> bool {
        self.state == "enabled"
    }

    /// The Graph JSON of the policy.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        if let Some(m) = v.as_object_mut() {
            m.insert("@odata.type".into(), ODATA_POLICY.into());
            m.insert("id".into(), POLICY_ID.into());
        }
        v
    }

    /// Applies a PATCH, checking every value.
    pub fn apply(&mut self, p: PolicyPatch) -> Result<(), GraphError> {
        if let Some(t) = &p.odata_type {
            if !t.eq_ignore_ascii_case(ODATA_POLICY) {
                return Err(GraphError::bad_request(format!("@odata.type must be {ODATA_POLICY}")));
            }
        }
        if let Some(id) = &p.id {
            if !id.eq_ignore_ascii_case(POLICY_ID) {
                return Err(GraphError::bad_request(format!(
                    "id is {POLICY_ID} and cannot change"
                )));
            }
        }
        let mut next = self.clone();
        if let Some(s) = p.state {
            if s != "enabled" && s != "disabled" {
                return Err(GraphError::bad_request("state must be 'enabled' or 'disabled'"));
            }
            next.state = s;
        }
        if let Some(n) = p.pin_length {
            if !(MIN_PIN_LEN as i64..=MAX_PIN_LEN as i64).contains(&n) {
                return Err(GraphError::bad_request(format!(
                    "pinLength must be within {MIN_PIN_LEN}-{MAX_PIN_LEN}; got {n}"
                )));
            }
            next.pin_length = n;
        }
        if let Some(d) = p.standard_lifetime_days {
            if !(1..=MAX_LIFETIME_DAYS).contains(&d) {
                return Err(GraphError::bad_request(format!(
                    "standardQRCodeLifetimeInDays must be within 1-{MAX_LIFETIME_DAYS}; got {d}"
                )));
            }
            next.standard_lifetime_days = d;
        }
        if let Some(t) = p.include_targets {
            check_targets("includeTargets", &t)?;
            next.include_targets = t;
        }
        if let Some(t) = p.exclude_targets {
            check_targets("excludeTargets", &t)?;
            if t.iter().any(|t| t.is_registration_required.is_some()) {
                return Err(GraphError::bad_request(
                    "excludeTargets: isRegistrationRequired is a property of include targets",
                ));
            }
            next.exclude_targets = t;
        }
        *self = next;
        Ok(())
    }
}

fn check_targets(name: &str, targets: &[Target]) -> Result<(), GraphError> {
    if targets.len() > MAX_TARGETS {
        return Err(GraphError::bad_request(format!("{name}: at most {MAX_TARGETS} targets")));
    }
    for (i, t) in targets.iter().enumerate() {
        if t.target_type != "group" && t.target_type != "user" {
            return Err(GraphError::bad_request(format!(
                "{name}[{i}].targetType must be 'group' or 'user'"
            )));
        }
        if t.id.is_empty() || t.id.len() > 256 || t.id.chars().any(char::is_control) {
            return Err(GraphError::bad_request(format!(
                "{name}[{i}].id must be 1-256 printable characters"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(json: &str) -> PolicyPatch {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn applies_checked_values_only() {
        let mut p = Policy::default();
        p.apply(patch(r#"{"pinLength": 12, "standardQRCodeLifetimeInDays": 30}"#)).unwrap();
        assert_eq!((p.pin_length, p.standard_lifetime_days), (12, 30));
        for bad in [
            r#"{"pinLength": 7}"#,
            r#"{"pinLength": 21}"#,
            r#"{"standardQRCodeLifetimeInDays": 0}"#,
            r#"{"standardQRCodeLifetimeInDays": 396}"#,
            r#"{"state": "on"}"#,
            r#"{"includeTargets": [{"targetType": "device", "id": "x"}]}"#,
        ] {
            let before = p.clone();
            assert!(p.apply(patch(bad)).is_err(), "{bad}");
            assert_eq!(p, before, "a refused PATCH changes nothing");
        }
        assert!(serde_json::from_str::<PolicyPatch>(r#"{"colour": 1}"#).is_err());
        let v = p.to_json();
        assert_eq!(v["id"], POLICY_ID);
        assert_eq!(v["standardQRCodeLifetimeInDays"], 30);
    }
}
