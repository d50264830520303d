//! Turning a client's text frame into a [`ClientMessage`], or into a precise error.

use serde_json::Value;

use crate::{ClientMessage, ErrorCode, RequestId};

/// Why a frame could not be decoded: the code and explanation to send back, and the request id
/// if the frame carried a readable one (so the client can match the error to its request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub request_id: Option<RequestId>,
    pub code: ErrorCode,
    pub message: String,
}

/// Decodes one text frame.
///
/// The common case (a well-formed message) costs one typed parse. Only when that fails is the
/// frame parsed again, loosely, to tell malformed JSON from an unknown type from a known type
/// with bad fields.
pub fn decode_client_message(text: &str) -> Result<ClientMessage, DecodeError> {
    let typed_error = match serde_json::from_str::<ClientMessage>(text) {
        Ok(message) => return Ok(message),
        Err(error) => error,
    };
    let value: Value = serde_json::from_str(text).map_err(|error| DecodeError {
        request_id: None,
        code: ErrorCode::MalformedJson,
        message: format!("the frame is not valid JSON: {error}"),
    })?;
    let request_id = value.get("request_id").and_then(Value::as_u64);
    let Some(message_type) = value.get("type").and_then(Value::as_str) else {
        return Err(DecodeError {
            request_id,
            code: ErrorCode::InvalidMessage,
            message: "a message must be a JSON object with a string \"type\" field".into(),
        });
    };
    if !ClientMessage::TYPES.contains(&message_type) {
        return Err(DecodeError {
            request_id,
            code: ErrorCode::UnknownType,
            message: format!(
                "unknown message type {message_type:?}; expected one of {:?}",
                ClientMessage::TYPES
            ),
        });
    }
    Err(DecodeError {
        request_id,
        code: ErrorCode::InvalidMessage,
        message: format!("invalid {message_type:?} message: {typed_error}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(text: &str) -> ErrorCode {
        decode_client_message(text).expect_err("should fail").code
    }

    #[test]
    fn decodes_a_valid_message() {
        let message = decode_client_message(r#"{"type":"join","request_id":3,"room":"lobby"}"#);
        assert_eq!(message, Ok(ClientMessage::Join { request_id: 3, room: "lobby".into() }));
    }

    #[test]
    fn ignores_unknown_fields() {
        let message =
            decode_client_message(r#"{"type":"join","request_id":3,"room":"lobby","extra":true}"#);
        assert!(message.is_ok());
    }

    #[test]
    fn tells_malformed_json_apart() {
        assert_eq!(code_of("{not json"), ErrorCode::MalformedJson);
        assert_eq!(code_of(""), ErrorCode::MalformedJson);
    }

    #[test]
    fn tells_unknown_types_apart_and_keeps_the_request_id() {
        let error = decode_client_message(r#"{"type":"dance","request_id":9}"#).expect_err("fails");
        assert_eq!(error.code, ErrorCode::UnknownType);
        assert_eq!(error.request_id, Some(9));
    }

    #[test]
    fn tells_bad_fields_of_a_known_type_apart() {
        assert_eq!(code_of(r#"{"type":"join","request_id":1}"#), ErrorCode::InvalidMessage);
        assert_eq!(
            code_of(r#"{"type":"join","request_id":"one","room":"lobby"}"#),
            ErrorCode::InvalidMessage
        );
        assert_eq!(
            code_of(r#"{"type":"send","request_id":1,"room":"lobby","client_id":"","body":"x"}"#),
            ErrorCode::InvalidMessage
        );
    }

    #[test]
    fn non_objects_and_missing_type_are_invalid_messages() {
        assert_eq!(code_of("[1,2]"), ErrorCode::InvalidMessage);
        assert_eq!(code_of("42"), ErrorCode::InvalidMessage);
        assert_eq!(code_of(r#"{"request_id":1}"#), ErrorCode::InvalidMessage);
    }
}
