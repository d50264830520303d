//! Reading a [`ServerMessage`]: its `"type"` first, then the variant's fields straight from the
//! JSON.
//!
//! serde's derived decoder for an internally tagged enum cannot know where the tag is, so it
//! first reads the whole object into a generic buffer (`Content`) and then reads the variant
//! out of that buffer again. That generic code was the page's largest function (41 KB of
//! WASM before optimisation) and it parsed every frame twice. The server always writes the
//! tag first (serde serialises it before the fields), so this decoder reads the `"type"`, then
//! hands the rest of the same object to the variant's own plain struct decoder.
//!
//! Each variant holds a struct of its own with a derived decoder, so the decoder below only
//! picks the struct by the type; `every_variant_round_trips` (in `server_message.rs`) checks
//! that encoding and decoding meet on the wire.

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::ChatMessage;
use crate::server_message::{
    Ack, AuditLog, BanLifted, BanRecorded, Created, DateFound, DmOpened, ErrorReply, History,
    InviteCreated, InviteList, InviteRevoked, Invited, Joined, KickDone, Kicked, Left, MemberCount,
    MemberList, MemberPage, MemberRemoved, MuteLifted, MuteRecorded, Muted, PasswordChanged,
    People, Pong, RoleChanged, RoleSet, RoomAdded, RoomMemberList, RoomRemoved, RoomRoleSet,
    SearchResults, ServerClosing, ServerMessage, Sessions, SignedOut, SignedOutElsewhere, Typing,
    Unmuted, UserJoined, UserLeft, Welcome,
};

impl<'de> Deserialize<'de> for ServerMessage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TypeFirst)
    }
}

struct TypeFirst;

impl<'de> Visitor<'de> for TypeFirst {
    type Value = ServerMessage;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a server message: a JSON object whose first field is \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ServerMessage, A::Error> {
        if map.next_key::<String>()?.as_deref() != Some("type") {
            return Err(de::Error::custom("a server message must start with its \"type\""));
        }
        let kind: String = map.next_value()?;
        let fields = MapAccessDeserializer::new(map);
        Ok(match kind.as_str() {
            "welcome" => ServerMessage::Welcome(Welcome::deserialize(fields)?),
            "created" => ServerMessage::Created(Created::deserialize(fields)?),
            "room_added" => ServerMessage::RoomAdded(RoomAdded::deserialize(fields)?),
            "joined" => ServerMessage::Joined(Joined::deserialize(fields)?),
            "left" => ServerMessage::Left(Left::deserialize(fields)?),
            "ack" => ServerMessage::Ack(Ack::deserialize(fields)?),
            "history" => ServerMessage::History(History::deserialize(fields)?),
            "search_results" => ServerMessage::SearchResults(SearchResults::deserialize(fields)?),
            "date_found" => ServerMessage::DateFound(DateFound::deserialize(fields)?),
            "pong" => ServerMessage::Pong(Pong::deserialize(fields)?),
            "signed_out" => ServerMessage::SignedOut(SignedOut::deserialize(fields)?),
            "invited" => ServerMessage::Invited(Invited::deserialize(fields)?),
            "member_removed" => ServerMessage::MemberRemoved(MemberRemoved::deserialize(fields)?),
            "room_member_list" => {
                ServerMessage::RoomMemberList(RoomMemberList::deserialize(fields)?)
            }
            "room_removed" => ServerMessage::RoomRemoved(RoomRemoved::deserialize(fields)?),
            "ban_recorded" => ServerMessage::BanRecorded(BanRecorded::deserialize(fields)?),
            "ban_lifted" => ServerMessage::BanLifted(BanLifted::deserialize(fields)?),
            "audit_log" => ServerMessage::AuditLog(AuditLog::deserialize(fields)?),
            "room_role_set" => ServerMessage::RoomRoleSet(RoomRoleSet::deserialize(fields)?),
            "kick_done" => ServerMessage::KickDone(KickDone::deserialize(fields)?),
            "mute_recorded" => ServerMessage::MuteRecorded(MuteRecorded::deserialize(fields)?),
            "mute_lifted" => ServerMessage::MuteLifted(MuteLifted::deserialize(fields)?),
            "kicked" => ServerMessage::Kicked(Kicked::deserialize(fields)?),
            "invite_created" => ServerMessage::InviteCreated(InviteCreated::deserialize(fields)?),
            "invite_list" => ServerMessage::InviteList(InviteList::deserialize(fields)?),
            "invite_revoked" => ServerMessage::InviteRevoked(InviteRevoked::deserialize(fields)?),
            "people" => ServerMessage::People(People::deserialize(fields)?),
            "role_set" => ServerMessage::RoleSet(RoleSet::deserialize(fields)?),
            "role_changed" => ServerMessage::RoleChanged(RoleChanged::deserialize(fields)?),
            "muted" => ServerMessage::Muted(Muted::deserialize(fields)?),
            "unmuted" => ServerMessage::Unmuted(Unmuted::deserialize(fields)?),
            "dm_opened" => ServerMessage::DmOpened(DmOpened::deserialize(fields)?),
            "sessions" => ServerMessage::Sessions(Sessions::deserialize(fields)?),
            "signed_out_elsewhere" => {
                ServerMessage::SignedOutElsewhere(SignedOutElsewhere::deserialize(fields)?)
            }
            "password_changed" => {
                ServerMessage::PasswordChanged(PasswordChanged::deserialize(fields)?)
            }
            "message" => ServerMessage::Message(ChatMessage::deserialize(fields)?),
            "user_joined" => ServerMessage::UserJoined(UserJoined::deserialize(fields)?),
            "typing" => ServerMessage::Typing(Typing::deserialize(fields)?),
            "user_left" => ServerMessage::UserLeft(UserLeft::deserialize(fields)?),
            "member_page" => ServerMessage::MemberPage(MemberPage::deserialize(fields)?),
            "member_count" => ServerMessage::MemberCount(MemberCount::deserialize(fields)?),
            "member_list" => ServerMessage::MemberList(MemberList::deserialize(fields)?),
            "error" => ServerMessage::Error(ErrorReply::deserialize(fields)?),
            "server_closing" => ServerMessage::ServerClosing(ServerClosing::deserialize(fields)?),
            other => return Err(de::Error::unknown_variant(other, TYPES)),
        })
    }
}

