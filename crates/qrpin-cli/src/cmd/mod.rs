//! One module per subcommand: each has an `Args` struct (or a subcommand enum) and a `run`.

pub mod badge;
pub mod badge_input;
pub mod decode;
pub mod encode;
pub mod graph;
pub mod graph_client;
pub mod graph_remote;
pub mod graph_report;
pub mod graph_serve;
pub mod graph_verify;
pub mod parse;
pub mod pin;
pub mod provision;
pub mod render;
pub mod roundtrip;
pub mod shell;
pub mod verify;
pub mod written;
