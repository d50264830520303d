//! What is written to a connection's socket, and how: the wire format of the server's frames
//! ([`wire`]), each connection's bounded queue ([`frame_queue`]), the connection's writer that
//! drains it ([`frame_writer`]), and the thread that writes rooms' broadcasts straight from
//! the queues ([`broadcast_writer`]), the close codes the server ends connections with
//! ([`close_codes`]), and the recent rate of big rooms' broadcasts that decides whether their
//! writes gather ([`event_rate`]). The bottom layer beside the store: it knows sockets and
//! frames, nothing of rooms or people.

pub mod broadcast_writer;
pub mod close_codes;
pub mod event_rate;
pub mod frame_queue;
pub mod frame_writer;
pub mod wire;