/// Every `"type"` a server message may have.
const TYPES: &[&str] = &[
    "welcome",
    "created",
    "room_added",
    "joined",
    "left",
    "ack",
    "history",
    "search_results",
    "date_found",
    "pong",
    "signed_out",
    "invited",
    "member_removed",
    "room_member_list",
    "room_removed",
    "ban_recorded",
    "ban_lifted",
    "audit_log",
    "room_role_set",
    "kick_done",
    "mute_recorded",
    "mute_lifted",
    "kicked",
    "invite_created",
    "invite_list",
    "invite_revoked",
    "people",
    "role_set",
    "role_changed",
    "muted",
    "unmuted",
    "dm_opened",
    "sessions",
    "signed_out_elsewhere",
    "password_changed",
    "message",
    "user_joined",
    "typing",
    "user_left",
    "member_page",
    "member_count",
    "member_list",
    "error",
    "server_closing",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RoomName;

    fn decode(json: &str) -> Result<ServerMessage, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    #[test]
    fn fields_after_the_type_may_come_in_any_order_and_unknown_ones_are_skipped() {
        let message =
            decode(r#"{"type":"left","room":"lobby","extra":[1,{"a":2}],"request_id":4}"#);
        assert_eq!(
            message,
            Ok(ServerMessage::Left(Left { request_id: 4, room: RoomName::lobby() }))
        );
    }

    #[test]
    fn a_message_whose_type_is_not_first_is_refused_clearly() {
        let error = decode(r#"{"request_id":7,"type":"pong"}"#).expect_err("type is not first");
        assert!(error.contains("must start with its \"type\""), "{error}");
    }

    #[test]
    fn an_unknown_type_names_the_known_ones() {
        let error = decode(r#"{"type":"shrug"}"#).expect_err("unknown type");
        assert!(error.contains("unknown variant `shrug`") && error.contains("`pong`"), "{error}");
    }

    #[test]
    fn a_missing_or_invalid_field_is_an_error_not_a_default() {
        let missing = decode(r#"{"type":"joined","request_id":1,"room":"lobby","members":[]}"#);
        assert!(missing.expect_err("no last_seq").contains("missing field `last_seq`"));
        let invalid = decode(r#"{"type":"typing","room":"lobby","nickname":""}"#);
        assert!(invalid.is_err(), "an empty nickname is not a nickname");
        assert!(decode("[]").is_err() && decode(r#""pong""#).is_err() && decode("{}").is_err());
    }

    #[test]
    fn every_listed_type_has_a_decoder() {
        for kind in TYPES {
            // Every variant has a required field, so a known type alone fails on a missing
            // field, never as an unknown variant.
            let error = decode(&format!(r#"{{"type":"{kind}"}}"#)).expect_err("fields missing");
            assert!(error.contains("missing field"), "{kind}: {error}");
        }
    }
}
